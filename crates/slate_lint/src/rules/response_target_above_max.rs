//! `lint::response-target-above-max`

use slate_policy::Severity;

use crate::context::Ctx;
use crate::rule::{Finding, Rule};

pub const RULE: Rule = Rule {
    name: "response-target-above-max",
    severity: Severity::Error,
    summary: "a level whose response target is longer than its response maximum",
    doc: "## What it does\n\nReports levels whose `response.target` exceeds `response.max`.\n\n## Why is this bad?\n\nThe maximum is the outer bound of the target: a target beyond it is breached by the level's own definition before it can be met, and one of the two numbers is a typo (often `2h` for `20m`).\n\n## Example\n\n```yaml\nresponse: {target: 6h, max: 2h}\n```\n\n## Use instead\n\n```yaml\nresponse: {target: 2h, max: 6h}\n```\n",
    check,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some((m, _)) = ctx.matrix else { return };
    for level in &m.levels {
        let Some(max) = level.response_max else {
            continue;
        };
        if level.response > max {
            out.push(Finding::new(
                &level.loc,
                format!(
                    "level `{}` targets a response within {}, beyond its maximum of {max}",
                    level.id, level.response
                ),
                "target above the maximum",
                "make `response.target` at most `response.max` (swap them if they were swapped)",
            ));
        }
    }
}

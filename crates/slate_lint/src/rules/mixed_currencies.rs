//! `lint::mixed-currencies`

use std::collections::BTreeSet;

use slate_policy::Severity;

use crate::context::Ctx;
use crate::rule::{Finding, Rule};

pub const RULE: Rule = Rule {
    name: "mixed-currencies",
    severity: Severity::Warning,
    summary: "a currency with a limit at some tiers but not at others",
    doc: "## What it does\n\nReports tiers that lack a limit in a currency other tiers have a limit for.\n\n## Why is this bad?\n\nSlate never converts currencies. A EUR refund at a tier with only a USD limit has no rule: it always needs approval, even for one cent, or the agent guesses an exchange rate.\n\n## Example\n\n```yaml\n- {tier: 1, up_to: [100.00 USD, 90.00 EUR]}\n- {tier: 2, up_to: [500.00 USD]}\n```\n\n## Use instead\n\n```yaml\n- {tier: 1, up_to: [100.00 USD, 90.00 EUR]}\n- {tier: 2, up_to: [500.00 USD, 450.00 EUR]}\n```\n",
    check,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some((r, _)) = ctx.refunds else { return };
    let all: BTreeSet<&String> = r.limits.iter().flat_map(|l| l.up_to.keys()).collect();
    for limit in &r.limits {
        let missing: Vec<&str> = all
            .iter()
            .filter(|c| !limit.up_to.contains_key(**c))
            .map(|c| c.as_str())
            .collect();
        if !missing.is_empty() {
            out.push(Finding::new(
                &limit.loc,
                format!("tier {} has no limit in {}", limit.tier, missing.join(", ")),
                "currencies missing",
                "give every tier a limit in every currency you refund in",
            ));
        }
    }
}

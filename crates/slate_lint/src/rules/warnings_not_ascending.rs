//! `lint::warnings-not-ascending`

use slate_policy::Severity;

use crate::context::Ctx;
use crate::rule::{Finding, Rule};

pub const RULE: Rule = Rule {
    name: "warnings-not-ascending",
    severity: Severity::Error,
    summary: "SLA warning thresholds that are not strictly ascending, missing, or not below 100 %",
    doc: "## What it does\n\nChecks that the SlaPolicy's `warnings` percentages are strictly ascending.\n\n## Why is this bad?\n\nWarnings are escalating alarms (50 %, 75 %, 90 %). Out of order or repeated thresholds produce alarms in the wrong order or twice, and usually mean a typo.\n\n## Example\n\n```yaml\nwarnings: [50, 90, 75]\n```\n\n## Use instead\n\n```yaml\nwarnings: [50, 75, 90]\n```\n",
    check,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some((sla, meta)) = ctx.sla else { return };
    if sla
        .warnings
        .windows(2)
        .any(|w| matches!(w, [a, b] if a >= b))
    {
        let listed: Vec<String> = sla.warnings.iter().map(f64::to_string).collect();
        out.push(Finding::new(
            &meta.loc,
            format!(
                "warning thresholds [{}] are not strictly ascending",
                listed.join(", ")
            ),
            "thresholds out of order",
            "list each percentage once, smallest first, e.g. [50, 75, 90]",
        ));
    }
    if sla.warnings.is_empty() {
        out.push(Finding::new(
            &meta.loc,
            "no warning thresholds: nobody hears of a target before it is breached",
            "no warnings",
            "add `warnings: [50, 75, 90]` (percent of each target)",
        ));
    }
    for w in sla.warnings.iter().filter(|w| **w >= 100.0 || **w <= 0.0) {
        out.push(Finding::new(
            &meta.loc,
            format!("warning threshold {w} % never warns before the breach"),
            "not a warning",
            "use percentages between 0 and 100 (exclusive) of each target",
        ));
    }
}

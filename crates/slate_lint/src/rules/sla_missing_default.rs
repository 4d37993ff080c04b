//! `lint::sla-missing-default`

use slate_policy::Severity;

use crate::context::Ctx;
use crate::rule::{Finding, Rule};

pub const RULE: Rule = Rule {
    name: "sla-missing-default",
    severity: Severity::Error,
    summary: "an SlaPolicy without a default: tickets outside its entries get no SLA",
    doc: "## What it does\n\nReports an SlaPolicy that has no `default` targets.\n\n## Why is this bad?\n\nTicket data is messy: a segment missing from the export, a new segment nobody added to the catalogue. Without a default such tickets get no targets at all, and their breaches never show up.\n\n## Example\n\n```yaml\nspec:\n  calendar: business-hours\n  targets: [...]\n```\n\n## Use instead\n\n```yaml\nspec:\n  calendar: business-hours\n  targets: [...]\n  default:\n    targets: {first_response: 8h, resolution: 45h}\n```\n",
    check,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some((sla, meta)) = ctx.sla else { return };
    if sla.default.is_none() {
        out.push(Finding::new(
            &meta.loc,
            "the SLA policy has no default targets",
            "no `default:`",
            "add `default: {targets: ...}` for tickets no entry matches",
        ));
    }
}

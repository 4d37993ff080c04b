//! `lint::invalid-suppression`

use slate_policy::Severity;

use crate::context::Ctx;
use crate::rule::{Finding, Rule};

pub const RULE: Rule = Rule {
    name: "invalid-suppression",
    severity: Severity::Error,
    summary: "an inline suppression without a reason, with an unknown rule, or with an invalid date",
    doc: "## What it does\n\nReports `# slate-allow:` comments that do not name a known rule, have no `reason=\"...\"`, or have an `until=` that is not a date.\n\n## Why is this bad?\n\nEvery accepted risk needs a reason a reviewer can judge. A suppression that names no real rule suppresses nothing and hides a typo.\n\n## Example\n\n```yaml\n# slate-allow: unused-team\n```\n\n## Use instead\n\n```yaml\n# slate-allow: unused-team reason=\"Tier 0 is self-service: no tickets are routed to it (seed 001)\"\n```\n",
    check,
};

/// Found by the suppression scanner, not by inspecting policies.
fn check(_: &Ctx<'_>, _: &mut Vec<Finding>) {}

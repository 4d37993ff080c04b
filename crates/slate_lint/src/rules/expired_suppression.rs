//! `lint::expired-suppression`

use slate_policy::Severity;

use crate::context::Ctx;
use crate::rule::{Finding, Rule};

pub const RULE: Rule = Rule {
    name: "expired-suppression",
    severity: Severity::Warning,
    summary: "an inline suppression past its `until` date",
    doc: "## What it does\n\nReports `# slate-allow:` comments whose `until=` date has passed. The suppression no longer applies, so the finding it covered is reported again too.\n\n## Why is this bad?\n\nA suppression with an expiry is a promise to revisit a risk. Past the date the promise is broken; the finding comes back so that someone decides again.\n\n## Example\n\n```yaml\n# slate-allow: unused-team reason=\"kept for the Q3 pilot\" until=2026-09-30\n```\n\n## Use instead\n\nFix the finding, or renew the suppression with a new date and reason.\n",
    check,
};

/// Found by the suppression scanner, not by inspecting policies.
fn check(_: &Ctx<'_>, _: &mut Vec<Finding>) {}

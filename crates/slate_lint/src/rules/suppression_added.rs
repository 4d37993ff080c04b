//! `lint::suppression-added`

use slate_policy::Severity;

use crate::context::Ctx;
use crate::rule::{Finding, Rule};

pub const RULE: Rule = Rule {
    name: "suppression-added",
    severity: Severity::Warning,
    summary: "with `--base`: an inline `slate-allow` suppression the change adds or rewrites",
    doc: "## What it does\n\nWith `--base REV`, reports every `# slate-allow:` comment of the head that the base revision does not have (same file, rule and reason), with the rule it silences. Its severity is the base's configuration's.\n\n## Why is this bad?\n\nA suppression accepts a finding on purpose. Added in the same pull request as the change it silences, it is easy to miss in review: the gate turns green and nobody decided that the risk is acceptable. Shown as a finding, it is reviewed like one (and fails the gate with `--deny warnings`).\n\n## Example\n\n```yaml\n# slate-allow: critical-not-24x7 reason=\"fine\"   # added by the pull request\n- id: recorded-critical\n```\n\n## Use instead\n\nFix the finding; or keep the suppression, with a reason a reviewer can check, and have it approved.\n",
    check,
};

/// Found by comparing suppressions, not by inspecting policies.
fn check(_: &Ctx<'_>, _: &mut Vec<Finding>) {}

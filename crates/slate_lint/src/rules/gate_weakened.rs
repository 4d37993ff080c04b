//! `lint::gate-weakened`

use slate_policy::Severity;

use crate::context::Ctx;
use crate::rule::{Finding, Rule};

pub const RULE: Rule = Rule {
    name: "gate-weakened",
    severity: Severity::Error,
    summary: "with `--base`: the change switches a rule off, lowers its severity, or excludes a path in `slate.toml`",
    doc: "## What it does\n\nWith `--base REV`, compares the lint configuration (`slate.toml`) of the change with the base revision's and reports every rule it switches off or lowers and every path it newly excludes, at the setting. Its severity is the base's: the change under review cannot switch this rule off for itself.\n\n## Why is this bad?\n\nThe gate's configuration lives in the same tree as the policies. A pull request that adds `unsafe-rule = \"off\"` or `exclude = [\"sla.yaml\"]` passes a gate it would fail, and the reviewer sees a green check. Changing what the gate checks is a decision of its own and must be reviewed as one.\n\n## Example\n\n```toml\n[lint.rules]\nsla-no-target = \"off\"   # added by the pull request\n```\n\n## Use instead\n\nFix the findings; or make the configuration change in its own reviewed pull request, so that the base it is compared with already holds it.\n",
    check,
};

/// Found by comparing configurations, not by inspecting policies.
fn check(_: &Ctx<'_>, _: &mut Vec<Finding>) {}

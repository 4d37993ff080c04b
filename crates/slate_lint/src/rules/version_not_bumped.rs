//! `lint::version-not-bumped`

use slate_policy::Severity;

use crate::context::Ctx;
use crate::rule::{Finding, Rule};

pub const RULE: Rule = Rule {
    name: "version-not-bumped",
    severity: Severity::Error,
    summary: "a policy whose `spec` changed since the base revision without a `metadata.version` bump",
    doc: "## What it does\n\nWith `slate lint --base REV`, compares every policy with the same kind and name at the base revision. If its `spec` differs in meaning (key order, comments and formatting do not count) but `metadata.version` did not increase, it is reported.\n\n## Why is this bad?\n\nTraces, reports and audits name policies by version. Two different rule sets under one version make every past decision ambiguous.\n\n## Example\n\n```yaml\nmetadata: {name: customer-sla, version: 3, ...}\nspec: {...}   # first_response for high × enterprise changed 30m → 1h\n```\n\n## Use instead\n\n```yaml\nmetadata: {name: customer-sla, version: 4, effective_from: 2026-12-01, ...}\n```\n",
    check,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for (head, before) in super::same_version(ctx) {
        if head.spec != before.spec {
            out.push(Finding::new(
                &head.loc,
                format!(
                    "`{}` `{}` changed since the base revision but is still version {}",
                    head.kind, head.name, head.version
                ),
                "version not bumped",
                format!(
                    "set `metadata.version: {}` (and its `effective_from`)",
                    head.version + 1
                ),
            ));
        }
    }
}

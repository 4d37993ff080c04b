//! `lint::version-lowered`

use slate_policy::Severity;

use crate::context::Ctx;
use crate::rule::{Finding, Rule};

pub const RULE: Rule = Rule {
    name: "version-lowered",
    severity: Severity::Error,
    summary: "a policy whose `metadata.version` is lower than at the base revision",
    doc: "## What it does\n\nWith `slate lint --base REV`, reports policies whose newest version is lower than the newest version at the base revision. Older versions kept in the tree next to newer ones are history and are not reported.\n\n## Why is this bad?\n\nVersions only go up. A lower version reuses a number that already named a different policy, and ordering by version puts the new rules before the old ones.\n\n## Example\n\n```yaml\nmetadata: {name: customer-sla, version: 2, ...}   # base revision had version 3\n```\n\n## Use instead\n\n```yaml\nmetadata: {name: customer-sla, version: 4, ...}\n```\n",
    check,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some(base) = ctx.base else { return };
    let base = super::newest(base);
    // The newest versions are compared: an older file still in the tree
    // next to a newer one is history, not a lowered version.
    for head in super::newest(ctx.head) {
        let Some(before) = base
            .iter()
            .find(|b| b.kind == head.kind && b.name == head.name)
            .map(|b| b.version)
        else {
            continue;
        };
        if head.version < before {
            out.push(Finding::new(
                &head.loc,
                format!(
                    "`{}` `{}` is version {}, lower than {before} at the base revision",
                    head.kind, head.name, head.version
                ),
                "version lowered",
                format!("use a version above {before}"),
            ));
        }
    }
}

//! `lint::policy-removed`

use slate_policy::Severity;
use slate_policy::model::Kind;

use crate::context::Ctx;
use crate::rule::{Finding, Rule};

pub const RULE: Rule = Rule {
    name: "policy-removed",
    severity: Severity::Error,
    summary: "a policy present at the base revision and gone, or renamed, at the head",
    doc: "## What it does\n\nWith `slate lint --base REV`, reports every policy (kind and name) the base revision has and the head does not. When the head has a policy of the same singleton kind under a new name, the finding calls it a rename and points at the new name.\n\n## Why is this bad?\n\nRemoving a policy removes every decision it made: without the SLA file no ticket has a target, without a calendar its teams' timers count in nothing. A rename is a removal too: the new name starts a version history of its own, so `version-not-bumped` and `version-lowered` no longer compare it with what it replaced, and a loosened copy under a new name would pass unreviewed.\n\n## Example\n\n```yaml\n# base: metadata: {name: customer-sla, version: 3, ...}\n# head: the file is gone, or\nmetadata: {name: customer-sla-2027, version: 1, ...}\n```\n\n## Use instead\n\n```yaml\n# keep the name and raise the version\nmetadata: {name: customer-sla, version: 4, effective_from: 2027-01-01, ...}\n```\n",
    check,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some(base) = ctx.base else { return };
    let head = super::newest(ctx.head);
    for before in super::newest(base) {
        if head
            .iter()
            .any(|h| h.kind == before.kind && h.name == before.name)
        {
            continue;
        }
        let singleton = Kind::parse(&before.kind).is_some_and(Kind::is_singleton);
        // The head's policy of that kind under a name the base does not have.
        let renamed = head.iter().find(|h| {
            singleton
                && h.kind == before.kind
                && !base.iter().any(|b| b.kind == h.kind && b.name == h.name)
        });
        match renamed {
            Some(new) => out.push(
                Finding::new(
                    &new.loc,
                    format!(
                        "`{}` `{}` was renamed to `{}` since the base revision: the new name starts a version history of its own",
                        before.kind, before.name, new.name
                    ),
                    "renamed policy",
                    format!(
                        "keep `name: {}` and raise its version above {}",
                        before.name, before.version
                    ),
                )
                .related(&before.loc, "the policy at the base revision"),
            ),
            None => out.push(Finding::new(
                &before.loc,
                format!(
                    "`{}` `{}` (version {}) was removed since the base revision",
                    before.kind, before.name, before.version
                ),
                "removed at the head",
                "restore the file; a policy retired on purpose is a reviewed exception: `policy-removed = \"off\"` under `[lint.rules]` in slate.toml for that pull request",
            )),
        }
    }
}

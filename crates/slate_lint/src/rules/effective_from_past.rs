//! `lint::effective-from-past`

use slate_policy::Severity;

use crate::context::Ctx;
use crate::rule::{Finding, Rule};

pub const RULE: Rule = Rule {
    name: "effective-from-past",
    severity: Severity::Error,
    summary: "with `--base`: a new policy version whose `effective_from` is in the past, or the same as the version it follows",
    doc: "## What it does\n\nWith `--base REV`, looks at every policy version the change adds to an existing policy and compares its `effective_from` with today (`--today`) and with the newest version the base has.\n\n## Why is this bad?\n\nReplay decides each ticket by the versions in force at its events (DESIGN §4.11). A version that takes effect in the past rewrites history: last month's tickets are re-decided under rules nobody applied to them, and their reports change after the fact. A version with the same `effective_from` as the one before it replaces that version from its first instant, as if it had never been in force.\n\n## Example\n\n```yaml\nmetadata: {name: customer-sla, version: 2, effective_from: 2026-01-01}   # today is 2026-12-07\n```\n\n## Use instead\n\n```yaml\nmetadata: {name: customer-sla, version: 2, effective_from: 2027-01-01}\n```\n",
    check,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some(base) = ctx.base else { return };
    let date = |text: &str| {
        text.get(..10)
            .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
    };
    for head in ctx.head {
        let same_policy = || {
            base.iter()
                .filter(|b| b.kind == head.kind && b.name == head.name)
        };
        if same_policy().any(|b| b.version == head.version) {
            continue;
        }
        let Some(before) = same_policy()
            .filter(|b| b.version < head.version)
            .max_by_key(|b| b.version)
        else {
            continue;
        };
        let Some(from) = date(&head.effective_from) else {
            continue;
        };
        if from < ctx.today {
            out.push(Finding::new(
                &head.loc,
                format!(
                    "version {} of `{}` takes effect on {from}, before today ({}): tickets already decided would be re-decided under it",
                    head.version, head.name, ctx.today
                ),
                "takes effect in the past",
                "set `effective_from` to today or later",
            ));
        } else if head.effective_from == before.effective_from {
            out.push(
                Finding::new(
                    &head.loc,
                    format!(
                        "version {} of `{}` takes effect on {}, the same instant as version {}: it replaces that version as if it had never been in force",
                        head.version, head.name, head.effective_from, before.version
                    ),
                    "same effective_from as the version before",
                    "give the new version the date it starts to apply",
                )
                .related(&before.loc, format!("version {}", before.version)),
            );
        }
    }
}

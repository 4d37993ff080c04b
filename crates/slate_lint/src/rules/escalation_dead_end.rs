//! `lint::escalation-dead-end`

use slate_policy::Severity;
use slate_policy::model::EscalateTo;

use crate::context::Ctx;
use crate::rule::{Finding, Rule};

pub const RULE: Rule = Rule {
    name: "escalation-dead-end",
    severity: Severity::Error,
    summary: "a trigger that escalates to `next` at a level with nothing above it",
    doc: "## What it does\n\nReports triggers with `to: next` that are armed at a level without `escalates_to`.\n\n## Why is this bad?\n\nWhen the trigger fires there, the escalation path ends without an owner above: the alarm goes off and the ticket stays where it is. Either the trigger should not be armed at the top, or the path is missing a level.\n\n## Example\n\n```yaml\n- {id: p1-inactivity, on: {inactivity: 30m}, escalate: {to: next, kind: hierarchical}}   # armed at every level, L4 included\n```\n\n## Use instead\n\n```yaml\n- {id: p1-inactivity, on: {inactivity: 30m}, at_levels: [L1, L2, L3], escalate: {to: next, kind: hierarchical}}\n```\n",
    check,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some((m, _)) = ctx.matrix else { return };
    for trigger in &m.triggers {
        if trigger.to != EscalateTo::Next {
            continue;
        }
        for level in super::armed_levels(m, &trigger.at_levels) {
            let Some(l) = m.levels.get(level) else {
                continue;
            };
            if l.escalates_to.is_none() {
                out.push(
                    Finding::new(
                        &trigger.loc,
                        format!(
                            "`{}` escalates to `next`, but at `{}` there is no level above",
                            trigger.id, l.id
                        ),
                        "dead end at the top",
                        format!(
                            "arm it only below `{}` with `at_levels`, or add a level above",
                            l.id
                        ),
                    )
                    .related(&l.loc, "no `escalates_to`"),
                );
            }
        }
    }
}

//! `lint::escalation-downward`

use slate_policy::Severity;
use slate_policy::model::EscalateTo;

use crate::context::Ctx;
use crate::rule::{Finding, Rule};

pub const RULE: Rule = Rule {
    name: "escalation-downward",
    severity: Severity::Error,
    summary: "a trigger that escalates to the level it is armed at or to a lower one",
    doc: "## What it does\n\nFor each trigger with `to: <level>`, checks every level it is armed at (`at_levels`, or all levels): the target must come after it in the matrix. A trigger without `at_levels` may reach its own target level, where it does nothing.\n\n## Why is this bad?\n\nAn escalation that moves a ticket from L3 back to L1 is a de-escalation with an escalation's name: the trace records an escalation, the reports count one, and the ticket lands with people less able to solve it.\n\n## Example\n\n```yaml\n- {id: stuck, on: {inactivity: 1h}, at_levels: [L3], escalate: {to: L1}}\n```\n\n## Use instead\n\n```yaml\n- {id: stuck, on: {inactivity: 1h}, at_levels: [L3], escalate: {to: L4}}\n```\n",
    check,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some((m, _)) = ctx.matrix else { return };
    for trigger in &m.triggers {
        let EscalateTo::Level(target) = trigger.to else {
            continue;
        };
        let Some(to) = m.levels.get(target) else {
            continue;
        };
        for at in super::armed_levels(m, &trigger.at_levels) {
            // Armed everywhere, a trigger is a no-op at its own target.
            if at < target || (at == target && trigger.at_levels.is_empty()) {
                continue;
            }
            let Some(from) = m.levels.get(at) else {
                continue;
            };
            out.push(
                Finding::new(
                    &trigger.loc,
                    format!(
                        "trigger `{}` armed at `{}` escalates to `{}`, {} level",
                        trigger.id,
                        from.id,
                        to.id,
                        if at == target { "the same" } else { "a lower" }
                    ),
                    "escalates downward",
                    format!(
                        "arm it only below `{}` (`at_levels`), or escalate to a higher level",
                        to.id
                    ),
                )
                .related(&to.loc, format!("level `{}`", to.id)),
            );
        }
    }
}

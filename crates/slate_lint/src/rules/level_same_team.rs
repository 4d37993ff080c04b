//! `lint::level-same-team`

use slate_policy::Severity;

use crate::context::Ctx;
use crate::rule::{Finding, Rule};

pub const RULE: Rule = Rule {
    name: "level-same-team",
    severity: Severity::Error,
    summary: "a level that escalates to a level owned by the same team",
    doc: "## What it does\n\nFollows each level's `escalates_to` and reports a step whose next level belongs to the same team.\n\n## Why is this bad?\n\nAn escalation is a hand-over to people with more authority or expertise. Escalating to the same team changes the level in the trace and nothing for the customer: the same people keep the ticket, and the matrix reads as if it went further.\n\n## Example\n\n```yaml\n- {id: L2, team: technical-support, escalates_to: L3}\n- {id: L3, team: technical-support}\n```\n\n## Use instead\n\n```yaml\n- {id: L2, team: technical-support, escalates_to: L3}\n- {id: L3, team: senior-engineering}\n```\n",
    check,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some((m, _)) = ctx.matrix else { return };
    for level in &m.levels {
        let Some(next) = level.escalates_to.and_then(|i| m.levels.get(i)) else {
            continue;
        };
        if next.team == level.team {
            out.push(
                Finding::new(
                    &level.loc,
                    format!(
                        "level `{}` escalates to `{}`, owned by the same team `{}`: the escalation hands the ticket to nobody new",
                        level.id, next.id, level.team
                    ),
                    "escalates within its own team",
                    "give the next level to the team that takes over, or merge the two levels",
                )
                .related(&next.loc, format!("level `{}`", next.id)),
            );
        }
    }
}

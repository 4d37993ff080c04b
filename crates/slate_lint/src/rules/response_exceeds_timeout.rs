//! `lint::response-exceeds-timeout`

use slate_policy::Severity;
use slate_policy::model::{EscalateTo, TriggerOn};

use crate::context::Ctx;
use crate::rule::{Finding, Rule};

pub const RULE: Rule = Rule {
    name: "response-exceeds-timeout",
    severity: Severity::Warning,
    summary: "a level's response target longer than the inactivity timeout that moves tickets away from it",
    doc: "## What it does\n\nFor each level, compares its response target with every inactivity trigger armed at that level that escalates the ticket away. If the level may take longer to respond than the trigger waits, tickets leave the level before it had the time it was promised.\n\n## Why is this bad?\n\nEither the level's response time is fiction, or the trigger escalates tickets the level is still entitled to work on — both make ownership unclear.\n\n## Example\n\n```yaml\n- {id: L2, response: {target: 4h}, ...}\n- {id: l2-inactivity, on: {inactivity: 2h}, at_levels: [L2], escalate: {to: next, kind: functional}}\n```\n\n## Use instead\n\n```yaml\n- {id: L2, response: {target: 2h, max: 4h}, ...}\n- {id: l2-inactivity, on: {inactivity: 2h}, at_levels: [L2], escalate: {to: next, kind: functional}}\n```\n",
    check,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some((m, _)) = ctx.matrix else { return };
    for trigger in &m.triggers {
        let TriggerOn::Inactivity(timeout) = trigger.on else {
            continue;
        };
        for level in super::armed_levels(m, &trigger.at_levels) {
            let Some(l) = m.levels.get(level) else {
                continue;
            };
            let moves = match trigger.to {
                EscalateTo::Next => l.escalates_to.is_some(),
                EscalateTo::Level(t) => t > level,
                EscalateTo::Team(_) => true,
            };
            if moves && l.response > timeout {
                out.push(
                    Finding::new(
                        &trigger.loc,
                        format!(
                            "`{}` may respond within {}, but `{}` moves its tickets after {timeout} without activity",
                            l.id, l.response, trigger.id
                        ),
                        "shorter than the level's response target",
                        "align the level's response target with the trigger, or arm the trigger at other levels",
                    )
                    .related(&l.loc, format!("response target {}", l.response)),
                );
            }
        }
    }
}

//! `lint::escalation-inversion`

use slate_policy::Severity;
use slate_policy::duration::Duration;
use slate_policy::model::{Trigger, TriggerOn};

use crate::context::Ctx;
use crate::rule::{Finding, Rule};

pub const RULE: Rule = Rule {
    name: "escalation-inversion",
    severity: Severity::Error,
    summary: "a less urgent priority that escalates sooner than a more urgent one",
    doc: "## What it does\n\nFor inactivity and open-for triggers separately, finds for each priority the earliest trigger that can fire for its tickets (the trigger's `when` solved with the priority fixed), and reports a less urgent priority whose earliest escalation comes before a more urgent one's.\n\n## Why is this bad?\n\nThe escalation ladder should tighten with urgency. When low tickets escalate after an hour of silence and critical ones after two, the expert tiers see the wrong tickets first — usually a swapped `when` or a mistyped duration.\n\n## Example\n\n```yaml\n- {id: p1-quiet, on: {inactivity: 2h}, when: {priority: critical}, escalate: {to: next}}\n- {id: p4-quiet, on: {inactivity: 1h}, when: {priority: low}, escalate: {to: next}}\n```\n\n## Use instead\n\n```yaml\n- {id: p1-quiet, on: {inactivity: 30m}, when: {priority: critical}, escalate: {to: next}}\n- {id: p4-quiet, on: {inactivity: 1d}, when: {priority: low}, escalate: {to: next}}\n```\n",
    check,
};

/// The duration a trigger of one kind waits, or `None` for other kinds.
type After = fn(&TriggerOn) -> Option<Duration>;

/// The earliest trigger of one kind that can fire for `priority`'s tickets.
fn earliest<'m>(
    ctx: &Ctx<'_>,
    triggers: &'m [Trigger],
    priority: &str,
    after: After,
) -> Option<(Duration, &'m Trigger)> {
    triggers
        .iter()
        .filter_map(|t| Some((after(&t.on)?, t)))
        .filter(|(_, t)| super::holds_at_priority(ctx, t.when.as_ref(), priority))
        .min_by_key(|(d, _)| *d)
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some((m, _)) = ctx.matrix else { return };
    let priorities = ctx.priorities();
    let kinds: [(&str, After); 2] = [
        ("of inactivity", |on| match on {
            TriggerOn::Inactivity(d) => Some(*d),
            _ => None,
        }),
        ("open", |on| match on {
            TriggerOn::OpenFor(d) => Some(*d),
            _ => None,
        }),
    ];
    for (what, after) in kinds {
        let times: Vec<_> = priorities
            .iter()
            .map(|p| earliest(ctx, &m.triggers, p, after))
            .collect();
        for (p, urgent) in times.iter().enumerate() {
            let Some((slow, slow_trigger)) = urgent else {
                continue;
            };
            for (q, calm) in times.iter().enumerate().skip(p + 1) {
                let Some((fast, fast_trigger)) = calm else {
                    continue;
                };
                if fast < slow {
                    out.push(
                        Finding::new(
                            &fast_trigger.loc,
                            format!(
                                "`{}` tickets escalate after {fast} {what} (`{}`), sooner than `{}` tickets ({slow}, `{}`)",
                                ctx.priority_name(q),
                                fast_trigger.id,
                                ctx.priority_name(p),
                                slow_trigger.id
                            ),
                            "escalates a less urgent priority first",
                            "make each priority escalate no sooner than the more urgent ones",
                        )
                        .related(&slow_trigger.loc, format!("`{}` after {slow}", ctx.priority_name(p))),
                    );
                }
            }
        }
    }
}

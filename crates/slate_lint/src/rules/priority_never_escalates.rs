//! `lint::priority-never-escalates`

use slate_policy::Severity;
use slate_policy::model::TriggerOn;

use crate::context::Ctx;
use crate::rule::{Finding, Rule};

pub const RULE: Rule = Rule {
    name: "priority-never-escalates",
    severity: Severity::Error,
    summary: "a priority with SLA targets that no time-based trigger (inactivity, open for, at risk) ever escalates",
    doc: "## What it does\n\nFor each priority that has an SLA target entry, looks for a trigger on `inactivity`, `open_for` or `sla_at_risk` whose `when` can hold for its tickets (solved with the priority fixed). A priority with none is reported.\n\n## Why is this bad?\n\nTargets without escalation are promises nobody is reminded of: a ticket of that priority can sit past every target, the breach is recorded, and no one above the first line ever hears of it.\n\n## Example\n\n```yaml\ntriggers:\n  - {id: p1-quiet, on: {inactivity: 30m}, when: {priority: critical}, escalate: {to: next}}\n# nothing for high, medium or low\n```\n\n## Use instead\n\n```yaml\ntriggers:\n  - {id: p1-quiet, on: {inactivity: 30m}, when: {priority: critical}, escalate: {to: next}}\n  - {id: at-risk, on: {sla_at_risk: {metric: first_response, percent: 90}}, escalate: {to: next}}\n```\n",
    check,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let (Some((m, meta)), Some((sla, _)), Some(_)) = (ctx.matrix, ctx.sla, ctx.classification)
    else {
        return;
    };
    for (p, name) in ctx.priorities().iter().enumerate() {
        let Some(entry) = sla.entries.iter().find(|e| e.priority == p) else {
            continue;
        };
        let escalates = m.triggers.iter().any(|t| {
            matches!(
                t.on,
                TriggerOn::Inactivity(_) | TriggerOn::OpenFor(_) | TriggerOn::SlaAtRisk { .. }
            ) && super::holds_at_priority(ctx, t.when.as_ref(), name)
        });
        if !escalates {
            out.push(
                Finding::new(
                    &meta.loc,
                    format!(
                        "no inactivity, open-for or at-risk trigger ever fires for `{name}` tickets: they sit past their targets unescalated"
                    ),
                    "never escalates",
                    format!("add a time-based trigger whose `when` includes `{name}` tickets"),
                )
                .related(&entry.loc, format!("`{name}` targets")),
            );
        }
    }
}

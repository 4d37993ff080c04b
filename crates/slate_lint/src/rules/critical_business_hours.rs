//! `lint::critical-business-hours`

use slate_policy::Severity;

use crate::context::Ctx;
use crate::rule::{Finding, Rule};

pub const RULE: Rule = Rule {
    name: "critical-business-hours",
    severity: Severity::Error,
    summary: "an SLA target of the most urgent priority counted in a calendar that is not open around the clock",
    doc: "## What it does\n\nFor every SLA target entry of the first (most urgent) priority of the catalogue, checks the calendar its targets count in — the entry's `calendar`, else the policy's — and reports it when that calendar is not `always_open`.\n\n## Why is this bad?\n\nA critical outage reported on Friday evening would have its 15-minute first response counted from Monday morning: the clock stands still exactly when nobody is there, the ticket never breaches, and nobody is warned.\n\n## Example\n\n```yaml\n- id: critical-enterprise\n  priority: critical\n  calendar: business-hours\n  targets: {first_response: 15m}\n```\n\n## Use instead\n\n```yaml\n- id: critical-enterprise\n  priority: critical\n  calendar: around-the-clock\n  targets: {first_response: 15m}\n```\n",
    check,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some((sla, _)) = ctx.sla else { return };
    if ctx.classification.is_none() {
        return;
    }
    for entry in sla.entries.iter().filter(|e| e.priority == 0) {
        let name = if entry.calendar.is_empty() {
            &sla.calendar
        } else {
            &entry.calendar
        };
        let Some((calendar, meta)) = ctx.calendar(name) else {
            continue;
        };
        if calendar.always_open {
            continue;
        }
        out.push(
            Finding::new(
                &entry.loc,
                format!(
                    "`{}` targets of `{}` count in `{name}`, which is not open around the clock: out of hours the clock stands still",
                    ctx.priority_name(0),
                    entry.id
                ),
                "critical targets in business hours",
                "count the most urgent priority's targets in a 24x7 calendar (`always_open: true`)",
            )
            .related(&meta.loc, format!("calendar `{name}`")),
        );
    }
}

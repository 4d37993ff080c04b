//! `lint::unused-calendar`

use slate_policy::Severity;

use crate::context::Ctx;
use crate::rule::{Finding, Rule};

pub const RULE: Rule = Rule {
    name: "unused-calendar",
    severity: Severity::Warning,
    summary: "a calendar no team and no SLA target counts in",
    doc: "## What it does\n\nReports calendars that no team works in and no SLA policy or entry counts targets in.\n\n## Why is this bad?\n\nAn unused calendar looks authoritative (its holidays, its hours) but decides nothing; edits to it have no effect, which misleads reviewers.\n\n## Example\n\n```yaml\nkind: Calendar\nmetadata: {name: emea-hours, ...}   # nothing refers to emea-hours\n```\n\n## Use instead\n\nRefer to it (`calendar: emea-hours` on a team or SLA entry), or delete it.\n",
    check,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let mut used = std::collections::BTreeSet::new();
    if let Some((t, _)) = ctx.tiers {
        used.extend(t.teams.values().map(|team| team.calendar.clone()));
    }
    if let Some((s, _)) = ctx.sla {
        used.insert(s.calendar.clone());
        used.extend(
            s.entries
                .iter()
                .chain(s.default.iter())
                .map(|e| e.calendar.clone()),
        );
    }
    for (_, meta) in &ctx.calendars {
        if !used.contains(&meta.name) {
            out.push(Finding::new(
                &meta.loc,
                format!("calendar `{}` is not used", meta.name),
                "unused",
                "refer to it from a team or an SLA target, or delete it",
            ));
        }
    }
}

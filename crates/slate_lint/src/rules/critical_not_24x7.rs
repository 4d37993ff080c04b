//! `lint::critical-not-24x7`

use slate_policy::Severity;
use slate_policy::source::Loc;

use crate::context::Ctx;
use crate::rule::{Finding, Rule};

pub const RULE: Rule = Rule {
    name: "critical-not-24x7",
    severity: Severity::Error,
    summary: "critical issues routed to a team that is neither open around the clock nor on call",
    doc: "## What it does\n\nFor the most urgent priority, checks the teams tickets are routed to (classification actions) and the teams of the levels they enter at: each must work in a 24x7 calendar or keep an on-call rota (`on_call: true`).\n\n## Why is this bad?\n\nA system-wide outage at 3 a.m. must \"notify senior engineers and IT leadership immediately\". Routing it to a team that only works office hours means it waits until morning.\n\n## Example\n\n```yaml\n- id: senior-engineering\n  calendar: business-hours\n  on_call: false\n```\n\n## Use instead\n\n```yaml\n- id: senior-engineering\n  calendar: business-hours\n  on_call: true          # paged out of hours\n```\n",
    check,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let (Some((c, _)), Some((tiers, _))) = (ctx.classification, ctx.tiers) else {
        return;
    };
    let mut routed: Vec<(String, Loc, String)> = c
        .rules
        .iter()
        .filter(|r| r.priority == 0)
        .map(|r| {
            (
                r.action.route_to.clone(),
                r.loc.clone(),
                format!("rule `{}`", r.id),
            )
        })
        .collect();
    if c.default_priority == 0 {
        routed.push((
            c.default_action.route_to.clone(),
            c.default_loc.clone(),
            "the default".to_owned(),
        ));
    }
    if let Some((m, _)) = ctx.matrix {
        for e in &m.entry {
            if let Some(level) = m.levels.get(e.level) {
                routed.push((
                    level.team.clone(),
                    e.loc.clone(),
                    format!("entry rule `{}`", e.id),
                ));
            }
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    for (team_id, loc, by) in routed {
        let Some(team) = tiers.teams.get(&team_id) else {
            continue;
        };
        let always = ctx
            .calendar(&team.calendar)
            .is_some_and(|(cal, _)| cal.always_open);
        if !always && !team.on_call && seen.insert(team_id.clone()) {
            out.push(
                Finding::new(
                    &loc,
                    format!(
                        "{by} sends `{}` issues to `{team_id}`, which works `{}` hours and has no on-call rota",
                        ctx.priority_name(0),
                        team.calendar
                    ),
                    "critical work routed to office hours",
                    "route to a 24x7 team, or give the team `on_call: true` with a pager",
                )
                .related(&team.loc, format!("team `{team_id}`")),
            );
        }
    }
}

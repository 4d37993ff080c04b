//! `lint::critical-not-24x7`

use slate_policy::Severity;
use slate_policy::model::EscalateTo;
use slate_policy::source::Loc;

use crate::context::Ctx;
use crate::rule::{Finding, Rule};

pub const RULE: Rule = Rule {
    name: "critical-not-24x7",
    severity: Severity::Error,
    summary: "critical issues routed to a team that is neither open around the clock nor on call",
    doc: "## What it does\n\nFor the most urgent priority, checks every place its tickets are sent: classification routes, the levels of entry rules that can take a critical ticket (solved with the classified priority), and the levels or teams named by triggers that can fire for one (`to: next` follows the matrix and is not checked). Each team must work in a 24x7 calendar or keep an on-call rota (`on_call: true`). Each route is its own finding, so a suppression accepts one route and never hides another to the same team.\n\n## Why is this bad?\n\nA system-wide outage at 3 a.m. must \"notify senior engineers and IT leadership immediately\". Routing it to a team that only works office hours means it waits until morning.\n\n## Example\n\n```yaml\n- id: senior-engineering\n  calendar: business-hours\n  on_call: false\n```\n\n## Use instead\n\n```yaml\n- id: senior-engineering\n  calendar: business-hours\n  on_call: true          # paged out of hours\n```\n",
    check,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let (Some((c, _)), Some((tiers, _))) = (ctx.classification, ctx.tiers) else {
        return;
    };
    // Every place critical work is sent, each on its own: a suppression
    // accepts one route, never the others to the same team.
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
            if let Some(level) = m.levels.get(e.level)
                && super::holds_at_priority(ctx, Some(&e.when), &ctx.priority_name(0))
            {
                routed.push((
                    level.team.clone(),
                    e.loc.clone(),
                    format!("entry rule `{}`", e.id),
                ));
            }
        }
        // Triggers that send critical tickets to a named level or team.
        for t in &m.triggers {
            let team = match &t.to {
                EscalateTo::Level(i) => m.levels.get(*i).map(|l| l.team.clone()),
                EscalateTo::Team(team) => Some(team.clone()),
                EscalateTo::Next => None,
            };
            if let Some(team) = team
                && super::holds_at_priority(ctx, t.when.as_ref(), &ctx.priority_name(0))
            {
                routed.push((team, t.loc.clone(), format!("trigger `{}`", t.id)));
            }
        }
    }
    for (team_id, loc, by) in routed {
        let Some(team) = tiers.teams.get(&team_id) else {
            continue;
        };
        let always = ctx
            .calendar(&team.calendar)
            .is_some_and(|(cal, _)| cal.always_open);
        if !always && !team.on_call {
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

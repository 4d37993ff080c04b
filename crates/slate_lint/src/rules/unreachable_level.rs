//! `lint::unreachable-level`

use slate_policy::Severity;
use slate_policy::model::{EscalateTo, EscalationMatrix};

use crate::context::Ctx;
use crate::rule::{Finding, Rule};

pub const RULE: Rule = Rule {
    name: "unreachable-level",
    severity: Severity::Warning,
    summary: "a level no ticket can reach: not an entry, not escalated to",
    doc: "## What it does\n\nComputes the levels tickets can reach: the entry rules' levels, the level of each team the classification routes to (`route_to`) or a trigger hands tickets to (`escalate: {team}`), the levels triggers send tickets to, the level `to: next` reaches from a team outside the matrix, and everything above them along `escalates_to`. Levels outside that set are reported.\n\n## Why is this bad?\n\nAn unreachable level has owners, response times and alert channels that never apply. Often an `escalates_to` link is missing.\n\n## Example\n\n```yaml\n- {id: L1, escalates_to: L2, ...}\n- {id: L2, ...}\n- {id: L3, ...}   # nothing leads here\n```\n\n## Use instead\n\n```yaml\n- {id: L1, escalates_to: L2, ...}\n- {id: L2, escalates_to: L3, ...}\n- {id: L3, ...}\n```\n",
    check,
};

/// The teams tickets are handed to by policy: classification routes and
/// team escalations.
fn handed_to<'c>(ctx: &Ctx<'c>, m: &'c EscalationMatrix) -> Vec<&'c str> {
    let mut teams: Vec<&str> = Vec::new();
    if let Some((c, _)) = ctx.classification {
        teams.extend(c.rules.iter().map(|r| r.action.route_to.as_str()));
        teams.push(c.default_action.route_to.as_str());
    }
    teams.extend(m.triggers.iter().filter_map(|t| match &t.to {
        EscalateTo::Team(team) => Some(team.as_str()),
        _ => None,
    }));
    teams.sort_unstable();
    teams.dedup();
    teams
}

/// Where tickets start or land without following `escalates_to`.
fn roots(ctx: &Ctx<'_>, m: &EscalationMatrix) -> Vec<usize> {
    let mut roots: Vec<usize> = m.entry.iter().map(|e| e.level).collect();
    roots.extend(m.triggers.iter().filter_map(|t| match t.to {
        EscalateTo::Level(l) => Some(l),
        _ => None,
    }));
    if ctx.classification.is_none() {
        // Without a classification (a partial set) any level may be a
        // team's: the lowest one stands for them.
        roots.push(0);
    }
    // `to: next` from no level fires only for triggers armed everywhere.
    let next_anywhere = m
        .triggers
        .iter()
        .any(|t| t.to == EscalateTo::Next && t.at_levels.is_empty());
    let tier_of = |team: &str| {
        ctx.tiers
            .and_then(|(t, _)| t.teams.get(team))
            .map(|t| t.tier)
    };
    for team in handed_to(ctx, m) {
        match m.levels.iter().position(|l| l.team == team) {
            Some(l) => roots.push(l),
            None if next_anywhere => {
                let tier = tier_of(team).unwrap_or(1);
                roots.extend(
                    m.levels
                        .iter()
                        .position(|l| tier_of(&l.team).is_some_and(|t| t > tier)),
                );
            }
            None => {}
        }
    }
    roots
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some((m, _)) = ctx.matrix else { return };
    let mut reached = vec![false; m.levels.len()];
    let mut stack = roots(ctx, m);
    while let Some(l) = stack.pop() {
        match reached.get_mut(l) {
            Some(seen) if !*seen => *seen = true,
            _ => continue,
        }
        if let Some(next) = m.levels.get(l).and_then(|x| x.escalates_to) {
            stack.push(next);
        }
    }
    for (level, seen) in m.levels.iter().zip(&reached) {
        if !seen {
            out.push(Finding::new(
                &level.loc,
                format!("no ticket can reach level `{}`", level.id),
                "unreachable",
                "link it from a lower level's `escalates_to`, an entry rule, a trigger or a `route_to`, or remove it",
            ));
        }
    }
}

//! `lint::unused-team`

use std::collections::BTreeSet;

use slate_policy::Severity;
use slate_policy::model::EscalateTo;

use crate::context::Ctx;
use crate::rule::{Finding, Rule};

pub const RULE: Rule = Rule {
    name: "unused-team",
    severity: Severity::Warning,
    summary: "a team no rule routes to, notifies, escalates to or names as approver",
    doc: "## What it does\n\nReports teams that appear nowhere else: not in a classification action or notification, not as a level's team, not as a trigger's target or notification, not as the refund approver.\n\n## Why is this bad?\n\nAn unused team's owner and alert channels are never used; if the team was meant to receive tickets, the routing is missing.\n\n## Example\n\n```yaml\nteams:\n  - {id: partner-escalations, ...}   # no rule or trigger mentions it\n```\n\n## Use instead\n\n```yaml\n- id: third-party-root-cause\n  on: created\n  when: {tags: [third-party]}\n  escalate: {team: partner-escalations, kind: functional}\n```\n",
    check,
};

/// Teams the policies refer to.
pub fn used_teams(ctx: &Ctx<'_>) -> BTreeSet<String> {
    let mut used = BTreeSet::new();
    if let Some((c, _)) = ctx.classification {
        for action in c
            .rules
            .iter()
            .map(|r| &r.action)
            .chain(std::iter::once(&c.default_action))
        {
            used.insert(action.route_to.clone());
            used.extend(action.notify.iter().map(|n| n.team.clone()));
        }
    }
    if let Some((m, _)) = ctx.matrix {
        used.extend(m.levels.iter().map(|l| l.team.clone()));
        for t in &m.triggers {
            if let EscalateTo::Team(team) = &t.to {
                used.insert(team.clone());
            }
            used.extend(t.notify.iter().map(|n| n.team.clone()));
        }
    }
    if let Some((r, _)) = ctx.refunds
        && let Some((team, _)) = &r.final_approver
    {
        used.insert(team.clone());
    }
    used
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some((tiers, _)) = ctx.tiers else { return };
    let used = used_teams(ctx);
    for team in tiers.teams.values() {
        if !used.contains(&team.id) {
            out.push(Finding::new(
                &team.loc,
                format!("team `{}` is not used", team.id),
                "no rule routes, notifies or escalates here",
                "route tickets to it, notify it, or delete it",
            ));
        }
    }
}

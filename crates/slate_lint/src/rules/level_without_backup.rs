//! `lint::level-without-backup`

use slate_policy::Severity;

use slate_policy::model::ChannelKind;

use crate::context::Ctx;
use crate::rule::{Finding, Rule};

pub const RULE: Rule = Rule {
    name: "level-without-backup",
    severity: Severity::Warning,
    summary: "an escalation level's team, or a paged team, with no backup contact (or its owner as backup)",
    doc: "## What it does\n\nReports levels whose owning team lists no `backups` or names its owner as its backup, and teams paged by a classification action or a trigger without `backups`.\n\n## Why is this bad?\n\n\"Include backup contacts to avoid SLA violations when primary owners are unavailable.\" Without one, an escalation out of hours or during leave pages nobody.\n\n## Example\n\n```yaml\n- id: technical-support\n  owner: {name: Sam Okafor, role: Technical Support Manager, contact: sam@example.com}\n  alerts: {slack: \"#support-technical\"}\n```\n\n## Use instead\n\n```yaml\n- id: technical-support\n  owner: {name: Sam Okafor, role: Technical Support Manager, contact: sam@example.com}\n  backups:\n    - {name: Lena Fischer, role: Senior Technical Specialist, contact: lena@example.com}\n  alerts: {slack: \"#support-technical\"}\n```\n",
    check,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let (Some((m, _)), Some((tiers, _))) = (ctx.matrix, ctx.tiers) else {
        return;
    };
    for level in &m.levels {
        let Some(team) = tiers.teams.get(&level.team) else {
            continue;
        };
        if let Some(same) = team
            .backups
            .iter()
            .find(|b| b.contact == team.owner.contact)
        {
            out.push(
                Finding::new(
                    &team.loc,
                    format!(
                        "team `{}` names its owner `{}` as backup: level `{}` has nobody to take over",
                        team.id, same.name, level.id
                    ),
                    "backup is the owner",
                    "name a different person as backup",
                )
                .related(&level.loc, format!("level `{}`", level.id)),
            );
        }
        if team.backups.is_empty() {
            out.push(
                Finding::new(
                    &team.loc,
                    format!(
                        "team `{}` owns level `{}` but has no backup contact",
                        team.id, level.id
                    ),
                    "no backups",
                    "add `backups:` with at least one person who can take over",
                )
                .related(&level.loc, format!("level `{}`", level.id)),
            );
        }
    }
    // Teams that are paged (a classification action, a trigger, a level
    // notifying by pager) need somebody when the owner does not answer.
    let mut paged: Vec<(&str, &slate_policy::source::Loc)> = Vec::new();
    if let Some((c, _)) = ctx.classification {
        for r in &c.rules {
            for n in r
                .action
                .notify
                .iter()
                .filter(|n| n.via.contains(&ChannelKind::Pager))
            {
                paged.push((n.team.as_str(), &r.loc));
            }
        }
    }
    for t in &m.triggers {
        for n in t
            .notify
            .iter()
            .filter(|n| n.via.contains(&ChannelKind::Pager))
        {
            paged.push((n.team.as_str(), &t.loc));
        }
    }
    let levels: Vec<&str> = m.levels.iter().map(|l| l.team.as_str()).collect();
    let mut seen = std::collections::BTreeSet::new();
    for (team_id, loc) in paged {
        let Some(team) = tiers.teams.get(team_id) else {
            continue;
        };
        // Level teams were judged above.
        if levels.contains(&team_id) || !team.backups.is_empty() || !seen.insert(team_id) {
            continue;
        }
        out.push(
            Finding::new(
                &team.loc,
                format!("team `{team_id}` is paged but has no backup contact"),
                "paged, no backups",
                "add `backups:` with at least one person who can take the page",
            )
            .related(loc, "pages it"),
        );
    }
}

//! `lint::level-without-backup`

use slate_policy::Severity;

use crate::context::Ctx;
use crate::rule::{Finding, Rule};

pub const RULE: Rule = Rule {
    name: "level-without-backup",
    severity: Severity::Warning,
    summary: "an escalation level whose team has no backup contact",
    doc: "## What it does\n\nReports levels whose owning team lists no `backups`.\n\n## Why is this bad?\n\n\"Include backup contacts to avoid SLA violations when primary owners are unavailable.\" Without one, an escalation out of hours or during leave pages nobody.\n\n## Example\n\n```yaml\n- id: technical-support\n  owner: {name: Sam Okafor, role: Technical Support Manager, contact: sam@example.com}\n  alerts: {slack: \"#support-technical\"}\n```\n\n## Use instead\n\n```yaml\n- id: technical-support\n  owner: {name: Sam Okafor, role: Technical Support Manager, contact: sam@example.com}\n  backups:\n    - {name: Lena Fischer, role: Senior Technical Specialist, contact: lena@example.com}\n  alerts: {slack: \"#support-technical\"}\n```\n",
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
}

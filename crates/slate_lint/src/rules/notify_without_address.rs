//! `lint::notify-without-address`

use slate_policy::Severity;
use slate_policy::model::{ChannelKind, Notify};
use slate_policy::source::Loc;

use crate::context::Ctx;
use crate::rule::{Finding, Rule};

pub const RULE: Rule = Rule {
    name: "notify-without-address",
    severity: Severity::Error,
    summary: "a notification on a channel the notified team has no address for",
    doc: "## What it does\n\nChecks every notification — classification actions, trigger `notify`, and each level's `notify_via` for the level's team — against the team's `alerts`: each channel named must have an address (a Slack channel, a Teams channel, an email address, a pager).\n\n## Why is this bad?\n\nThe replay records the notification, the trace reads as if someone was paged, and in production nothing is sent: the page has nowhere to go.\n\n## Example\n\n```yaml\nnotify:\n  - {team: finance-billing, via: [pager]}   # finance-billing has no pager\n```\n\n## Use instead\n\n```yaml\nnotify:\n  - {team: finance-billing, via: [slack, email]}\n```\n",
    check,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some((tiers, _)) = ctx.tiers else { return };
    // (team, channel, where, who sends)
    let mut sent: Vec<(String, ChannelKind, Loc, String)> = Vec::new();
    let mut add = |notify: &[Notify], loc: &Loc, by: &str| {
        for n in notify {
            for via in &n.via {
                sent.push((n.team.clone(), *via, loc.clone(), by.to_owned()));
            }
        }
    };
    if let Some((c, _)) = ctx.classification {
        for r in &c.rules {
            add(&r.action.notify, &r.loc, &format!("rule `{}`", r.id));
        }
        add(&c.default_action.notify, &c.default_loc, "the default");
    }
    if let Some((m, _)) = ctx.matrix {
        for t in &m.triggers {
            add(&t.notify, &t.loc, &format!("trigger `{}`", t.id));
        }
        for level in &m.levels {
            let to_team: Vec<Notify> = vec![Notify {
                team: level.team.clone(),
                via: level.notify_via.clone(),
            }];
            add(&to_team, &level.loc, &format!("level `{}`", level.id));
        }
    }
    for (team_id, via, loc, by) in sent {
        let Some(team) = tiers.teams.get(&team_id) else {
            continue;
        };
        if team.alerts.has(via) {
            continue;
        }
        out.push(
            Finding::new(
                &loc,
                format!(
                    "{by} notifies `{team_id}` by {}, but the team has no {} address",
                    via.name(),
                    via.name()
                ),
                "nowhere to send it",
                format!(
                    "add `alerts.{}` to team `{team_id}`, or notify on a channel it has",
                    via.name()
                ),
            )
            .related(&team.loc, format!("team `{team_id}`")),
        );
    }
}

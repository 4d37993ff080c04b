//! `lint::unused-tier`

use slate_policy::Severity;

use crate::context::Ctx;
use crate::rule::{Finding, Rule};

pub const RULE: Rule = Rule {
    name: "unused-tier",
    severity: Severity::Warning,
    summary: "a support tier none of whose teams is used and that has no refund authority",
    doc: "## What it does\n\nReports tiers whose teams are all unused (see `unused-team`) and that the refund authority does not mention.\n\n## Why is this bad?\n\nThe tier exists on paper only: no ticket can reach it, nobody in it can approve anything.\n\n## Example\n\n```yaml\n- tier: 4\n  teams: [{id: partner-escalations, ...}]   # never routed to\n```\n\n## Use instead\n\nRoute to one of its teams (e.g. a functional escalation for third-party root causes), or delete it.\n",
    check,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some((tiers, _)) = ctx.tiers else { return };
    let used = super::unused_team::used_teams(ctx);
    for tier in tiers.tiers.values() {
        let team_used = tiers
            .teams
            .values()
            .any(|t| t.tier == tier.tier && used.contains(&t.id));
        let refunds = ctx
            .refunds
            .is_some_and(|(r, _)| r.limits.iter().any(|l| l.tier == tier.tier));
        if !team_used && !refunds {
            out.push(Finding::new(
                &tier.loc,
                format!("tier {} (`{}`) is not used", tier.tier, tier.name),
                "no used team, no refund authority",
                "route tickets to one of its teams, or delete the tier",
            ));
        }
    }
}

//! `lint::refund-without-approver`

use slate_policy::Severity;

use crate::context::Ctx;
use crate::rule::{Finding, Rule};

pub const RULE: Rule = Rule {
    name: "refund-without-approver",
    severity: Severity::Error,
    summary: "refunds above every tier's authority with nobody to approve them",
    doc: "## What it does\n\nReports a RefundAuthority without `final_approver`: amounts above the highest tier's limit have no approver.\n\n## Why is this bad?\n\nA large refund request then has no path at all: it waits, or someone approves it without authority.\n\n## Example\n\n```yaml\nlimits:\n  - {tier: 1, up_to: [100.00 USD]}\n  - {tier: 3, up_to: [2500.00 USD]}\n```\n\n## Use instead\n\n```yaml\nlimits: [...]\nfinal_approver: {team: leadership, role: VP of Customer Support}\n```\n",
    check,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some((r, meta)) = ctx.refunds else { return };
    // The final approver approves what no tier may: a team below the top
    // tier with a limit approves refunds its own tier may not.
    if let (Some((team_id, _)), Some(top), Some((tiers, _))) = (
        &r.final_approver,
        r.limits.iter().map(|l| l.tier).max(),
        ctx.tiers,
    ) && let Some(team) = tiers.teams.get(team_id)
        && team.tier < top
    {
        out.push(
            Finding::new(
                &meta.loc,
                format!(
                    "the final approver `{team_id}` is a tier {} team, below tier {top}, the highest with a refund limit",
                    team.tier
                ),
                "final approver below the top limit",
                format!("name a team of tier {top} or above as `final_approver`"),
            )
            .related(&team.loc, format!("team `{team_id}`")),
        );
    }
    if r.final_approver.is_none() {
        let top = r.limits.last().map(|l| {
            l.up_to
                .iter()
                .map(|(c, a)| format!("{a} {c}"))
                .collect::<Vec<_>>()
                .join(", ")
        });
        out.push(Finding::new(
            &meta.loc,
            format!(
                "refunds above the top limit ({}) have no approver",
                top.unwrap_or_default()
            ),
            "no `final_approver`",
            "add `final_approver: {team: ..., role: ...}`",
        ));
    }
}

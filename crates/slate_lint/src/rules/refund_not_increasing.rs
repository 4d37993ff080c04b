//! `lint::refund-not-increasing`

use slate_policy::Severity;

use crate::context::Ctx;
use crate::rule::{Finding, Rule};

pub const RULE: Rule = Rule {
    name: "refund-not-increasing",
    severity: Severity::Error,
    summary: "a higher tier that may approve less than a lower tier, in some currency",
    doc: "## What it does\n\nFor each currency, checks that refund authority strictly increases with the tier.\n\n## Why is this bad?\n\nEscalating a refund is supposed to reach more authority. If Tier 2 may approve less than Tier 1, a refund Tier 1 cannot approve is escalated to someone who cannot approve it either.\n\n## Example\n\n```yaml\nlimits:\n  - {tier: 1, up_to: [100.00 USD]}\n  - {tier: 2, up_to: [50.00 USD]}\n```\n\n## Use instead\n\n```yaml\nlimits:\n  - {tier: 1, up_to: [100.00 USD]}\n  - {tier: 2, up_to: [500.00 USD]}\n```\n",
    check,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some((r, _)) = ctx.refunds else { return };
    for (i, lower) in r.limits.iter().enumerate() {
        for higher in r.limits.iter().skip(i + 1) {
            for (currency, low) in &lower.up_to {
                let Some(high) = higher.up_to.get(currency) else {
                    continue;
                };
                if high <= low {
                    out.push(
                        Finding::new(
                            &higher.loc,
                            format!(
                                "tier {} may approve {high} {currency}, no more than tier {} ({low} {currency})",
                                higher.tier, lower.tier
                            ),
                            "authority does not increase",
                            "give each tier more authority than the tiers below it",
                        )
                        .related(&lower.loc, format!("tier {}: {low} {currency}", lower.tier)),
                    );
                }
            }
        }
    }
}

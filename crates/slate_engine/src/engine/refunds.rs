//! Refunds: whether the handling tier may approve a requested amount, and who
//! must approve it otherwise.

use super::*;

impl<'e, 'p> Replay<'e, 'p> {
    pub(super) fn refund(&mut self, why: Why, amount: rust_decimal::Decimal, currency: &str) {
        let Some((refunds, meta)) = self.engine.refunds else {
            return;
        };
        let handling = self.team.and_then(|t| self.team_tier(t)).unwrap_or(1);
        let limit_of = |tier: u8| {
            refunds
                .limits
                .iter()
                .find(|l| l.tier == tier)
                .and_then(|l| l.up_to.get(currency).copied())
        };
        let shown = move || format!("{amount} {currency}");
        if limit_of(handling).is_some_and(|limit| amount <= limit) {
            self.record(why, |_| {
                let origin = refunds
                    .limits
                    .iter()
                    .find(|l| l.tier == handling)
                    .map(|l| Origin {
                        meta,
                        rule: Rule::Tier(l.tier),
                        loc: &l.loc,
                    });
                let decision = Decision::RefundWithinAuthority {
                    amount: shown(),
                    tier: handling,
                };
                (decision, origin)
            });
            return;
        }
        self.refunds_needing_approval += 1;
        self.record(why, |_| {
            let approver = refunds.limits.iter().find(|l| {
                l.tier > handling && l.up_to.get(currency).is_some_and(|limit| amount <= *limit)
            });
            let (approver, origin) = match approver {
                Some(l) => (
                    format!("tier {}", l.tier),
                    Origin {
                        meta,
                        rule: Rule::Tier(l.tier),
                        loc: &l.loc,
                    },
                ),
                None => match &refunds.final_approver {
                    Some((team, role)) => (
                        format!("{role} ({team})"),
                        Origin::new(meta, Some("final_approver"), &meta.loc),
                    ),
                    None => (
                        "nobody: above every limit".to_owned(),
                        Origin::new(meta, None, &meta.loc),
                    ),
                },
            };
            let decision = Decision::RefundNeedsApproval {
                amount: shown(),
                handling_tier: handling,
                approver,
            };
            (decision, Some(origin))
        });
        self.event_triggers(why, |on| matches!(on, TriggerOn::RefundOverAuthority));
    }
}

//! Refunds: whether the handling tier may approve a requested amount, who
//! must approve it otherwise, and whether a recorded approval was within the
//! approver's authority.

use super::*;

impl<'e, 'p> Replay<'e, 'p> {
    pub(super) fn refund(&mut self, why: Why, amount: rust_decimal::Decimal, currency: &'e str) {
        self.last_refund = Some((amount, currency));
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

    /// A recorded approval of the last requested refund by `tier`: above
    /// that tier's authority unless it is the final approver's (DESIGN §4.20).
    pub(super) fn refund_approved(&mut self, why: Why, tier: u8) {
        let (Some((refunds, meta)), Some((amount, currency))) =
            (self.engine.refunds, self.last_refund)
        else {
            return;
        };
        let finals = refunds
            .final_approver
            .as_ref()
            .and_then(|(team, _)| self.team_tier(team));
        if finals == Some(tier) {
            return;
        }
        let own = refunds.limits.iter().find(|l| l.tier == tier);
        let limit = own.and_then(|l| l.up_to.get(currency).copied());
        if limit.is_some_and(|limit| amount <= limit) {
            return;
        }
        self.record(why, |_| {
            let origin = own.map_or_else(
                || Origin::new(meta, None, &meta.loc),
                |l| Origin {
                    meta,
                    rule: Rule::Tier(l.tier),
                    loc: &l.loc,
                },
            );
            let decision = Decision::RefundApprovedAboveAuthority {
                amount: format!("{amount} {currency}"),
                tier,
                authority: limit.map_or_else(|| "none".to_owned(), |l| format!("{l} {currency}")),
            };
            (decision, Some(origin))
        });
    }
}

//! Escalation triggers: which are armed, firing them, and the escalations
//! they make.

use super::*;

impl<'e, 'p> Replay<'e, 'p> {
    /// Fires the armed triggers whose `on` is an event kind accepted by `pick`.
    pub(super) fn event_triggers(&mut self, why: Why, pick: impl Fn(&TriggerOn) -> bool) {
        let Some((matrix, _)) = self.engine.matrix else {
            return;
        };
        for (i, trigger) in matrix.triggers.iter().enumerate() {
            if !pick(&trigger.on) || !self.armed(i, trigger) {
                continue;
            }
            let fires = match self.engine.conditions.trigger_on.get(i) {
                Some(Some(phrases)) => phrases.meets(&self.present),
                _ => true,
            };
            if fires {
                self.fire_trigger(why, i);
            }
        }
    }

    pub(super) fn fire_trigger(&mut self, why: Why, index: usize) {
        let Some((matrix, meta)) = self.engine.matrix else {
            return;
        };
        let Some(trigger) = matrix.triggers.get(index) else {
            return;
        };
        let key = self.trigger_key(index, trigger);
        if !self.fired.contains(&key) {
            self.fired.push(key);
        }
        let origin = Origin::new(meta, Some(&trigger.id), &trigger.loc);
        let kind = move || trigger.kind.name().to_owned();
        let from = self.level;
        // Where the ticket was, named before any move changes the team.
        let from_place = self.place(from);
        let handling = self.handling_tier();
        // A policy escalation never hands a ticket to a lower tier (§4.14).
        let lower =
            |r: &Self, tier: Option<u8>| tier.is_some_and(|t| t < handling) && r.team.is_some();
        match &trigger.to {
            EscalateTo::Team(team) if lower(self, self.team_tier(team)) => {
                self.record(why, |r| {
                    let decision = Decision::TriggerHeld {
                        trigger: trigger.id.clone(),
                        reason: format!(
                            "`{team}` is tier {}, below the handling team's tier {handling}",
                            r.team_tier(team).unwrap_or_default()
                        ),
                    };
                    (decision, Some(origin))
                });
                return;
            }
            EscalateTo::Team(team) => {
                self.hand_to_team(Some(team));
                self.escalations.push(Escalation {
                    at: self.now,
                    from: from_place.map(Place::Named),
                    to: Place::Named(team),
                    tier: self.team_tier(team),
                    policy: true,
                });
                self.record(why, |r| {
                    let decision = Decision::Escalated {
                        from: from_place.map(str::to_owned),
                        to: team.clone(),
                        kind: kind(),
                        origin: "policy".to_owned(),
                        trigger: Some(trigger.id.clone()),
                        description: trigger.description.clone(),
                        responsibility: r
                            .lowest_level_of_team(team)
                            .and_then(|l| r.responsibility(Some(l))),
                        skipped: Vec::new(),
                    };
                    (decision, Some(origin))
                });
                self.after_move();
            }
            to => {
                let target = match to {
                    EscalateTo::Level(l) => Some(*l),
                    _ => self.next_level(),
                };
                let target_tier = target
                    .and_then(|t| matrix.levels.get(t))
                    .and_then(|l| self.team_tier(&l.team));
                let upward =
                    target.is_some_and(|t| from.is_none_or(|f| t > f)) && !lower(self, target_tier);
                match target {
                    Some(t) if upward => {
                        self.move_to_level(t);
                        self.push_escalation(from_place, t, true);
                        self.record(why, |r| {
                            let decision = Decision::Escalated {
                                from: from_place.map(str::to_owned),
                                to: r.level_id(Some(t)).unwrap_or_default(),
                                kind: kind(),
                                origin: "policy".to_owned(),
                                trigger: Some(trigger.id.clone()),
                                description: trigger.description.clone(),
                                responsibility: r.responsibility(Some(t)),
                                skipped: r.skipped(from, t),
                            };
                            (decision, Some(origin))
                        });
                        self.reach_level(why, t);
                    }
                    _ => {
                        self.record(why, |r| {
                            let here = from_place.map_or_else(|| "-".to_owned(), str::to_owned);
                            let reason = match (from, target) {
                                (_, None) => format!("no level above {here}"),
                                (Some(f), Some(t)) if t <= f => format!("already at {here}"),
                                (_, Some(t)) => format!(
                                    "{} is tier {}, below the handling team's tier {handling}",
                                    r.level_id(Some(t)).unwrap_or_default(),
                                    target_tier.unwrap_or_default()
                                ),
                            };
                            let decision = Decision::TriggerHeld {
                                trigger: trigger.id.clone(),
                                reason,
                            };
                            (decision, Some(origin))
                        });
                        return;
                    }
                }
            }
        }
        if self.tracing {
            let reason = format!("trigger {}", trigger.id);
            self.notify_all(why, &trigger.notify, &reason, Some(origin));
        }
    }

    /// The ids of the levels strictly between `from` and `to`: the levels an
    /// escalation skipped (none when the ticket was outside the matrix).
    pub(super) fn skipped(&self, from: Option<usize>, to: usize) -> Vec<String> {
        self.engine
            .matrix
            .map(|(m, _)| {
                m.levels
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| from.is_some_and(|f| *i > f) && *i < to)
                    .map(|(_, l)| l.id.clone())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Notes an escalation to level `to` in the summary.
    pub(super) fn push_escalation(&mut self, from: Option<&'e str>, to: usize, policy: bool) {
        let to_level = self.engine.matrix.and_then(|(m, _)| m.levels.get(to));
        self.escalations.push(Escalation {
            at: self.now,
            from: from.map(Place::Named),
            to: Place::Named(to_level.map_or("", |l| l.id.as_str())),
            tier: to_level.and_then(|l| self.team_tier(&l.team)),
            policy,
        });
    }
}

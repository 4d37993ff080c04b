//! Levels and teams: moves between matrix levels, recorded escalations and
//! the team each tier maps to.

use super::*;

impl<'e, 'p> Replay<'e, 'p> {
    /// The id of a level, else the team handling the ticket.
    pub(super) fn place(&self, level: Option<usize>) -> Option<&'e str> {
        self.level_name(level).or(self.team)
    }

    /// Hands the ticket to `team`; its level follows: the lowest level the
    /// team staffs, or none (DESIGN §4.14).
    pub(super) fn hand_to_team(&mut self, team: Option<&'e str>) {
        self.set_team(team);
        self.level = team.and_then(|t| self.lowest_level_of_team(t));
    }

    pub(super) fn lowest_level_of_team(&self, team: &str) -> Option<usize> {
        let (matrix, _) = self.engine.matrix?;
        matrix.levels.iter().position(|l| l.team == team)
    }

    /// The tier of the handling team (1 without one).
    pub(super) fn handling_tier(&self) -> u8 {
        self.team.and_then(|t| self.team_tier(t)).unwrap_or(1)
    }

    /// The level `to: next` reaches: the next level up from the ticket's
    /// level, or, at no level, the lowest level whose team's tier is above
    /// the handling team's.
    pub(super) fn next_level(&self) -> Option<usize> {
        let (matrix, _) = self.engine.matrix?;
        match self.level {
            Some(l) => matrix.levels.get(l)?.escalates_to,
            None => {
                let tier = self.handling_tier();
                matrix
                    .levels
                    .iter()
                    .position(|l| self.team_tier(&l.team).is_some_and(|t| t > tier))
            }
        }
    }

    pub(super) fn move_to_level(&mut self, level: usize) {
        self.level = Some(level);
        if let Some((matrix, _)) = self.engine.matrix
            && let Some(l) = matrix.levels.get(level)
        {
            self.set_team(Some(&l.team));
        }
    }

    /// A ticket reached `level`: alert its team and restart the level's
    /// clocks. Called after the escalation entry, so notifications follow it.
    pub(super) fn reach_level(&mut self, why: Why, level: usize) {
        if self.tracing
            && let Some((matrix, meta)) = self.engine.matrix
            && let Some(l) = matrix.levels.get(level)
        {
            let notify = Notify {
                team: l.team.clone(),
                via: l.notify_via.clone(),
            };
            let origin = Origin::new(meta, Some(&l.id), &l.loc);
            let reason = format!("reached {}", l.id);
            self.notify_all(why, &[notify], &reason, Some(origin));
        }
        self.after_move();
    }

    /// After any move: a new visit and a fresh inactivity clock.
    pub(super) fn after_move(&mut self) {
        self.visit += 1;
        self.restart_idle();
    }

    pub(super) fn lowest_level_with_tier(&self, tier: u8) -> Option<usize> {
        let (matrix, _) = self.engine.matrix?;
        matrix
            .levels
            .iter()
            .position(|l| self.team_tier(&l.team) == Some(tier))
    }

    pub(super) fn team_of_tier(&self, tier: u8) -> Option<&'e str> {
        let (tiers, _) = self.engine.tiers?;
        tiers
            .teams
            .values()
            .find(|team| team.tier == tier)
            .map(|t| t.id.as_str())
    }

    pub(super) fn recorded_escalation(&mut self, why: Why, to_tier: u8, reason: Reason) {
        let from = self.level;
        let from_place = self.place(from);
        let target = self.engine.matrix.and_then(|(m, _)| {
            m.levels.iter().enumerate().position(|(i, l)| {
                from.is_none_or(|f| i > f) && self.team_tier(&l.team) == Some(to_tier)
            })
        });
        let kind = move || reason.as_str().to_owned();
        match target {
            Some(t) => {
                self.move_to_level(t);
                self.push_escalation(from_place, t, false);
                self.record(why, |r| {
                    let decision = Decision::Escalated {
                        from: from_place.map(str::to_owned),
                        to: r.level_id(Some(t)).unwrap_or_default(),
                        kind: kind(),
                        origin: "recorded".to_owned(),
                        trigger: None,
                        description: None,
                        responsibility: r.responsibility(Some(t)),
                        skipped: r.skipped(from, t),
                    };
                    (decision, None)
                });
                self.reach_level(why, t);
            }
            None => {
                self.hand_to_team(self.team_of_tier(to_tier));
                self.escalations.push(Escalation {
                    at: self.now,
                    from: from_place.map(Place::Named),
                    to: Place::Tier(to_tier),
                    tier: Some(to_tier),
                    policy: false,
                });
                self.record(why, |_| {
                    let decision = Decision::Escalated {
                        from: from_place.map(str::to_owned),
                        to: format!("tier {to_tier}"),
                        kind: kind(),
                        origin: "recorded".to_owned(),
                        trigger: None,
                        description: None,
                        responsibility: None,
                        skipped: Vec::new(),
                    };
                    (decision, None)
                });
                self.after_move();
            }
        }
    }
}

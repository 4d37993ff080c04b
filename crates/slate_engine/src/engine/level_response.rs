//! Level response targets (DESIGN §4.12): reaching a level starts a target
//! for it in the level team's clock (around the clock for an on-call team),
//! `response.max` long (else `response.target`, and with both the target is
//! a warning); the first agent activity at the level meets it, leaving the
//! level or solving stops it.

use super::*;

/// The calendar name traces give an on-call team's always-open clock.
pub(super) const ON_CALL: &str = "(on call)";

/// The running (or last) level response target.
pub(super) struct LevelTarget<'e> {
    pub(super) level: usize,
    pub(super) id: &'e str,
    pub(super) team: &'e str,
    pub(super) cycle: u32,
    pub(super) start: i64,
    pub(super) clock: Option<&'e BusinessClock>,
    pub(super) calendar: &'e str,
    pub(super) limit: Duration,
    /// `response.target` when `response.max` is the limit.
    pub(super) warn: Option<Duration>,
    pub(super) warned: bool,
    pub(super) breached: bool,
    pub(super) done: bool,
}

impl LevelTarget<'_> {
    /// The warning threshold as a percentage of the limit.
    pub(super) fn warn_percent(&self) -> f64 {
        let (Some(w), max) = (self.warn, self.limit.minutes()) else {
            return 0.0;
        };
        if max == 0 {
            return 100.0;
        }
        (f64::from(w.minutes()) * 1000.0 / f64::from(max)).round() / 10.0
    }
}

impl<'e, 'p> Replay<'e, 'p> {
    fn level_origin(&self, level: usize) -> Option<Origin<'p>> {
        let (matrix, meta) = self.engine.matrix?;
        let l = matrix.levels.get(level)?;
        Some(Origin::new(meta, Some(&l.id), &l.loc))
    }

    /// When the running level target's warning and breach fall due.
    pub(super) fn level_due(&self) -> (Option<i64>, Option<i64>) {
        let Some(t) = &self.level_target else {
            return (None, None);
        };
        if t.done || t.breached {
            return (None, None);
        }
        let Some(clock) = t.clock else {
            return (None, None);
        };
        let at = |d: Duration| self.due(clock, t.start, i64::from(d.minutes()) * 60);
        let warn = t.warn.filter(|_| !t.warned && self.tracing).and_then(at);
        (warn, at(t.limit))
    }

    /// Whether event `index` is agent activity at the target's level: a
    /// reply (public or not), a note, an assignment with an agent, naming
    /// the level's tier or team when it names one.
    fn activity_at_level(&self, index: usize, team: &str) -> bool {
        let Some(event) = self.ticket.events.get(index) else {
            return false;
        };
        let tier = self.team_tier(team);
        let (named_tier, named_team) = match &event.body {
            EventBody::AgentReply { tier, .. } => (*tier, None),
            EventBody::InternalNote {} => (None, None),
            EventBody::Assigned {
                agent: Some(_),
                tier,
                team,
            } => (*tier, team.as_deref()),
            _ => return false,
        };
        named_tier.is_none_or(|t| Some(t) == tier) && named_team.is_none_or(|t| t == team)
    }

    /// After each step: meet the target on activity at its level, stop it
    /// when the ticket left the level or was solved, start one on arrival.
    pub(super) fn sync_level(&mut self, why: Why) {
        if let Why::Event(index) = why
            && let Some(t) = &self.level_target
            && !t.done
            && self.activity_at_level(index, t.team)
        {
            let used = t.clock.map_or(0, |c| c.elapsed_seconds(t.start, self.now));
            self.end_level_target(why, |id, cycle, breached| {
                if breached {
                    Decision::TargetStopped {
                        metric: "level_response".to_owned(),
                        level: Some(id.to_owned()),
                        cycle,
                        reason: format!(
                            "answered after the breach, {} business time used",
                            business(used)
                        ),
                    }
                } else {
                    Decision::TargetMet {
                        metric: "level_response".to_owned(),
                        level: Some(id.to_owned()),
                        cycle,
                        elapsed: business(used),
                    }
                }
            });
        }
        let running = self.level_target.as_ref().filter(|t| !t.done);
        let left = running.is_some_and(|t| Some(t.level) != self.level);
        if let Some(t) = running
            && (left || self.solved)
        {
            let reason = if self.solved {
                "solved".to_owned()
            } else {
                format!("left {}", t.id)
            };
            self.end_level_target(why, |id, cycle, _| Decision::TargetStopped {
                metric: "level_response".to_owned(),
                level: Some(id.to_owned()),
                cycle,
                reason,
            });
        }
        let arrived = self
            .level
            .filter(|l| self.level_target.as_ref().is_none_or(|t| t.level != *l));
        if let Some(level) = arrived
            && !self.solved
        {
            self.start_level_target(why, level);
        }
    }

    fn end_level_target(&mut self, why: Why, decision: impl FnOnce(&str, u32, bool) -> Decision) {
        let Some(t) = self.level_target.as_mut() else {
            return;
        };
        t.done = true;
        let (id, cycle, breached, level) = (t.id, t.cycle, t.breached, t.level);
        if !breached {
            self.level_results.push((id, false));
        }
        self.record(why, |r| {
            (decision(id, cycle, breached), r.level_origin(level))
        });
    }

    fn start_level_target(&mut self, why: Why, level: usize) {
        let Some((matrix, _)) = self.engine.matrix else {
            return;
        };
        let Some(l) = matrix.levels.get(level) else {
            return;
        };
        let team = self.engine.tiers.and_then(|(t, _)| t.teams.get(&l.team));
        let (clock, calendar) = match team {
            Some(t) if t.on_call => (Some(&self.engine.around_the_clock), ON_CALL),
            Some(t) => (self.engine.clocks.get(&t.calendar), t.calendar.as_str()),
            None => (None, ""),
        };
        let (limit, warn) = match l.response_max {
            Some(max) => (max, Some(l.response)),
            None => (l.response, None),
        };
        let cycle = match self.level_cycles.get_mut(level) {
            Some(c) => {
                *c += 1;
                *c
            }
            None => 1,
        };
        self.level_target = Some(LevelTarget {
            level,
            id: &l.id,
            team: &l.team,
            cycle,
            start: self.now,
            clock,
            calendar,
            limit,
            warn,
            warned: false,
            breached: false,
            done: false,
        });
        self.record(why, |r| {
            let (_, due) = r.level_due();
            let decision = Decision::TargetStarted {
                metric: "level_response".to_owned(),
                level: Some(l.id.clone()),
                cycle,
                target: limit.to_string(),
                calendar: calendar.to_owned(),
                due: due.map_or_else(|| "never".to_owned(), instant),
            };
            (decision, r.level_origin(level))
        });
    }

    pub(super) fn fire_level(&mut self, breach: bool) {
        let why = if breach {
            Why::LevelBreach
        } else {
            Why::LevelWarning
        };
        let Some(t) = self.level_target.as_mut() else {
            return;
        };
        let (id, cycle, level) = (t.id, t.cycle, t.level);
        if breach {
            t.breached = true;
            t.warned = true;
            self.level_results.push((id, true));
            self.record(why, |r| {
                let decision = Decision::TargetBreached {
                    metric: "level_response".to_owned(),
                    level: Some(id.to_owned()),
                    cycle,
                    due: instant(r.now),
                };
                (decision, r.level_origin(level))
            });
        } else {
            t.warned = true;
            let percent = t.warn_percent();
            self.record(why, |r| {
                let decision = Decision::TargetWarning {
                    metric: "level_response".to_owned(),
                    level: Some(id.to_owned()),
                    cycle,
                    percent,
                };
                (decision, r.level_origin(level))
            });
        }
    }
}

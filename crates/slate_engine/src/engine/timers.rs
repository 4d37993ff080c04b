//! Timers between events: the next SLA warning, breach or timed trigger, and
//! what happens when one fires.

use super::*;

impl<'e, 'p> Replay<'e, 'p> {
    pub(super) fn next_timer(&self) -> Option<(i64, Timer)> {
        let mut best: Option<(i64, Timer)> = None;
        let mut consider = |t: Option<i64>, timer: Timer| {
            if let Some(t) = t {
                let t = t.max(self.now);
                if best.is_none_or(|b| (t, timer) < b) {
                    best = Some((t, timer));
                }
            }
        };
        for (i, m) in self.metrics.iter().enumerate() {
            if m.done || m.breached || m.run_start.is_none() {
                continue;
            }
            for (w, at) in m.warn_at.iter().enumerate() {
                if !m.warned.get(w).copied().unwrap_or(true) {
                    consider(*at, Timer::Warning(i, w));
                }
            }
            consider(m.due_at, Timer::Breach(i));
        }
        let (warn, due) = self.level_due();
        consider(warn, Timer::LevelWarning);
        consider(due, Timer::LevelBreach);
        if !self.solved
            && let Some((matrix, _)) = self.engine.matrix
        {
            // Only the timed triggers that can be armed at this level.
            let timed = &self.engine.conditions.timed;
            let at_level = self
                .level
                .and_then(|l| timed.at_level.get(l))
                .map_or(&[][..], Vec::as_slice);
            for &i in timed.any_level.iter().chain(at_level) {
                if let Some(trigger) = matrix.triggers.get(i)
                    && let Some(t) = self.trigger_time(i, trigger)
                {
                    consider(Some(t), Timer::Trigger(i));
                }
            }
        }
        best
    }

    pub(super) fn trigger_key(&self, index: usize, trigger: &Trigger) -> (usize, u32, u32) {
        let epoch = match trigger.on {
            TriggerOn::Inactivity(_) => self.activity,
            TriggerOn::SlaAtRisk { metric, .. } => self
                .active(metric)
                .and_then(|i| self.metrics.get(i))
                .map_or(0, |m| m.cycle),
            _ => 0,
        };
        (index, self.visit, epoch)
    }

    pub(super) fn armed(&self, index: usize, trigger: &Trigger) -> bool {
        // Cheapest first: the condition is remembered, the level a lookup.
        self.when_holds(index)
            && (trigger.at_levels.is_empty()
                || self.level.is_some_and(|l| trigger.at_levels.contains(&l)))
            && !self.fired.contains(&self.trigger_key(index, trigger))
    }

    /// Whether trigger `index`'s condition `when` holds now; remembered
    /// until the facts change, as timers ask again at every step.
    pub(super) fn when_holds(&self, index: usize) -> bool {
        let Some(Some(when)) = self.engine.conditions.trigger_when.get(index) else {
            return true;
        };
        let bit = u32::try_from(index).ok().and_then(|i| 1u64.checked_shl(i));
        if let Some(bit) = bit
            && self.when_known.get() & bit != 0
        {
            return self.when_true.get() & bit != 0;
        }
        let holds = when.holds(&self.facts(), &self.present);
        if let Some(bit) = bit {
            self.when_known.set(self.when_known.get() | bit);
            let others = self.when_true.get() & !bit;
            self.when_true
                .set(if holds { others | bit } else { others });
        }
        holds
    }

    /// The facts conditions see changed: forget remembered results.
    pub(super) fn facts_changed(&self) {
        self.when_known.set(0);
    }

    pub(super) fn trigger_time(&self, index: usize, trigger: &Trigger) -> Option<i64> {
        let timed = matches!(
            trigger.on,
            TriggerOn::Inactivity(_) | TriggerOn::OpenFor(_) | TriggerOn::SlaAtRisk { .. }
        );
        // Conditions before clocks: most triggers do not apply to most tickets.
        if !timed || !self.armed(index, trigger) {
            return None;
        }
        match &trigger.on {
            TriggerOn::Inactivity(d) => {
                let clock = self.team_clock()?;
                let start = self.idle_since?;
                match i64::from(d.minutes()) * 60 - self.idle_consumed {
                    // Passed while the trigger was not armed: due at once.
                    left if left < 0 => Some(start),
                    left => self.due(clock, start, left),
                }
            }
            TriggerOn::OpenFor(d) => {
                let clock = self.sla_clock().or_else(|| self.team_clock())?;
                self.due(clock, self.created, i64::from(d.minutes()) * 60)
            }
            TriggerOn::SlaAtRisk { metric, percent } => {
                let m = self.metrics.get(self.active(*metric)?)?;
                if m.breached {
                    return None;
                }
                #[expect(
                    clippy::cast_possible_truncation,
                    reason = "percent of a bounded target"
                )]
                let at = (f64::from(m.target.minutes()) * 60.0 * percent / 100.0) as i64;
                self.instant_at(m, at)
            }
            _ => None,
        }
    }

    /// [`BusinessClock::due_seconds`], remembered: timers ask for the same
    /// instants at every step until the state they depend on changes.
    pub(super) fn due(&self, clock: &BusinessClock, start: i64, seconds: i64) -> Option<i64> {
        let key = (std::ptr::from_ref(clock) as usize, start, seconds);
        let mut memo = self.due_memo.get();
        if let Some(&(_, due)) = memo.iter().find(|(k, _)| *k == key) {
            return due;
        }
        let due = clock.due_seconds(start, seconds);
        memo.rotate_right(1);
        if let Some(first) = memo.first_mut() {
            *first = (key, due);
        }
        self.due_memo.set(memo);
        due
    }

    pub(super) fn fire(&mut self, t: i64, timer: Timer) {
        self.now = self.now.max(t);
        match timer {
            Timer::Warning(i, w) => {
                let Some(m) = self.metrics.get_mut(i) else {
                    return;
                };
                if let Some(flag) = m.warned.get_mut(w) {
                    *flag = true;
                }
                let (metric, cycle) = (m.metric, m.cycle);
                self.record(Why::Warning(i, w), |r| {
                    let percent = r.warning_percent(w);
                    let decision = Decision::TargetWarning {
                        level: None,
                        metric: metric.name().to_owned(),
                        cycle,
                        percent,
                    };
                    (decision, r.sla_origin())
                });
            }
            Timer::Breach(i) => {
                let Some(m) = self.metrics.get_mut(i) else {
                    return;
                };
                m.breached = true;
                for flag in &mut m.warned {
                    *flag = true;
                }
                let (metric, cycle) = (m.metric, m.cycle);
                self.breaches.push(Breach {
                    metric,
                    cycle,
                    at: self.now,
                });
                self.record(Why::Breach(i), |r| {
                    let decision = Decision::TargetBreached {
                        level: None,
                        metric: metric.name().to_owned(),
                        cycle,
                        due: instant(t),
                    };
                    (decision, r.sla_origin())
                });
            }
            Timer::Trigger(i) => {
                self.fire_trigger(Why::Trigger(i), i);
                self.sync_level(Why::Trigger(i));
            }
            Timer::LevelWarning => self.fire_level(false),
            Timer::LevelBreach => self.fire_level(true),
        }
    }
}

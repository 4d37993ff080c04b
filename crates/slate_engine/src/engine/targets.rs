//! SLA targets: starting, meeting, stopping, pausing and resuming them, their
//! cached due and warning instants, and re-targeting on a priority change.

use super::*;

impl<'e, 'p> Replay<'e, 'p> {
    pub(super) fn sla_origin(&self) -> Option<Origin<'p>> {
        let (_, meta) = self.engine.sla?;
        let entry = self.sla_entry?;
        Some(Origin::new(meta, Some(&entry.id), &entry.loc))
    }

    pub(super) fn paused_for(&self, metric: SlaMetric) -> bool {
        let Some((sla, _)) = self.engine.sla else {
            return false;
        };
        match self.status {
            Status::Pending => sla.paused_when_pending.contains(&metric),
            Status::OnHold => sla.paused_when_on_hold.contains(&metric),
            _ => false,
        }
    }

    pub(super) fn start_metric(&mut self, why: Why, metric: SlaMetric, start: i64) {
        let Some(entry) = self.sla_entry else { return };
        let Some(&target) = entry.targets.get(&metric) else {
            return;
        };
        let cycle = match metric {
            SlaMetric::Resolution => self.cycle,
            _ => {
                1 + u32::try_from(self.metrics.iter().filter(|m| m.metric == metric).count())
                    .unwrap_or(0)
            }
        };
        // Warnings decide nothing but their trace entries.
        let warnings = match self.engine.sla {
            Some((s, _)) if self.tracing => s.warnings.len(),
            _ => 0,
        };
        self.metrics.push(Metric {
            metric,
            cycle,
            target,
            calendar: &entry.calendar,
            clock: self.engine.clocks.get(&entry.calendar),
            consumed: 0,
            run_start: if self.paused_for(metric) {
                None
            } else {
                Some(start)
            },
            runs: Vec::new(),
            warned: vec![false; warnings],
            breached: false,
            done: false,
            due_at: None,
            warn_at: Vec::new(),
        });
        let i = self.metrics.len() - 1;
        self.refresh(i);
        self.record(why, |r| {
            let decision = Decision::TargetStarted {
                level: None,
                metric: metric.name().to_owned(),
                cycle,
                target: target.to_string(),
                calendar: entry.calendar.clone(),
                due: r.due_text(i, "never"),
            };
            (decision, r.sla_origin())
        });
    }

    /// The due instant of metric `i` for a trace, or `absent` without one.
    pub(super) fn due_text(&self, i: usize, absent: &str) -> String {
        self.metrics
            .get(i)
            .and_then(|m| m.due_at)
            .map_or_else(|| absent.to_owned(), instant)
    }

    /// Recomputes the cached timer instants of metric `i`.
    pub(super) fn refresh(&mut self, i: usize) {
        let Some(m) = self.metrics.get(i) else { return };
        let target = i64::from(m.target.minutes()) * 60;
        let due = self.due_of(m);
        let sla = self.engine.sla.filter(|_| self.tracing);
        let warnings: Vec<Option<i64>> = sla.map_or_else(Vec::new, |(sla, _)| {
            sla.warnings
                .iter()
                .map(|percent| {
                    #[expect(
                        clippy::cast_possible_truncation,
                        reason = "percent of a bounded target"
                    )]
                    let at = (target as f64 * percent / 100.0) as i64;
                    self.instant_at(m, at)
                })
                .collect()
        });
        if let Some(m) = self.metrics.get_mut(i) {
            m.due_at = due;
            m.warn_at = warnings;
        }
    }

    /// Business seconds `m` has used by now.
    pub(super) fn used(&self, m: &Metric<'_>) -> i64 {
        let running = m.run_start.map_or(0, |start| {
            m.clock.map_or(0, |c| c.elapsed_seconds(start, self.now))
        });
        m.consumed + running
    }

    /// When `m` reaches `seconds` of business time, if it is running. A
    /// threshold it passed while paused (a re-target lowered it) is due at
    /// once, on resuming, as one passed while running would be: it does not
    /// wait for the calendar to open.
    pub(super) fn instant_at(&self, m: &Metric<'_>, seconds: i64) -> Option<i64> {
        let start = m.run_start?;
        let clock = m.clock?;
        match seconds - m.consumed {
            left if left < 0 => Some(start),
            left => self.due(clock, start, left),
        }
    }

    pub(super) fn due_of(&self, m: &Metric<'_>) -> Option<i64> {
        self.instant_at(m, i64::from(m.target.minutes()) * 60)
    }

    pub(super) fn active(&self, metric: SlaMetric) -> Option<usize> {
        self.metrics
            .iter()
            .rposition(|m| m.metric == metric && !m.done)
    }

    /// A response or resolution: the running target of `metric` is met (or
    /// ends after its breach).
    pub(super) fn meet(&mut self, why: Why, metric: SlaMetric) {
        let Some(i) = self.active(metric) else { return };
        let Some(m) = self.metrics.get_mut(i) else {
            return;
        };
        m.done = true;
        let (cycle, breached) = (m.cycle, m.breached);
        self.record(why, |r| {
            let used = business(r.metrics.get(i).map_or(0, |m| r.used(m)));
            let decision = if breached {
                Decision::TargetStopped {
                    level: None,
                    metric: metric.name().to_owned(),
                    cycle,
                    reason: format!("answered after the breach, {used} business time used"),
                }
            } else {
                Decision::TargetMet {
                    level: None,
                    metric: metric.name().to_owned(),
                    cycle,
                    elapsed: used,
                }
            };
            (decision, r.sla_origin())
        });
    }

    pub(super) fn stop(&mut self, why: Why, metric: SlaMetric, reason: &'static str) {
        if let Some(i) = self.active(metric) {
            self.stop_at(why, i, |_| reason.to_owned());
        }
    }

    /// Ends the target at `index` without a verdict.
    pub(super) fn stop_at(&mut self, why: Why, index: usize, reason: impl FnOnce(&Self) -> String) {
        let Some(m) = self.metrics.get_mut(index) else {
            return;
        };
        m.done = true;
        let (metric, cycle) = (m.metric, m.cycle);
        self.record(why, |r| {
            let decision = Decision::TargetStopped {
                level: None,
                metric: metric.name().to_owned(),
                cycle,
                reason: reason(r),
            };
            (decision, r.sla_origin())
        });
    }

    /// Applies the pause rules of the current status to every open target.
    pub(super) fn apply_pauses(&mut self, why: Why) {
        for i in 0..self.metrics.len() {
            let Some(m) = self.metrics.get(i) else {
                continue;
            };
            if m.done || m.breached {
                continue;
            }
            let should_pause = self.paused_for(m.metric);
            let (metric, cycle) = (m.metric, m.cycle);
            match (m.run_start.is_some(), should_pause) {
                (true, true) => {
                    let used = self.used(m);
                    let now = self.now;
                    if let Some(m) = self.metrics.get_mut(i) {
                        m.consumed = used;
                        if let Some(start) = m.run_start.take() {
                            m.runs.push((start, now));
                        }
                    }
                    self.record(why, |r| {
                        let decision = Decision::TargetPaused {
                            metric: metric.name().to_owned(),
                            cycle,
                            status: r.status.as_str().to_owned(),
                        };
                        (decision, r.sla_origin())
                    });
                    self.refresh(i);
                }
                (false, false) => {
                    if let Some(m) = self.metrics.get_mut(i) {
                        m.run_start = Some(self.now);
                    }
                    self.refresh(i);
                    self.record(why, |r| {
                        let decision = Decision::TargetResumed {
                            metric: metric.name().to_owned(),
                            cycle,
                            due: r.due_text(i, "never"),
                        };
                        (decision, r.sla_origin())
                    });
                }
                _ => {}
            }
        }
    }

    pub(super) fn change_priority(&mut self, why: Why, name: &'e str) {
        let (classification, _) = self.engine.classification;
        let Some(new) = classification.priority_index(name) else {
            // Outside the catalogue: said, and the priority stays.
            self.unknown_value(why, "priority", name);
            return;
        };
        if new == self.priority {
            return;
        }
        let from = self.priority_id();
        self.priority = new;
        self.facts_changed();
        self.record(why, |r| {
            let decision = Decision::PriorityChanged {
                from: from.to_owned(),
                to: r.priority_id().to_owned(),
            };
            (decision, None)
        });
        let old_entry = self.sla_entry.map(|e| e.id.as_str());
        self.select_sla(why);
        if self.sla_entry.map(|e| e.id.as_str()) == old_entry {
            return;
        }
        for i in 0..self.metrics.len() {
            let Some(m) = self.metrics.get(i) else {
                continue;
            };
            if m.done || m.breached {
                continue;
            }
            let metric = m.metric;
            let target = self.sla_entry.and_then(|e| e.targets.get(&metric).copied());
            let Some(target) = target else {
                self.stop_at(why, i, |r| {
                    format!(
                        "no {} target at priority `{}`",
                        metric.name(),
                        r.priority_id()
                    )
                });
                continue;
            };
            let Some(entry) = self.sla_entry else {
                continue;
            };
            let old = m.target;
            let calendar_changed = m.calendar != entry.calendar;
            if old == target && !calendar_changed {
                continue;
            }
            // Elapsed time is re-measured from the start in the new entry's
            // calendar (DESIGN §4.6).
            let clock = self.engine.clocks.get(&entry.calendar);
            let consumed = if calendar_changed {
                m.runs
                    .iter()
                    .map(|&(a, b)| clock.map_or(0, |c| c.elapsed_seconds(a, b)))
                    .sum()
            } else {
                m.consumed
            };
            let Some(m) = self.metrics.get_mut(i) else {
                continue;
            };
            m.target = target;
            m.calendar = &entry.calendar;
            m.clock = clock;
            m.consumed = consumed;
            let cycle = m.cycle;
            let Some(m) = self.metrics.get(i) else {
                continue;
            };
            let used = self.used(m);
            let retargeted = move |due: String, calendar: String| Decision::TargetRetargeted {
                metric: metric.name().to_owned(),
                cycle,
                from: old.to_string(),
                to: target.to_string(),
                calendar,
                due,
            };
            if used > i64::from(target.minutes()) * 60 {
                // Already exceeded: the breach is recorded now, not
                // back-dated, after the warnings it passed unrecorded.
                self.record(why, |r| {
                    (
                        retargeted(instant(r.now), entry.calendar.clone()),
                        r.sla_origin(),
                    )
                });
                self.warn_passed(why, i);
                if let Some(m) = self.metrics.get_mut(i) {
                    m.breached = true;
                }
                self.breaches.push(Breach {
                    metric,
                    cycle,
                    at: self.now,
                });
                self.record(why, |r| {
                    let decision = Decision::TargetBreached {
                        level: None,
                        metric: metric.name().to_owned(),
                        cycle,
                        due: instant(r.now),
                    };
                    (decision, r.sla_origin())
                });
                self.refresh(i);
            } else {
                // Warnings it has passed fire at once (at the resume when
                // paused): `instant_at` puts them at the run's start.
                self.refresh(i);
                self.record(why, |r| {
                    (
                        retargeted(r.due_text(i, "paused"), entry.calendar.clone()),
                        r.sla_origin(),
                    )
                });
            }
        }
    }

    /// Records the warnings of metric `i` not recorded yet, now.
    fn warn_passed(&mut self, why: Why, i: usize) {
        let Some(m) = self.metrics.get_mut(i) else {
            return;
        };
        let (metric, cycle) = (m.metric, m.cycle);
        let pending: Vec<usize> = (0..m.warned.len())
            .filter(|&w| !m.warned.get(w).copied().unwrap_or(true))
            .collect();
        for flag in &mut m.warned {
            *flag = true;
        }
        for w in pending {
            self.record(why, |r| {
                let decision = Decision::TargetWarning {
                    level: None,
                    metric: metric.name().to_owned(),
                    cycle,
                    percent: r.warning_percent(w),
                };
                (decision, r.sla_origin())
            });
        }
    }
}

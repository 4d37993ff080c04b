//! Replay: the recorded timeline is fact; the engine asks what the policy
//! decides along it and writes each decision to the trace.
//!
//! Events are processed in timeline order; timers (SLA warnings and breaches,
//! inactivity and open-for triggers, SLA-at-risk triggers) fire between them.
//! An event at the same instant as a timer goes first: a reply at the breach
//! instant meets the target. Timers fire up to the last recorded event; what
//! is still running then is reported as running, with its due instant.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDate, SecondsFormat};
use slate_policy::model::{
    Body, Classification, Duration, EscalateTo, EscalationMatrix, Meta, Notify, PolicySet,
    RefundAuthority, SlaEntry, SlaMetric, SlaPolicy, SupportTiers, Trigger, TriggerOn,
};
use slate_policy::source::Loc;

use crate::clock::BusinessClock;
use crate::matcher::{self, Facts};
use crate::ticket::{EventBody, Reason, Status, Ticket};
use crate::trace::{Cause, Decision, Entry, Outcome, PolicyRef, Provenance, TRACE_VERSION, Trace};

/// A policy set compiled for replay.
#[derive(Debug)]
pub struct Engine<'p> {
    classification: (&'p Classification, &'p Meta),
    sla: Option<(&'p SlaPolicy, &'p Meta)>,
    matrix: Option<(&'p EscalationMatrix, &'p Meta)>,
    tiers: Option<(&'p SupportTiers, &'p Meta)>,
    refunds: Option<(&'p RefundAuthority, &'p Meta)>,
    benchmarks: Option<&'p slate_policy::model::Benchmarks>,
    clocks: BTreeMap<String, BusinessClock>,
    policies: Vec<PolicyRef>,
}

/// Formats a unix instant as RFC 3339 UTC.
pub fn instant(t: i64) -> String {
    DateTime::from_timestamp(t, 0).map_or_else(
        || t.to_string(),
        |d| d.to_rfc3339_opts(SecondsFormat::Secs, true),
    )
}

fn provenance(meta: &Meta, rule: Option<&str>, loc: &Loc) -> Provenance {
    let (line, _) = loc.source.line_col(loc.span.start);
    Provenance {
        policy: meta.name.clone(),
        version: meta.version,
        rule: rule.map(str::to_owned),
        source: format!("{}:{line}", loc.source.relative_name()),
    }
}

fn metric_name(metric: SlaMetric) -> &'static str {
    match metric {
        SlaMetric::FirstResponse => "first_response",
        SlaMetric::NextResponse => "next_response",
        SlaMetric::PeriodicUpdate => "periodic_update",
        SlaMetric::Resolution => "resolution",
    }
}

fn business(seconds: i64) -> String {
    let minutes = u32::try_from(seconds.max(0) / 60).unwrap_or(u32::MAX);
    Duration::from_minutes(minutes).to_string()
}

impl<'p> Engine<'p> {
    /// Compiles the current version of each policy. Fails when the set has
    /// no classification (nothing could be decided).
    pub fn new(set: &'p PolicySet) -> Result<Self, String> {
        let mut classification = None;
        let mut sla = None;
        let mut matrix = None;
        let mut tiers = None;
        let mut refunds = None;
        let mut benchmarks = None;
        let mut clocks = BTreeMap::new();
        let mut policies = Vec::new();
        for policy in set.current() {
            let meta = &policy.meta;
            policies.push(PolicyRef {
                kind: meta.kind.as_str().to_owned(),
                name: meta.name.clone(),
                version: meta.version,
            });
            match &policy.body {
                Body::Calendar(c) => {
                    // Replays of 2015–2040 use the span table; other dates walk.
                    let clock = match (
                        NaiveDate::from_ymd_opt(2015, 1, 1),
                        NaiveDate::from_ymd_opt(2040, 12, 31),
                    ) {
                        (Some(first), Some(last)) => BusinessClock::new(c).with_table(first, last),
                        _ => BusinessClock::new(c),
                    };
                    clocks.insert(meta.name.clone(), clock);
                }
                Body::Classification(c) => classification = Some((c, meta)),
                Body::SlaPolicy(s) => sla = Some((s, meta)),
                Body::EscalationMatrix(m) => matrix = Some((m, meta)),
                Body::SupportTiers(t) => tiers = Some((t, meta)),
                Body::RefundAuthority(r) => refunds = Some((r, meta)),
                Body::Benchmarks(b) => benchmarks = Some(b),
            }
        }
        let classification =
            classification.ok_or("the policy set has no Classification policy to replay with")?;
        Ok(Self {
            classification,
            sla,
            matrix,
            tiers,
            refunds,
            benchmarks,
            clocks,
            policies,
        })
    }

    /// The compiled calendar of that name.
    pub fn clock(&self, name: &str) -> Option<&BusinessClock> {
        self.clocks.get(name)
    }

    /// Replays one ticket.
    pub fn replay(&self, ticket: &Ticket) -> Trace {
        let mut replay = Replay::new(self, ticket);
        replay.run();
        replay.finish()
    }

    /// The running targets of a ticket after its last event, with their due
    /// instants (for `slate due --ticket`).
    pub fn running_targets(&self, ticket: &Ticket) -> Vec<RunningTarget> {
        let mut replay = Replay::new(self, ticket);
        replay.run();
        replay
            .metrics
            .iter()
            .filter(|m| !m.done && !m.breached)
            .map(|m| RunningTarget {
                metric: metric_name(m.metric).to_owned(),
                cycle: m.cycle,
                target: m.target.to_string(),
                calendar: m.calendar.clone(),
                paused: m.run_start.is_none(),
                due: replay.due_of(m).map(instant),
            })
            .collect()
    }
}

/// A target still running after the last recorded event.
#[derive(Clone, Debug, serde::Serialize, PartialEq, Eq)]
pub struct RunningTarget {
    pub metric: String,
    pub cycle: u32,
    pub target: String,
    pub calendar: String,
    pub paused: bool,
    /// `None` while paused, or when the calendar never opens again.
    pub due: Option<String>,
}

#[derive(Clone, Debug)]
struct Metric {
    metric: SlaMetric,
    cycle: u32,
    target: Duration,
    calendar: String,
    /// Business seconds used before the current run.
    consumed: i64,
    /// Start of the current run; `None` while paused.
    run_start: Option<i64>,
    warned: Vec<bool>,
    breached: bool,
    done: bool,
    /// Cached timer instants (breach, then each warning threshold), kept in
    /// step with `run_start`, `consumed` and `target` by `refresh`.
    due_at: Option<i64>,
    warn_at: Vec<Option<i64>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Timer {
    Breach(usize),
    Warning(usize, usize),
    Trigger(usize),
}

struct Replay<'e, 'p> {
    engine: &'e Engine<'p>,
    ticket: &'e Ticket,
    entries: Vec<Entry>,
    now: i64,
    created: i64,
    priority: usize,
    level: Option<usize>,
    entry_level: Option<usize>,
    team: Option<String>,
    /// Counts level changes; triggers fire once per visit.
    visit: u32,
    /// Counts agent activity; inactivity triggers re-arm after activity.
    activity: u32,
    last_activity: i64,
    status: Status,
    solved: bool,
    cycle: u32,
    first_reply: bool,
    unanswered: Option<i64>,
    escalated: bool,
    words: Vec<String>,
    sla_entry: Option<&'p SlaEntry>,
    metrics: Vec<Metric>,
    fired: BTreeSet<(usize, u32, u32)>,
    outcome: Outcome,
}

impl<'e, 'p> Replay<'e, 'p> {
    fn new(engine: &'e Engine<'p>, ticket: &'e Ticket) -> Self {
        let created = ticket.created_at.timestamp();
        let mut words = ticket
            .subject
            .as_deref()
            .map(matcher::words)
            .unwrap_or_default();
        for event in &ticket.events {
            if event.at.timestamp() > created {
                break;
            }
            if let EventBody::CustomerMessage {
                text: Some(text), ..
            } = &event.body
            {
                words.extend(matcher::words(text));
            }
        }
        Self {
            engine,
            ticket,
            entries: Vec::new(),
            now: created,
            created,
            priority: 0,
            level: None,
            entry_level: None,
            team: None,
            visit: 0,
            activity: 0,
            last_activity: created,
            status: Status::New,
            solved: false,
            cycle: 1,
            first_reply: false,
            unanswered: None,
            escalated: false,
            words,
            sla_entry: None,
            metrics: Vec::new(),
            fired: BTreeSet::new(),
            outcome: Outcome::default(),
        }
    }

    fn push(&mut self, cause: &Cause, decision: Decision, provenance: Option<Provenance>) {
        self.entries.push(Entry {
            at: self.now,
            cause: cause.clone(),
            decision,
            provenance,
        });
    }

    fn priority_id(&self) -> &'p str {
        let (c, _) = self.engine.classification;
        c.priorities
            .get(self.priority)
            .map_or("", |p| p.id.as_str())
    }

    fn facts(&self) -> Facts<'_> {
        let t = self.ticket;
        Facts {
            priority: self.priority_id(),
            segment: t.requester.segment.as_deref(),
            channel: t.channel.as_deref(),
            tags: &t.tags,
            vip: t.requester.vip,
            account_value: t.requester.arr,
            fields: &t.fields,
            text: &self.words,
        }
    }

    fn level_id(&self, level: Option<usize>) -> Option<String> {
        let (m, _) = self.engine.matrix?;
        level.and_then(|l| m.levels.get(l)).map(|l| l.id.clone())
    }

    fn team_tier(&self, team: &str) -> Option<u8> {
        self.engine
            .tiers
            .and_then(|(t, _)| t.teams.get(team))
            .map(|t| t.tier)
    }

    fn team_clock(&self) -> Option<&'e BusinessClock> {
        let team = self.team.as_deref()?;
        let (tiers, _) = self.engine.tiers?;
        self.engine.clocks.get(&tiers.teams.get(team)?.calendar)
    }

    fn sla_clock(&self) -> Option<&'e BusinessClock> {
        self.engine.clocks.get(&self.sla_entry?.calendar)
    }

    // -------------------------------------------------------------- run

    fn run(&mut self) {
        self.create();
        let events = &self.ticket.events;
        let horizon = events.last().map_or(self.created, |e| e.at.timestamp());
        let mut index = 0;
        // Every step consumes an event or retires a timer; the bound is a
        // guard against a policy that could re-arm forever.
        for _ in 0..100_000 {
            let next_event = events.get(index).map(|e| e.at.timestamp());
            let timer = self.next_timer().filter(|(t, _)| *t <= horizon);
            match (next_event, timer) {
                (Some(at), Some((t, timer))) if t < at => self.fire(t, timer),
                (Some(_), _) => {
                    self.event(index);
                    index += 1;
                }
                (None, Some((t, timer))) => self.fire(t, timer),
                (None, None) => break,
            }
        }
    }

    fn finish(mut self) -> Trace {
        self.outcome.priority = self.priority_id().to_owned();
        self.outcome.level = self.level_id(self.level);
        self.outcome.team = self.team.clone();
        Trace {
            trace_version: TRACE_VERSION,
            ticket: self.ticket.id.clone(),
            policies: self.engine.policies.clone(),
            entries: self.entries,
            outcome: self.outcome,
        }
    }

    // --------------------------------------------------------- creation

    fn create(&mut self) {
        let cause = Cause::Created;
        let (classification, meta) = self.engine.classification;
        let recorded = self
            .ticket
            .priority
            .as_deref()
            .and_then(|p| classification.priority_index(p));
        // Rules see the recorded priority; without one, the default's.
        self.priority = recorded.unwrap_or(classification.default_priority);
        let rule = classification
            .rules
            .iter()
            .find(|r| matcher::matches(&r.when, &self.facts()));
        let (priority, action, rule_id, loc) = match rule {
            Some(r) => (r.priority, &r.action, Some(r.id.as_str()), &r.loc),
            None => (
                classification.default_priority,
                &classification.default_action,
                None,
                &classification.default_loc,
            ),
        };
        self.priority = priority;
        let prov = provenance(meta, rule_id.or(Some("default")), loc);
        self.push(
            &cause,
            Decision::Classified {
                priority: self.priority_id().to_owned(),
                rule: rule_id.map(str::to_owned),
            },
            Some(prov.clone()),
        );

        // Entry level in the matrix.
        if let Some((matrix, mmeta)) = self.engine.matrix {
            let entry = matrix
                .entry
                .iter()
                .find(|e| matcher::matches(&e.when, &self.facts()));
            let level = entry.map_or(matrix.start_at, |e| e.level);
            self.level = Some(level);
            self.entry_level = Some(level);
            let skipped: Vec<String> = matrix
                .levels
                .iter()
                .enumerate()
                .filter(|(i, _)| *i >= matrix.start_at && *i < level)
                .map(|(_, l)| l.id.clone())
                .collect();
            let team = action.route_to.clone();
            self.team = Some(team.clone());
            let tier = self.team_tier(&team).unwrap_or(1);
            let owner = self.recipient(&team).0;
            let prov = match entry {
                Some(e) => provenance(mmeta, Some(&e.id), &e.loc),
                None => prov.clone(),
            };
            self.push(
                &cause,
                Decision::Routed {
                    team,
                    tier,
                    owner,
                    level: self.level_id(Some(level)),
                    skipped,
                },
                Some(prov),
            );
        } else {
            let team = action.route_to.clone();
            let tier = self.team_tier(&team).unwrap_or(1);
            let owner = self.recipient(&team).0;
            self.team = Some(team.clone());
            self.push(
                &cause,
                Decision::Routed {
                    team,
                    tier,
                    owner,
                    level: None,
                    skipped: Vec::new(),
                },
                Some(prov.clone()),
            );
        }
        let reason = format!("classified by {}", rule_id.unwrap_or("default"));
        self.notify_all(&cause, &action.notify, &reason, Some(prov));

        self.select_sla(&cause);
        self.start_metric(&cause, SlaMetric::FirstResponse, self.created);
        self.start_metric(&cause, SlaMetric::Resolution, self.created);
        self.event_triggers(&cause, |on| {
            matches!(on, TriggerOn::Created | TriggerOn::Keywords(_))
        });
    }

    fn select_sla(&mut self, cause: &Cause) {
        let Some((sla, meta)) = self.engine.sla else {
            self.sla_entry = None;
            self.push(
                cause,
                Decision::NoSla {
                    reason: "the policy set has no SlaPolicy".to_owned(),
                },
                None,
            );
            return;
        };
        let segment = self.ticket.requester.segment.as_deref();
        let entry = sla
            .entries
            .iter()
            .find(|e| {
                e.priority == self.priority
                    && (e.segments.is_empty()
                        || segment.is_some_and(|s| e.segments.iter().any(|x| x == s)))
                    && e.when
                        .as_ref()
                        .is_none_or(|w| matcher::matches(w, &self.facts()))
            })
            .or(sla.default.as_ref());
        self.sla_entry = entry;
        match entry {
            Some(e) => self.push(
                cause,
                Decision::SlaSelected { entry: e.id.clone() },
                Some(provenance(meta, Some(&e.id), &e.loc)),
            ),
            None => self.push(
                cause,
                Decision::NoSla {
                    reason: format!(
                        "no target entry matches priority `{}` and segment `{}`, and there is no default",
                        self.priority_id(),
                        segment.unwrap_or("-")
                    ),
                },
                Some(provenance(meta, None, &meta.loc)),
            ),
        }
    }

    // ---------------------------------------------------------- metrics

    fn sla_prov(&self) -> Option<Provenance> {
        let (_, meta) = self.engine.sla?;
        let entry = self.sla_entry?;
        Some(provenance(meta, Some(&entry.id), &entry.loc))
    }

    fn paused_for(&self, metric: SlaMetric) -> bool {
        let Some((sla, _)) = self.engine.sla else {
            return false;
        };
        match self.status {
            Status::Pending => sla.paused_when_pending.contains(&metric),
            Status::OnHold => sla.paused_when_on_hold.contains(&metric),
            _ => false,
        }
    }

    fn start_metric(&mut self, cause: &Cause, metric: SlaMetric, start: i64) {
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
        let warnings = self.engine.sla.map_or(0, |(s, _)| s.warnings.len());
        let m = Metric {
            metric,
            cycle,
            target,
            calendar: entry.calendar.clone(),
            consumed: 0,
            run_start: if self.paused_for(metric) {
                None
            } else {
                Some(start)
            },
            warned: vec![false; warnings],
            breached: false,
            done: false,
            due_at: None,
            warn_at: Vec::new(),
        };
        let due = self.due_of(&m).map_or_else(|| "never".to_owned(), instant);
        self.push(
            cause,
            Decision::TargetStarted {
                metric: metric_name(metric).to_owned(),
                cycle,
                target: target.to_string(),
                calendar: entry.calendar.clone(),
                due,
            },
            self.sla_prov(),
        );
        self.metrics.push(m);
        self.refresh(self.metrics.len() - 1);
    }

    /// Recomputes the cached timer instants of metric `i`.
    fn refresh(&mut self, i: usize) {
        let Some(m) = self.metrics.get(i) else { return };
        let target = i64::from(m.target.minutes()) * 60;
        let due = self.due_of(m);
        let warnings: Vec<Option<i64>> = self.engine.sla.map_or_else(Vec::new, |(sla, _)| {
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
    fn used(&self, m: &Metric) -> i64 {
        let running = m.run_start.map_or(0, |start| {
            self.engine
                .clocks
                .get(&m.calendar)
                .map_or(0, |c| c.elapsed_seconds(start, self.now))
        });
        m.consumed + running
    }

    /// When `m` reaches `seconds` of business time, if it is running.
    fn instant_at(&self, m: &Metric, seconds: i64) -> Option<i64> {
        let start = m.run_start?;
        let clock = self.engine.clocks.get(&m.calendar)?;
        clock.due_seconds(start, (seconds - m.consumed).max(0))
    }

    fn due_of(&self, m: &Metric) -> Option<i64> {
        self.instant_at(m, i64::from(m.target.minutes()) * 60)
    }

    fn active(&self, metric: SlaMetric) -> Option<usize> {
        self.metrics
            .iter()
            .rposition(|m| m.metric == metric && !m.done)
    }

    /// A response or resolution: the running target of `metric` is met (or
    /// ends after its breach).
    fn meet(&mut self, cause: &Cause, metric: SlaMetric) {
        let Some(i) = self.active(metric) else { return };
        let used = self.metrics.get(i).map_or(0, |m| self.used(m));
        let Some(m) = self.metrics.get_mut(i) else {
            return;
        };
        m.done = true;
        let (cycle, breached) = (m.cycle, m.breached);
        let decision = if breached {
            Decision::TargetStopped {
                metric: metric_name(metric).to_owned(),
                cycle,
                reason: format!(
                    "answered after the breach, {} business time used",
                    business(used)
                ),
            }
        } else {
            Decision::TargetMet {
                metric: metric_name(metric).to_owned(),
                cycle,
                elapsed: business(used),
            }
        };
        self.push(cause, decision, self.sla_prov());
    }

    fn stop(&mut self, cause: &Cause, metric: SlaMetric, reason: &str) {
        if let Some(i) = self.active(metric) {
            self.stop_at(cause, i, reason.to_owned());
        }
    }

    /// Ends the target at `index` without a verdict.
    fn stop_at(&mut self, cause: &Cause, index: usize, reason: String) {
        let Some(m) = self.metrics.get_mut(index) else {
            return;
        };
        m.done = true;
        let (metric, cycle) = (m.metric, m.cycle);
        self.push(
            cause,
            Decision::TargetStopped {
                metric: metric_name(metric).to_owned(),
                cycle,
                reason,
            },
            self.sla_prov(),
        );
    }

    /// Applies the pause rules of the current status to every open target.
    fn apply_pauses(&mut self, cause: &Cause) {
        for i in 0..self.metrics.len() {
            let Some(m) = self.metrics.get(i) else {
                continue;
            };
            if m.done || m.breached {
                continue;
            }
            let should_pause = self.paused_for(m.metric);
            let used = self.used(m);
            let status = self.status.as_str().to_owned();
            let Some(m) = self.metrics.get_mut(i) else {
                continue;
            };
            match (m.run_start.is_some(), should_pause) {
                (true, true) => {
                    m.consumed = used;
                    m.run_start = None;
                    let (metric, cycle) = (m.metric, m.cycle);
                    self.push(
                        cause,
                        Decision::TargetPaused {
                            metric: metric_name(metric).to_owned(),
                            cycle,
                            status,
                        },
                        self.sla_prov(),
                    );
                }
                (false, false) => {
                    m.run_start = Some(self.now);
                    let snapshot = m.clone();
                    let due = self
                        .due_of(&snapshot)
                        .map_or_else(|| "never".to_owned(), instant);
                    self.push(
                        cause,
                        Decision::TargetResumed {
                            metric: metric_name(snapshot.metric).to_owned(),
                            cycle: snapshot.cycle,
                            due,
                        },
                        self.sla_prov(),
                    );
                }
                _ => continue,
            }
            self.refresh(i);
        }
    }

    // ----------------------------------------------------------- timers

    fn next_timer(&self) -> Option<(i64, Timer)> {
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
        if !self.solved
            && let Some((matrix, _)) = self.engine.matrix
        {
            for (i, trigger) in matrix.triggers.iter().enumerate() {
                if let Some(t) = self.trigger_time(i, trigger) {
                    consider(Some(t), Timer::Trigger(i));
                }
            }
        }
        best
    }

    fn trigger_key(&self, index: usize, trigger: &Trigger) -> (usize, u32, u32) {
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

    fn armed(&self, index: usize, trigger: &Trigger) -> bool {
        !self.fired.contains(&self.trigger_key(index, trigger))
            && (trigger.at_levels.is_empty()
                || self.level.is_some_and(|l| trigger.at_levels.contains(&l)))
            && trigger
                .when
                .as_ref()
                .is_none_or(|w| matcher::matches(w, &self.facts()))
    }

    fn trigger_time(&self, index: usize, trigger: &Trigger) -> Option<i64> {
        let timed = matches!(
            trigger.on,
            TriggerOn::Inactivity(_) | TriggerOn::OpenFor(_) | TriggerOn::SlaAtRisk { .. }
        );
        // Conditions before clocks: most triggers do not apply to most tickets.
        if !timed || !self.armed(index, trigger) {
            return None;
        }
        match &trigger.on {
            TriggerOn::Inactivity(d) => self
                .team_clock()
                .and_then(|c| c.due_seconds(self.last_activity, i64::from(d.minutes()) * 60)),
            TriggerOn::OpenFor(d) => self
                .sla_clock()
                .or_else(|| self.team_clock())
                .and_then(|c| c.due_seconds(self.created, i64::from(d.minutes()) * 60)),
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

    fn fire(&mut self, t: i64, timer: Timer) {
        self.now = self.now.max(t);
        match timer {
            Timer::Warning(i, w) => {
                let percent = self
                    .engine
                    .sla
                    .and_then(|(s, _)| s.warnings.get(w).copied())
                    .unwrap_or_default();
                let Some(m) = self.metrics.get_mut(i) else {
                    return;
                };
                if let Some(flag) = m.warned.get_mut(w) {
                    *flag = true;
                }
                let (metric, cycle) = (m.metric, m.cycle);
                let cause = Cause::Timer {
                    timer: format!("{}#{cycle} warning {percent}%", metric_name(metric)),
                };
                self.push(
                    &cause,
                    Decision::TargetWarning {
                        metric: metric_name(metric).to_owned(),
                        cycle,
                        percent,
                    },
                    self.sla_prov(),
                );
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
                let name = format!("{}#{cycle}", metric_name(metric));
                self.outcome.breaches.push(name.clone());
                let cause = Cause::Timer {
                    timer: format!("{name} due"),
                };
                self.push(
                    &cause,
                    Decision::TargetBreached {
                        metric: metric_name(metric).to_owned(),
                        cycle,
                        due: instant(t),
                    },
                    self.sla_prov(),
                );
            }
            Timer::Trigger(i) => {
                let Some((matrix, _)) = self.engine.matrix else {
                    return;
                };
                let Some(trigger) = matrix.triggers.get(i) else {
                    return;
                };
                let cause = Cause::Timer {
                    timer: format!("trigger {}", trigger.id),
                };
                self.fire_trigger(&cause, i);
            }
        }
    }

    // --------------------------------------------------------- triggers

    /// Fires the armed triggers whose `on` is an event kind accepted by `pick`.
    fn event_triggers(&mut self, cause: &Cause, pick: impl Fn(&TriggerOn) -> bool) {
        let Some((matrix, _)) = self.engine.matrix else {
            return;
        };
        for (i, trigger) in matrix.triggers.iter().enumerate() {
            if !pick(&trigger.on) || !self.armed(i, trigger) {
                continue;
            }
            let fires = match &trigger.on {
                TriggerOn::Keywords(words) => matcher::first_keyword(&self.words, words).is_some(),
                _ => true,
            };
            if fires {
                self.fire_trigger(cause, i);
            }
        }
    }

    fn fire_trigger(&mut self, cause: &Cause, index: usize) {
        let Some((matrix, meta)) = self.engine.matrix else {
            return;
        };
        let Some(trigger) = matrix.triggers.get(index) else {
            return;
        };
        self.fired.insert(self.trigger_key(index, trigger));
        let prov = provenance(meta, Some(&trigger.id), &trigger.loc);
        let kind = format!("{:?}", trigger.kind).to_lowercase();
        let from = self.level;
        match &trigger.to {
            EscalateTo::Team(team) => {
                self.team = Some(team.clone());
                self.escalated = true;
                self.outcome.escalations += 1;
                self.outcome.policy_escalations += 1;
                self.push(
                    cause,
                    Decision::Escalated {
                        from: self.team_label(from),
                        to: team.clone(),
                        kind,
                        origin: "policy".to_owned(),
                        trigger: Some(trigger.id.clone()),
                        skipped: Vec::new(),
                    },
                    Some(prov.clone()),
                );
                self.after_move(cause);
            }
            to => {
                let target = match to {
                    EscalateTo::Level(l) => Some(*l),
                    _ => from
                        .and_then(|l| matrix.levels.get(l))
                        .and_then(|l| l.escalates_to),
                };
                match (from, target) {
                    (Some(f), Some(t)) if t > f => {
                        let skipped = matrix
                            .levels
                            .iter()
                            .enumerate()
                            .filter(|(i, _)| *i > f && *i < t)
                            .map(|(_, l)| l.id.clone())
                            .collect();
                        self.move_to_level(t);
                        self.outcome.escalations += 1;
                        self.outcome.policy_escalations += 1;
                        let entry = Decision::Escalated {
                            from: self.level_id(Some(f)),
                            to: self.level_id(Some(t)).unwrap_or_default(),
                            kind,
                            origin: "policy".to_owned(),
                            trigger: Some(trigger.id.clone()),
                            skipped,
                        };
                        self.push(cause, entry, Some(prov.clone()));
                        self.reach_level(cause, t);
                    }
                    _ => {
                        let reason = match (from, target) {
                            (Some(f), None) => format!(
                                "no level above {}",
                                self.level_id(Some(f)).unwrap_or_default()
                            ),
                            (Some(f), Some(_)) => {
                                format!("already at {}", self.level_id(Some(f)).unwrap_or_default())
                            }
                            _ => "the ticket is not in the escalation matrix".to_owned(),
                        };
                        self.push(
                            cause,
                            Decision::TriggerHeld {
                                trigger: trigger.id.clone(),
                                reason,
                            },
                            Some(prov.clone()),
                        );
                        return;
                    }
                }
            }
        }
        let reason = format!("trigger {}", trigger.id);
        self.notify_all(cause, &trigger.notify, &reason, Some(prov));
    }

    fn team_label(&self, level: Option<usize>) -> Option<String> {
        self.level_id(level).or_else(|| self.team.clone())
    }

    fn move_to_level(&mut self, level: usize) {
        self.level = Some(level);
        if let Some((matrix, _)) = self.engine.matrix
            && let Some(l) = matrix.levels.get(level)
        {
            self.team = Some(l.team.clone());
        }
    }

    /// A ticket reached `level`: alert its team and restart the level's
    /// clocks. Called after the escalation entry, so notifications follow it.
    fn reach_level(&mut self, cause: &Cause, level: usize) {
        if let Some((matrix, meta)) = self.engine.matrix
            && let Some(l) = matrix.levels.get(level)
        {
            let notify = Notify {
                team: l.team.clone(),
                via: l.notify_via.clone(),
            };
            let prov = provenance(meta, Some(&l.id), &l.loc);
            self.notify_all(cause, &[notify], &format!("reached {}", l.id), Some(prov));
        }
        self.escalated = self.entry_level.is_none_or(|e| level > e);
        self.after_move(cause);
    }

    /// After any move: new visit, fresh inactivity clock, customer updates.
    fn after_move(&mut self, cause: &Cause) {
        self.visit += 1;
        self.last_activity = self.now;
        if self.escalated && self.active(SlaMetric::PeriodicUpdate).is_none() && !self.solved {
            self.start_metric(cause, SlaMetric::PeriodicUpdate, self.now);
        }
    }

    // ---------------------------------------------------- notifications

    /// The person alerted for `team` now: the owner, or the first backup
    /// when the team's calendar is closed. Returns (name, role).
    fn recipient(&self, team: &str) -> (String, String) {
        let Some((tiers, _)) = self.engine.tiers else {
            return (team.to_owned(), "team".to_owned());
        };
        let Some(t) = tiers.teams.get(team) else {
            return (team.to_owned(), "team".to_owned());
        };
        let open = self
            .engine
            .clocks
            .get(&t.calendar)
            .is_none_or(|c| c.is_open(self.now));
        match (open, t.backups.first()) {
            (false, Some(backup)) => (backup.name.clone(), "backup".to_owned()),
            _ => (t.owner.name.clone(), "owner".to_owned()),
        }
    }

    fn notify_all(
        &mut self,
        cause: &Cause,
        notify: &[Notify],
        reason: &str,
        prov: Option<Provenance>,
    ) {
        for n in notify {
            let (recipient, role) = self.recipient(&n.team);
            let alerts = self
                .engine
                .tiers
                .and_then(|(t, _)| t.teams.get(&n.team))
                .map(|t| t.alerts.clone())
                .unwrap_or_default();
            for channel in &n.via {
                let address = match channel {
                    slate_policy::model::ChannelKind::Slack => alerts.slack.clone(),
                    slate_policy::model::ChannelKind::Teams => alerts.teams.clone(),
                    slate_policy::model::ChannelKind::Email => alerts.email.clone(),
                    slate_policy::model::ChannelKind::Pager => alerts.pager.clone(),
                };
                self.push(
                    cause,
                    Decision::Notified {
                        team: n.team.clone(),
                        recipient: recipient.clone(),
                        role: role.clone(),
                        channel: format!("{channel:?}").to_lowercase(),
                        address,
                        reason: reason.to_owned(),
                    },
                    prov.clone(),
                );
            }
        }
    }

    // ----------------------------------------------------------- events

    fn activity(&mut self) {
        self.activity += 1;
        self.last_activity = self.now;
    }

    fn lowest_level_with_tier(&self, tier: u8) -> Option<usize> {
        let (matrix, _) = self.engine.matrix?;
        matrix
            .levels
            .iter()
            .position(|l| self.team_tier(&l.team) == Some(tier))
    }

    fn event(&mut self, index: usize) {
        let Some(event) = self.ticket.events.get(index) else {
            return;
        };
        self.now = self.now.max(event.at.timestamp());
        let cause = Cause::Event {
            index,
            event: event.body.name().to_owned(),
        };
        match &event.body {
            EventBody::CustomerMessage { text, sentiment } => {
                let fresh: Vec<String> = text.as_deref().map(matcher::words).unwrap_or_default();
                if event.at.timestamp() > self.created {
                    self.words.extend(fresh.iter().cloned());
                }
                if self.first_reply && self.unanswered.is_none() && !self.solved {
                    self.unanswered = Some(self.now);
                    self.start_metric(&cause, SlaMetric::NextResponse, self.now);
                }
                let sentiment = *sentiment;
                // Messages at creation were read with the subject when the
                // ticket was created; their keywords have been judged.
                let message_words = if event.at.timestamp() > self.created {
                    fresh
                } else {
                    Vec::new()
                };
                let Some((matrix, _)) = self.engine.matrix else {
                    return;
                };
                for (i, trigger) in matrix.triggers.iter().enumerate() {
                    let fires = match &trigger.on {
                        TriggerOn::Keywords(words) => {
                            matcher::first_keyword(&message_words, words).is_some()
                        }
                        TriggerOn::SentimentBelow(limit) => sentiment.is_some_and(|s| s < *limit),
                        _ => false,
                    };
                    if fires && self.armed(i, trigger) {
                        self.fire_trigger(&cause, i);
                    }
                }
            }
            EventBody::AgentReply { public, .. } => {
                self.activity();
                if *public {
                    self.first_reply = true;
                    self.unanswered = None;
                    self.meet(&cause, SlaMetric::FirstResponse);
                    self.meet(&cause, SlaMetric::NextResponse);
                    if self.active(SlaMetric::PeriodicUpdate).is_some() {
                        self.meet(&cause, SlaMetric::PeriodicUpdate);
                        if self.escalated && !self.solved {
                            self.start_metric(&cause, SlaMetric::PeriodicUpdate, self.now);
                        }
                    }
                }
            }
            EventBody::InternalNote {} | EventBody::ContextRequested {} => self.activity(),
            EventBody::Assigned { team, tier, .. } => {
                self.activity();
                if let Some(team) = team {
                    self.team = Some(team.clone());
                } else if let Some(tier) = tier
                    && self.team.as_deref().and_then(|t| self.team_tier(t)) != Some(*tier)
                {
                    self.team = self
                        .engine
                        .tiers
                        .and_then(|(t, _)| t.teams.values().find(|team| team.tier == *tier))
                        .map(|t| t.id.clone());
                }
            }
            EventBody::Escalated { to_tier, reason } => {
                self.recorded_escalation(&cause, *to_tier, *reason)
            }
            EventBody::Returned { to_tier } => {
                let from = self.level;
                let to = self.lowest_level_with_tier(*to_tier);
                if let Some(t) = to {
                    self.move_to_level(t);
                }
                self.push(
                    &cause,
                    Decision::Returned {
                        from: self.team_label(from),
                        to: self
                            .level_id(to)
                            .unwrap_or_else(|| format!("tier {to_tier}")),
                    },
                    None,
                );
                self.escalated = match (self.level, self.entry_level) {
                    (Some(l), Some(e)) => l > e,
                    _ => false,
                };
                self.visit += 1;
                self.activity();
                if !self.escalated {
                    self.stop(
                        &cause,
                        SlaMetric::PeriodicUpdate,
                        "returned: no longer escalated",
                    );
                }
            }
            EventBody::StatusChanged { status } => match status {
                Status::Solved => self.solve(&cause),
                Status::Closed => self.close(&cause),
                other => {
                    self.status = *other;
                    self.apply_pauses(&cause);
                }
            },
            EventBody::PriorityChanged { priority } => self.change_priority(&cause, priority),
            EventBody::RefundRequested { amount, currency } => {
                self.refund(&cause, *amount, currency)
            }
            EventBody::Solved {} => self.solve(&cause),
            EventBody::Reopened {} => {
                self.solved = false;
                self.status = Status::Open;
                self.cycle += 1;
                self.push(&cause, Decision::CycleStarted { cycle: self.cycle }, None);
                self.start_metric(&cause, SlaMetric::Resolution, self.now);
                self.event_triggers(&cause, |on| matches!(on, TriggerOn::Reopened));
            }
            EventBody::Closed {} => self.close(&cause),
            EventBody::RefundDecided { .. } | EventBody::Csat { .. } | EventBody::Other => {}
        }
    }

    fn recorded_escalation(&mut self, cause: &Cause, to_tier: u8, reason: Reason) {
        let from = self.level;
        let target = self.engine.matrix.and_then(|(m, _)| {
            m.levels.iter().enumerate().position(|(i, l)| {
                from.is_none_or(|f| i > f) && self.team_tier(&l.team) == Some(to_tier)
            })
        });
        self.outcome.escalations += 1;
        let kind = format!("{reason:?}").to_lowercase();
        match target {
            Some(t) => {
                let skipped = self
                    .engine
                    .matrix
                    .map(|(m, _)| {
                        m.levels
                            .iter()
                            .enumerate()
                            .filter(|(i, _)| from.is_some_and(|f| *i > f) && *i < t)
                            .map(|(_, l)| l.id.clone())
                            .collect()
                    })
                    .unwrap_or_default();
                self.move_to_level(t);
                self.push(
                    cause,
                    Decision::Escalated {
                        from: self.level_id(from),
                        to: self.level_id(Some(t)).unwrap_or_default(),
                        kind,
                        origin: "recorded".to_owned(),
                        trigger: None,
                        skipped,
                    },
                    None,
                );
                self.reach_level(cause, t);
            }
            None => {
                self.team = self
                    .engine
                    .tiers
                    .and_then(|(t, _)| t.teams.values().find(|team| team.tier == to_tier))
                    .map(|t| t.id.clone());
                self.escalated = true;
                self.push(
                    cause,
                    Decision::Escalated {
                        from: self.team_label(from),
                        to: format!("tier {to_tier}"),
                        kind,
                        origin: "recorded".to_owned(),
                        trigger: None,
                        skipped: Vec::new(),
                    },
                    None,
                );
                self.after_move(cause);
            }
        }
    }

    fn solve(&mut self, cause: &Cause) {
        if self.solved {
            return;
        }
        self.solved = true;
        self.status = Status::Solved;
        self.meet(cause, SlaMetric::Resolution);
        self.stop(
            cause,
            SlaMetric::FirstResponse,
            "solved before a first reply",
        );
        self.stop(cause, SlaMetric::NextResponse, "solved");
        self.stop(cause, SlaMetric::PeriodicUpdate, "solved");
    }

    fn close(&mut self, cause: &Cause) {
        self.solve(cause);
        self.status = Status::Closed;
    }

    fn change_priority(&mut self, cause: &Cause, name: &str) {
        let (classification, _) = self.engine.classification;
        let Some(new) = classification.priority_index(name) else {
            return;
        };
        if new == self.priority {
            return;
        }
        let from = self.priority_id().to_owned();
        self.priority = new;
        self.push(
            cause,
            Decision::PriorityChanged {
                from,
                to: self.priority_id().to_owned(),
            },
            None,
        );
        let old_entry = self.sla_entry.map(|e| e.id.clone());
        self.select_sla(cause);
        if self.sla_entry.map(|e| e.id.clone()) == old_entry {
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
                let reason = format!(
                    "no {} target at priority `{}`",
                    metric_name(metric),
                    self.priority_id()
                );
                self.stop_at(cause, i, reason);
                continue;
            };
            let used = self.used(m);
            let Some(m) = self.metrics.get_mut(i) else {
                continue;
            };
            let old = m.target;
            if old == target {
                continue;
            }
            m.target = target;
            let cycle = m.cycle;
            if used > i64::from(target.minutes()) * 60 {
                // Already exceeded: the breach is recorded now, not back-dated.
                m.breached = true;
                self.outcome
                    .breaches
                    .push(format!("{}#{cycle}", metric_name(metric)));
                self.push(
                    cause,
                    Decision::TargetRetargeted {
                        metric: metric_name(metric).to_owned(),
                        cycle,
                        from: old.to_string(),
                        to: target.to_string(),
                        due: instant(self.now),
                    },
                    self.sla_prov(),
                );
                self.push(
                    cause,
                    Decision::TargetBreached {
                        metric: metric_name(metric).to_owned(),
                        cycle,
                        due: instant(self.now),
                    },
                    self.sla_prov(),
                );
            } else {
                let snapshot = m.clone();
                let due = self
                    .due_of(&snapshot)
                    .map_or_else(|| "paused".to_owned(), instant);
                self.push(
                    cause,
                    Decision::TargetRetargeted {
                        metric: metric_name(metric).to_owned(),
                        cycle,
                        from: old.to_string(),
                        to: target.to_string(),
                        due,
                    },
                    self.sla_prov(),
                );
            }
            self.refresh(i);
        }
    }

    fn refund(&mut self, cause: &Cause, amount: rust_decimal::Decimal, currency: &str) {
        let Some((refunds, meta)) = self.engine.refunds else {
            return;
        };
        let handling = self
            .team
            .as_deref()
            .and_then(|t| self.team_tier(t))
            .unwrap_or(1);
        let limit_of = |tier: u8| {
            refunds
                .limits
                .iter()
                .find(|l| l.tier == tier)
                .and_then(|l| l.up_to.get(currency).copied())
        };
        let shown = format!("{amount} {currency}");
        let handling_limit = refunds.limits.iter().find(|l| l.tier == handling);
        if limit_of(handling).is_some_and(|limit| amount <= limit) {
            let prov =
                handling_limit.map(|l| provenance(meta, Some(&format!("tier-{}", l.tier)), &l.loc));
            self.push(
                cause,
                Decision::RefundWithinAuthority {
                    amount: shown,
                    tier: handling,
                },
                prov,
            );
            return;
        }
        let approver = refunds.limits.iter().find(|l| {
            l.tier > handling && l.up_to.get(currency).is_some_and(|limit| amount <= *limit)
        });
        let (approver, prov) = match approver {
            Some(l) => (
                format!("tier {}", l.tier),
                provenance(meta, Some(&format!("tier-{}", l.tier)), &l.loc),
            ),
            None => match &refunds.final_approver {
                Some((team, role)) => (
                    format!("{role} ({team})"),
                    provenance(meta, Some("final_approver"), &meta.loc),
                ),
                None => (
                    "nobody: above every limit".to_owned(),
                    provenance(meta, None, &meta.loc),
                ),
            },
        };
        self.outcome.refunds_needing_approval += 1;
        self.push(
            cause,
            Decision::RefundNeedsApproval {
                amount: shown,
                handling_tier: handling,
                approver,
            },
            Some(prov),
        );
        self.event_triggers(cause, |on| matches!(on, TriggerOn::RefundOverAuthority));
    }
}

impl Engine<'_> {
    /// The calendar an SLA entry counts in (`default` for the default).
    pub fn sla_clock(&self, entry: &str) -> Option<&BusinessClock> {
        let (sla, _) = self.sla?;
        let e = sla
            .entries
            .iter()
            .chain(sla.default.iter())
            .find(|e| e.id == entry)?;
        self.clocks.get(&e.calendar)
    }

    /// The support tier of a level's team.
    pub fn level_tier(&self, level: &str) -> Option<u8> {
        let (matrix, _) = self.matrix?;
        let (tiers, _) = self.tiers?;
        let l = matrix.levels.iter().find(|l| l.id == level)?;
        tiers.teams.get(&l.team).map(|t| t.tier)
    }

    /// The current Benchmarks policy, if any.
    pub fn benchmarks(&self) -> Option<&slate_policy::model::Benchmarks> {
        self.benchmarks
    }

    /// Priority ids, most urgent first.
    pub fn priorities(&self) -> Vec<String> {
        self.classification
            .0
            .priorities
            .iter()
            .map(|p| p.id.clone())
            .collect()
    }

    /// Names of the compiled calendars.
    pub fn calendar_names(&self) -> impl Iterator<Item = &str> {
        self.clocks.keys().map(String::as_str)
    }
}

//! Replay: the recorded timeline is fact; the engine asks what the policy
//! decides along it and writes each decision to the trace.
//!
//! Events are processed in timeline order; timers (SLA warnings and breaches,
//! inactivity and open-for triggers, SLA-at-risk triggers) fire between them.
//! An event at the same instant as a timer goes first: a reply at the breach
//! instant meets the target. Timers fire up to the last recorded event; what
//! is still running then is reported as running, with its due instant.

use std::cell::Cell;
use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, SecondsFormat};
use slate_policy::model::{
    Body, Classification, Duration, EscalateTo, EscalationMatrix, Meta, Notify, PolicySet,
    RefundAuthority, SlaEntry, SlaMetric, SlaPolicy, SupportTiers, Trigger, TriggerOn,
};
use slate_policy::source::Loc;

use crate::clock::BusinessClock;
use crate::keywords::{Compiled, KeywordIndex, Phrases};
use crate::matcher::{self, Facts};
use crate::summary::{Breach, Escalation, Place, Summary};
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
    /// Conditions with their keyword tests compiled against `keywords`,
    /// aligned with the policies' lists.
    conditions: Conditions<'p>,
}

#[derive(Debug, Default)]
struct Conditions<'p> {
    keywords: KeywordIndex,
    rules: Vec<Compiled<'p>>,
    entries: Vec<Compiled<'p>>,
    sla: Vec<Option<Compiled<'p>>>,
    trigger_when: Vec<Option<Compiled<'p>>>,
    trigger_on: Vec<Option<Phrases>>,
    timed: TimedTriggers,
}

/// The triggers that fire on a timer, by the levels they are armed at.
#[derive(Debug, Default)]
struct TimedTriggers {
    /// Armed at every level (no `at_levels`).
    any_level: Vec<usize>,
    /// Per level, those listing it in `at_levels`.
    at_level: Vec<Vec<usize>>,
}

/// Formats a unix instant as RFC 3339 UTC.
pub fn instant(t: i64) -> String {
    DateTime::from_timestamp(t, 0).map_or_else(
        || t.to_string(),
        |d| d.to_rfc3339_opts(SecondsFormat::Secs, true),
    )
}

/// The rule a decision came from, kept as references until a trace needs
/// it written out.
#[derive(Clone, Copy)]
struct Origin<'p> {
    meta: &'p Meta,
    rule: Rule<'p>,
    loc: &'p Loc,
}

#[derive(Clone, Copy)]
enum Rule<'p> {
    None,
    Id(&'p str),
    /// A refund authority limit, written `tier-N`.
    Tier(u8),
}

impl<'p> Origin<'p> {
    fn new(meta: &'p Meta, rule: Option<&'p str>, loc: &'p Loc) -> Self {
        Self {
            meta,
            rule: rule.map_or(Rule::None, Rule::Id),
            loc,
        }
    }

    fn provenance(self) -> Provenance {
        let (line, _) = self.loc.source.line_col(self.loc.span.start);
        Provenance {
            policy: self.meta.name.clone(),
            version: self.meta.version,
            rule: match self.rule {
                Rule::None => None,
                Rule::Id(id) => Some(id.to_owned()),
                Rule::Tier(tier) => Some(format!("tier-{tier}")),
            },
            source: format!("{}:{line}", self.loc.source.relative_name()),
        }
    }
}

/// Why a decision is made: cheap to pass along, written out as a [`Cause`]
/// only when a trace is kept.
#[derive(Clone, Copy)]
enum Why {
    Created,
    Event(usize),
    /// Metric index, warning index.
    Warning(usize, usize),
    Breach(usize),
    Trigger(usize),
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
        let mut conditions = Conditions::default();
        let index = &mut conditions.keywords;
        let (rules, _) = classification;
        conditions.rules = rules
            .rules
            .iter()
            .map(|r| Compiled::new(&r.when, index))
            .collect();
        if let Some((sla, _)) = sla {
            conditions.sla = sla
                .entries
                .iter()
                .map(|e| e.when.as_ref().map(|w| Compiled::new(w, index)))
                .collect();
        }
        if let Some((matrix, _)) = matrix {
            conditions.entries = matrix
                .entry
                .iter()
                .map(|e| Compiled::new(&e.when, index))
                .collect();
            let timed = &mut conditions.timed;
            timed.at_level = vec![Vec::new(); matrix.levels.len()];
            for (i, trigger) in matrix.triggers.iter().enumerate() {
                if matches!(
                    trigger.on,
                    TriggerOn::Inactivity(_) | TriggerOn::OpenFor(_) | TriggerOn::SlaAtRisk { .. }
                ) {
                    if trigger.at_levels.is_empty() {
                        timed.any_level.push(i);
                    }
                    for &level in &trigger.at_levels {
                        if let Some(list) = timed.at_level.get_mut(level) {
                            list.push(i);
                        }
                    }
                }
            }
            let index = &mut conditions.keywords;
            for trigger in &matrix.triggers {
                let when = trigger.when.as_ref().map(|w| Compiled::new(w, index));
                conditions.trigger_when.push(when);
                let on = match &trigger.on {
                    TriggerOn::Keywords(words) => Some(index.add(words)),
                    _ => None,
                };
                conditions.trigger_on.push(on);
            }
        }
        Ok(Self {
            classification,
            sla,
            matrix,
            tiers,
            refunds,
            benchmarks,
            clocks,
            policies,
            conditions,
        })
    }

    /// The compiled calendar of that name.
    pub fn clock(&self, name: &str) -> Option<&BusinessClock> {
        self.clocks.get(name)
    }

    /// Replays one ticket and writes every decision to its trace.
    pub fn replay(&self, ticket: &Ticket) -> Trace {
        self.replay_with_summary(ticket).0
    }

    /// Replays one ticket into its trace and its summary.
    pub fn replay_with_summary<'a>(&'a self, ticket: &'a Ticket) -> (Trace, Summary<'a>) {
        let mut replay = Replay::new(self, ticket, true);
        replay.run();
        replay.finish()
    }

    /// Replays one ticket without a trace: the same decisions, only their
    /// summary kept. What simulation runs, many times faster than a trace.
    pub fn evaluate<'a>(&'a self, ticket: &'a Ticket) -> Summary<'a> {
        let mut replay = Replay::new(self, ticket, false);
        replay.run();
        replay.summary()
    }

    /// The running targets of a ticket after its last event, with their due
    /// instants (for `slate due --ticket`).
    pub fn running_targets(&self, ticket: &Ticket) -> Vec<RunningTarget> {
        let mut replay = Replay::new(self, ticket, false);
        replay.run();
        replay
            .metrics
            .iter()
            .filter(|m| !m.done && !m.breached)
            .map(|m| RunningTarget {
                metric: m.metric.name().to_owned(),
                cycle: m.cycle,
                target: m.target.to_string(),
                calendar: m.calendar.to_owned(),
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
struct Metric<'e> {
    metric: SlaMetric,
    cycle: u32,
    target: Duration,
    calendar: &'e str,
    clock: Option<&'e BusinessClock>,
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

type DueMemo = ((usize, i64, i64), Option<i64>);

struct Replay<'e, 'p> {
    engine: &'e Engine<'p>,
    ticket: &'e Ticket,
    /// Whether decisions are written out; without, only the summary is kept.
    tracing: bool,
    entries: Vec<Entry>,
    now: i64,
    created: i64,
    priority: usize,
    level: Option<usize>,
    entry_level: Option<usize>,
    team: Option<&'e str>,
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
    words: matcher::Words,
    /// The policy's keyword phrases found in `words`.
    present: Phrases,
    sla_entry: Option<&'p SlaEntry>,
    /// The calendars of the handling team and of the SLA entry.
    clocks: (Option<&'e BusinessClock>, Option<&'e BusinessClock>),
    metrics: Vec<Metric<'e>>,
    /// Trigger keys that fired (see `trigger_key`); a handful per ticket.
    fired: Vec<(usize, u32, u32)>,
    /// Trigger `when` results by trigger index (the first 64), valid until
    /// the facts a condition sees change (priority, message words).
    when_known: Cell<u64>,
    when_true: Cell<u64>,
    /// The last few timer instants computed: ((clock, start, seconds), due).
    due_memo: Cell<[DueMemo; 4]>,
    breaches: Vec<Breach>,
    escalations: Vec<Escalation<'e>>,
    refunds_needing_approval: usize,
}

impl<'e, 'p> Replay<'e, 'p> {
    fn new(engine: &'e Engine<'p>, ticket: &'e Ticket, tracing: bool) -> Self {
        let created = ticket.created_at.timestamp();
        // The subject and the messages sent with the ticket.
        let texts = ticket.subject.as_deref().into_iter().chain(
            ticket
                .events
                .iter()
                .take_while(|e| e.at.timestamp() <= created)
                .filter_map(|e| match &e.body {
                    EventBody::CustomerMessage { text, .. } => text.as_deref(),
                    _ => None,
                }),
        );
        let bytes: usize = texts.clone().map(|t| t.len() + 1).sum();
        let mut words = matcher::Words::with_capacity(bytes);
        for text in texts {
            words.extend(text);
        }
        Self {
            engine,
            ticket,
            tracing,
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
            present: {
                let mut present = Phrases::default();
                engine.conditions.keywords.scan(&words, &mut present);
                present
            },
            words,
            sla_entry: None,
            clocks: (None, None),
            metrics: Vec::with_capacity(4),
            fired: Vec::new(),
            when_known: Cell::new(0),
            when_true: Cell::new(0),
            due_memo: Cell::new([((0, i64::MIN, 0), None); 4]),
            breaches: Vec::new(),
            escalations: Vec::new(),
            refunds_needing_approval: 0,
        }
    }

    /// Writes a decision to the trace when one is kept; `build` runs only then.
    fn record(&mut self, why: Why, build: impl FnOnce(&Self) -> (Decision, Option<Origin<'p>>)) {
        if !self.tracing {
            return;
        }
        let (decision, origin) = build(self);
        let entry = Entry {
            at: self.now,
            cause: self.cause(why),
            decision,
            provenance: origin.map(Origin::provenance),
        };
        self.entries.push(entry);
    }

    /// The SLA policy's `w`-th warning threshold, in percent.
    fn warning_percent(&self, w: usize) -> f64 {
        self.engine
            .sla
            .and_then(|(s, _)| s.warnings.get(w).copied())
            .unwrap_or_default()
    }

    fn cause(&self, why: Why) -> Cause {
        let metric = |i: usize| {
            self.metrics
                .get(i)
                .map_or_else(String::new, |m| format!("{}#{}", m.metric.name(), m.cycle))
        };
        match why {
            Why::Created => Cause::Created,
            Why::Event(index) => Cause::Event {
                index,
                event: self
                    .ticket
                    .events
                    .get(index)
                    .map_or("", |e| e.body.name())
                    .to_owned(),
            },
            Why::Warning(i, w) => {
                let percent = self.warning_percent(w);
                Cause::Timer {
                    timer: format!("{} warning {percent}%", metric(i)),
                }
            }
            Why::Breach(i) => Cause::Timer {
                timer: format!("{} due", metric(i)),
            },
            Why::Trigger(i) => Cause::Timer {
                timer: format!(
                    "trigger {}",
                    self.engine
                        .matrix
                        .and_then(|(m, _)| m.triggers.get(i))
                        .map_or("", |t| t.id.as_str())
                ),
            },
        }
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

    fn level_name(&self, level: Option<usize>) -> Option<&'p str> {
        let (m, _) = self.engine.matrix?;
        level.and_then(|l| m.levels.get(l)).map(|l| l.id.as_str())
    }

    fn level_id(&self, level: Option<usize>) -> Option<String> {
        self.level_name(level).map(str::to_owned)
    }

    fn team_tier(&self, team: &str) -> Option<u8> {
        self.engine
            .tiers
            .and_then(|(t, _)| t.teams.get(team))
            .map(|t| t.tier)
    }

    fn team_clock(&self) -> Option<&'e BusinessClock> {
        self.clocks.0
    }

    fn sla_clock(&self) -> Option<&'e BusinessClock> {
        self.clocks.1
    }

    /// Hands the ticket to `team`, and looks up its calendar once.
    fn set_team(&mut self, team: Option<&'e str>) {
        self.team = team;
        self.clocks.0 = team.and_then(|team| {
            let (tiers, _) = self.engine.tiers?;
            self.engine.clocks.get(&tiers.teams.get(team)?.calendar)
        });
    }

    fn set_sla_entry(&mut self, entry: Option<&'p SlaEntry>) {
        self.sla_entry = entry;
        self.clocks.1 = entry.and_then(|e| self.engine.clocks.get(&e.calendar));
    }

    // -------------------------------------------------------------- run

    fn run(&mut self) {
        self.create();
        let times: Vec<i64> = self
            .ticket
            .events
            .iter()
            .map(|e| e.at.timestamp())
            .collect();
        let horizon = times.last().copied().unwrap_or(self.created);
        let mut index = 0;
        // Every step consumes an event or retires a timer; the bound is a
        // guard against a policy that could re-arm forever.
        for _ in 0..100_000 {
            let next_event = times.get(index).copied();
            let timer = self.next_timer().filter(|(t, _)| *t <= horizon);
            match (next_event, timer) {
                (Some(at), Some((t, timer))) if t < at => self.fire(t, timer),
                (Some(at), _) => {
                    self.event(index, at);
                    index += 1;
                }
                (None, Some((t, timer))) => self.fire(t, timer),
                (None, None) => break,
            }
        }
    }

    /// The summary; takes the lists, so it ends the replay.
    fn summary(&mut self) -> Summary<'e> {
        let mut targets = [None; 4];
        for m in &self.metrics {
            if let Some(slot) = targets.get_mut(m.metric.index()) {
                let breached: &mut bool = slot.get_or_insert(false);
                *breached |= m.breached;
            }
        }
        Summary {
            priority: self.priority_id(),
            sla_entry: self.sla_entry,
            targets,
            breaches: std::mem::take(&mut self.breaches),
            escalations: std::mem::take(&mut self.escalations),
            refunds_needing_approval: self.refunds_needing_approval,
        }
    }

    fn finish(mut self) -> (Trace, Summary<'e>) {
        let summary = self.summary();
        let outcome = Outcome {
            priority: summary.priority.to_owned(),
            level: self.level_id(self.level),
            team: self.team.map(str::to_owned),
            breaches: summary.breaches.iter().map(Breach::to_string).collect(),
            escalations: summary.escalations.len(),
            policy_escalations: summary.escalations.iter().filter(|e| e.policy).count(),
            refunds_needing_approval: summary.refunds_needing_approval,
        };
        let trace = Trace {
            trace_version: TRACE_VERSION,
            ticket: self.ticket.id.clone(),
            policies: self.engine.policies.clone(),
            entries: self.entries,
            outcome,
        };
        (trace, summary)
    }

    // --------------------------------------------------------- creation

    fn create(&mut self) {
        let why = Why::Created;
        let (classification, meta) = self.engine.classification;
        let recorded = self
            .ticket
            .priority
            .as_deref()
            .and_then(|p| classification.priority_index(p));
        // Rules see the recorded priority; without one, the default's.
        self.priority = recorded.unwrap_or(classification.default_priority);
        self.facts_changed();
        let facts = self.facts();
        let rule = classification
            .rules
            .iter()
            .zip(&self.engine.conditions.rules)
            .find(|(_, when)| when.holds(&facts, &self.present))
            .map(|(r, _)| r);
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
        self.facts_changed();
        let origin = Origin::new(meta, rule_id.or(Some("default")), loc);
        self.record(why, |r| {
            let decision = Decision::Classified {
                priority: r.priority_id().to_owned(),
                rule: rule_id.map(str::to_owned),
            };
            (decision, Some(origin))
        });

        // Entry level in the matrix.
        let team = action.route_to.as_str();
        self.set_team(Some(team));
        match self.engine.matrix {
            Some((matrix, mmeta)) => {
                let facts = self.facts();
                let entry = matrix
                    .entry
                    .iter()
                    .zip(&self.engine.conditions.entries)
                    .find(|(_, when)| when.holds(&facts, &self.present))
                    .map(|(e, _)| e);
                let level = entry.map_or(matrix.start_at, |e| e.level);
                self.level = Some(level);
                self.entry_level = Some(level);
                self.record(why, |r| {
                    let skipped = matrix
                        .levels
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| *i >= matrix.start_at && *i < level)
                        .map(|(_, l)| l.id.clone())
                        .collect();
                    let decision = Decision::Routed {
                        team: team.to_owned(),
                        tier: r.team_tier(team).unwrap_or(1),
                        owner: r.recipient(team).0,
                        level: r.level_id(Some(level)),
                        skipped,
                    };
                    let routed_by = entry.map(|e| Origin::new(mmeta, Some(&e.id), &e.loc));
                    (decision, Some(routed_by.unwrap_or(origin)))
                });
            }
            None => self.record(why, |r| {
                let decision = Decision::Routed {
                    team: team.to_owned(),
                    tier: r.team_tier(team).unwrap_or(1),
                    owner: r.recipient(team).0,
                    level: None,
                    skipped: Vec::new(),
                };
                (decision, Some(origin))
            }),
        }
        if self.tracing {
            let reason = format!("classified by {}", rule_id.unwrap_or("default"));
            self.notify_all(why, &action.notify, &reason, Some(origin));
        }

        self.select_sla(why);
        self.start_metric(why, SlaMetric::FirstResponse, self.created);
        self.start_metric(why, SlaMetric::Resolution, self.created);
        self.event_triggers(why, |on| {
            matches!(on, TriggerOn::Created | TriggerOn::Keywords(_))
        });
    }

    fn select_sla(&mut self, why: Why) {
        let Some((sla, meta)) = self.engine.sla else {
            self.set_sla_entry(None);
            self.record(why, |_| {
                let reason = "the policy set has no SlaPolicy".to_owned();
                (Decision::NoSla { reason }, None)
            });
            return;
        };
        let segment = self.ticket.requester.segment.as_deref();
        let facts = self.facts();
        let entry = sla
            .entries
            .iter()
            .zip(&self.engine.conditions.sla)
            .find(|(e, when)| {
                e.priority == self.priority
                    && (e.segments.is_empty()
                        || segment.is_some_and(|s| e.segments.iter().any(|x| x == s)))
                    && when.as_ref().is_none_or(|w| w.holds(&facts, &self.present))
            })
            .map(|(e, _)| e)
            .or(sla.default.as_ref());
        self.set_sla_entry(entry);
        self.record(why, |r| match entry {
            Some(e) => (
                Decision::SlaSelected { entry: e.id.clone() },
                Some(Origin::new(meta, Some(&e.id), &e.loc)),
            ),
            None => (
                Decision::NoSla {
                    reason: format!(
                        "no target entry matches priority `{}` and segment `{}`, and there is no default",
                        r.priority_id(),
                        segment.unwrap_or("-")
                    ),
                },
                Some(Origin::new(meta, None, &meta.loc)),
            ),
        });
    }

    // ---------------------------------------------------------- metrics

    fn sla_origin(&self) -> Option<Origin<'p>> {
        let (_, meta) = self.engine.sla?;
        let entry = self.sla_entry?;
        Some(Origin::new(meta, Some(&entry.id), &entry.loc))
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

    fn start_metric(&mut self, why: Why, metric: SlaMetric, start: i64) {
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
    fn due_text(&self, i: usize, absent: &str) -> String {
        self.metrics
            .get(i)
            .and_then(|m| m.due_at)
            .map_or_else(|| absent.to_owned(), instant)
    }

    /// Recomputes the cached timer instants of metric `i`.
    fn refresh(&mut self, i: usize) {
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
    fn used(&self, m: &Metric<'_>) -> i64 {
        let running = m.run_start.map_or(0, |start| {
            m.clock.map_or(0, |c| c.elapsed_seconds(start, self.now))
        });
        m.consumed + running
    }

    /// When `m` reaches `seconds` of business time, if it is running. A
    /// threshold it passed while paused (a re-target lowered it) is due at
    /// once, on resuming, as one passed while running would be: it does not
    /// wait for the calendar to open.
    fn instant_at(&self, m: &Metric<'_>, seconds: i64) -> Option<i64> {
        let start = m.run_start?;
        let clock = m.clock?;
        match seconds - m.consumed {
            left if left < 0 => Some(start),
            left => self.due(clock, start, left),
        }
    }

    fn due_of(&self, m: &Metric<'_>) -> Option<i64> {
        self.instant_at(m, i64::from(m.target.minutes()) * 60)
    }

    fn active(&self, metric: SlaMetric) -> Option<usize> {
        self.metrics
            .iter()
            .rposition(|m| m.metric == metric && !m.done)
    }

    /// A response or resolution: the running target of `metric` is met (or
    /// ends after its breach).
    fn meet(&mut self, why: Why, metric: SlaMetric) {
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
                    metric: metric.name().to_owned(),
                    cycle,
                    reason: format!("answered after the breach, {used} business time used"),
                }
            } else {
                Decision::TargetMet {
                    metric: metric.name().to_owned(),
                    cycle,
                    elapsed: used,
                }
            };
            (decision, r.sla_origin())
        });
    }

    fn stop(&mut self, why: Why, metric: SlaMetric, reason: &'static str) {
        if let Some(i) = self.active(metric) {
            self.stop_at(why, i, |_| reason.to_owned());
        }
    }

    /// Ends the target at `index` without a verdict.
    fn stop_at(&mut self, why: Why, index: usize, reason: impl FnOnce(&Self) -> String) {
        let Some(m) = self.metrics.get_mut(index) else {
            return;
        };
        m.done = true;
        let (metric, cycle) = (m.metric, m.cycle);
        self.record(why, |r| {
            let decision = Decision::TargetStopped {
                metric: metric.name().to_owned(),
                cycle,
                reason: reason(r),
            };
            (decision, r.sla_origin())
        });
    }

    /// Applies the pause rules of the current status to every open target.
    fn apply_pauses(&mut self, why: Why) {
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
                    if let Some(m) = self.metrics.get_mut(i) {
                        m.consumed = used;
                        m.run_start = None;
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
        // Cheapest first: the condition is remembered, the level a lookup.
        self.when_holds(index)
            && (trigger.at_levels.is_empty()
                || self.level.is_some_and(|l| trigger.at_levels.contains(&l)))
            && !self.fired.contains(&self.trigger_key(index, trigger))
    }

    /// Whether trigger `index`'s condition `when` holds now; remembered
    /// until the facts change, as timers ask again at every step.
    fn when_holds(&self, index: usize) -> bool {
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
    fn facts_changed(&self) {
        self.when_known.set(0);
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
            TriggerOn::Inactivity(d) => {
                let clock = self.team_clock()?;
                self.due(clock, self.last_activity, i64::from(d.minutes()) * 60)
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
    fn due(&self, clock: &BusinessClock, start: i64, seconds: i64) -> Option<i64> {
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

    fn fire(&mut self, t: i64, timer: Timer) {
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
                        metric: metric.name().to_owned(),
                        cycle,
                        due: instant(t),
                    };
                    (decision, r.sla_origin())
                });
            }
            Timer::Trigger(i) => self.fire_trigger(Why::Trigger(i), i),
        }
    }

    // --------------------------------------------------------- triggers

    /// Fires the armed triggers whose `on` is an event kind accepted by `pick`.
    fn event_triggers(&mut self, why: Why, pick: impl Fn(&TriggerOn) -> bool) {
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

    fn fire_trigger(&mut self, why: Why, index: usize) {
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
        match &trigger.to {
            EscalateTo::Team(team) => {
                self.set_team(Some(team));
                self.escalated = true;
                self.escalations.push(Escalation {
                    at: self.now,
                    from: self.place(from).map(Place::Named),
                    to: Place::Named(team),
                    tier: self.team_tier(team),
                    policy: true,
                });
                self.record(why, |r| {
                    let decision = Decision::Escalated {
                        from: r.place(from).map(str::to_owned),
                        to: team.clone(),
                        kind: kind(),
                        origin: "policy".to_owned(),
                        trigger: Some(trigger.id.clone()),
                        skipped: Vec::new(),
                    };
                    (decision, Some(origin))
                });
                self.after_move(why);
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
                        self.move_to_level(t);
                        self.push_escalation(Some(f), t, true);
                        self.record(why, |r| {
                            let decision = Decision::Escalated {
                                from: r.level_id(Some(f)),
                                to: r.level_id(Some(t)).unwrap_or_default(),
                                kind: kind(),
                                origin: "policy".to_owned(),
                                trigger: Some(trigger.id.clone()),
                                skipped: r.skipped(Some(f), t),
                            };
                            (decision, Some(origin))
                        });
                        self.reach_level(why, t);
                    }
                    _ => {
                        self.record(why, |r| {
                            let reason = match (from, target) {
                                (Some(f), None) => format!(
                                    "no level above {}",
                                    r.level_id(Some(f)).unwrap_or_default()
                                ),
                                (Some(f), Some(_)) => format!(
                                    "already at {}",
                                    r.level_id(Some(f)).unwrap_or_default()
                                ),
                                _ => "the ticket is not in the escalation matrix".to_owned(),
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
    fn skipped(&self, from: Option<usize>, to: usize) -> Vec<String> {
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
    fn push_escalation(&mut self, from: Option<usize>, to: usize, policy: bool) {
        let to_level = self.engine.matrix.and_then(|(m, _)| m.levels.get(to));
        self.escalations.push(Escalation {
            at: self.now,
            from: self.level_name(from).map(Place::Named),
            to: Place::Named(to_level.map_or("", |l| l.id.as_str())),
            tier: to_level.and_then(|l| self.team_tier(&l.team)),
            policy,
        });
    }

    /// The id of a level, else the team handling the ticket.
    fn place(&self, level: Option<usize>) -> Option<&'e str> {
        self.level_name(level).or(self.team)
    }

    fn team_label(&self, level: Option<usize>) -> Option<String> {
        self.place(level).map(str::to_owned)
    }

    fn move_to_level(&mut self, level: usize) {
        self.level = Some(level);
        if let Some((matrix, _)) = self.engine.matrix
            && let Some(l) = matrix.levels.get(level)
        {
            self.set_team(Some(&l.team));
        }
    }

    /// A ticket reached `level`: alert its team and restart the level's
    /// clocks. Called after the escalation entry, so notifications follow it.
    fn reach_level(&mut self, why: Why, level: usize) {
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
        self.escalated = self.entry_level.is_none_or(|e| level > e);
        self.after_move(why);
    }

    /// After any move: new visit, fresh inactivity clock, customer updates.
    fn after_move(&mut self, why: Why) {
        self.visit += 1;
        self.last_activity = self.now;
        if self.escalated && self.active(SlaMetric::PeriodicUpdate).is_none() && !self.solved {
            self.start_metric(why, SlaMetric::PeriodicUpdate, self.now);
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

    /// Writes the notifications of `notify` to the trace; they decide nothing
    /// else, so replays without a trace skip them.
    fn notify_all(
        &mut self,
        why: Why,
        notify: &[Notify],
        reason: &str,
        origin: Option<Origin<'p>>,
    ) {
        for n in notify {
            let (recipient, role) = self.recipient(&n.team);
            let alerts = self
                .engine
                .tiers
                .and_then(|(t, _)| t.teams.get(&n.team))
                .map(|t| &t.alerts);
            for channel in &n.via {
                let address = alerts.and_then(|a| a.get(*channel).cloned());
                let decision = Decision::Notified {
                    team: n.team.clone(),
                    recipient: recipient.clone(),
                    role: role.clone(),
                    channel: channel.name().to_owned(),
                    address,
                    reason: reason.to_owned(),
                };
                self.record(why, |_| (decision, origin));
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

    fn event(&mut self, index: usize, at: i64) {
        let Some(event) = self.ticket.events.get(index) else {
            return;
        };
        self.now = self.now.max(at);
        let why = Why::Event(index);
        match &event.body {
            EventBody::CustomerMessage { text, sentiment } => {
                // Messages at creation were read with the subject when the
                // ticket was created; their keywords have been judged.
                let mut message = Phrases::default();
                if at > self.created
                    && let Some(text) = text
                {
                    let keywords = &self.engine.conditions.keywords;
                    let fresh = matcher::Words::new(text);
                    keywords.scan(&fresh, &mut message);
                    keywords.scan_appended(&self.words, &fresh, &message, &mut self.present);
                    self.words.append(&fresh);
                    self.facts_changed();
                }
                if self.first_reply && self.unanswered.is_none() && !self.solved {
                    self.unanswered = Some(self.now);
                    self.start_metric(why, SlaMetric::NextResponse, self.now);
                }
                let sentiment = *sentiment;
                let Some((matrix, _)) = self.engine.matrix else {
                    return;
                };
                for (i, trigger) in matrix.triggers.iter().enumerate() {
                    let fires = match (&trigger.on, self.engine.conditions.trigger_on.get(i)) {
                        (_, Some(Some(phrases))) => phrases.meets(&message),
                        (TriggerOn::SentimentBelow(limit), _) => {
                            sentiment.is_some_and(|s| s < *limit)
                        }
                        _ => false,
                    };
                    if fires && self.armed(i, trigger) {
                        self.fire_trigger(why, i);
                    }
                }
            }
            EventBody::AgentReply { public, .. } => {
                self.activity();
                if *public {
                    self.first_reply = true;
                    self.unanswered = None;
                    self.meet(why, SlaMetric::FirstResponse);
                    self.meet(why, SlaMetric::NextResponse);
                    if self.active(SlaMetric::PeriodicUpdate).is_some() {
                        self.meet(why, SlaMetric::PeriodicUpdate);
                        if self.escalated && !self.solved {
                            self.start_metric(why, SlaMetric::PeriodicUpdate, self.now);
                        }
                    }
                }
            }
            EventBody::InternalNote {} | EventBody::ContextRequested {} => self.activity(),
            EventBody::Assigned { team, tier, .. } => {
                self.activity();
                if let Some(team) = team {
                    self.set_team(Some(team));
                } else if let Some(tier) = tier
                    && self.team.and_then(|t| self.team_tier(t)) != Some(*tier)
                {
                    self.set_team(self.team_of_tier(*tier));
                }
            }
            EventBody::Escalated { to_tier, reason } => {
                self.recorded_escalation(why, *to_tier, *reason)
            }
            EventBody::Returned { to_tier } => {
                let from = self.level;
                let to = self.lowest_level_with_tier(*to_tier);
                if let Some(t) = to {
                    self.move_to_level(t);
                }
                self.record(why, |r| {
                    let decision = Decision::Returned {
                        from: r.team_label(from),
                        to: r.level_id(to).unwrap_or_else(|| format!("tier {to_tier}")),
                    };
                    (decision, None)
                });
                self.escalated = match (self.level, self.entry_level) {
                    (Some(l), Some(e)) => l > e,
                    _ => false,
                };
                self.visit += 1;
                self.activity();
                if !self.escalated {
                    self.stop(
                        why,
                        SlaMetric::PeriodicUpdate,
                        "returned: no longer escalated",
                    );
                }
            }
            EventBody::StatusChanged { status } => match status {
                Status::Solved => self.solve(why),
                Status::Closed => self.close(why),
                other => {
                    self.status = *other;
                    self.apply_pauses(why);
                }
            },
            EventBody::PriorityChanged { priority } => self.change_priority(why, priority),
            EventBody::RefundRequested { amount, currency } => self.refund(why, *amount, currency),
            EventBody::Solved {} => self.solve(why),
            EventBody::Reopened {} => {
                self.solved = false;
                self.status = Status::Open;
                self.cycle += 1;
                let cycle = self.cycle;
                self.record(why, |_| (Decision::CycleStarted { cycle }, None));
                self.start_metric(why, SlaMetric::Resolution, self.now);
                self.event_triggers(why, |on| matches!(on, TriggerOn::Reopened));
            }
            EventBody::Closed {} => self.close(why),
            EventBody::RefundDecided { .. } | EventBody::Csat { .. } | EventBody::Other => {}
        }
    }

    fn team_of_tier(&self, tier: u8) -> Option<&'e str> {
        let (tiers, _) = self.engine.tiers?;
        tiers
            .teams
            .values()
            .find(|team| team.tier == tier)
            .map(|t| t.id.as_str())
    }

    fn recorded_escalation(&mut self, why: Why, to_tier: u8, reason: Reason) {
        let from = self.level;
        let target = self.engine.matrix.and_then(|(m, _)| {
            m.levels.iter().enumerate().position(|(i, l)| {
                from.is_none_or(|f| i > f) && self.team_tier(&l.team) == Some(to_tier)
            })
        });
        let kind = move || reason.as_str().to_owned();
        match target {
            Some(t) => {
                self.move_to_level(t);
                self.push_escalation(from, t, false);
                self.record(why, |r| {
                    let decision = Decision::Escalated {
                        from: r.level_id(from),
                        to: r.level_id(Some(t)).unwrap_or_default(),
                        kind: kind(),
                        origin: "recorded".to_owned(),
                        trigger: None,
                        skipped: r.skipped(from, t),
                    };
                    (decision, None)
                });
                self.reach_level(why, t);
            }
            None => {
                self.set_team(self.team_of_tier(to_tier));
                self.escalated = true;
                self.escalations.push(Escalation {
                    at: self.now,
                    from: self.place(from).map(Place::Named),
                    to: Place::Tier(to_tier),
                    tier: Some(to_tier),
                    policy: false,
                });
                self.record(why, |r| {
                    let decision = Decision::Escalated {
                        from: r.team_label(from),
                        to: format!("tier {to_tier}"),
                        kind: kind(),
                        origin: "recorded".to_owned(),
                        trigger: None,
                        skipped: Vec::new(),
                    };
                    (decision, None)
                });
                self.after_move(why);
            }
        }
    }

    fn solve(&mut self, why: Why) {
        if self.solved {
            return;
        }
        self.solved = true;
        self.status = Status::Solved;
        self.meet(why, SlaMetric::Resolution);
        self.stop(why, SlaMetric::FirstResponse, "solved before a first reply");
        self.stop(why, SlaMetric::NextResponse, "solved");
        self.stop(why, SlaMetric::PeriodicUpdate, "solved");
    }

    fn close(&mut self, why: Why) {
        self.solve(why);
        self.status = Status::Closed;
    }

    fn change_priority(&mut self, why: Why, name: &str) {
        let (classification, _) = self.engine.classification;
        let Some(new) = classification.priority_index(name) else {
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
            let retargeted = move |due: String| Decision::TargetRetargeted {
                metric: metric.name().to_owned(),
                cycle,
                from: old.to_string(),
                to: target.to_string(),
                due,
            };
            if used > i64::from(target.minutes()) * 60 {
                // Already exceeded: the breach is recorded now, not back-dated.
                m.breached = true;
                self.breaches.push(Breach {
                    metric,
                    cycle,
                    at: self.now,
                });
                self.record(why, |r| (retargeted(instant(r.now)), r.sla_origin()));
                self.record(why, |r| {
                    let decision = Decision::TargetBreached {
                        metric: metric.name().to_owned(),
                        cycle,
                        due: instant(r.now),
                    };
                    (decision, r.sla_origin())
                });
                self.refresh(i);
            } else {
                self.refresh(i);
                self.record(why, |r| {
                    (retargeted(r.due_text(i, "paused")), r.sla_origin())
                });
            }
        }
    }

    fn refund(&mut self, why: Why, amount: rust_decimal::Decimal, currency: &str) {
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

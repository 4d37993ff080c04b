//! Replay: the recorded timeline is fact; the engine asks what the policy
//! decides along it and writes each decision to the trace.
//!
//! Events are processed in timeline order; timers (SLA warnings and breaches,
//! inactivity and open-for triggers, SLA-at-risk triggers) fire between them.
//! An event at the same instant as a timer goes first: a reply at the breach
//! instant meets the target. Timers fire up to and including the horizon
//! (DESIGN §4.17): the ticket's last event unless the caller names one;
//! events after it are not replayed, and what is still running then is
//! reported as running, with its due instant.

use std::cell::Cell;
use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, SecondsFormat};
use slate_policy::model::{
    Body, Classification, Duration, EscalateTo, EscalationMatrix, Meta, Notify, PolicySet,
    RefundAuthority, SlaEntry, SlaMetric, SlaPolicy, SupportTiers, Trigger, TriggerOn,
};
use slate_policy::source::Loc;

use crate::clock::BusinessClock;
use crate::in_force::NotInForce;
use crate::keywords::{Compiled, KeywordIndex, Phrases};
use crate::matcher::{self, Facts};
use crate::summary::{Breach, Escalation, Place, Summary};
use crate::ticket::{EventBody, Reason, Status, Ticket};
use crate::trace::{Cause, Decision, Entry, Outcome, PolicyRef, Provenance, TRACE_VERSION, Trace};

mod create;
mod events;
mod level_response;
mod levels;
mod notify;
mod refunds;
mod targets;
mod timers;
mod triggers;

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
    /// The clock of on-call teams' timers: always open (DESIGN §4.13).
    around_the_clock: BusinessClock,
    policies: Vec<PolicyRef>,
    /// Policies with no version in force yet: each trace says so.
    missing: Vec<NotInForce>,
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

/// The calendar on-call teams count their timers in.
fn always_open() -> slate_policy::model::Calendar {
    slate_policy::model::Calendar {
        holiday_names: Default::default(),
        timezone: chrono_tz::Tz::UTC,
        always_open: true,
        weekly: Default::default(),
        holidays: Default::default(),
    }
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
    /// The level response target's warning and breach.
    LevelWarning,
    LevelBreach,
}

fn business(seconds: i64) -> String {
    let minutes = u32::try_from(seconds.max(0) / 60).unwrap_or(u32::MAX);
    Duration::from_minutes(minutes).to_string()
}

impl<'p> Engine<'p> {
    /// Compiles the newest version of each policy. Fails when the set has
    /// no classification (nothing could be decided).
    pub fn new(set: &'p PolicySet) -> Result<Self, String> {
        Self::compile(set.current(), Vec::new())
    }

    /// Compiles the versions in force at `at` (DESIGN §4.11); `missing`
    /// are the policies of the set none of whose versions has taken effect
    /// by then, said in every trace.
    pub fn at(set: &'p PolicySet, at: i64) -> Result<Self, String> {
        Self::compile(set.in_force(at), crate::in_force::not_in_force(set, at))
    }

    fn compile(
        chosen: impl Iterator<Item = &'p slate_policy::model::Policy>,
        missing: Vec<NotInForce>,
    ) -> Result<Self, String> {
        let mut classification = None;
        let mut sla = None;
        let mut matrix = None;
        let mut tiers = None;
        let mut refunds = None;
        let mut benchmarks = None;
        let mut clocks = BTreeMap::new();
        let mut policies = Vec::new();
        for policy in chosen {
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
            around_the_clock: BusinessClock::new(&always_open()),
            policies,
            missing,
            conditions,
        })
    }

    /// The versions this engine decides with.
    pub fn policies(&self) -> &[PolicyRef] {
        &self.policies
    }

    /// The compiled calendar of that name.
    pub fn clock(&self, name: &str) -> Option<&BusinessClock> {
        self.clocks.get(name)
    }

    /// Replays one ticket up to its last event and writes every decision to
    /// its trace.
    pub fn replay(&self, ticket: &Ticket) -> Trace {
        self.replay_until(ticket, None)
    }

    /// Replays one ticket up to the horizon `until` (unix seconds; the last
    /// event when `None`, never before creation).
    pub fn replay_until(&self, ticket: &Ticket, until: Option<i64>) -> Trace {
        self.replay_with_summary(ticket, until).0
    }

    /// Replays one ticket up to `until` into its trace and its summary.
    pub fn replay_with_summary<'a>(
        &'a self,
        ticket: &'a Ticket,
        until: Option<i64>,
    ) -> (Trace, Summary<'a>) {
        let mut replay = Replay::new(self, ticket, true, until);
        replay.run();
        replay.finish()
    }

    /// Replays one ticket up to `until` without a trace: the same decisions,
    /// only their summary kept. What simulation runs, many times faster than
    /// a trace.
    pub fn evaluate<'a>(&'a self, ticket: &'a Ticket, until: Option<i64>) -> Summary<'a> {
        let mut replay = Replay::new(self, ticket, false, until);
        replay.run();
        replay.summary()
    }

    /// The running targets of a ticket at the horizon `until` (its last event
    /// when `None`), with their due instants (for `slate due --ticket`).
    pub fn running_targets(&self, ticket: &Ticket, until: Option<i64>) -> Vec<RunningTarget> {
        let mut replay = Replay::new(self, ticket, false, until);
        replay.run();
        let mut running: Vec<RunningTarget> = replay
            .metrics
            .iter()
            .filter(|m| !m.done && !m.breached)
            .map(|m| RunningTarget {
                metric: m.metric.name().to_owned(),
                level: None,
                cycle: m.cycle,
                target: m.target.to_string(),
                calendar: m.calendar.to_owned(),
                paused: m.run_start.is_none(),
                due: replay.due_of(m).map(instant),
            })
            .collect();
        if let Some(t) = replay
            .level_target
            .as_ref()
            .filter(|t| !t.done && !t.breached)
        {
            running.push(RunningTarget {
                metric: "level_response".to_owned(),
                level: Some(t.id.to_owned()),
                cycle: t.cycle,
                target: t.limit.to_string(),
                calendar: t.calendar.to_owned(),
                paused: false,
                due: replay.level_due().1.map(instant),
            });
        }
        running
    }
}

/// A target still running after the last recorded event.
#[derive(Clone, Debug, serde::Serialize, PartialEq, Eq)]
pub struct RunningTarget {
    pub metric: String,
    /// The level of a `level_response` target.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
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
    /// Earlier runs, as real instants: a re-target into another calendar
    /// re-measures them there (DESIGN §4.6).
    runs: Vec<(i64, i64)>,
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
    LevelBreach,
    Warning(usize, usize),
    LevelWarning,
    Trigger(usize),
}

type DueMemo = ((usize, i64, i64), Option<i64>);

struct Replay<'e, 'p> {
    engine: &'e Engine<'p>,
    ticket: &'e Ticket,
    /// Whether decisions are written out; without, only the summary is kept.
    tracing: bool,
    /// Timers fire up to and including it; later events are not replayed.
    horizon: i64,
    entries: Vec<Entry>,
    now: i64,
    created: i64,
    priority: usize,
    level: Option<usize>,
    entry_level: Option<usize>,
    team: Option<&'e str>,
    /// The requester's segment and the channel as the catalogue names
    /// them; `None` when absent or unknown (DESIGN §4.19).
    segment: Option<&'p str>,
    channel: Option<&'p str>,
    /// Ticket values outside the catalogue: (field, value).
    unknown: Vec<(&'static str, &'e str)>,
    /// Counts level changes; triggers fire once per visit.
    visit: u32,
    /// Counts agent activity; inactivity triggers re-arm after activity.
    activity: u32,
    /// The inactivity clock: business seconds counted before the current
    /// run, and the run's start (`None` while the ticket waits on the
    /// customer, DESIGN §4.18).
    idle_consumed: i64,
    idle_since: Option<i64>,
    status: Status,
    solved: bool,
    cycle: u32,
    first_reply: bool,
    unanswered: Option<i64>,
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
    /// The level response target of the current (or last) level.
    level_target: Option<level_response::LevelTarget<'e>>,
    /// Level response targets started per level, for their cycles.
    level_cycles: Vec<u32>,
    /// Each level response target that ended: (level id, breached).
    level_results: Vec<(&'e str, bool)>,
    /// The last refund requested: what a `refund_decided` decides on.
    last_refund: Option<(rust_decimal::Decimal, &'e str)>,
}

impl<'e, 'p> Replay<'e, 'p> {
    fn new(engine: &'e Engine<'p>, ticket: &'e Ticket, tracing: bool, until: Option<i64>) -> Self {
        let created = ticket.created_at.timestamp();
        let horizon = ticket.horizon(until);
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
            horizon,
            entries: Vec::new(),
            now: created,
            created,
            priority: 0,
            level: None,
            entry_level: None,
            team: None,
            segment: None,
            channel: None,
            unknown: Vec::new(),
            visit: 0,
            activity: 0,
            idle_consumed: 0,
            idle_since: Some(created),
            status: Status::New,
            solved: false,
            cycle: 1,
            first_reply: false,
            unanswered: None,
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
            last_refund: None,
            level_target: None,
            level_cycles: vec![0; engine.matrix.map_or(0, |(m, _)| m.levels.len())],
            level_results: Vec::new(),
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
            Why::LevelWarning | Why::LevelBreach => {
                let label = self.level_target.as_ref().map_or_else(String::new, |t| {
                    format!("level_response {}#{}", t.id, t.cycle)
                });
                let what = match (why, &self.level_target) {
                    (Why::LevelWarning, Some(t)) => format!("warning {}%", t.warn_percent()),
                    _ => "due".to_owned(),
                };
                Cause::Timer {
                    timer: format!("{label} {what}"),
                }
            }
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
            segment: self.segment,
            channel: self.channel,
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

    /// The `responsibility` of a level, for the entries that reach it.
    fn responsibility(&self, level: Option<usize>) -> Option<String> {
        let (matrix, _) = self.engine.matrix?;
        matrix.levels.get(level?).map(|l| l.responsibility.clone())
    }

    /// The display names of a team and of its tier.
    fn team_names(&self, team: &str) -> (Option<String>, Option<String>) {
        let Some((tiers, _)) = self.engine.tiers else {
            return (None, None);
        };
        let t = tiers.teams.get(team);
        let tier = t.and_then(|t| tiers.tiers.get(&t.tier));
        (t.map(|t| t.name.clone()), tier.map(|t| t.name.clone()))
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

    /// Hands the ticket to `team`, and looks up the clock its timers count
    /// in once: its calendar, or always-open time for an on-call team.
    fn set_team(&mut self, team: Option<&'e str>) {
        self.team = team;
        self.clocks.0 = team.and_then(|team| {
            let (tiers, _) = self.engine.tiers?;
            let team = tiers.teams.get(team)?;
            if team.on_call {
                return Some(&self.engine.around_the_clock);
            }
            self.engine.clocks.get(&team.calendar)
        });
    }

    fn set_sla_entry(&mut self, entry: Option<&'p SlaEntry>) {
        self.sla_entry = entry;
        self.clocks.1 = entry.and_then(|e| self.engine.clocks.get(&e.calendar));
    }

    // -------------------------------------------------------------- run

    fn run(&mut self) {
        self.create();
        self.sync_level(Why::Created);
        let horizon = self.horizon;
        let times: Vec<i64> = self
            .ticket
            .events
            .iter()
            .map(|e| e.at.timestamp())
            .take_while(|&at| at <= horizon)
            .collect();
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
                    self.sync_level(Why::Event(index));
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
            segment: self.segment,
            unknown: std::mem::take(&mut self.unknown),
            level_response: {
                let mut all = std::mem::take(&mut self.level_results);
                if let Some(t) = self
                    .level_target
                    .as_ref()
                    .filter(|t| !t.done && !t.breached)
                {
                    all.push((t.id, false));
                }
                all
            },
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
            horizon: self.horizon,
            policies: self.engine.policies.clone(),
            entries: self.entries,
            outcome,
        };
        (trace, summary)
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

    /// Each matrix level's id and `name`, lowest first.
    pub fn level_names(&self) -> Vec<(String, String)> {
        self.matrix
            .map(|(m, _)| {
                m.levels
                    .iter()
                    .map(|l| (l.id.clone(), l.name.clone()))
                    .collect()
            })
            .unwrap_or_default()
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

//! The replay, as a plain simulation: events are applied in order and, between
//! them, time passes one minute at a time, every running clock counting the
//! minute if its calendar is open. A timer fires when its clock passes its
//! threshold; decisions are written to the trace as they are made.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use rust_decimal::Decimal;
use slate_engine::Ticket;
use slate_engine::engine::instant;
use slate_engine::ticket::{EventBody, Reason, Status};
use slate_engine::trace::{
    Cause, Decision, Entry, Outcome, PolicyRef, Provenance, TRACE_VERSION, Trace,
};
use slate_policy::model::{
    Body, Calendar, Classification, Duration, EscalateTo, EscalationMatrix, Meta, Notify, Policy,
    PolicySet, RefundAuthority, SlaEntry, SlaMetric, SlaPolicy, SupportTiers, Trigger, TriggerOn,
};
use slate_policy::source::Loc;

use crate::conditions::{self, View};
use crate::minutes;

/// A policy set looked up for replay: the newest version of each policy,
/// or for each ticket the versions in force at its creation.
#[derive(Debug)]
pub enum Reference<'a> {
    Newest(Policies<'a>),
    InForce(&'a PolicySet),
}

impl<'a> Reference<'a> {
    /// The newest versions. Fails when the set has no Classification.
    pub fn new(set: &'a PolicySet) -> Result<Self, String> {
        let newest: Vec<&Policy> = set.current().collect();
        Policies::of(&newest, Vec::new()).map(Self::Newest)
    }

    /// For each ticket, the versions in force at its creation (DESIGN
    /// §4.11).
    pub fn in_force(set: &'a PolicySet) -> Self {
        Self::InForce(set)
    }

    /// Replays `ticket` into its decision trace, up to its last event.
    pub fn replay(&self, ticket: &Ticket) -> Trace {
        self.replay_until(ticket, None)
    }

    /// Replays `ticket` up to the horizon `until` (unix seconds): events
    /// after it do not happen, timers due at it fire. Never before creation.
    pub fn replay_until(&self, ticket: &Ticket, until: Option<i64>) -> Trace {
        match self {
            Self::Newest(p) => run(p, ticket, until),
            Self::InForce(set) => {
                let created = ticket.created_at.timestamp();
                // Per policy, the highest version that has taken effect.
                let mut chosen: Vec<&Policy> = Vec::new();
                let mut missing = Vec::new();
                for p in &set.policies {
                    let same =
                        |q: &&Policy| q.meta.kind == p.meta.kind && q.meta.name == p.meta.name;
                    let best = set
                        .policies
                        .iter()
                        .filter(|q| same(q) && q.meta.effective_at <= created)
                        .max_by_key(|q| q.meta.version);
                    match best {
                        Some(b) if !chosen.iter().any(&same) => chosen.push(b),
                        None if !missing.iter().any(|(m, _): &(Decision, Provenance)| {
                            matches!(m, Decision::NoPolicyInForce { kind, name, .. }
                                if kind == p.meta.kind.as_str() && *name == p.meta.name)
                        }) =>
                        {
                            let first = set
                                .policies
                                .iter()
                                .filter(|q| same(q))
                                .min_by_key(|q| q.meta.effective_at)
                                .unwrap_or(p);
                            missing.push((
                                Decision::NoPolicyInForce {
                                    kind: p.meta.kind.as_str().to_owned(),
                                    name: p.meta.name.clone(),
                                    first_effective: first.meta.effective_text.clone(),
                                },
                                provenance(&first.meta, Some("effective_from"), &first.meta.loc),
                            ));
                        }
                        _ => {}
                    }
                }
                // `chosen` is in the set's order: by kind, then name.
                match Policies::of(&chosen, missing.clone()) {
                    Ok(p) => run(&p, ticket, until),
                    Err(_) => undecided(ticket, missing, until),
                }
            }
        }
    }
}

/// A ticket created before every Classification: what was not in force.
fn undecided(ticket: &Ticket, missing: Vec<(Decision, Provenance)>, until: Option<i64>) -> Trace {
    let created = ticket.created_at.timestamp();
    Trace {
        trace_version: TRACE_VERSION,
        ticket: ticket.id.clone(),
        horizon: ticket.horizon(until),
        policies: Vec::new(),
        entries: missing
            .into_iter()
            .map(|(decision, source)| Entry {
                at: created,
                cause: Cause::Created,
                decision,
                provenance: Some(source),
            })
            .collect(),
        outcome: Outcome {
            priority: "(none)".to_owned(),
            ..Outcome::default()
        },
    }
}

fn run(p: &Policies<'_>, ticket: &Ticket, until: Option<i64>) -> Trace {
    {
        let mut run = Run::new(p, ticket);
        run.horizon = ticket.horizon(until);
        run.run();
        run.into_trace()
    }
}

/// The name on-call teams' timers count under; no policy can have it.
const ON_CALL: &str = "(on call)";

static AROUND_THE_CLOCK: LazyLock<Calendar> = LazyLock::new(|| Calendar {
    holiday_names: Default::default(),
    timezone: chrono_tz::Tz::UTC,
    always_open: true,
    weekly: Default::default(),
    holidays: Default::default(),
});

#[derive(Debug)]
pub struct Policies<'a> {
    classification: (&'a Classification, &'a Meta),
    sla: Option<(&'a SlaPolicy, &'a Meta)>,
    matrix: Option<(&'a EscalationMatrix, &'a Meta)>,
    tiers: Option<&'a SupportTiers>,
    refunds: Option<(&'a RefundAuthority, &'a Meta)>,
    calendars: BTreeMap<&'a str, &'a Calendar>,
    refs: Vec<PolicyRef>,
    /// `no_policy_in_force` entries every trace starts with.
    missing: Vec<(Decision, Provenance)>,
}

impl<'a> Policies<'a> {
    fn of(chosen: &[&'a Policy], missing: Vec<(Decision, Provenance)>) -> Result<Self, String> {
        let mut classification = None;
        let mut sla = None;
        let mut matrix = None;
        let mut tiers = None;
        let mut refunds = None;
        let mut calendars = BTreeMap::new();
        calendars.insert(ON_CALL, &*AROUND_THE_CLOCK);
        let mut refs = Vec::new();
        for policy in chosen.iter().copied() {
            let meta = &policy.meta;
            refs.push(PolicyRef {
                kind: meta.kind.as_str().to_owned(),
                name: meta.name.clone(),
                version: meta.version,
            });
            match &policy.body {
                Body::Calendar(c) => {
                    calendars.insert(meta.name.as_str(), c);
                }
                Body::Classification(c) => classification = Some((c, meta)),
                Body::SlaPolicy(s) => sla = Some((s, meta)),
                Body::EscalationMatrix(m) => matrix = Some((m, meta)),
                Body::SupportTiers(t) => tiers = Some(t),
                Body::RefundAuthority(r) => refunds = Some((r, meta)),
                Body::Benchmarks(_) => {}
            }
        }
        Ok(Self {
            classification: classification.ok_or("no Classification policy")?,
            sla,
            matrix,
            tiers,
            refunds,
            calendars,
            refs,
            missing,
        })
    }

    fn levels(&self) -> &'a [slate_policy::model::Level] {
        self.matrix.map_or(&[], |(m, _)| m.levels.as_slice())
    }

    fn triggers(&self) -> &'a [Trigger] {
        self.matrix.map_or(&[], |(m, _)| m.triggers.as_slice())
    }

    fn team(&self, id: &str) -> Option<&'a slate_policy::model::Team> {
        self.tiers?.teams.get(id)
    }

    fn tier_of(&self, team: &str) -> Option<u8> {
        self.team(team).map(|t| t.tier)
    }

    fn tier_name(&self, tier: u8) -> Option<String> {
        self.tiers?.tiers.get(&tier).map(|t| t.name.clone())
    }

    /// The calendar a team's timers count in, when the set defines it:
    /// always-open time for an on-call team (DESIGN §4.13).
    fn timer_calendar(&self, team: &str) -> Option<&'a str> {
        let team = self.team(team)?;
        if team.on_call {
            return Some(ON_CALL);
        }
        let name = team.calendar.as_str();
        self.calendars.contains_key(name).then_some(name)
    }
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

/// Whole business minutes, written as a duration.
fn business(seconds: i64) -> String {
    let minutes = u32::try_from(seconds.max(0) / 60).unwrap_or(u32::MAX);
    Duration::from_minutes(minutes).to_string()
}

fn seconds(d: Duration) -> i64 {
    i64::from(d.minutes()) * 60
}

/// `percent` % of `d`, in whole seconds (rounded down).
fn share(d: Duration, percent: f64) -> i64 {
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_precision_loss,
        reason = "a percentage of a target of at most a few years"
    )]
    let at = (seconds(d) as f64 * percent / 100.0) as i64;
    at
}

/// The catalogue entry `value` names, ignoring case.
fn named<'c>(catalogue: &'c [String], value: &str) -> Option<&'c str> {
    let wanted = value.to_lowercase();
    catalogue
        .iter()
        .find(|id| id.to_lowercase() == wanted)
        .map(String::as_str)
}

/// The priority an id or alias names, ignoring case.
fn priority_named(classification: &Classification, value: &str) -> Option<usize> {
    let wanted = value.to_lowercase();
    classification.priorities.iter().position(|p| {
        std::iter::once(&p.id)
            .chain(&p.aliases)
            .any(|name| name.to_lowercase() == wanted)
    })
}

/// Whether `calendar` is among the open ones of this minute.
fn is_open_in(open: &[(&str, bool)], calendar: &str) -> bool {
    open.iter()
        .any(|&(name, is_open)| is_open && name == calendar)
}

struct Metric<'a> {
    metric: SlaMetric,
    cycle: u32,
    target: Duration,
    calendar: &'a str,
    /// Business seconds counted so far.
    used: i64,
    /// Business seconds counted while running, in every calendar of the
    /// set: a re-target into another calendar re-measures from the start.
    used_in: BTreeMap<&'a str, i64>,
    running: bool,
    warned: Vec<bool>,
    breached: bool,
    done: bool,
}

/// What can fire between events. At one instant breaches go first (the
/// SLA's, then the level response's), then warnings (likewise), then
/// triggers; each kind in the order its targets started or its triggers
/// are listed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Timer {
    Breach(usize),
    LevelBreach,
    Warning(usize, usize),
    LevelWarning,
    Trigger(usize),
}

/// A level response target (DESIGN §4.12).
struct LevelTarget<'a> {
    level: usize,
    id: &'a str,
    team: &'a str,
    cycle: u32,
    calendar: &'a str,
    /// Business seconds counted in `calendar` since arrival.
    used: i64,
    limit: Duration,
    warn: Option<Duration>,
    warned: bool,
    breached: bool,
    done: bool,
}

impl LevelTarget<'_> {
    fn label(&self) -> String {
        format!("level_response {}#{}", self.id, self.cycle)
    }

    /// `response.target` as a share of `response.max`, in percent.
    fn percent(&self) -> f64 {
        match self.warn {
            Some(_) if self.limit.minutes() == 0 => 100.0,
            Some(w) => {
                let share = f64::from(w.minutes()) * 1000.0 / f64::from(self.limit.minutes());
                share.round() / 10.0
            }
            None => 0.0,
        }
    }
}

/// The clock a timer watches.
#[derive(Clone, Copy)]
enum Counter {
    Metric(usize),
    Level,
    SinceActivity,
    SinceCreated,
}

#[derive(Clone, Copy)]
struct Armed<'a> {
    timer: Timer,
    calendar: &'a str,
    counter: Counter,
    threshold: i64,
}

struct Run<'p, 'a> {
    p: &'p Policies<'a>,
    ticket: &'a Ticket,
    entries: Vec<Entry>,
    now: i64,
    created: i64,
    /// Timers fire up to and including it.
    horizon: i64,
    priority: usize,
    level: Option<usize>,
    entry_level: Option<usize>,
    team: Option<&'a str>,
    /// Segment and channel as the catalogue names them.
    segment: Option<&'a str>,
    channel: Option<&'a str>,
    visit: u32,
    activity: u32,
    status: Status,
    solved: bool,
    cycle: u32,
    first_reply: bool,
    awaiting_reply: bool,
    words: Vec<String>,
    sla_entry: Option<&'a SlaEntry>,
    metrics: Vec<Metric<'a>>,
    fired: Vec<(usize, u32, u32)>,
    /// Business seconds per calendar since creation and since the last
    /// agent activity (or move).
    since_created: BTreeMap<&'a str, i64>,
    since_activity: BTreeMap<&'a str, i64>,
    breaches: Vec<String>,
    escalations: usize,
    policy_escalations: usize,
    refunds_needing_approval: usize,
    /// The amount and currency of the last refund requested.
    requested: Option<(Decimal, &'a str)>,
    level_target: Option<LevelTarget<'a>>,
    /// The levels reached, in order: cycles count visits.
    level_visits: Vec<usize>,
}

impl<'p, 'a> Run<'p, 'a> {
    fn new(p: &'p Policies<'a>, ticket: &'a Ticket) -> Self {
        let created = ticket.created_at.timestamp();
        let mut words = ticket
            .subject
            .as_deref()
            .map(conditions::words)
            .unwrap_or_default();
        for event in &ticket.events {
            if event.at.timestamp() > created {
                break;
            }
            if let EventBody::CustomerMessage {
                text: Some(text), ..
            } = &event.body
            {
                words.extend(conditions::words(text));
            }
        }
        Self {
            p,
            ticket,
            entries: Vec::new(),
            now: created,
            created,
            horizon: created,
            priority: 0,
            level: None,
            entry_level: None,
            team: None,
            segment: None,
            channel: None,
            visit: 0,
            activity: 0,
            status: Status::New,
            solved: false,
            cycle: 1,
            first_reply: false,
            awaiting_reply: false,
            words,
            sla_entry: None,
            metrics: Vec::new(),
            fired: Vec::new(),
            since_created: BTreeMap::new(),
            since_activity: BTreeMap::new(),
            breaches: Vec::new(),
            escalations: 0,
            policy_escalations: 0,
            refunds_needing_approval: 0,
            requested: None,
            level_target: None,
            level_visits: Vec::new(),
        }
    }

    fn unknown(&mut self, cause: &Cause, field: &str, value: &str) {
        let decision = Decision::UnknownValue {
            field: field.to_owned(),
            value: value.to_owned(),
        };
        self.note(cause, decision, None);
    }

    fn note(&mut self, cause: &Cause, decision: Decision, provenance: Option<Provenance>) {
        self.entries.push(Entry {
            at: self.now,
            cause: cause.clone(),
            decision,
            provenance,
        });
    }

    fn into_trace(self) -> Trace {
        let outcome = Outcome {
            priority: self.priority_id().to_owned(),
            level: self.level_id(self.level),
            team: self.team.map(str::to_owned),
            breaches: self.breaches,
            escalations: self.escalations,
            policy_escalations: self.policy_escalations,
            refunds_needing_approval: self.refunds_needing_approval,
        };
        Trace {
            trace_version: TRACE_VERSION,
            ticket: self.ticket.id.clone(),
            horizon: self.horizon,
            policies: self.p.refs.clone(),
            entries: self.entries,
            outcome,
        }
    }

    // ------------------------------------------------------------ facts

    fn priority_id(&self) -> &'a str {
        let (c, _) = self.p.classification;
        c.priorities
            .get(self.priority)
            .map_or("", |p| p.id.as_str())
    }

    fn holds(&self, condition: &slate_policy::model::Condition) -> bool {
        let t = self.ticket;
        let view = View {
            priority: self.priority_id(),
            segment: self.segment,
            channel: self.channel,
            tags: &t.tags,
            vip: t.requester.vip,
            account_value: t.requester.arr,
            fields: &t.fields,
            words: &self.words,
        };
        conditions::holds(condition, &view)
    }

    fn level_id(&self, level: Option<usize>) -> Option<String> {
        level
            .and_then(|l| self.p.levels().get(l))
            .map(|l| l.id.clone())
    }

    fn responsibility(&self, level: Option<usize>) -> Option<String> {
        level
            .and_then(|l| self.p.levels().get(l))
            .map(|l| l.responsibility.clone())
    }

    /// The level's id, else the handling team.
    fn place(&self, level: Option<usize>) -> Option<String> {
        self.level_id(level)
            .or_else(|| self.team.map(str::to_owned))
    }

    fn sla_provenance(&self) -> Option<Provenance> {
        let (_, meta) = self.p.sla?;
        let entry = self.sla_entry?;
        Some(provenance(meta, Some(&entry.id), &entry.loc))
    }

    fn event_cause(&self, index: usize) -> Cause {
        Cause::Event {
            index,
            event: self
                .ticket
                .events
                .get(index)
                .map_or("", |e| e.body.name())
                .to_owned(),
        }
    }

    fn metric_label(&self, i: usize) -> String {
        self.metrics
            .get(i)
            .map_or_else(String::new, |m| format!("{}#{}", m.metric.name(), m.cycle))
    }

    // ------------------------------------------------------------- time

    fn run(&mut self) {
        self.create();
        self.level_step(&Cause::Created, None);
        let horizon = self.horizon;
        for index in 0..self.ticket.events.len() {
            let Some(event) = self.ticket.events.get(index) else {
                break;
            };
            let at = event.at.timestamp();
            if at > horizon {
                break;
            }
            self.pass_time(at, false);
            self.now = self.now.max(at);
            self.event(index);
            let cause = self.event_cause(index);
            self.level_step(&cause, Some(index));
        }
        self.pass_time(horizon, true);
    }

    /// Lets time pass up to `until` (and, when `inclusive`, fires what is
    /// due at `until` itself), firing timers as their clocks pass their
    /// thresholds.
    fn pass_time(&mut self, until: i64, inclusive: bool) {
        loop {
            let armed = self.armed_timers();
            let mut hit = None;
            while self.now < until {
                let end = minutes::next_minute(self.now).min(until);
                let open = self.open_calendars();
                hit = self.first_due(&armed, &open, end);
                match hit {
                    Some((at, _)) => {
                        self.advance(&open, at);
                        break;
                    }
                    None => self.advance(&open, end),
                }
            }
            if hit.is_none() && inclusive {
                // The instant `until` itself: a window of one second that
                // starts there fires only what is due at that instant.
                let open = self.open_calendars();
                hit = self.first_due(&armed, &open, self.now + 1);
            }
            match hit {
                Some((_, timer)) => self.fire(timer),
                None => return,
            }
        }
    }

    fn open_calendars(&self) -> Vec<(&'a str, bool)> {
        self.p
            .calendars
            .iter()
            .map(|(name, c)| (*name, minutes::is_open(c, self.now)))
            .collect()
    }

    /// The first timer that fires in `[now, end)` (within one minute).
    fn first_due(
        &self,
        armed: &[Armed<'a>],
        open: &[(&'a str, bool)],
        end: i64,
    ) -> Option<(i64, Timer)> {
        armed
            .iter()
            .filter_map(|a| {
                let used = self.counted(a.counter, a.calendar);
                let open = is_open_in(open, a.calendar);
                minutes::fires_within(used, a.threshold, open, self.now, end)
                    .map(|at| (at, a.timer))
            })
            .min()
    }

    fn counted(&self, counter: Counter, calendar: &str) -> i64 {
        match counter {
            Counter::Metric(i) => self.metrics.get(i).map_or(0, |m| m.used),
            Counter::Level => self.level_target.as_ref().map_or(0, |t| t.used),
            Counter::SinceActivity => self.since_activity.get(calendar).copied().unwrap_or(0),
            Counter::SinceCreated => self.since_created.get(calendar).copied().unwrap_or(0),
        }
    }

    fn waits_on_support(&self) -> bool {
        !self.solved && matches!(self.status, Status::New | Status::Open)
    }

    /// Moves the clock to `to`, within the current minute.
    fn advance(&mut self, open: &[(&'a str, bool)], to: i64) {
        let span = to - self.now;
        // Inactivity counts while the ticket waits on support (§4.18).
        let waiting = self.waits_on_support();
        for &(name, is_open) in open {
            if is_open {
                *self.since_created.entry(name).or_default() += span;
                if waiting {
                    *self.since_activity.entry(name).or_default() += span;
                }
            }
        }
        if let Some(t) = self.level_target.as_mut()
            && !t.done
            && is_open_in(open, t.calendar)
        {
            t.used += span;
        }
        for m in &mut self.metrics {
            if !m.running || m.done {
                continue;
            }
            if is_open_in(open, m.calendar) {
                m.used += span;
            }
            for &(name, is_open) in open {
                if is_open {
                    *m.used_in.entry(name).or_default() += span;
                }
            }
        }
        self.now = to;
    }

    /// Every timer that can fire now, with its clock and threshold.
    fn armed_timers(&self) -> Vec<Armed<'a>> {
        let mut armed = Vec::new();
        if let Some(t) = &self.level_target
            && !t.done
            && !t.breached
            && self.p.calendars.contains_key(t.calendar)
        {
            let watch = |timer, threshold| Armed {
                timer,
                calendar: t.calendar,
                counter: Counter::Level,
                threshold,
            };
            armed.push(watch(Timer::LevelBreach, seconds(t.limit)));
            if let Some(w) = t.warn.filter(|_| !t.warned) {
                armed.push(watch(Timer::LevelWarning, seconds(w)));
            }
        }
        let warnings = self.p.sla.map_or(&[][..], |(s, _)| s.warnings.as_slice());
        for (i, m) in self.metrics.iter().enumerate() {
            if m.done || m.breached || !m.running || !self.p.calendars.contains_key(m.calendar) {
                continue;
            }
            let watch = |timer, threshold| Armed {
                timer,
                calendar: m.calendar,
                counter: Counter::Metric(i),
                threshold,
            };
            armed.push(watch(Timer::Breach(i), seconds(m.target)));
            for (w, &percent) in warnings.iter().enumerate() {
                if !m.warned.get(w).copied().unwrap_or(true) {
                    armed.push(watch(Timer::Warning(i, w), share(m.target, percent)));
                }
            }
        }
        if self.solved {
            return armed;
        }
        for (i, trigger) in self.p.triggers().iter().enumerate() {
            let watched = match &trigger.on {
                // Inactivity runs only while the ticket waits on support.
                TriggerOn::Inactivity(d) if self.waits_on_support() => self
                    .team
                    .and_then(|t| self.p.timer_calendar(t))
                    .map(|c| (c, Counter::SinceActivity, seconds(*d))),
                TriggerOn::OpenFor(d) => self
                    .sla_entry
                    .map(|e| e.calendar.as_str())
                    .filter(|c| self.p.calendars.contains_key(c))
                    .or_else(|| self.team.and_then(|t| self.p.timer_calendar(t)))
                    .map(|c| (c, Counter::SinceCreated, seconds(*d))),
                TriggerOn::SlaAtRisk { metric, percent } => self.active(*metric).and_then(|m| {
                    let target = self.metrics.get(m)?;
                    let counts = !target.breached
                        && target.running
                        && self.p.calendars.contains_key(target.calendar);
                    counts.then(|| {
                        (
                            target.calendar,
                            Counter::Metric(m),
                            share(target.target, *percent),
                        )
                    })
                }),
                _ => None,
            };
            if let Some((calendar, counter, threshold)) = watched
                && self.is_armed(i, trigger)
            {
                armed.push(Armed {
                    timer: Timer::Trigger(i),
                    calendar,
                    counter,
                    threshold,
                });
            }
        }
        armed
    }

    /// When metric `i` will breach if nothing else happens.
    fn due(&self, i: usize) -> Option<i64> {
        let m = self.metrics.get(i)?;
        if !m.running {
            return None;
        }
        let calendar = self.p.calendars.get(m.calendar)?;
        minutes::project(calendar, self.now, m.used, seconds(m.target))
    }

    fn due_text(&self, i: usize, absent: &str) -> String {
        self.due(i).map_or_else(|| absent.to_owned(), instant)
    }

    fn fire(&mut self, timer: Timer) {
        match timer {
            Timer::Warning(i, w) => {
                let percent = self
                    .p
                    .sla
                    .and_then(|(s, _)| s.warnings.get(w).copied())
                    .unwrap_or_default();
                let cause = Cause::Timer {
                    timer: format!("{} warning {percent}%", self.metric_label(i)),
                };
                let Some(m) = self.metrics.get_mut(i) else {
                    return;
                };
                if let Some(flag) = m.warned.get_mut(w) {
                    *flag = true;
                }
                let decision = Decision::TargetWarning {
                    level: None,
                    metric: m.metric.name().to_owned(),
                    cycle: m.cycle,
                    percent,
                };
                let provenance = self.sla_provenance();
                self.note(&cause, decision, provenance);
            }
            Timer::Breach(i) => {
                let cause = Cause::Timer {
                    timer: format!("{} due", self.metric_label(i)),
                };
                self.breach(&cause, i);
            }
            Timer::Trigger(i) => {
                let id = self.p.triggers().get(i).map_or("", |t| t.id.as_str());
                let cause = Cause::Timer {
                    timer: format!("trigger {id}"),
                };
                self.fire_trigger(&cause, i);
                self.level_step(&cause, None);
            }
            Timer::LevelWarning | Timer::LevelBreach => self.level_timer(timer),
        }
    }

    // ------------------------------------------------- level response

    fn level_source(&self, level: usize) -> Option<Provenance> {
        let (matrix, meta) = self.p.matrix?;
        let l = matrix.levels.get(level)?;
        Some(provenance(meta, Some(&l.id), &l.loc))
    }

    fn level_timer(&mut self, timer: Timer) {
        let Some(t) = self.level_target.as_mut() else {
            return;
        };
        let breach = timer == Timer::LevelBreach;
        let what = if breach {
            "due".to_owned()
        } else {
            format!("warning {}%", t.percent())
        };
        let cause = Cause::Timer {
            timer: format!("{} {what}", t.label()),
        };
        let (id, cycle, level, percent) = (t.id.to_owned(), t.cycle, t.level, t.percent());
        let decision = if breach {
            t.breached = true;
            t.warned = true;
            Decision::TargetBreached {
                metric: "level_response".to_owned(),
                level: Some(id),
                cycle,
                due: instant(self.now),
            }
        } else {
            t.warned = true;
            Decision::TargetWarning {
                metric: "level_response".to_owned(),
                level: Some(id),
                cycle,
                percent,
            }
        };
        let source = self.level_source(level);
        self.note(&cause, decision, source);
    }

    /// After each step: the level's agent activity meets its target; a
    /// move away or a solve stops it; arriving at a level starts one.
    fn level_step(&mut self, cause: &Cause, event: Option<usize>) {
        let active = event
            .and_then(|i| self.ticket.events.get(i))
            .is_some_and(|e| {
                let Some(t) = self.level_target.as_ref().filter(|t| !t.done) else {
                    return false;
                };
                let tier = self.p.tier_of(t.team);
                let (said_tier, said_team) = match &e.body {
                    EventBody::AgentReply { tier, .. } => (*tier, None),
                    EventBody::InternalNote {} => (None, None),
                    EventBody::Assigned {
                        agent: Some(_),
                        tier,
                        team,
                    } => (*tier, team.as_deref()),
                    _ => return false,
                };
                said_tier.is_none_or(|s| Some(s) == tier) && said_team.is_none_or(|s| s == t.team)
            });
        if active && let Some(t) = self.level_target.as_mut() {
            t.done = true;
            let used = business(t.used);
            let (id, cycle, level) = (t.id.to_owned(), t.cycle, t.level);
            let decision = if t.breached {
                Decision::TargetStopped {
                    metric: "level_response".to_owned(),
                    level: Some(id),
                    cycle,
                    reason: format!("answered after the breach, {used} business time used"),
                }
            } else {
                Decision::TargetMet {
                    metric: "level_response".to_owned(),
                    level: Some(id),
                    cycle,
                    elapsed: used,
                }
            };
            let source = self.level_source(level);
            self.note(cause, decision, source);
        }
        let (solved, here) = (self.solved, self.level);
        if let Some(t) = self.level_target.as_mut()
            && !t.done
            && (solved || here != Some(t.level))
        {
            t.done = true;
            let reason = if solved {
                "solved".to_owned()
            } else {
                format!("left {}", t.id)
            };
            let (id, cycle, level) = (t.id.to_owned(), t.cycle, t.level);
            let decision = Decision::TargetStopped {
                metric: "level_response".to_owned(),
                level: Some(id),
                cycle,
                reason,
            };
            let source = self.level_source(level);
            self.note(cause, decision, source);
        }
        let Some(level) = here else {
            return;
        };
        if solved || self.level_target.as_ref().is_some_and(|t| t.level == level) {
            return;
        }
        let Some(l) = self.p.levels().get(level) else {
            return;
        };
        // The team's calendar (always open when on call), named even when
        // the set lacks it: then the target never falls due.
        let calendar = match self.p.team(&l.team) {
            Some(t) if t.on_call => ON_CALL,
            Some(t) => t.calendar.as_str(),
            None => "",
        };
        let (limit, warn) = match l.response_max {
            Some(max) => (max, Some(l.response)),
            None => (l.response, None),
        };
        let cycle = self.level_visits.iter().filter(|&&v| v == level).count() + 1;
        self.level_visits.push(level);
        let target = LevelTarget {
            level,
            id: &l.id,
            team: &l.team,
            cycle: u32::try_from(cycle).unwrap_or(u32::MAX),
            calendar,
            used: 0,
            limit,
            warn,
            warned: false,
            breached: false,
            done: false,
        };
        let due = self
            .p
            .calendars
            .get(calendar)
            .and_then(|c| minutes::project(c, self.now, 0, seconds(limit)));
        let decision = Decision::TargetStarted {
            metric: "level_response".to_owned(),
            level: Some(l.id.clone()),
            cycle: target.cycle,
            target: limit.to_string(),
            calendar: calendar.to_owned(),
            due: due.map_or_else(|| "never".to_owned(), instant),
        };
        self.level_target = Some(target);
        let source = self.level_source(level);
        self.note(cause, decision, source);
    }

    /// Target `i` is breached now.
    fn breach(&mut self, cause: &Cause, i: usize) {
        let Some(m) = self.metrics.get_mut(i) else {
            return;
        };
        m.breached = true;
        m.warned.iter_mut().for_each(|w| *w = true);
        let (metric, cycle) = (m.metric, m.cycle);
        self.breaches.push(format!("{}#{cycle}", metric.name()));
        let decision = Decision::TargetBreached {
            level: None,
            metric: metric.name().to_owned(),
            cycle,
            due: instant(self.now),
        };
        let provenance = self.sla_provenance();
        self.note(cause, decision, provenance);
    }

    // --------------------------------------------------------- creation

    fn create(&mut self) {
        let cause = Cause::Created;
        for (decision, source) in self.p.missing.clone() {
            self.note(&cause, decision, Some(source));
        }
        let (classification, meta) = self.p.classification;
        // Values outside the catalogue are said, then left to the defaults.
        let ticket = self.ticket;
        let recorded = ticket.priority.as_deref().and_then(|p| {
            let found = priority_named(classification, p);
            if found.is_none() {
                self.unknown(&cause, "priority", p);
            }
            found
        });
        if let Some(s) = ticket.requester.segment.as_deref() {
            self.segment = named(&classification.segments, s);
            if self.segment.is_none() {
                self.unknown(&cause, "segment", s);
            }
        }
        if let Some(c) = ticket.channel.as_deref() {
            self.channel = named(&classification.channels, c);
            if self.channel.is_none() {
                self.unknown(&cause, "channel", c);
            }
        }
        // Rules see the recorded priority, or the default's.
        self.priority = recorded.unwrap_or(classification.default_priority);
        let rule = classification.rules.iter().find(|r| self.holds(&r.when));
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
        let classified_by = provenance(meta, Some(rule_id.unwrap_or("default")), loc);
        self.note(
            &cause,
            Decision::Classified {
                priority: self.priority_id().to_owned(),
                rule: rule_id.map(str::to_owned),
                description: rule.and_then(|r| r.description.clone()),
                steps: action.steps.clone(),
            },
            Some(classified_by.clone()),
        );

        // `route_to` names the team; the level is the lowest the team
        // staffs. A matching entry rule overrides both (DESIGN §4.14).
        let mut team = action.route_to.as_str();
        self.hand_to(team);
        let (level, skipped, routed_by) = match self.p.matrix {
            Some((matrix, mmeta)) => {
                let entry = matrix.entry.iter().find(|e| self.holds(&e.when));
                if let Some(e) = entry
                    && let Some(l) = matrix.levels.get(e.level)
                {
                    team = l.team.as_str();
                    self.team = Some(team);
                    self.level = Some(e.level);
                }
                // The levels below the one the ticket starts at.
                let skipped = (0..self.level.unwrap_or(0))
                    .filter_map(|l| self.level_id(Some(l)))
                    .collect();
                self.entry_level = self.level;
                let routed_by = entry.map_or_else(
                    || classified_by.clone(),
                    |e| provenance(mmeta, Some(&e.id), &e.loc),
                );
                (self.level_id(self.level), skipped, routed_by)
            }
            None => (None, Vec::new(), classified_by.clone()),
        };
        let named = self.p.team(team);
        let decision = Decision::Routed {
            team: team.to_owned(),
            team_name: named.map(|t| t.name.clone()),
            tier: self.p.tier_of(team).unwrap_or(1),
            tier_name: named.and_then(|t| self.p.tier_name(t.tier)),
            owner: self.recipient(team).0,
            level,
            responsibility: self.responsibility(self.level),
            skipped,
        };
        self.note(&cause, decision, Some(routed_by));
        let reason = format!("classified by {}", rule_id.unwrap_or("default"));
        self.notify(&cause, &action.notify, &reason, &classified_by);

        self.select_sla(&cause);
        self.start(&cause, SlaMetric::FirstResponse);
        self.start(&cause, SlaMetric::Resolution);
        self.event_triggers(&cause, |on| {
            matches!(on, TriggerOn::Created | TriggerOn::Keywords(_))
        });
    }

    fn select_sla(&mut self, cause: &Cause) {
        let Some((sla, meta)) = self.p.sla else {
            self.sla_entry = None;
            let reason = "the policy set has no SlaPolicy".to_owned();
            self.note(cause, Decision::NoSla { reason }, None);
            return;
        };
        let segment = self.segment;
        let entry = sla
            .entries
            .iter()
            .find(|e| {
                e.priority == self.priority
                    && (e.segments.is_empty()
                        || segment.is_some_and(|s| e.segments.iter().any(|x| x == s)))
                    && e.when.as_ref().is_none_or(|w| self.holds(w))
            })
            .or(sla.default.as_ref());
        self.sla_entry = entry;
        match entry {
            Some(e) => self.note(
                cause,
                Decision::SlaSelected {
                    entry: e.id.clone(),
                    description: e.description.clone(),
                },
                Some(provenance(meta, Some(&e.id), &e.loc)),
            ),
            None => {
                let reason = format!(
                    "no target entry matches priority `{}` and segment `{}`, and there is no default",
                    self.priority_id(),
                    segment.unwrap_or("-")
                );
                self.note(
                    cause,
                    Decision::NoSla { reason },
                    Some(provenance(meta, None, &meta.loc)),
                );
            }
        }
    }

    // ---------------------------------------------------------- targets

    fn paused_in(&self, metric: SlaMetric) -> bool {
        self.p.sla.is_some_and(|(sla, _)| match self.status {
            Status::Pending => sla.paused_when_pending.contains(&metric),
            Status::OnHold => sla.paused_when_on_hold.contains(&metric),
            _ => false,
        })
    }

    /// Starts a target of `metric` now, if the SLA entry sets one.
    fn start(&mut self, cause: &Cause, metric: SlaMetric) {
        let Some(entry) = self.sla_entry else { return };
        let Some(&target) = entry.targets.get(&metric) else {
            return;
        };
        let cycle = match metric {
            SlaMetric::Resolution => self.cycle,
            _ => {
                let before = self.metrics.iter().filter(|m| m.metric == metric).count();
                u32::try_from(before + 1).unwrap_or(u32::MAX)
            }
        };
        let warnings = self.p.sla.map_or(0, |(s, _)| s.warnings.len());
        self.metrics.push(Metric {
            metric,
            cycle,
            target,
            calendar: &entry.calendar,
            used: 0,
            used_in: BTreeMap::new(),
            running: !self.paused_in(metric),
            warned: vec![false; warnings],
            breached: false,
            done: false,
        });
        let due = self.due_text(self.metrics.len() - 1, "never");
        let decision = Decision::TargetStarted {
            level: None,
            metric: metric.name().to_owned(),
            cycle,
            target: target.to_string(),
            calendar: entry.calendar.clone(),
            due,
        };
        let provenance = self.sla_provenance();
        self.note(cause, decision, provenance);
    }

    /// The latest target of `metric` not yet ended.
    fn active(&self, metric: SlaMetric) -> Option<usize> {
        self.metrics
            .iter()
            .rposition(|m| m.metric == metric && !m.done)
    }

    /// A reply or resolution ends the running target of `metric`.
    fn meet(&mut self, cause: &Cause, metric: SlaMetric) {
        let Some(m) = self.active(metric).and_then(|i| self.metrics.get_mut(i)) else {
            return;
        };
        m.done = true;
        let used = business(m.used);
        let decision = if m.breached {
            Decision::TargetStopped {
                level: None,
                metric: metric.name().to_owned(),
                cycle: m.cycle,
                reason: format!("answered after the breach, {used} business time used"),
            }
        } else {
            Decision::TargetMet {
                level: None,
                metric: metric.name().to_owned(),
                cycle: m.cycle,
                elapsed: used,
            }
        };
        let provenance = self.sla_provenance();
        self.note(cause, decision, provenance);
    }

    fn stop(&mut self, cause: &Cause, metric: SlaMetric, reason: String) {
        if let Some(i) = self.active(metric) {
            self.stop_target(cause, i, reason);
        }
    }

    fn stop_target(&mut self, cause: &Cause, i: usize, reason: String) {
        let Some(m) = self.metrics.get_mut(i) else {
            return;
        };
        m.done = true;
        let decision = Decision::TargetStopped {
            level: None,
            metric: m.metric.name().to_owned(),
            cycle: m.cycle,
            reason,
        };
        let provenance = self.sla_provenance();
        self.note(cause, decision, provenance);
    }

    /// Pauses and resumes the open targets as the status says.
    fn pause_or_resume(&mut self, cause: &Cause) {
        for i in 0..self.metrics.len() {
            let Some(m) = self.metrics.get(i) else {
                continue;
            };
            if m.done || m.breached {
                continue;
            }
            let pause = self.paused_in(m.metric);
            if m.running != pause {
                continue;
            }
            let (metric, cycle) = (m.metric.name().to_owned(), m.cycle);
            if let Some(m) = self.metrics.get_mut(i) {
                m.running = !pause;
            }
            let decision = if pause {
                Decision::TargetPaused {
                    metric,
                    cycle,
                    status: self.status.as_str().to_owned(),
                }
            } else {
                let due = self.due_text(i, "never");
                Decision::TargetResumed { metric, cycle, due }
            };
            let provenance = self.sla_provenance();
            self.note(cause, decision, provenance);
        }
    }

    // --------------------------------------------------------- triggers

    fn trigger_key(&self, i: usize, trigger: &Trigger) -> (usize, u32, u32) {
        let epoch = match trigger.on {
            TriggerOn::Inactivity(_) => self.activity,
            TriggerOn::SlaAtRisk { metric, .. } => self
                .active(metric)
                .and_then(|m| self.metrics.get(m))
                .map_or(0, |m| m.cycle),
            _ => 0,
        };
        (i, self.visit, epoch)
    }

    /// A trigger can fire when its condition holds, the ticket is at one of
    /// its levels, and it has not fired on this visit (or, for inactivity,
    /// since the last activity; for SLA at risk, in this target's cycle).
    fn is_armed(&self, i: usize, trigger: &Trigger) -> bool {
        trigger.when.as_ref().is_none_or(|w| self.holds(w))
            && (trigger.at_levels.is_empty()
                || self.level.is_some_and(|l| trigger.at_levels.contains(&l)))
            && !self.fired.contains(&self.trigger_key(i, trigger))
    }

    /// Fires, in order, the armed triggers whose `on` passes `pick`; a
    /// keyword trigger only when the ticket's words hold one of its keywords.
    fn event_triggers(&mut self, cause: &Cause, pick: impl Fn(&TriggerOn) -> bool) {
        for (i, trigger) in self.p.triggers().iter().enumerate() {
            if !pick(&trigger.on) || !self.is_armed(i, trigger) {
                continue;
            }
            let fires = match &trigger.on {
                TriggerOn::Keywords(keywords) => conditions::any_keyword(&self.words, keywords),
                _ => true,
            };
            if fires {
                self.fire_trigger(cause, i);
            }
        }
    }

    fn fire_trigger(&mut self, cause: &Cause, i: usize) {
        let Some((matrix, meta)) = self.p.matrix else {
            return;
        };
        let Some(trigger) = matrix.triggers.get(i) else {
            return;
        };
        let key = self.trigger_key(i, trigger);
        if !self.fired.contains(&key) {
            self.fired.push(key);
        }
        let by = provenance(meta, Some(&trigger.id), &trigger.loc);
        let from = self.level;
        // Named before the move: at no level, the team handling it.
        let from_place = self.place(from);
        let my_tier = self.team.and_then(|t| self.p.tier_of(t));
        let held = |r: &mut Self, reason: String| {
            let trigger = trigger.id.clone();
            r.note(
                cause,
                Decision::TriggerHeld { trigger, reason },
                Some(by.clone()),
            );
        };
        // The level reached; `None` for a hand-over to a team.
        let level = match &trigger.to {
            EscalateTo::Team(team) => {
                let theirs = self.p.tier_of(team);
                if let (Some(mine), Some(theirs)) = (my_tier, theirs)
                    && theirs < mine
                {
                    // Never to a lower tier by policy.
                    held(
                        self,
                        format!("`{team}` is tier {theirs}, below the handling team's tier {mine}"),
                    );
                    return;
                }
                self.hand_to(team);
                None
            }
            to => {
                let target = match to {
                    EscalateTo::Level(l) => Some(*l),
                    _ => match from {
                        Some(f) => matrix.levels.get(f).and_then(|l| l.escalates_to),
                        // At no level: the first level above the team's tier.
                        None => {
                            let mine = my_tier.unwrap_or(1);
                            (0..matrix.levels.len()).find(|&l| {
                                matrix
                                    .levels
                                    .get(l)
                                    .and_then(|l| self.p.tier_of(&l.team))
                                    .is_some_and(|t| t > mine)
                            })
                        }
                    },
                };
                let here = self.place(from).unwrap_or_else(|| "-".to_owned());
                let Some(t) = target else {
                    held(self, format!("no level above {here}"));
                    return;
                };
                if from.is_some_and(|f| t <= f) {
                    held(self, format!("already at {here}"));
                    return;
                }
                let theirs = matrix.levels.get(t).and_then(|l| self.p.tier_of(&l.team));
                if let (Some(mine), Some(theirs)) = (my_tier, theirs)
                    && theirs < mine
                {
                    let id = self.level_id(Some(t)).unwrap_or_default();
                    held(
                        self,
                        format!("{id} is tier {theirs}, below the handling team's tier {mine}"),
                    );
                    return;
                }
                self.move_to(t);
                Some(t)
            }
        };
        self.escalations += 1;
        self.policy_escalations += 1;
        let decision = Decision::Escalated {
            from: from_place.clone(),
            to: self.place(level).unwrap_or_default(),
            kind: trigger.kind.name().to_owned(),
            origin: "policy".to_owned(),
            trigger: Some(trigger.id.clone()),
            description: trigger.description.clone(),
            responsibility: self.responsibility(self.level),
            skipped: level.map_or_else(Vec::new, |t| self.between(from, t)),
        };
        self.note(cause, decision, Some(by.clone()));
        match level {
            Some(t) => self.reached(cause, t),
            None => self.moved(),
        }
        let reason = format!("trigger {}", trigger.id);
        self.notify(cause, &trigger.notify, &reason, &by);
    }

    /// The ids of the levels strictly between `from` and `to`.
    fn between(&self, from: Option<usize>, to: usize) -> Vec<String> {
        let Some(from) = from else {
            return Vec::new();
        };
        (from + 1..to)
            .filter_map(|l| self.level_id(Some(l)))
            .collect()
    }

    /// The ticket is handed to `team`: its level is the lowest level that
    /// team staffs, or none.
    fn hand_to(&mut self, team: &'a str) {
        self.team = Some(team);
        self.level = self.p.levels().iter().position(|l| l.team == team);
    }

    fn move_to(&mut self, level: usize) {
        self.level = Some(level);
        if let Some(l) = self.p.levels().get(level) {
            self.team = Some(&l.team);
        }
    }

    /// The ticket reached `level`: its team is alerted, then the move's
    /// clocks restart.
    fn reached(&mut self, cause: &Cause, level: usize) {
        if let Some((matrix, meta)) = self.p.matrix
            && let Some(l) = matrix.levels.get(level)
        {
            let notify = Notify {
                team: l.team.clone(),
                via: l.notify_via.clone(),
            };
            let by = provenance(meta, Some(&l.id), &l.loc);
            self.notify(cause, &[notify], &format!("reached {}", l.id), &by);
        }
        self.moved();
    }

    /// Any move starts a new visit and a fresh inactivity clock.
    fn moved(&mut self) {
        self.visit += 1;
        self.since_activity.clear();
    }

    // ---------------------------------------------------- notifications

    /// The owner of `team`, or its first backup while its calendar is
    /// closed: (name, role).
    fn recipient(&self, team: &str) -> (String, String, Option<&'a slate_policy::model::Contact>) {
        let Some(t) = self.p.team(team) else {
            return (team.to_owned(), "team".to_owned(), None);
        };
        let open = self
            .p
            .calendars
            .get(t.calendar.as_str())
            .is_none_or(|c| minutes::is_open(c, self.now));
        match t.backups.first() {
            Some(backup) if !open => (backup.name.clone(), "backup".to_owned(), Some(backup)),
            _ => (t.owner.name.clone(), "owner".to_owned(), Some(&t.owner)),
        }
    }

    fn notify(&mut self, cause: &Cause, notify: &[Notify], reason: &str, by: &Provenance) {
        for n in notify {
            let (recipient, role, person) = self.recipient(&n.team);
            let alerts = self.p.team(&n.team).map(|t| &t.alerts);
            for &channel in &n.via {
                let address = alerts.and_then(|a| a.get(channel).cloned());
                let decision = Decision::Notified {
                    team: n.team.clone(),
                    recipient: recipient.clone(),
                    role: role.clone(),
                    position: person.map(|p| p.role.clone()),
                    contact: person.map(|p| p.contact.clone()),
                    channel: channel.name().to_owned(),
                    address,
                    reason: reason.to_owned(),
                };
                self.note(cause, decision, Some(by.clone()));
            }
        }
    }

    // ----------------------------------------------------------- events

    fn agent_activity(&mut self) {
        self.activity += 1;
        self.since_activity.clear();
    }

    fn event(&mut self, index: usize) {
        let Some(event) = self.ticket.events.get(index) else {
            return;
        };
        let cause = self.event_cause(index);
        let at = event.at.timestamp();
        match &event.body {
            EventBody::CustomerMessage { text, sentiment } => {
                // Messages sent with the ticket were read at creation.
                let message = match text {
                    Some(text) if at > self.created => conditions::words(text),
                    _ => Vec::new(),
                };
                self.words.extend(message.iter().cloned());
                if self.first_reply && !self.awaiting_reply && !self.solved {
                    self.awaiting_reply = true;
                    self.start(&cause, SlaMetric::NextResponse);
                }
                for (i, trigger) in self.p.triggers().iter().enumerate() {
                    let fires = match &trigger.on {
                        TriggerOn::Keywords(keywords) => {
                            conditions::any_keyword(&message, keywords)
                        }
                        TriggerOn::SentimentBelow(limit) => sentiment.is_some_and(|s| s < *limit),
                        _ => false,
                    };
                    if fires && self.is_armed(i, trigger) {
                        self.fire_trigger(&cause, i);
                    }
                }
            }
            EventBody::AgentReply { public, .. } => {
                self.agent_activity();
                if *public {
                    self.first_reply = true;
                    self.awaiting_reply = false;
                    self.meet(&cause, SlaMetric::FirstResponse);
                    self.meet(&cause, SlaMetric::NextResponse);
                    // Updates run from the first public reply to the solve.
                    self.meet(&cause, SlaMetric::PeriodicUpdate);
                    if !self.solved {
                        self.start(&cause, SlaMetric::PeriodicUpdate);
                    }
                }
            }
            EventBody::InternalNote {} | EventBody::ContextRequested {} => self.agent_activity(),
            EventBody::Assigned { team, tier, .. } => {
                self.agent_activity();
                let level = self.level;
                if let Some(team) = team {
                    self.hand_to(team);
                } else if let Some(tier) = *tier
                    && self.team.and_then(|t| self.p.tier_of(t)) != Some(tier)
                {
                    match self.first_team_of_tier(tier) {
                        Some(team) => self.hand_to(team),
                        None => {
                            self.team = None;
                            self.level = None;
                        }
                    }
                }
                if self.level != level {
                    self.moved();
                }
            }
            EventBody::Escalated { to_tier, reason } => {
                self.recorded_escalation(&cause, *to_tier, *reason);
            }
            EventBody::Returned { to_tier } => self.returned(&cause, *to_tier),
            EventBody::StatusChanged { status } => match status {
                Status::Solved => self.solve(&cause),
                Status::Closed => self.close(&cause),
                other => {
                    if self.status == Status::Solved {
                        self.reopen(&cause);
                    }
                    self.status = *other;
                    self.pause_or_resume(&cause);
                }
            },
            EventBody::PriorityChanged { priority } => self.change_priority(&cause, priority),
            EventBody::RefundRequested { amount, currency } => {
                self.requested = Some((*amount, currency.as_str()));
                self.refund(&cause, *amount, currency);
            }
            EventBody::RefundDecided {
                approved: true,
                tier: Some(tier),
            } => self.approved_by(&cause, *tier),
            EventBody::Solved {} => self.solve(&cause),
            EventBody::Reopened {} => {
                self.reopen(&cause);
                self.pause_or_resume(&cause);
            }
            EventBody::Closed {} => self.close(&cause),
            EventBody::RefundDecided { .. } | EventBody::Csat { .. } | EventBody::Other => {}
        }
    }

    fn first_team_of_tier(&self, tier: u8) -> Option<&'a str> {
        self.p
            .tiers?
            .teams
            .values()
            .find(|t| t.tier == tier)
            .map(|t| t.id.as_str())
    }

    fn recorded_escalation(&mut self, cause: &Cause, to_tier: u8, reason: Reason) {
        let from = self.level;
        let from_place = self.place(from);
        let target = self.p.levels().iter().enumerate().position(|(i, l)| {
            from.is_none_or(|f| i > f) && self.p.tier_of(&l.team) == Some(to_tier)
        });
        self.escalations += 1;
        match target {
            Some(t) => {
                self.move_to(t);
                let decision = Decision::Escalated {
                    from: from_place.clone(),
                    to: self.level_id(Some(t)).unwrap_or_default(),
                    kind: reason.as_str().to_owned(),
                    origin: "recorded".to_owned(),
                    trigger: None,
                    description: None,
                    responsibility: self.responsibility(Some(t)),
                    skipped: self.between(from, t),
                };
                self.note(cause, decision, None);
                self.reached(cause, t);
            }
            None => {
                match self.first_team_of_tier(to_tier) {
                    Some(team) => self.hand_to(team),
                    None => {
                        self.team = None;
                        self.level = None;
                    }
                }
                let decision = Decision::Escalated {
                    from: from_place.clone(),
                    to: format!("tier {to_tier}"),
                    kind: reason.as_str().to_owned(),
                    origin: "recorded".to_owned(),
                    trigger: None,
                    description: None,
                    responsibility: None,
                    skipped: Vec::new(),
                };
                self.note(cause, decision, None);
                self.moved();
            }
        }
    }

    fn returned(&mut self, cause: &Cause, to_tier: u8) {
        let from = self.level;
        let from_place = self.place(from);
        let to = self
            .p
            .levels()
            .iter()
            .position(|l| self.p.tier_of(&l.team) == Some(to_tier));
        if let Some(t) = to {
            self.move_to(t);
        }
        let decision = Decision::Returned {
            from: from_place.clone(),
            to: self
                .level_id(to)
                .unwrap_or_else(|| format!("tier {to_tier}")),
            responsibility: self.responsibility(to),
        };
        self.note(cause, decision, None);
        self.visit += 1;
        self.agent_activity();
    }

    fn solve(&mut self, cause: &Cause) {
        if self.solved {
            return;
        }
        self.solved = true;
        self.status = Status::Solved;
        self.awaiting_reply = false;
        self.meet(cause, SlaMetric::Resolution);
        let first = "solved before a first reply".to_owned();
        self.stop(cause, SlaMetric::FirstResponse, first);
        self.stop(cause, SlaMetric::NextResponse, "solved".to_owned());
        self.stop(cause, SlaMetric::PeriodicUpdate, "solved".to_owned());
    }

    /// A reopen, by event or by status: a new resolution cycle, and the next
    /// customer message is owed a response.
    fn reopen(&mut self, cause: &Cause) {
        self.solved = false;
        self.status = Status::Open;
        self.first_reply = true;
        self.cycle += 1;
        let cycle = self.cycle;
        self.note(cause, Decision::CycleStarted { cycle }, None);
        self.start(cause, SlaMetric::Resolution);
        self.event_triggers(cause, |on| matches!(on, TriggerOn::Reopened));
    }

    fn close(&mut self, cause: &Cause) {
        self.solve(cause);
        self.status = Status::Closed;
    }

    /// A new priority re-targets the running targets against their original
    /// start; one already exceeded breaches now.
    fn change_priority(&mut self, cause: &Cause, name: &str) {
        let (classification, _) = self.p.classification;
        let Some(new) = priority_named(classification, name) else {
            self.unknown(cause, "priority", name);
            return;
        };
        if new == self.priority {
            return;
        }
        let from = self.priority_id().to_owned();
        self.priority = new;
        let to = self.priority_id().to_owned();
        self.note(cause, Decision::PriorityChanged { from, to }, None);
        let before = self.sla_entry.map(|e| e.id.clone());
        self.select_sla(cause);
        if self.sla_entry.map(|e| e.id.clone()) == before {
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
            let Some(target) = self.sla_entry.and_then(|e| e.targets.get(&metric).copied()) else {
                let reason = format!(
                    "no {} target at priority `{}`",
                    metric.name(),
                    self.priority_id()
                );
                self.stop_target(cause, i, reason);
                continue;
            };
            let calendar = self.sla_entry.map_or(m.calendar, |e| e.calendar.as_str());
            if m.target == target && m.calendar == calendar {
                continue;
            }
            // Measured again from the start, in the new entry's calendar.
            let used = if m.calendar == calendar {
                m.used
            } else {
                m.used_in.get(calendar).copied().unwrap_or(0)
            };
            let (old, cycle) = (m.target, m.cycle);
            if let Some(m) = self.metrics.get_mut(i) {
                m.target = target;
                m.calendar = calendar;
                m.used = used;
            }
            let retargeted = |due: String| Decision::TargetRetargeted {
                metric: metric.name().to_owned(),
                cycle,
                from: old.to_string(),
                to: target.to_string(),
                calendar: calendar.to_owned(),
                due,
            };
            if used > seconds(target) {
                let decision = retargeted(instant(self.now));
                let provenance = self.sla_provenance();
                self.note(cause, decision, provenance);
                // The warnings it passed without a word come first.
                self.unrecorded_warnings(cause, i);
                self.breach(cause, i);
            } else {
                let decision = retargeted(self.due_text(i, "paused"));
                let provenance = self.sla_provenance();
                self.note(cause, decision, provenance);
            }
        }
    }

    fn unrecorded_warnings(&mut self, cause: &Cause, i: usize) {
        let warnings = self.p.sla.map_or(&[][..], |(s, _)| s.warnings.as_slice());
        let Some(m) = self.metrics.get_mut(i) else {
            return;
        };
        let (metric, cycle) = (m.metric, m.cycle);
        let mut passed = Vec::new();
        for (w, flag) in m.warned.iter_mut().enumerate() {
            if !*flag {
                *flag = true;
                passed.extend(warnings.get(w).copied());
            }
        }
        for percent in passed {
            let decision = Decision::TargetWarning {
                level: None,
                metric: metric.name().to_owned(),
                cycle,
                percent,
            };
            let provenance = self.sla_provenance();
            self.note(cause, decision, provenance);
        }
    }

    /// A recorded approval of the requested refund by `tier`, checked
    /// against that tier's authority; the final approver's has no limit.
    fn approved_by(&mut self, cause: &Cause, tier: u8) {
        let (Some((refunds, meta)), Some((amount, currency))) = (self.p.refunds, self.requested)
        else {
            return;
        };
        let final_tier = refunds
            .final_approver
            .as_ref()
            .and_then(|(team, _)| self.p.tier_of(team));
        if final_tier == Some(tier) {
            return;
        }
        let limit = refunds.limits.iter().find(|l| l.tier == tier);
        let up_to = limit.and_then(|l| l.up_to.get(currency));
        if let Some(up_to) = up_to
            && amount <= *up_to
        {
            return;
        }
        let decision = Decision::RefundApprovedAboveAuthority {
            amount: format!("{amount} {currency}"),
            tier,
            authority: match up_to {
                Some(up_to) => format!("{up_to} {currency}"),
                None => "none".to_owned(),
            },
        };
        let source = match limit {
            Some(l) => provenance(meta, Some(&format!("tier-{}", l.tier)), &l.loc),
            None => provenance(meta, None, &meta.loc),
        };
        self.note(cause, decision, Some(source));
    }

    fn refund(&mut self, cause: &Cause, amount: Decimal, currency: &str) {
        let Some((refunds, meta)) = self.p.refunds else {
            return;
        };
        let handling = self.team.and_then(|t| self.p.tier_of(t)).unwrap_or(1);
        let shown = format!("{amount} {currency}");
        let own = refunds.limits.iter().find(|l| l.tier == handling);
        if own
            .and_then(|l| l.up_to.get(currency))
            .is_some_and(|limit| amount <= *limit)
        {
            let by = own.map(|l| provenance(meta, Some(&format!("tier-{}", l.tier)), &l.loc));
            let decision = Decision::RefundWithinAuthority {
                amount: shown,
                tier: handling,
            };
            self.note(cause, decision, by);
            return;
        }
        self.refunds_needing_approval += 1;
        let above = refunds.limits.iter().find(|l| {
            l.tier > handling && l.up_to.get(currency).is_some_and(|limit| amount <= *limit)
        });
        let (approver, by) = match (above, &refunds.final_approver) {
            (Some(l), _) => (
                format!("tier {}", l.tier),
                provenance(meta, Some(&format!("tier-{}", l.tier)), &l.loc),
            ),
            (None, Some((team, role))) => (
                format!("{role} ({team})"),
                provenance(meta, Some("final_approver"), &meta.loc),
            ),
            (None, None) => (
                "nobody: above every limit".to_owned(),
                provenance(meta, None, &meta.loc),
            ),
        };
        let decision = Decision::RefundNeedsApproval {
            amount: shown,
            handling_tier: handling,
            approver,
        };
        self.note(cause, decision, Some(by));
        self.event_triggers(cause, |on| matches!(on, TriggerOn::RefundOverAuthority));
    }
}

//! Aggregating facts into metrics, and checking them against benchmarks.

use std::collections::BTreeMap;

use serde::Serialize;
use slate_policy::model::{BandValue, BenchmarkMetric, Benchmarks};

use slate_policy::model::SlaMetric;

use crate::facts::Facts;
use crate::quantile::Durations;

/// Bumped when the report's shape changes.
pub const REPORT_VERSION: u32 = 1;

/// Sums for one group of tickets (all, or one priority × segment).
#[derive(Clone, Debug, Default)]
pub struct Group {
    tickets: u64,
    escalated: u64,
    recorded: u64,
    policy: u64,
    escalations: u64,
    bounced: u64,
    repeat: u64,
    recontact: u64,
    context_loss: u64,
    handoff: Durations,
    /// Handoff delays per bucket of [`HANDOFF_BUCKETS`].
    handoff_buckets: [u64; 7],
    /// Per metric: tickets with a target, breached; the same for escalated tickets.
    targets: [(u64, u64, u64, u64); 4],
    any_target: (u64, u64, u64, u64),
    first_response: (Durations, Durations),
    resolution: (Durations, Durations),
    csat: (u64, u64, u64),
}

impl Group {
    fn add(&mut self, f: &Facts<'_>) {
        let escalated = f.recorded_escalations + f.policy_escalations > 0;
        self.tickets += 1;
        self.escalated += u64::from(escalated);
        self.recorded += u64::from(f.recorded_escalations > 0);
        self.policy += u64::from(f.policy_escalations > 0);
        self.escalations += u64::from(f.recorded_escalations + f.policy_escalations);
        self.bounced += u64::from(f.bounced);
        self.repeat += u64::from(f.repeat_escalation);
        self.recontact += u64::from(escalated && f.recontact);
        self.context_loss += u64::from(escalated && f.context_loss);
        for &d in &f.handoff_delays {
            self.handoff.add(d);
            let minutes = d / 60;
            if let Some(i) = HANDOFF_BUCKETS
                .iter()
                .position(|(limit, _)| minutes < *limit)
                && let Some(c) = self.handoff_buckets.get_mut(i)
            {
                *c += 1;
            }
        }
        let mut any = false;
        let mut any_breach = false;
        for (slot, target) in self.targets.iter_mut().zip(f.targets) {
            if let Some(breached) = target {
                any = true;
                any_breach |= breached;
                slot.0 += 1;
                slot.1 += u64::from(breached);
                if escalated {
                    slot.2 += 1;
                    slot.3 += u64::from(breached);
                }
            }
        }
        if any {
            self.any_target.0 += 1;
            self.any_target.1 += u64::from(any_breach);
            if escalated {
                self.any_target.2 += 1;
                self.any_target.3 += u64::from(any_breach);
            }
        }
        if let Some((calendar, business)) = f.first_response {
            self.first_response.0.add(calendar);
            self.first_response.1.add(business);
        }
        if let Some((calendar, business)) = f.resolution {
            self.resolution.0.add(calendar);
            self.resolution.1.add(business);
        }
        if let Some(score) = f.csat {
            self.csat.0 += 1;
            self.csat.1 += u64::from(score);
            self.csat.2 += u64::from(score >= 4);
        }
    }

    fn merge(&mut self, other: Group) {
        self.tickets += other.tickets;
        self.escalated += other.escalated;
        self.recorded += other.recorded;
        self.policy += other.policy;
        self.escalations += other.escalations;
        self.bounced += other.bounced;
        self.repeat += other.repeat;
        self.recontact += other.recontact;
        self.context_loss += other.context_loss;
        self.handoff.merge(other.handoff);
        for (a, b) in self.handoff_buckets.iter_mut().zip(other.handoff_buckets) {
            *a += b;
        }
        for (a, b) in self.targets.iter_mut().zip(other.targets) {
            a.0 += b.0;
            a.1 += b.1;
            a.2 += b.2;
            a.3 += b.3;
        }
        self.any_target.0 += other.any_target.0;
        self.any_target.1 += other.any_target.1;
        self.any_target.2 += other.any_target.2;
        self.any_target.3 += other.any_target.3;
        self.first_response.0.merge(other.first_response.0);
        self.first_response.1.merge(other.first_response.1);
        self.resolution.0.merge(other.resolution.0);
        self.resolution.1.merge(other.resolution.1);
        self.csat.0 += other.csat.0;
        self.csat.1 += other.csat.1;
        self.csat.2 += other.csat.2;
    }
}

/// Everything a simulation run accumulates; mergeable across threads. Its
/// size depends on the policies (priorities × segments), the days the data
/// spans and the distinct duration steps, never on the number of tickets.
#[derive(Clone, Debug, Default)]
pub struct Accumulator {
    /// Per (priority, segment); a few dozen, found by a linear scan.
    groups: Vec<((String, String), Group)>,
    /// Unresolved tickets at each day end (UTC): day → (count, total age seconds).
    backlog: BTreeMap<i64, (u64, i64)>,
    /// Intervals still open at the end of their timeline, by the UTC day
    /// they started: (count, sum of starts). Counted up to the last instant
    /// in the data when the report is made.
    still_open: BTreeMap<i64, (u64, i64)>,
    /// The last instant seen in any timeline.
    horizon: i64,
    /// Tickets left out as created after the horizon.
    after_horizon: u64,
    /// Tickets left out as created before every Classification version.
    no_policy_in_force: u64,
    /// Spans of versions in force that decided tickets, a bit each.
    spans_used: u64,
    /// Level response targets per level id: (started, breached).
    level_response: BTreeMap<String, (u64, u64)>,
    /// Tickets per ticket value outside the catalogue: (field, value);
    /// at most [`MAX_UNKNOWN`] values, the rest under `(other values)`.
    unknown: BTreeMap<(&'static str, String), u64>,
    /// Tickets whose decisions differ from the baseline.
    differing_tickets: u64,
    /// The first of them by id (at most `keep_differing`), with the first
    /// difference.
    differing: Vec<(String, String)>,
    keep_differing: usize,
}

const DAY: i64 = 86_400;

/// Distinct unknown ticket values kept by name; hostile data could make
/// every ticket's value different.
const MAX_UNKNOWN: usize = 1000;

impl Accumulator {
    /// An accumulator that lists up to `keep` differing tickets (the first by id).
    pub fn new(keep: usize) -> Self {
        Self {
            keep_differing: keep,
            ..Self::default()
        }
    }

    /// Tickets added so far.
    pub fn tickets(&self) -> u64 {
        self.groups.iter().map(|(_, g)| g.tickets).sum()
    }

    pub fn add(&mut self, f: &Facts<'_>) {
        match self
            .groups
            .iter_mut()
            .find(|((p, s), _)| p == f.priority && s == f.segment)
        {
            Some((_, g)) => g.add(f),
            None => {
                let mut g = Group::default();
                g.add(f);
                let key = (f.priority.to_owned(), f.segment.to_owned());
                self.groups.push((key, g));
            }
        }
        self.horizon = self.horizon.max(f.last_event);
        for &(level, breached) in &f.decisions.level_response {
            let slot = self.level_response.entry(level.to_owned()).or_default();
            slot.0 += 1;
            slot.1 += u64::from(breached);
        }
        let mut seen: Vec<(&'static str, &str)> = Vec::new();
        for &(field, value) in &f.decisions.unknown {
            if !seen.contains(&(field, value)) {
                seen.push((field, value));
                self.add_unknown(field, value.to_owned(), 1);
            }
        }
        for &(start, end) in &f.open {
            match end {
                Some(end) => self.count_open(start, end),
                None => {
                    let slot = self.still_open.entry(start.div_euclid(DAY)).or_default();
                    slot.0 += 1;
                    slot.1 += start;
                }
            }
        }
    }

    /// Notes a ticket created before every Classification version.
    pub fn add_no_policy_in_force(&mut self) {
        self.no_policy_in_force += 1;
    }

    /// Notes that span `i` of the versions in force decided a ticket.
    pub fn add_span(&mut self, i: usize) {
        self.spans_used |= 1u64
            .checked_shl(u32::try_from(i).unwrap_or(u32::MAX))
            .unwrap_or(0);
    }

    /// The spans that decided tickets, a bit each.
    pub fn spans_used(&self) -> u64 {
        self.spans_used
    }

    fn add_unknown(&mut self, field: &'static str, value: String, tickets: u64) {
        let key = (field, value);
        if self.unknown.len() >= MAX_UNKNOWN && !self.unknown.contains_key(&key) {
            *self.unknown.entry((field, OTHER.to_owned())).or_default() += tickets;
        } else {
            *self.unknown.entry(key).or_default() += tickets;
        }
    }

    /// Notes a ticket created after the horizon: it had not happened yet.
    pub fn add_after_horizon(&mut self) {
        self.after_horizon += 1;
    }

    /// Notes a ticket decided differently than under the baseline.
    pub fn add_difference(&mut self, ticket: &str, difference: String) {
        self.differing_tickets += 1;
        if self.keep_differing == 0 {
            return;
        }
        self.differing.push((ticket.to_owned(), difference));
        if self.differing.len() >= 2 * self.keep_differing {
            self.trim_differing();
        }
    }

    fn trim_differing(&mut self) {
        self.differing.sort();
        self.differing.truncate(self.keep_differing);
    }

    /// Counts an interval at every day end inside it (at most 400 days).
    fn count_open(&mut self, start: i64, end: i64) {
        self.count_open_many(start.div_euclid(DAY), 1, start, end);
    }

    /// Counts `count` intervals starting on `day` (their starts summing to
    /// `starts`) at every day end before `end`, up to 400 days.
    fn count_open_many(&mut self, day: i64, count: u64, starts: i64, end: i64) {
        let mut t = (day + 1) * DAY;
        let n = i64::try_from(count).unwrap_or(i64::MAX);
        for _ in 0..400 {
            if t >= end {
                break;
            }
            let slot = self.backlog.entry(t).or_default();
            slot.0 += count;
            slot.1 += n.saturating_mul(t) - starts;
            t += DAY;
        }
    }

    pub fn merge(&mut self, other: Accumulator) {
        self.horizon = self.horizon.max(other.horizon);
        self.after_horizon += other.after_horizon;
        self.no_policy_in_force += other.no_policy_in_force;
        self.spans_used |= other.spans_used;
        for (level, (started, breached)) in other.level_response {
            let slot = self.level_response.entry(level).or_default();
            slot.0 += started;
            slot.1 += breached;
        }
        for ((field, value), n) in other.unknown {
            self.add_unknown(field, value, n);
        }
        for (day, (count, starts)) in other.still_open {
            let slot = self.still_open.entry(day).or_default();
            slot.0 += count;
            slot.1 += starts;
        }
        for (key, g) in other.groups {
            match self.groups.iter_mut().find(|(k, _)| *k == key) {
                Some((_, mine)) => mine.merge(g),
                None => self.groups.push((key, g)),
            }
        }
        for (day, (count, age)) in other.backlog {
            let slot = self.backlog.entry(day).or_default();
            slot.0 += count;
            slot.1 += age;
        }
        self.differing_tickets += other.differing_tickets;
        self.keep_differing = self.keep_differing.max(other.keep_differing);
        self.differing.extend(other.differing);
        if self.differing.len() >= 2 * self.keep_differing {
            self.trim_differing();
        }
    }

    /// The report: metrics per group, backlog, benchmark verdicts, judged
    /// at `horizon`, with the benchmarks, catalogue and level names of
    /// `engine` and the `versions` that decided.
    pub fn report(
        mut self,
        engine: &slate_engine::Engine<'_>,
        errors: u64,
        horizon: Horizon,
        versions: crate::PolicyVersions,
    ) -> Report {
        let benchmarks = engine.benchmarks();
        let priorities = &engine.priorities();
        let names = engine.level_names();
        self.trim_differing();
        self.horizon = horizon.at;
        // Up to the end of the day the data ends in.
        let end = (self.horizon.div_euclid(DAY) + 1) * DAY + 1;
        for (day, (count, starts)) in std::mem::take(&mut self.still_open) {
            self.count_open_many(day, count, starts, end);
        }
        let mut all = Group::default();
        for (_, g) in &self.groups {
            all.merge(g.clone());
        }
        let rank = |p: &str| priorities.iter().position(|x| x == p).unwrap_or(usize::MAX);
        self.groups
            .sort_by(|(a, _), (b, _)| (rank(&a.0), &a.0, &a.1).cmp(&(rank(&b.0), &b.0, &b.1)));
        let all_report = GroupReport::new("all", "all", &mut all);
        let verdicts = benchmarks
            .map(|b| verdicts(b, &self, &all_report, priorities))
            .unwrap_or_default();
        let mut groups = vec![all_report];
        for ((priority, segment), g) in &mut self.groups {
            groups.push(GroupReport::new(priority, segment, g));
        }
        Report {
            version: REPORT_VERSION,
            tickets: all.tickets,
            errors,
            horizon,
            after_horizon: self.after_horizon,
            no_policy_in_force: self.no_policy_in_force,
            level_response: std::mem::take(&mut self.level_response)
                .into_iter()
                .map(|(level, (started, breached))| LevelResponse {
                    name: names
                        .iter()
                        .find(|(id, _)| *id == level)
                        .map(|(_, name)| name.clone()),
                    level,
                    breach: rate(breached, started),
                })
                .collect(),
            versions,
            unknown_values: self
                .unknown
                .into_iter()
                .map(|((field, value), tickets)| UnknownValue {
                    field,
                    value,
                    tickets,
                })
                .collect(),
            groups,
            backlog: self
                .backlog
                .iter()
                .map(|(day, (count, age))| BacklogPoint {
                    // The day that ends at this midnight.
                    day_end: chrono::DateTime::from_timestamp(*day - 1, 0)
                        .map(|d| d.format("%Y-%m-%d").to_string())
                        .unwrap_or_default(),
                    unresolved: *count,
                    average_age_hours: if *count == 0 {
                        0.0
                    } else {
                        round1(*age as f64 / *count as f64 / 3600.0)
                    },
                })
                .collect(),
            benchmarks: verdicts,
            handoff_histogram: HANDOFF_BUCKETS
                .iter()
                .zip(all.handoff_buckets)
                .map(|((_, label), n)| ((*label).to_owned(), n))
                .collect(),
            differing_tickets: self.differing_tickets,
            differing: self
                .differing
                .into_iter()
                .map(|(ticket, difference)| Differing { ticket, difference })
                .collect(),
        }
    }
}

/// Buckets of handoff delays: (upper limit in minutes, label).
const HANDOFF_BUCKETS: [(i64, &str); 7] = [
    (15, "<15m"),
    (30, "15–30m"),
    (60, "30–60m"),
    (120, "1–2h"),
    (240, "2–4h"),
    (480, "4–8h"),
    (i64::MAX, "≥8h"),
];

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn rate(part: u64, whole: u64) -> Rate {
    Rate {
        percent: if whole == 0 {
            None
        } else {
            Some(round1(part as f64 * 100.0 / whole as f64))
        },
        count: part,
        of: whole,
    }
}

fn times(values: &mut Durations) -> Times {
    Times {
        p50_minutes: values.percentile(50.0),
        p90_minutes: values.percentile(90.0),
        count: values.len(),
    }
}

/// A rate with its counts.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Rate {
    pub percent: Option<f64>,
    pub count: u64,
    pub of: u64,
}

/// Percentiles of durations.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Times {
    pub p50_minutes: Option<f64>,
    pub p90_minutes: Option<f64>,
    pub count: u64,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Breach {
    pub metric: &'static str,
    pub overall: Rate,
    pub escalated: Rate,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct GroupReport {
    pub priority: String,
    pub segment: String,
    pub tickets: u64,
    pub escalation_rate: Rate,
    pub recorded_escalation_rate: Rate,
    pub policy_escalation_rate: Rate,
    pub handoff_delay: Times,
    pub bounceback_rate: Rate,
    pub repeat_escalation_rate: Rate,
    pub recontact_rate: Rate,
    pub context_loss_rate: Rate,
    pub sla_breach_rate: Breach,
    pub breach_rates: Vec<Breach>,
    pub first_response_calendar: Times,
    pub first_response_business: Times,
    pub resolution_calendar: Times,
    pub resolution_business: Times,
    pub csat_average: Option<f64>,
    pub csat_satisfied: Rate,
}

impl GroupReport {
    fn new(priority: &str, segment: &str, g: &mut Group) -> Self {
        Self {
            priority: priority.to_owned(),
            segment: segment.to_owned(),
            tickets: g.tickets,
            escalation_rate: rate(g.escalated, g.tickets),
            recorded_escalation_rate: rate(g.recorded, g.tickets),
            policy_escalation_rate: rate(g.policy, g.tickets),
            handoff_delay: times(&mut g.handoff),
            bounceback_rate: rate(g.bounced.min(g.escalations), g.escalations),
            repeat_escalation_rate: rate(g.repeat, g.escalated),
            recontact_rate: rate(g.recontact, g.escalated),
            context_loss_rate: rate(g.context_loss, g.escalated),
            sla_breach_rate: Breach {
                metric: "any",
                overall: rate(g.any_target.1, g.any_target.0),
                escalated: rate(g.any_target.3, g.any_target.2),
            },
            breach_rates: SlaMetric::ALL
                .iter()
                .zip(g.targets)
                .map(|(m, t)| Breach {
                    metric: m.name(),
                    overall: rate(t.1, t.0),
                    escalated: rate(t.3, t.2),
                })
                .collect(),
            first_response_calendar: times(&mut g.first_response.0),
            first_response_business: times(&mut g.first_response.1),
            resolution_calendar: times(&mut g.resolution.0),
            resolution_business: times(&mut g.resolution.1),
            csat_average: if g.csat.0 == 0 {
                None
            } else {
                Some(round1(g.csat.1 as f64 / g.csat.0 as f64))
            },
            csat_satisfied: rate(g.csat.2, g.csat.0),
        }
    }
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct BacklogPoint {
    pub day_end: String,
    pub unresolved: u64,
    pub average_age_hours: f64,
}

/// A metric checked against its band.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Verdict {
    pub metric: String,
    pub scope: String,
    pub value: Option<f64>,
    pub unit: &'static str,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub alert_above: Option<f64>,
    /// `inside`, `below`, `above`, `alert` or `no data`.
    pub verdict: &'static str,
    /// The band's `source`: where the figure comes from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Differing {
    pub ticket: String,
    pub difference: String,
}

/// The instant tickets are judged at (DESIGN §4.17): timers fire up to and
/// including it, later events have not happened.
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq)]
pub struct Horizon {
    /// Unix seconds; serialised as RFC 3339, UTC.
    #[serde(serialize_with = "rfc3339")]
    pub at: i64,
    pub source: HorizonSource,
}

/// Where a horizon comes from.
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum HorizonSource {
    /// Given with `--until`.
    Until,
    /// The latest event instant in the input: the export time.
    LatestEvent,
}

impl Horizon {
    /// A horizon given with `--until`.
    pub fn until(at: i64) -> Self {
        Self {
            at,
            source: HorizonSource::Until,
        }
    }

    /// The latest event instant of the input.
    pub fn latest_event(at: i64) -> Self {
        Self {
            at,
            source: HorizonSource::LatestEvent,
        }
    }

    /// How reports say it: `2026-11-02T09:00:00Z (latest event in the input)`.
    pub fn describe(&self) -> String {
        let why = match self.source {
            HorizonSource::Until => "--until",
            HorizonSource::LatestEvent => "latest event in the input",
        };
        format!("{} ({why})", slate_engine::engine::instant(self.at))
    }
}

fn rfc3339<S: serde::Serializer>(at: &i64, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&slate_engine::engine::instant(*at))
}

/// How often a level's response target was breached: of the targets
/// started when tickets reached it.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct LevelResponse {
    pub level: String,
    /// The level's `name` in the matrix.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub breach: Rate,
}

/// Where unknown values beyond [`MAX_UNKNOWN`] are counted.
const OTHER: &str = "(other values)";

/// Tickets with a value outside the catalogue (DESIGN §4.19): they were
/// decided by the defaults.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct UnknownValue {
    /// `priority`, `segment` or `channel`.
    pub field: &'static str,
    pub value: String,
    pub tickets: u64,
}

/// A simulation report.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Report {
    pub version: u32,
    pub tickets: u64,
    /// Ticket records that could not be read.
    pub errors: u64,
    pub horizon: Horizon,
    /// Tickets created after the horizon, left out.
    pub after_horizon: u64,
    /// Tickets created before every Classification version, left out.
    pub no_policy_in_force: u64,
    /// Level response targets breached, per level (DESIGN §4.12).
    pub level_response: Vec<LevelResponse>,
    /// Which versions decided the tickets (set by the caller).
    pub versions: crate::PolicyVersions,
    /// Ticket values outside the catalogue, by field and value.
    pub unknown_values: Vec<UnknownValue>,
    pub groups: Vec<GroupReport>,
    pub backlog: Vec<BacklogPoint>,
    pub benchmarks: Vec<Verdict>,
    /// Tickets decided differently under the baseline.
    pub differing_tickets: u64,
    /// The first of them by id, as many as asked for.
    pub differing: Vec<Differing>,
    /// Handoff delays of all escalations by bucket: (label, count).
    pub handoff_histogram: Vec<(String, u64)>,
}

impl Report {
    /// Whether any benchmark is outside its band.
    pub fn out_of_band(&self) -> bool {
        self.benchmarks
            .iter()
            .any(|v| matches!(v.verdict, "below" | "above" | "alert"))
    }
}

fn bound(v: Option<BandValue>) -> Option<f64> {
    v.map(|v| match v {
        BandValue::Percent(p) => p,
        BandValue::Duration(d) => f64::from(d.minutes()),
    })
}

fn verdicts(
    benchmarks: &Benchmarks,
    acc: &Accumulator,
    all: &GroupReport,
    priorities: &[String],
) -> Vec<Verdict> {
    // Bands share scopes (most are "all", already reported): each scope is
    // aggregated once.
    let mut scopes: BTreeMap<(Option<String>, Option<String>), GroupReport> = BTreeMap::new();
    scopes.insert((None, None), all.clone());
    benchmarks
        .bands
        .iter()
        .map(|band| {
            let priority = band.priority.and_then(|p| priorities.get(p)).cloned();
            let key = (priority.clone(), band.segment.clone());
            let r = scopes.entry(key).or_insert_with(|| {
                let mut scope_group = Group::default();
                for ((p, s), g) in &acc.groups {
                    if priority.as_ref().is_none_or(|x| x == p)
                        && band.segment.as_ref().is_none_or(|x| x == s)
                    {
                        scope_group.merge(g.clone());
                    }
                }
                GroupReport::new("", "", &mut scope_group)
            });
            let (value, unit) = match band.metric {
                BenchmarkMetric::EscalationRate => (r.escalation_rate.percent, "%"),
                BenchmarkMetric::HandoffDelay => (r.handoff_delay.p50_minutes, "min (p50)"),
                BenchmarkMetric::BouncebackRate => (r.bounceback_rate.percent, "%"),
                BenchmarkMetric::RepeatEscalationRate => (r.repeat_escalation_rate.percent, "%"),
                BenchmarkMetric::RecontactRate => (r.recontact_rate.percent, "%"),
                BenchmarkMetric::ContextLossRate => (r.context_loss_rate.percent, "%"),
                BenchmarkMetric::SlaBreachRate => (r.sla_breach_rate.overall.percent, "%"),
                BenchmarkMetric::EscalatedBreachRateGap => (
                    r.sla_breach_rate
                        .escalated
                        .percent
                        .zip(r.sla_breach_rate.overall.percent)
                        .map(|(e, o)| round1(e - o)),
                    "points",
                ),
                BenchmarkMetric::FirstResponseTime => {
                    (r.first_response_business.p50_minutes, "min (p50)")
                }
                BenchmarkMetric::ResolutionTime => (r.resolution_business.p50_minutes, "min (p50)"),
                BenchmarkMetric::Csat => (r.csat_satisfied.percent, "%"),
            };
            let (min, max, alert) = (bound(band.min), bound(band.max), bound(band.alert_above));
            let verdict = match value {
                None => "no data",
                Some(v) if alert.is_some_and(|a| v > a) => "alert",
                Some(v) if max.is_some_and(|m| v > m) => "above",
                Some(v) if min.is_some_and(|m| v < m) => "below",
                Some(_) => "inside",
            };
            let mut scope = Vec::new();
            if let Some(p) = &priority {
                scope.push(format!("priority={p}"));
            }
            if let Some(s) = &band.segment {
                scope.push(format!("segment={s}"));
            }
            Verdict {
                metric: band.metric.name().to_owned(),
                scope: if scope.is_empty() {
                    "all".to_owned()
                } else {
                    scope.join(" ")
                },
                value,
                unit,
                min,
                max,
                alert_above: alert,
                verdict,
                source: band.source.clone(),
            }
        })
        .collect()
}

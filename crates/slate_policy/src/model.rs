//! The checked policy model: parsed values, resolved references, indexes.
//!
//! Built by [`crate::check`] from the raw mirror types; everything here is
//! known to be consistent (every reference resolves, every duration, date,
//! interval and amount is valid). Locations stay attached for later stages.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use chrono_tz::Tz;
use rust_decimal::Decimal;

pub use crate::duration::Duration;
pub use crate::raw::{BenchmarkMetric, ChannelKind, EscalationKind, Scalar, SlaMetric};
use crate::source::Loc;

/// A policy's kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Calendar,
    SupportTiers,
    Classification,
    SlaPolicy,
    EscalationMatrix,
    RefundAuthority,
    Benchmarks,
}

impl Kind {
    pub fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "Calendar" => Self::Calendar,
            "SupportTiers" => Self::SupportTiers,
            "Classification" => Self::Classification,
            "SlaPolicy" => Self::SlaPolicy,
            "EscalationMatrix" => Self::EscalationMatrix,
            "RefundAuthority" => Self::RefundAuthority,
            "Benchmarks" => Self::Benchmarks,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Calendar => "Calendar",
            Self::SupportTiers => "SupportTiers",
            Self::Classification => "Classification",
            Self::SlaPolicy => "SlaPolicy",
            Self::EscalationMatrix => "EscalationMatrix",
            Self::RefundAuthority => "RefundAuthority",
            Self::Benchmarks => "Benchmarks",
        }
    }

    /// Every kind, in the order the language lists them.
    pub const ALL: [Kind; 7] = [
        Self::Calendar,
        Self::SupportTiers,
        Self::Classification,
        Self::SlaPolicy,
        Self::EscalationMatrix,
        Self::RefundAuthority,
        Self::Benchmarks,
    ];

    /// What a set without any policy of this kind loses.
    pub fn decides(self) -> &'static str {
        match self {
            Self::Calendar => "business time",
            Self::SupportTiers => "teams, owners and alerts: nobody is notified",
            Self::Classification => "priorities and routes: every ticket falls to the defaults",
            Self::SlaPolicy => "SLA targets: no ticket has one, none breaches",
            Self::EscalationMatrix => "levels and triggers: no ticket is ever escalated",
            Self::RefundAuthority => "refund authority: no refund ever needs approval",
            Self::Benchmarks => "benchmark bands: simulate checks nothing",
        }
    }

    /// Kinds of which a policy set holds one (in as many versions as it likes).
    pub fn is_singleton(self) -> bool {
        self != Self::Calendar
    }
}

/// Who a policy is.
#[derive(Clone, Debug)]
pub struct Meta {
    pub kind: Kind,
    pub name: String,
    pub version: u32,
    /// The UTC date `effective_from` falls on.
    pub effective_from: NaiveDate,
    /// The instant this version takes effect, unix seconds (DESIGN §4.11).
    pub effective_at: i64,
    /// `effective_from` as written.
    pub effective_text: String,
    pub owners: Vec<String>,
    pub description: Option<String>,
    /// The `metadata.name` node.
    pub loc: Loc,
}

/// One checked policy document.
#[derive(Clone, Debug)]
pub struct Policy {
    pub meta: Meta,
    pub body: Body,
}

#[derive(Clone, Debug)]
pub enum Body {
    Calendar(Calendar),
    SupportTiers(SupportTiers),
    Classification(Classification),
    SlaPolicy(SlaPolicy),
    EscalationMatrix(EscalationMatrix),
    RefundAuthority(RefundAuthority),
    Benchmarks(Benchmarks),
}

/// A checked policy set: every document that passed, sorted by kind, name
/// and version.
#[derive(Clone, Debug, Default)]
pub struct PolicySet {
    pub policies: Vec<Policy>,
}

impl PolicySet {
    /// The highest version of each policy, in kind/name order.
    pub fn current(&self) -> impl Iterator<Item = &Policy> {
        self.policies.iter().enumerate().filter_map(|(i, p)| {
            let next = self.policies.get(i + 1);
            let superseded =
                next.is_some_and(|n| n.meta.kind == p.meta.kind && n.meta.name == p.meta.name);
            (!superseded).then_some(p)
        })
    }

    /// Every version that a higher version of the same policy supersedes.
    pub fn superseded(&self) -> impl Iterator<Item = &Policy> {
        self.policies.windows(2).filter_map(|pair| {
            let [p, next] = pair else { return None };
            (next.meta.kind == p.meta.kind && next.meta.name == p.meta.name).then_some(p)
        })
    }

    pub fn calendar(&self, name: &str) -> Option<&Calendar> {
        self.current().find_map(|p| match &p.body {
            Body::Calendar(c) if p.meta.name == name => Some(c),
            _ => None,
        })
    }

    /// The version of each policy in force at `at` (unix seconds): the one
    /// with the latest `effective_from` at or before it (DESIGN §4.11). A
    /// policy none of whose versions has taken effect is left out.
    pub fn in_force(&self, at: i64) -> impl Iterator<Item = &Policy> {
        self.policies.iter().enumerate().filter_map(move |(i, p)| {
            if p.meta.effective_at > at {
                return None;
            }
            let next = self.policies.get(i + 1);
            let superseded = next.is_some_and(|n| {
                n.meta.kind == p.meta.kind
                    && n.meta.name == p.meta.name
                    && n.meta.effective_at <= at
            });
            (!superseded).then_some(p)
        })
    }

    /// The calendar of that name in force at `at`.
    pub fn calendar_at(&self, name: &str, at: i64) -> Option<&Calendar> {
        self.in_force(at).find_map(|p| match &p.body {
            Body::Calendar(c) if p.meta.name == name => Some(c),
            _ => None,
        })
    }

    /// Every instant a version takes effect, ascending, without repeats:
    /// between two of them the versions in force do not change.
    pub fn boundaries(&self) -> Vec<i64> {
        let mut at: Vec<i64> = self.policies.iter().map(|p| p.meta.effective_at).collect();
        at.sort_unstable();
        at.dedup();
        at
    }
}

// ---------------------------------------------------------------- Calendar

/// An open interval in minutes from the start of its weekday; `end` may pass
/// 1440 (it then runs into the next day but belongs to this one).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct OpenInterval {
    pub start: u16,
    pub end: u16,
}

#[derive(Clone, Debug)]
pub struct Calendar {
    pub timezone: Tz,
    pub always_open: bool,
    /// Monday first.
    pub weekly: [Vec<OpenInterval>; 7],
    pub holidays: BTreeSet<NaiveDate>,
    /// The holidays' names, shown by `slate due` for the closed days a
    /// target crosses.
    pub holiday_names: BTreeMap<NaiveDate, String>,
}

// ------------------------------------------------------------ SupportTiers

#[derive(Clone, Debug)]
pub struct Contact {
    pub name: String,
    pub role: String,
    pub contact: String,
}

#[derive(Clone, Debug, Default)]
pub struct Alerts {
    pub slack: Option<String>,
    pub teams: Option<String>,
    pub email: Option<String>,
    pub pager: Option<String>,
}

impl Alerts {
    /// The address alerts of this kind go to, if the team has one.
    pub fn get(&self, kind: ChannelKind) -> Option<&String> {
        match kind {
            ChannelKind::Slack => self.slack.as_ref(),
            ChannelKind::Teams => self.teams.as_ref(),
            ChannelKind::Email => self.email.as_ref(),
            ChannelKind::Pager => self.pager.as_ref(),
        }
    }

    pub fn has(&self, kind: ChannelKind) -> bool {
        self.get(kind).is_some()
    }
}

#[derive(Clone, Debug)]
pub struct Team {
    pub id: String,
    pub name: String,
    pub tier: u8,
    pub calendar: String,
    pub owner: Contact,
    pub backups: Vec<Contact>,
    pub alerts: Alerts,
    pub on_call: bool,
    pub loc: Loc,
}

#[derive(Clone, Debug)]
pub struct Tier {
    pub tier: u8,
    pub name: String,
    pub loc: Loc,
}

#[derive(Clone, Debug)]
pub struct SupportTiers {
    pub tiers: BTreeMap<u8, Tier>,
    pub teams: BTreeMap<String, Team>,
}

// ---------------------------------------------------------- Classification

/// A ticket attribute a condition tests.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    Priority,
    Segment,
    Channel,
    Tags,
    Vip,
    AccountValue,
    Custom(String),
}

/// A checked field test.
#[derive(Clone, Debug, PartialEq)]
pub enum FieldTest {
    /// Equal to one of these (a single `equals` is a one-element set).
    OneOf(Vec<Scalar>),
    NoneOf(Vec<Scalar>),
    /// Within numeric bounds (inclusive flags per bound).
    Range {
        lower: Option<(f64, bool)>,
        upper: Option<(f64, bool)>,
    },
    Present(bool),
}

/// A checked condition.
#[derive(Clone, Debug)]
pub enum Condition {
    All(Vec<Condition>),
    Any(Vec<Condition>),
    Not(Box<Condition>),
    /// Lower-cased words, matched whole-word.
    Keywords(Vec<String>),
    /// All tests must hold.
    Test {
        field: Field,
        tests: Vec<FieldTest>,
        loc: Loc,
    },
}

#[derive(Clone, Debug)]
pub struct Priority {
    pub id: String,
    pub aliases: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct Notify {
    pub team: String,
    pub via: Vec<ChannelKind>,
}

#[derive(Clone, Debug)]
pub struct Action {
    pub route_to: String,
    pub notify: Vec<Notify>,
    pub steps: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct ClassificationRule {
    pub id: String,
    pub description: Option<String>,
    pub when: Condition,
    /// Index into [`Classification::priorities`].
    pub priority: usize,
    pub action: Action,
    pub loc: Loc,
}

#[derive(Clone, Debug)]
pub struct Classification {
    /// Most urgent first.
    pub priorities: Vec<Priority>,
    pub segments: Vec<String>,
    pub channels: Vec<String>,
    pub rules: Vec<ClassificationRule>,
    pub default_priority: usize,
    pub default_action: Action,
    pub default_loc: Loc,
}

impl Classification {
    /// The priority index for an id or alias, matched case-insensitively
    /// (DESIGN §4.19).
    pub fn priority_index(&self, name: &str) -> Option<usize> {
        self.priorities.iter().position(|p| {
            p.id.eq_ignore_ascii_case(name)
                || p.aliases.iter().any(|a| a.eq_ignore_ascii_case(name))
        })
    }

    /// The catalogue segment a ticket value names, case-insensitively.
    pub fn segment_id(&self, name: &str) -> Option<&str> {
        catalogue_id(&self.segments, name)
    }

    /// The catalogue channel a ticket value names, case-insensitively.
    pub fn channel_id(&self, name: &str) -> Option<&str> {
        catalogue_id(&self.channels, name)
    }
}

fn catalogue_id<'c>(catalogue: &'c [String], name: &str) -> Option<&'c str> {
    catalogue
        .iter()
        .find(|id| id.eq_ignore_ascii_case(name))
        .map(String::as_str)
}

// --------------------------------------------------------------- SlaPolicy

#[derive(Clone, Debug)]
pub struct SlaEntry {
    pub id: String,
    pub priority: usize,
    /// Empty: every segment.
    pub segments: Vec<String>,
    pub when: Option<Condition>,
    pub calendar: String,
    pub targets: BTreeMap<SlaMetric, Duration>,
    /// Shown in the `sla_selected` entry.
    pub description: Option<String>,
    pub loc: Loc,
}

#[derive(Clone, Debug)]
pub struct SlaPolicy {
    pub calendar: String,
    /// Ascending as written (the linter checks the order).
    pub warnings: Vec<f64>,
    pub paused_when_pending: BTreeSet<SlaMetric>,
    pub paused_when_on_hold: BTreeSet<SlaMetric>,
    pub entries: Vec<SlaEntry>,
    pub default: Option<SlaEntry>,
}

// -------------------------------------------------------- EscalationMatrix

#[derive(Clone, Debug)]
pub struct Level {
    pub id: String,
    pub name: String,
    pub responsibility: String,
    pub team: String,
    pub response: Duration,
    pub response_max: Option<Duration>,
    /// Index of the next level up.
    pub escalates_to: Option<usize>,
    pub notify_via: Vec<ChannelKind>,
    pub loc: Loc,
}

#[derive(Clone, Debug)]
pub struct EntryRule {
    pub id: String,
    pub when: Condition,
    pub level: usize,
    pub loc: Loc,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TriggerOn {
    Inactivity(Duration),
    OpenFor(Duration),
    SlaAtRisk { metric: SlaMetric, percent: f64 },
    Keywords(Vec<String>),
    SentimentBelow(f64),
    RefundOverAuthority,
    Reopened,
    Created,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EscalateTo {
    /// The current level's `escalates_to`.
    Next,
    Level(usize),
    Team(String),
}

#[derive(Clone, Debug)]
pub struct Trigger {
    pub id: String,
    pub on: TriggerOn,
    pub when: Option<Condition>,
    /// Level indexes; empty means every level.
    pub at_levels: Vec<usize>,
    pub to: EscalateTo,
    pub kind: EscalationKind,
    pub notify: Vec<Notify>,
    /// Shown in the `escalated` entries the trigger makes.
    pub description: Option<String>,
    pub loc: Loc,
}

#[derive(Clone, Debug)]
pub struct EscalationMatrix {
    pub levels: Vec<Level>,
    pub entry: Vec<EntryRule>,
    pub triggers: Vec<Trigger>,
}

// --------------------------------------------------------- RefundAuthority

/// An amount in one currency.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Money {
    pub amount: Decimal,
    pub currency: String,
}

#[derive(Clone, Debug)]
pub struct RefundLimit {
    pub tier: u8,
    pub up_to: BTreeMap<String, Decimal>,
    pub loc: Loc,
}

#[derive(Clone, Debug)]
pub struct RefundAuthority {
    /// Ascending by tier.
    pub limits: Vec<RefundLimit>,
    pub final_approver: Option<(String, String)>,
}

// -------------------------------------------------------------- Benchmarks

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum BandValue {
    Percent(f64),
    Duration(Duration),
}

#[derive(Clone, Debug)]
pub struct Band {
    pub metric: BenchmarkMetric,
    pub priority: Option<usize>,
    pub segment: Option<String>,
    pub min: Option<BandValue>,
    pub max: Option<BandValue>,
    pub alert_above: Option<BandValue>,
    pub source: Option<String>,
    pub loc: Loc,
}

#[derive(Clone, Debug)]
pub struct Benchmarks {
    pub bands: Vec<Band>,
}

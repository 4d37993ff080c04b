//! The policy language as written: serde mirror types of the YAML.
//!
//! Every struct denies unknown fields and every value a diagnostic may point
//! at is [`Spanned`]. The JSON Schema in `schema/` is generated from these
//! types ([`crate::schema`]); [`crate::check`] converts them into the checked
//! model of [`crate::model`].

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::Deserialize;

use crate::source::Spanned;

/// Every policy file's envelope, with the kind's spec type `S`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document<S> {
    #[serde(rename = "apiVersion")]
    pub api_version: Spanned<String>,
    pub kind: Spanned<String>,
    pub metadata: Metadata,
    pub spec: S,
}

/// Who the policy is, which version, and from when it applies.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Metadata {
    /// Policy name, unique per kind: lowercase letters, digits and dashes.
    pub name: Spanned<Name>,
    /// Must increase whenever `spec` changes.
    #[schemars(range(min = 1))]
    pub version: Spanned<u32>,
    /// When this version takes effect: a date (YYYY-MM-DD, at 00:00 UTC) or
    /// an RFC 3339 instant. A ticket is decided by the versions in force at
    /// its creation.
    pub effective_from: Spanned<EffectiveFrom>,
    /// Who reviews changes to this policy (e-mail addresses).
    #[schemars(length(min = 1))]
    pub owners: Vec<Spanned<Email>>,
    /// What the policy is for.
    #[serde(default)]
    pub description: Option<String>,
}

macro_rules! pattern_string {
    ($(#[$doc:meta])* $name:ident, $schema_name:literal, $pattern:expr, $example:literal) => {
        $(#[$doc])*
        #[derive(Clone, Debug, Deserialize, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl JsonSchema for $name {
            fn schema_name() -> Cow<'static, str> {
                $schema_name.into()
            }
            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                json_schema!({
                    "type": "string",
                    "pattern": $pattern,
                    "examples": [$example],
                })
            }
        }
    };
}

pattern_string!(
    /// A policy or item identifier: lowercase letters, digits and dashes.
    Name, "Name", crate::patterns::NAME, "business-hours");
pattern_string!(
    /// An identifier of a rule, team, level or priority.
    Id, "Id", crate::patterns::ID, "frontline");
pattern_string!(
    /// A calendar date, `YYYY-MM-DD`.
    Date, "Date", crate::patterns::DATE, "2026-12-01");
pattern_string!(
    /// When a policy version takes effect: a date (`YYYY-MM-DD`, at 00:00
    /// UTC) or an RFC 3339 instant with offset.
    EffectiveFrom, "EffectiveFrom", crate::patterns::EFFECTIVE_FROM, "2026-12-01");
pattern_string!(
    /// A duration: minutes, hours and days, e.g. `15m`, `2h`, `1h30m`, `1d`.
    Duration, "Duration", crate::patterns::DURATION, "30m");
pattern_string!(
    /// A weekly open interval `HH:MM-HH:MM`; `24:00` closes at midnight and a
    /// close not after the open runs past midnight.
    Interval, "Interval", crate::patterns::INTERVAL, "09:00-17:00");
pattern_string!(
    /// An amount of money: a non-negative decimal and an ISO 4217 currency.
    Money, "Money", crate::patterns::MONEY, "100.00 USD");
pattern_string!(
    /// An e-mail address.
    Email, "Email", crate::patterns::EMAIL, "support-ops@example.com");
pattern_string!(
    /// A Slack channel, `#name`.
    SlackChannel, "SlackChannel", crate::patterns::SLACK, "#support-escalations");

/// An IANA time zone name, e.g. `Europe/Berlin`.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct TimeZoneName(pub String);

impl JsonSchema for TimeZoneName {
    fn schema_name() -> Cow<'static, str> {
        "TimeZone".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let names: Vec<&str> = chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name()).collect();
        json_schema!({ "type": "string", "enum": names })
    }
}

// ---------------------------------------------------------------- Calendar

/// When the clock of a target runs: a time zone, weekly open hours and
/// holidays, or around the clock.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CalendarSpec {
    /// IANA time zone the hours and holidays are read in.
    pub timezone: Spanned<TimeZoneName>,
    /// `true`: open 24 hours a day, 7 days a week (then leave out `weekly`).
    #[serde(default)]
    pub always_open: Option<Spanned<bool>>,
    /// Open intervals per weekday.
    #[serde(default)]
    pub weekly: Option<Spanned<Weekly>>,
    /// Days on which the calendar is closed.
    #[serde(default)]
    pub holidays: Vec<Holiday>,
}

/// Open intervals per weekday; a missing day is closed.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Weekly {
    #[serde(default)]
    pub monday: Vec<Spanned<Interval>>,
    #[serde(default)]
    pub tuesday: Vec<Spanned<Interval>>,
    #[serde(default)]
    pub wednesday: Vec<Spanned<Interval>>,
    #[serde(default)]
    pub thursday: Vec<Spanned<Interval>>,
    #[serde(default)]
    pub friday: Vec<Spanned<Interval>>,
    #[serde(default)]
    pub saturday: Vec<Spanned<Interval>>,
    #[serde(default)]
    pub sunday: Vec<Spanned<Interval>>,
}

impl Weekly {
    /// The days Monday first, each with its intervals.
    pub fn days(&self) -> [&[Spanned<Interval>]; 7] {
        [
            &self.monday,
            &self.tuesday,
            &self.wednesday,
            &self.thursday,
            &self.friday,
            &self.saturday,
            &self.sunday,
        ]
    }
}

/// A closed day.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Holiday {
    pub date: Spanned<Date>,
    pub name: String,
}

// ------------------------------------------------------------ SupportTiers

/// Support tiers 0 (self-service) to 4 (external), their teams and contacts.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SupportTiersSpec {
    #[schemars(length(min = 1))]
    pub tiers: Vec<Tier>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Tier {
    /// Tier number: 0 self-service, 1 frontline, 2 technical, 3 expert, 4 external.
    #[schemars(range(max = 4))]
    pub tier: Spanned<u8>,
    /// Shown in the trace's `routed` entry (`tier_name`).
    pub name: String,
    #[schemars(length(min = 1))]
    pub teams: Vec<Team>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Team {
    pub id: Spanned<Id>,
    pub name: String,
    /// The calendar the team works in.
    pub calendar: Spanned<Name>,
    /// The team's ticket owner.
    pub owner: Contact,
    /// Contacts when the owner is unavailable.
    #[serde(default)]
    pub backups: Vec<Contact>,
    /// Where alerts for the team go.
    pub alerts: Alerts,
    /// The team keeps an on-call rota outside its calendar's hours.
    #[serde(default)]
    pub on_call: bool,
}

/// A person: name, role, and how to reach them.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub name: String,
    pub role: String,
    pub contact: Spanned<Email>,
}

/// Alert channels; at least one.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("minProperties" = 1))]
pub struct Alerts {
    #[serde(default)]
    pub slack: Option<Spanned<SlackChannel>>,
    /// Microsoft Teams channel.
    #[serde(default)]
    pub teams: Option<String>,
    #[serde(default)]
    pub email: Option<Spanned<Email>>,
    /// Pager service or rota.
    #[serde(default)]
    pub pager: Option<String>,
}

/// An alert channel kind.
#[derive(Clone, Copy, Debug, Deserialize, JsonSchema, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum ChannelKind {
    Slack,
    Teams,
    Email,
    Pager,
}

impl ChannelKind {
    /// The name as written in policies and traces.
    pub fn name(self) -> &'static str {
        match self {
            Self::Slack => "slack",
            Self::Teams => "teams",
            Self::Email => "email",
            Self::Pager => "pager",
        }
    }
}

// ---------------------------------------------------------- Classification

/// The priority matrix: catalogues of priorities, segments and channels, and
/// ordered rules from ticket attributes to a priority and prescribed action.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClassificationSpec {
    /// Priorities, most urgent first.
    #[schemars(length(min = 1))]
    pub priorities: Vec<PriorityDef>,
    /// Customer segments.
    #[schemars(length(min = 1))]
    pub segments: Vec<SegmentDef>,
    /// Channels tickets arrive through.
    #[schemars(length(min = 1))]
    pub channels: Vec<Spanned<Id>>,
    /// Ordered rules; the first whose `when` matches decides.
    #[serde(default)]
    pub rules: Vec<ClassificationRule>,
    /// What applies when no rule matches.
    pub default: ClassificationDefault,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PriorityDef {
    pub id: Spanned<Id>,
    /// Other names for the priority, e.g. `P1`.
    #[serde(default)]
    pub aliases: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SegmentDef {
    pub id: Spanned<Id>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClassificationRule {
    pub id: Spanned<Id>,
    #[serde(default)]
    pub description: Option<String>,
    pub when: Spanned<Condition>,
    pub priority: Spanned<String>,
    pub action: Action,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClassificationDefault {
    pub priority: Spanned<String>,
    pub action: Action,
}

/// The prescribed action for a classified ticket.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Action {
    /// The team that takes the ticket.
    pub route_to: Spanned<Id>,
    /// Who is told at once, and how.
    #[serde(default)]
    pub notify: Vec<Notify>,
    /// Steps the handling team takes, in words.
    #[serde(default)]
    pub steps: Vec<String>,
}

/// A notification: a team over some of its alert channels.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Notify {
    pub team: Spanned<Id>,
    #[schemars(length(min = 1))]
    pub via: Vec<Spanned<ChannelKind>>,
}

/// A finite condition over ticket attributes: exactly one key.
///
/// `all`/`any` take a list of conditions, `not` one condition, `keywords` a
/// list of words matched case-insensitively as whole words in the subject and
/// customer messages; any other key names a field (`priority`, `segment`,
/// `channel`, `tags`, `vip`, `account_value`, `fields.<name>`) and holds a
/// test: a value (equality), a list (membership) or a mapping of operators.
#[derive(Debug)]
pub enum Condition {
    All(Vec<Spanned<Condition>>),
    Any(Vec<Spanned<Condition>>),
    Not(Box<Spanned<Condition>>),
    Keywords(Vec<Spanned<String>>),
    Test {
        field: Spanned<String>,
        test: Spanned<Test>,
    },
}

/// A field test as written.
#[derive(Debug, Clone, PartialEq)]
pub enum Test {
    /// `field: value`
    Equals(Scalar),
    /// `field: [a, b]`
    In(Vec<Scalar>),
    /// `field: {gte: 1, lt: 5}` and friends.
    Ops(TestOps),
}

/// A scalar in a condition.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum Scalar {
    Bool(bool),
    Int(i64),
    Float(f64),
    String(String),
}

/// Operators of a field test; several combine with *and*.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("minProperties" = 1))]
pub struct TestOps {
    #[serde(default)]
    pub equals: Option<Scalar>,
    #[serde(default)]
    pub r#in: Option<Vec<Scalar>>,
    #[serde(default)]
    pub not_in: Option<Vec<Scalar>>,
    #[serde(default)]
    pub gt: Option<f64>,
    #[serde(default)]
    pub gte: Option<f64>,
    #[serde(default)]
    pub lt: Option<f64>,
    #[serde(default)]
    pub lte: Option<f64>,
    /// `true`: the field is set; `false`: it is not.
    #[serde(default)]
    pub present: Option<bool>,
}

impl JsonSchema for Scalar {
    fn schema_name() -> Cow<'static, str> {
        "Scalar".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": ["string", "number", "boolean"] })
    }
}

/// Condition keys that are not field names.
pub const CONDITION_COMBINATORS: [&str; 4] = ["all", "any", "not", "keywords"];
/// The ticket attributes a condition can test, besides `fields.<name>`.
pub const CONDITION_FIELDS: [&str; 6] = [
    "priority",
    "segment",
    "channel",
    "tags",
    "vip",
    "account_value",
];

impl JsonSchema for Condition {
    fn schema_name() -> Cow<'static, str> {
        "Condition".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let this = generator.subschema_for::<Condition>();
        let test = generator.subschema_for::<TestSchema>();
        let mut properties = serde_json::Map::new();
        let list = json_schema!({ "type": "array", "minItems": 1, "items": this.clone() });
        properties.insert("all".into(), list.clone().into());
        properties.insert("any".into(), list.into());
        properties.insert("not".into(), this.into());
        properties.insert(
            "keywords".into(),
            json_schema!({
                "type": "array",
                "minItems": 1,
                "items": { "type": "string", "minLength": 1 }
            })
            .into(),
        );
        for field in CONDITION_FIELDS {
            properties.insert(field.into(), test.clone().into());
        }
        json_schema!({
            "description": "A condition: exactly one of all / any / not / keywords, or a field and its test.",
            "type": "object",
            "minProperties": 1,
            "maxProperties": 1,
            "properties": properties,
            "patternProperties": { crate::patterns::CUSTOM_FIELD: test },
            "additionalProperties": false,
        })
    }
}

/// Schema stand-in for [`Test`].
struct TestSchema;

impl JsonSchema for TestSchema {
    fn schema_name() -> Cow<'static, str> {
        "Test".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let ops = generator.subschema_for::<TestOps>();
        json_schema!({
            "description": "A value (equality), a list of values (membership), or a mapping of operators.",
            "anyOf": [
                { "type": ["string", "number", "boolean"] },
                { "type": "array", "minItems": 1, "items": { "type": ["string", "number", "boolean"] } },
                ops,
            ]
        })
    }
}

// --------------------------------------------------------------- SlaPolicy

/// Targets per priority × segment, the calendars they count in, pauses and
/// warning thresholds.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SlaPolicySpec {
    /// The calendar targets count in unless an entry names another.
    pub calendar: Spanned<Name>,
    /// Warn at these percentages of each target's business duration.
    #[serde(default)]
    pub warnings: Vec<Spanned<Percent>>,
    /// Which metrics' clocks stop in which ticket status.
    #[serde(default)]
    pub pauses: Pauses,
    /// Ordered entries; the first matching the ticket's priority and segment applies.
    #[serde(default)]
    pub targets: Vec<SlaEntry>,
    /// Targets for tickets no entry matches; without it they get no SLA.
    #[serde(default)]
    pub default: Option<SlaDefault>,
}

/// A percentage, 0 to 100.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq)]
#[serde(transparent)]
pub struct Percent(pub f64);

impl JsonSchema for Percent {
    fn schema_name() -> Cow<'static, str> {
        "Percent".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "number", "minimum": 0, "maximum": 100 })
    }
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Pauses {
    #[serde(default)]
    pub pending: Vec<Spanned<SlaMetric>>,
    #[serde(default)]
    pub on_hold: Vec<Spanned<SlaMetric>>,
}

/// The four SLA metrics.
#[derive(Clone, Copy, Debug, Deserialize, JsonSchema, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum SlaMetric {
    FirstResponse,
    NextResponse,
    PeriodicUpdate,
    Resolution,
}

impl SlaMetric {
    /// Every metric, in report order; [`SlaMetric::index`] maps into it.
    pub const ALL: [SlaMetric; 4] = [
        Self::FirstResponse,
        Self::NextResponse,
        Self::PeriodicUpdate,
        Self::Resolution,
    ];

    /// The name policies, traces and reports write.
    pub fn name(self) -> &'static str {
        match self {
            Self::FirstResponse => "first_response",
            Self::NextResponse => "next_response",
            Self::PeriodicUpdate => "periodic_update",
            Self::Resolution => "resolution",
        }
    }

    /// The position in [`SlaMetric::ALL`].
    pub fn index(self) -> usize {
        match self {
            Self::FirstResponse => 0,
            Self::NextResponse => 1,
            Self::PeriodicUpdate => 2,
            Self::Resolution => 3,
        }
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SlaEntry {
    pub id: Spanned<Id>,
    #[serde(default)]
    pub description: Option<String>,
    /// The priority this entry applies to.
    pub priority: Spanned<String>,
    /// Segments it applies to; all when left out.
    #[serde(default)]
    pub segments: Vec<Spanned<Id>>,
    /// A further condition on the ticket.
    #[serde(default)]
    pub when: Option<Spanned<Condition>>,
    /// The calendar these targets count in, instead of the policy's.
    #[serde(default)]
    pub calendar: Option<Spanned<Name>>,
    pub targets: Targets,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SlaDefault {
    #[serde(default)]
    pub calendar: Option<Spanned<Name>>,
    pub targets: Targets,
}

/// Target durations; a metric left out has no target.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("minProperties" = 1))]
pub struct Targets {
    #[serde(default)]
    pub first_response: Option<Spanned<Duration>>,
    #[serde(default)]
    pub next_response: Option<Spanned<Duration>>,
    #[serde(default)]
    pub periodic_update: Option<Spanned<Duration>>,
    #[serde(default)]
    pub resolution: Option<Spanned<Duration>>,
}

// -------------------------------------------------------- EscalationMatrix

/// Levels, where tickets enter, and the triggers that move them up.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EscalationMatrixSpec {
    /// Levels, lowest first.
    #[schemars(length(min = 1))]
    pub levels: Vec<Level>,
    /// Where tickets enter the matrix: the first matching rule decides the
    /// level (and the team is that level's); a ticket no rule matches goes to
    /// the classification's `route_to` team, at that team's level.
    #[serde(default)]
    pub entry: Vec<EntryRule>,
    /// Auto-escalation triggers.
    #[serde(default)]
    pub triggers: Vec<Trigger>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Level {
    pub id: Spanned<Id>,
    pub name: String,
    pub responsibility: String,
    /// The team that owns tickets at this level.
    pub team: Spanned<Id>,
    /// How fast the level responds once a ticket reaches it.
    pub response: ResponseWindow,
    /// The next level up for hierarchical escalation; none at the top.
    #[serde(default)]
    pub escalates_to: Option<Spanned<Id>>,
    /// Channels alerted when a ticket reaches the level.
    #[serde(default)]
    pub notify_via: Vec<Spanned<ChannelKind>>,
}

/// A response target, optionally with an outer bound ("15–30 minutes").
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ResponseWindow {
    pub target: Spanned<Duration>,
    #[serde(default)]
    pub max: Option<Spanned<Duration>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EntryRule {
    pub id: Spanned<Id>,
    pub when: Spanned<Condition>,
    pub level: Spanned<Id>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Trigger {
    pub id: Spanned<Id>,
    #[serde(default)]
    pub description: Option<String>,
    /// What fires the trigger.
    pub on: Spanned<TriggerOn>,
    /// A further condition on the ticket.
    #[serde(default)]
    pub when: Option<Spanned<Condition>>,
    /// Levels at which the trigger is armed; all when left out.
    #[serde(default)]
    pub at_levels: Vec<Spanned<Id>>,
    /// Where the ticket goes.
    pub escalate: Escalate,
    /// Who else is told.
    #[serde(default)]
    pub notify: Vec<Notify>,
}

/// What fires a trigger.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum TriggerOn {
    /// No agent activity for this long (in the level team's calendar).
    Inactivity(Duration),
    /// Open and unresolved this long after creation.
    OpenFor(Duration),
    /// An SLA target this far used up.
    SlaAtRisk { metric: SlaMetric, percent: Percent },
    /// A customer message or the subject contains one of these words.
    Keywords(Vec<String>),
    /// A customer message's sentiment is below this (-1 to 1).
    SentimentBelow(#[schemars(range(min = -1.0, max = 1.0))] f64),
    /// A refund request above the handling tier's authority.
    RefundOverAuthority,
    /// The ticket is reopened.
    Reopened,
    /// The ticket is created (use with `when`).
    Created,
}

/// Where a trigger sends the ticket.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Escalate {
    /// A level id, or `next` for the current level's `escalates_to`.
    #[serde(default)]
    pub to: Option<Spanned<Id>>,
    /// A team outside the level ladder (functional escalation).
    #[serde(default)]
    pub team: Option<Spanned<Id>>,
    pub kind: Spanned<EscalationKind>,
}

#[derive(Clone, Copy, Debug, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum EscalationKind {
    /// To more expertise.
    Functional,
    /// To more authority.
    Hierarchical,
}

impl EscalationKind {
    /// The name as written in policies and traces.
    pub fn name(self) -> &'static str {
        match self {
            Self::Functional => "functional",
            Self::Hierarchical => "hierarchical",
        }
    }
}

// --------------------------------------------------------- RefundAuthority

/// The largest refund each tier may approve, and who approves above that.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RefundAuthoritySpec {
    #[schemars(length(min = 1))]
    pub limits: Vec<RefundLimit>,
    /// Approves refunds above every tier's limit.
    #[serde(default)]
    pub final_approver: Option<FinalApprover>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RefundLimit {
    #[schemars(range(max = 4))]
    pub tier: Spanned<u8>,
    /// The largest refund the tier approves, one per currency.
    #[schemars(length(min = 1))]
    pub up_to: Vec<Spanned<Money>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FinalApprover {
    pub team: Spanned<Id>,
    pub role: String,
}

// -------------------------------------------------------------- Benchmarks

/// Target bands for the support metrics.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BenchmarksSpec {
    #[schemars(length(min = 1))]
    pub bands: Vec<Band>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Band {
    pub metric: Spanned<BenchmarkMetric>,
    /// Only tickets of this priority.
    #[serde(default)]
    pub priority: Option<Spanned<String>>,
    /// Only tickets of this segment.
    #[serde(default)]
    pub segment: Option<Spanned<Id>>,
    /// Lowest healthy value (percent, or a duration for time metrics).
    #[serde(default)]
    pub min: Option<Spanned<BandValue>>,
    /// Highest healthy value.
    #[serde(default)]
    pub max: Option<Spanned<BandValue>>,
    /// Above this the metric signals a problem, not just a miss.
    #[serde(default)]
    pub alert_above: Option<Spanned<BandValue>>,
    /// The statement the band encodes.
    #[serde(default)]
    pub source: Option<String>,
}

/// A band bound: a percentage or a duration.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum BandValue {
    Number(f64),
    Duration(String),
}

impl JsonSchema for BandValue {
    fn schema_name() -> Cow<'static, str> {
        "BandValue".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let duration = generator.subschema_for::<Duration>();
        json_schema!({ "anyOf": [{ "type": "number" }, duration] })
    }
}

/// The metrics Slate measures (DESIGN §7).
#[derive(Clone, Copy, Debug, Deserialize, JsonSchema, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum BenchmarkMetric {
    /// Share of tickets escalated at least once (percent).
    EscalationRate,
    /// Escalation to first assignment or reply at the new tier (duration).
    HandoffDelay,
    /// Share of escalations returned to a lower tier (percent).
    BouncebackRate,
    /// Share of escalated tickets escalated again after a return (percent).
    RepeatEscalationRate,
    /// Share of escalated tickets where the customer writes again while escalated (percent).
    RecontactRate,
    /// Share of escalated tickets where information is re-collected (percent).
    ContextLossRate,
    /// Share of tickets breaching any SLA target (percent).
    SlaBreachRate,
    /// Escalated tickets' breach rate minus the overall rate (percentage points).
    EscalatedBreachRateGap,
    /// First response time (duration).
    FirstResponseTime,
    /// Resolution time (duration).
    ResolutionTime,
    /// Share of satisfied CSAT answers, 4 or 5 (percent).
    Csat,
}

impl BenchmarkMetric {
    /// The name as written in policies.
    pub fn name(self) -> &'static str {
        match self {
            Self::EscalationRate => "escalation_rate",
            Self::HandoffDelay => "handoff_delay",
            Self::BouncebackRate => "bounceback_rate",
            Self::RepeatEscalationRate => "repeat_escalation_rate",
            Self::RecontactRate => "recontact_rate",
            Self::ContextLossRate => "context_loss_rate",
            Self::SlaBreachRate => "sla_breach_rate",
            Self::EscalatedBreachRateGap => "escalated_breach_rate_gap",
            Self::FirstResponseTime => "first_response_time",
            Self::ResolutionTime => "resolution_time",
            Self::Csat => "csat",
        }
    }

    /// Whether the metric is a duration (else a percentage).
    pub fn is_duration(self) -> bool {
        matches!(
            self,
            Self::HandoffDelay | Self::FirstResponseTime | Self::ResolutionTime
        )
    }
}

// Conditions are read by hand: the single key decides what the value is.

impl<'de> Deserialize<'de> for Condition {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(ConditionVisitor)
    }
}

struct ConditionVisitor;

impl<'de> serde::de::Visitor<'de> for ConditionVisitor {
    type Value = Condition;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a condition mapping with exactly one key")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Condition, A::Error> {
        use serde::de::Error;
        let Some(key) = map.next_key::<Spanned<String>>()? else {
            return Err(A::Error::custom("a condition needs exactly one key"));
        };
        let condition = match key.value.as_str() {
            "all" => Condition::All(map.next_value()?),
            "any" => Condition::Any(map.next_value()?),
            "not" => Condition::Not(Box::new(map.next_value()?)),
            "keywords" => Condition::Keywords(map.next_value()?),
            _ => Condition::Test {
                field: key,
                test: map.next_value()?,
            },
        };
        if map.next_key::<serde::de::IgnoredAny>()?.is_some() {
            return Err(A::Error::custom("a condition has exactly one key"));
        }
        Ok(condition)
    }
}

impl<'de> Deserialize<'de> for Test {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TestVisitor)
    }
}

struct TestVisitor;

impl<'de> serde::de::Visitor<'de> for TestVisitor {
    type Value = Test;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a value, a list of values, or a mapping of operators")
    }
    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Test, E> {
        Ok(Test::Equals(Scalar::Bool(v)))
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Test, E> {
        Ok(Test::Equals(Scalar::Int(v)))
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Test, E> {
        Ok(Test::Equals(
            i64::try_from(v).map_or(Scalar::Float(v as f64), Scalar::Int),
        ))
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Test, E> {
        Ok(Test::Equals(Scalar::Float(v)))
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Test, E> {
        Ok(Test::Equals(Scalar::String(v.to_owned())))
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Test, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Scalar>()? {
            items.push(item);
        }
        Ok(Test::In(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Test, A::Error> {
        TestOps::deserialize(serde::de::value::MapAccessDeserializer::new(map)).map(Test::Ops)
    }
}

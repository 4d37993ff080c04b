//! The ticket timeline contract (DESIGN.md §5) and its readers.
//!
//! One ticket per JSONL line. Unknown event types and extra fields are
//! accepted and ignored; a malformed line is a located error, never a panic.

use std::collections::BTreeMap;
use std::io::BufRead;

use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize};

/// A recorded ticket: attributes and a time-ordered timeline.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
pub struct Ticket {
    pub id: String,
    /// RFC 3339 with offset.
    pub created_at: DateTime<FixedOffset>,
    #[serde(default)]
    pub subject: Option<String>,
    /// The priority recorded on the ticket (an id or alias such as `P1`).
    #[serde(default)]
    pub priority: Option<String>,
    #[serde(default)]
    pub channel: Option<String>,
    #[serde(default)]
    pub requester: Requester,
    #[serde(default)]
    pub tags: Vec<String>,
    /// Custom fields, tested in conditions as `fields.<name>`.
    #[serde(default)]
    pub fields: BTreeMap<String, serde_json::Value>,
    /// In time order; events at the same instant keep file order.
    pub events: Vec<Event>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
pub struct Requester {
    #[serde(default)]
    pub segment: Option<String>,
    #[serde(default)]
    pub account: Option<String>,
    #[serde(default)]
    pub vip: bool,
    /// Annual recurring revenue: the `account_value` of conditions.
    #[serde(default, deserialize_with = "number::optional")]
    pub arr: Option<f64>,
}

impl Ticket {
    /// The instant the ticket is judged at (DESIGN §4.17): `until` when
    /// given, else its last event; never before its creation. Unix seconds.
    pub fn horizon(&self, until: Option<i64>) -> i64 {
        let created = self.created_at.timestamp();
        let last = self.events.last().map_or(created, |e| e.at.timestamp());
        until.unwrap_or(last).max(created)
    }
}

/// One timeline event.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
pub struct Event {
    pub at: DateTime<FixedOffset>,
    #[serde(flatten)]
    pub body: EventBody,
}

#[derive(Clone, Copy, Debug, Deserialize, Serialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    Functional,
    Hierarchical,
}

impl Reason {
    /// The reason as written in the contract.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Functional => "functional",
            Self::Hierarchical => "hierarchical",
        }
    }
}

#[derive(Clone, Copy, Debug, Deserialize, Serialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    New,
    Open,
    Pending,
    OnHold,
    Solved,
    Closed,
}

impl Status {
    /// The status as written in the contract.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::Open => "open",
            Self::Pending => "pending",
            Self::OnHold => "on_hold",
            Self::Solved => "solved",
            Self::Closed => "closed",
        }
    }
}

/// What happened.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventBody {
    CustomerMessage {
        #[serde(default)]
        text: Option<String>,
        /// -1 (negative) to 1 (positive).
        #[serde(default, deserialize_with = "number::optional")]
        sentiment: Option<f64>,
    },
    AgentReply {
        #[serde(default)]
        agent: Option<String>,
        #[serde(default, deserialize_with = "number::optional")]
        tier: Option<u8>,
        #[serde(default = "yes")]
        public: bool,
    },
    InternalNote {},
    Assigned {
        #[serde(default, deserialize_with = "number::optional")]
        tier: Option<u8>,
        #[serde(default)]
        team: Option<String>,
        #[serde(default)]
        agent: Option<String>,
    },
    Escalated {
        #[serde(deserialize_with = "number::required")]
        to_tier: u8,
        reason: Reason,
    },
    Returned {
        #[serde(deserialize_with = "number::required")]
        to_tier: u8,
    },
    ContextRequested {},
    StatusChanged {
        status: Status,
    },
    PriorityChanged {
        priority: String,
    },
    RefundRequested {
        #[serde(deserialize_with = "decimal")]
        #[schemars(with = "DecimalSchema")]
        amount: Decimal,
        currency: String,
    },
    RefundDecided {
        approved: bool,
        #[serde(default, deserialize_with = "number::optional")]
        tier: Option<u8>,
    },
    Solved {},
    Reopened {},
    Closed {},
    Csat {
        #[serde(deserialize_with = "number::required")]
        score: u8,
    },
    /// Any other event type: kept in the timeline, ignored by the engine.
    #[serde(other)]
    Other,
}

fn yes() -> bool {
    true
}

/// Money: a JSON number or string, read exactly as written, never through a
/// float (DESIGN §4.20). JSON numbers keep their text (serde_json's
/// `arbitrary_precision`); a YAML plain float has already lost it, so YAML
/// writes decimals as strings.
fn decimal<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Decimal, D::Error> {
    deserializer.deserialize_any(AmountVisitor)
}

struct AmountVisitor;

impl AmountVisitor {
    fn parse<E: serde::de::Error>(text: &str) -> Result<Decimal, E> {
        let text = text.trim();
        let parsed = if text.contains(['e', 'E']) {
            Decimal::from_scientific(text)
        } else {
            text.parse()
        };
        let amount: Decimal = parsed.map_err(|_| {
            E::custom(format!(
                "invalid amount `{text}`: write a decimal such as 100 or \"100.01\""
            ))
        })?;
        if amount.is_sign_negative() {
            return Err(E::custom(format!("negative amount `{text}`")));
        }
        Ok(amount)
    }
}

impl<'de> serde::de::Visitor<'de> for AmountVisitor {
    type Value = Decimal;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an amount: a decimal number or string")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Decimal, E> {
        Self::parse(v)
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Decimal, E> {
        Ok(Decimal::from(v))
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Decimal, E> {
        Self::parse(&v.to_string())
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Decimal, E> {
        Err(E::custom(format!(
            "the amount {v} was read as a binary float, which cannot hold every decimal; write it as a string (\"{v}\")"
        )))
    }

    /// A JSON number with its text (`arbitrary_precision`).
    fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Decimal, A::Error> {
        let number =
            serde_json::Number::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
        Self::parse(&number.to_string())
    }
}

/// Numbers read through serde's buffering (the flattened, internally tagged
/// event; untagged lists of tickets), where serde_json's exact numbers
/// (`arbitrary_precision`, kept for money) arrive as a one-entry map.
mod number {
    use serde::de::{self, Deserializer, MapAccess, Visitor};
    use std::marker::PhantomData;
    use std::str::FromStr;

    struct Number<T>(PhantomData<T>);

    impl<T: FromStr> Number<T> {
        fn parse<E: de::Error>(text: &str) -> Result<T, E> {
            text.parse()
                .map_err(|_| E::custom(format!("`{text}` is out of range here")))
        }
    }

    impl<'de, T: FromStr> Visitor<'de> for Number<T> {
        type Value = T;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a number")
        }

        fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
            Self::parse(&v.to_string())
        }

        fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
            Self::parse(&v.to_string())
        }

        fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
            Self::parse(&v.to_string())
        }

        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
            let n = serde_json::Number::deserialize(de::value::MapAccessDeserializer::new(map))?;
            Self::parse(&n.to_string())
        }
    }

    use serde::Deserialize;

    pub fn required<'de, D: Deserializer<'de>, T: FromStr>(d: D) -> Result<T, D::Error> {
        d.deserialize_any(Number(PhantomData))
    }

    struct Optional<T>(PhantomData<T>);

    impl<'de, T: FromStr> Visitor<'de> for Optional<T> {
        type Value = Option<T>;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a number or null")
        }

        fn visit_none<E: de::Error>(self) -> Result<Option<T>, E> {
            Ok(None)
        }

        fn visit_unit<E: de::Error>(self) -> Result<Option<T>, E> {
            Ok(None)
        }

        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<T>, D::Error> {
            required(d).map(Some)
        }
    }

    pub fn optional<'de, D: Deserializer<'de>, T: FromStr>(d: D) -> Result<Option<T>, D::Error> {
        d.deserialize_option(Optional(PhantomData))
    }
}

struct DecimalSchema;

impl JsonSchema for DecimalSchema {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Amount".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A non-negative decimal amount, as a number or a string.",
            "anyOf": [
                { "type": "number", "minimum": 0 },
                { "type": "string", "pattern": "^(0|[1-9][0-9]*)(\\.[0-9]+)?$" }
            ]
        })
    }
}

impl EventBody {
    /// The event's `type` as written in the contract.
    pub fn name(&self) -> &'static str {
        match self {
            Self::CustomerMessage { .. } => "customer_message",
            Self::AgentReply { .. } => "agent_reply",
            Self::InternalNote {} => "internal_note",
            Self::Assigned { .. } => "assigned",
            Self::Escalated { .. } => "escalated",
            Self::Returned { .. } => "returned",
            Self::ContextRequested {} => "context_requested",
            Self::StatusChanged { .. } => "status_changed",
            Self::PriorityChanged { .. } => "priority_changed",
            Self::RefundRequested { .. } => "refund_requested",
            Self::RefundDecided { .. } => "refund_decided",
            Self::Solved {} => "solved",
            Self::Reopened {} => "reopened",
            Self::Closed {} => "closed",
            Self::Csat { .. } => "csat",
            Self::Other => "other",
        }
    }
}

/// Why a ticket record was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TicketErrorKind {
    /// Not a ticket of the contract (syntax, missing or mistyped fields).
    Malformed,
    /// Events out of time order, or before `created_at`.
    Order,
}

/// A ticket that [`validate`] refuses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invalid {
    pub kind: TicketErrorKind,
    pub message: String,
}

impl std::fmt::Display for Invalid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// A ticket that could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TicketError {
    pub kind: TicketErrorKind,
    /// 1-based line in the file.
    pub line: usize,
    /// 1-based column within the line.
    pub column: usize,
    pub message: String,
}

/// Checks what serde cannot: events in time order.
/// Most events one ticket may hold: a real ticket has tens; a file whose
/// tickets hold more is generated or hostile, and replaying it would be slow.
pub const MAX_EVENTS: usize = 100_000;

pub fn validate(ticket: &Ticket) -> Result<(), Invalid> {
    let order = |message| Invalid {
        kind: TicketErrorKind::Order,
        message,
    };
    if ticket.events.len() > MAX_EVENTS {
        return Err(Invalid {
            kind: TicketErrorKind::Malformed,
            message: format!(
                "ticket `{}` has {} events, more than the limit of {MAX_EVENTS} events per ticket; split the export or drop machine-generated events",
                ticket.id,
                ticket.events.len()
            ),
        });
    }
    if ticket.id.trim().is_empty() {
        return Err(Invalid {
            kind: TicketErrorKind::Malformed,
            message: "ticket `id` is empty".to_owned(),
        });
    }
    for pair in ticket.events.windows(2) {
        if let [a, b] = pair
            && b.at < a.at
        {
            return Err(order(format!(
                "ticket `{}`: events are not in time order (`{}` at {} follows {})",
                ticket.id,
                b.body.name(),
                b.at.to_rfc3339(),
                a.at.to_rfc3339()
            )));
        }
    }
    if let Some(first) = ticket.events.first()
        && first.at < ticket.created_at
    {
        return Err(order(format!(
            "ticket `{}`: event `{}` at {} is before `created_at` {}",
            ticket.id,
            first.body.name(),
            first.at.to_rfc3339(),
            ticket.created_at.to_rfc3339()
        )));
    }
    Ok(())
}

/// Reads one JSON ticket (one JSONL line).
pub fn parse_line(text: &str, line: usize) -> Result<Ticket, TicketError> {
    parse_line_bytes(text.as_bytes(), line)
}

/// [`parse_line`] on bytes (text that is not UTF-8 is malformed).
pub fn parse_line_bytes(text: &[u8], line: usize) -> Result<Ticket, TicketError> {
    let ticket: Ticket = serde_json::from_slice(text).map_err(|e| TicketError {
        kind: TicketErrorKind::Malformed,
        line,
        column: e.column().max(1),
        message: e
            .to_string()
            .split(" at line ")
            .next()
            .unwrap_or_default()
            .to_owned(),
    })?;
    validate(&ticket).map_err(|e| TicketError {
        kind: e.kind,
        line,
        column: 1,
        message: e.message,
    })?;
    Ok(ticket)
}

/// Streams tickets from JSONL: one result per non-blank line.
pub fn read_jsonl<R: BufRead>(reader: R) -> impl Iterator<Item = Result<Ticket, TicketError>> {
    reader
        .lines()
        .enumerate()
        .filter_map(|(i, line)| match line {
            Ok(text) if text.trim().is_empty() => None,
            Ok(text) => Some(parse_line(&text, i + 1)),
            Err(e) => Some(Err(TicketError {
                kind: TicketErrorKind::Malformed,
                line: i + 1,
                column: 1,
                message: format!("cannot read line: {e}"),
            })),
        })
}

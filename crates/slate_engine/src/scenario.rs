//! Scenarios: a recorded ticket plus expectations about its trace.
//!
//! ```yaml
//! ticket: {id: ..., created_at: ..., events: [...]}
//! expect:
//!   - {decision: escalated, to: L2, by: 2026-10-05T10:30:00Z}
//!   - {decision: target_breached, metric: first_response}
//!   - {decision: refund_needs_approval, approver: tier 2}
//!   - {decision: target_breached, absent: true}
//! ```
//!
//! An expectation names a `decision` and any of the entry's fields (compared
//! as text), plus `by` (at or before an instant), `at` (exactly then),
//! `rule` (the provenance rule), `count` (exactly that many matches) or
//! `absent: true` (no such entry).

use std::collections::BTreeMap;

use chrono::DateTime;
use serde::Deserialize;
use serde_json::Value;
use slate_policy::Limits;
use slate_policy::source::{Source, Span, Spanned};

use crate::ticket::{self, Ticket};
use crate::trace::Trace;

/// A scenario file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// What the scenario shows, and which seed statement it exercises.
    #[serde(default)]
    pub description: Option<String>,
    pub ticket: Spanned<Ticket>,
    /// The horizon (RFC 3339): timers fire up to and including it, events
    /// after it have not happened (DESIGN §4.17). Default: the last event.
    #[serde(default)]
    pub until: Option<Spanned<String>>,
    #[serde(default)]
    pub expect: Vec<Spanned<BTreeMap<String, Value>>>,
    /// `until` read as unix seconds.
    #[serde(skip)]
    pub horizon: Option<i64>,
}

/// A scenario that could not be read: message and where.
#[derive(Debug, Clone)]
pub struct ScenarioError {
    pub message: String,
    pub span: Span,
}

/// Reads a scenario file.
pub fn parse(source: &Source) -> Result<Scenario, ScenarioError> {
    let scenario: Scenario =
        slate_policy::yaml::deserialize(source, &Limits::default()).map_err(|e| ScenarioError {
            message: e.message,
            span: e.span,
        })?;
    let mut scenario = scenario;
    ticket::validate(&scenario.ticket).map_err(|e| ScenarioError {
        message: e.message,
        span: scenario.ticket.span,
    })?;
    if let Some(until) = &scenario.until {
        let at = DateTime::parse_from_rfc3339(&until.value)
            .map_err(|e| ScenarioError {
                message: format!(
                    "`until: {}` is not an RFC 3339 instant with offset ({e}); write e.g. 2026-10-31T23:59:59Z",
                    until.value
                ),
                span: until.span,
            })?
            .timestamp();
        let created = scenario.ticket.created_at;
        if at < created.timestamp() {
            return Err(ScenarioError {
                message: format!(
                    "`until: {}` is before the ticket's creation ({}); the horizon must be at or after `created_at`",
                    until.value,
                    crate::engine::instant(created.timestamp())
                ),
                span: until.span,
            });
        }
        scenario.horizon = Some(at);
    }
    Ok(scenario)
}

/// The verdict on one expectation.
#[derive(Debug, Clone)]
pub struct Verdict {
    pub span: Span,
    pub passed: bool,
    /// The expectation, as written (`decision=escalated to=L2`).
    pub expectation: String,
    /// Why it failed.
    pub detail: Option<String>,
    /// Whether it matched an entry that a policy rule decided.
    pub exercises_rule: bool,
}

const RESERVED: [&str; 5] = ["by", "at", "absent", "count", "rule"];

fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => "null".to_owned(),
        other => other.to_string(),
    }
}

fn instant(value: &Value) -> Option<i64> {
    DateTime::parse_from_rfc3339(&text(value))
        .ok()
        .map(|d| d.timestamp())
}

/// Checks every expectation against the trace.
pub fn check(scenario: &Scenario, trace: &Trace) -> Vec<Verdict> {
    let entries: Vec<Value> = trace
        .entries
        .iter()
        .map(|e| serde_json::to_value(e).unwrap_or(Value::Null))
        .collect();
    scenario
        .expect
        .iter()
        .map(|expectation| {
            let fields = &expectation.value;
            let written = fields
                .iter()
                .map(|(k, v)| format!("{k}={}", text(v)))
                .collect::<Vec<_>>()
                .join(" ");
            let matching: Vec<&Value> = entries
                .iter()
                .filter(|entry| {
                    fields.iter().all(|(key, want)| match key.as_str() {
                        "absent" | "count" => true,
                        "by" => match (instant(want), entry.get("at").and_then(instant_of)) {
                            (Some(by), Some(at)) => at <= by,
                            _ => false,
                        },
                        "at" => match (instant(want), entry.get("at").and_then(instant_of)) {
                            (Some(want), Some(at)) => at == want,
                            _ => false,
                        },
                        "rule" => entry
                            .pointer("/provenance/rule")
                            .is_some_and(|v| text(v) == text(want)),
                        _ => entry.get(key).is_some_and(|v| text(v) == text(want)),
                    })
                })
                .collect();
            let absent = fields
                .get("absent")
                .is_some_and(|v| v == &Value::Bool(true));
            let count = fields.get("count").and_then(Value::as_u64);
            let passed = if absent {
                matching.is_empty()
            } else if let Some(count) = count {
                matching.len() as u64 == count
            } else {
                !matching.is_empty()
            };
            let detail = (!passed).then(|| {
                if absent {
                    format!(
                        "expected no such entry, found {} (first at {})",
                        matching.len(),
                        matching
                            .first()
                            .and_then(|e| e.get("at"))
                            .map(text)
                            .unwrap_or_default()
                    )
                } else {
                    let decision = fields.get("decision").map(text).unwrap_or_default();
                    let same: Vec<String> = entries
                        .iter()
                        .filter(|e| e.get("decision").map(text) == Some(decision.clone()))
                        .map(describe)
                        .collect();
                    let found = match count {
                        Some(c) => {
                            format!("expected {c} matching entries, found {}", matching.len())
                        }
                        None => "no matching entry".to_owned(),
                    };
                    if same.is_empty() {
                        format!("{found}; the trace has no `{decision}` entry")
                    } else {
                        format!(
                            "{found}; `{decision}` entries in the trace:\n  {}",
                            same.join("\n  ")
                        )
                    }
                }
            });
            let exercises_rule = passed
                && !absent
                && matching
                    .iter()
                    .any(|e| e.pointer("/provenance/rule").is_some());
            Verdict {
                span: expectation.span,
                passed,
                expectation: written,
                detail,
                exercises_rule,
            }
        })
        .collect()
}

fn instant_of(value: &Value) -> Option<i64> {
    instant(value)
}

/// One line for an entry: its time and fields.
fn describe(entry: &Value) -> String {
    let Some(map) = entry.as_object() else {
        return entry.to_string();
    };
    map.iter()
        .filter(|(k, _)| !matches!(k.as_str(), "decision" | "cause" | "provenance"))
        .map(|(k, v)| format!("{k}={}", text(v)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether `key` is one of the expectation keywords.
pub fn is_reserved(key: &str) -> bool {
    RESERVED.contains(&key)
}

//! Importer for Zendesk exports: the Incremental Ticket Export (cursor
//! based: pages of `{"tickets": [...], "after_cursor", "end_of_stream"}`)
//! and Ticket Audits (`{"audits": [...]}` with `Comment`, `Change` and
//! `Create` events), assembled into the canonical ticket contract.
//!
//! Mapping: priority `urgent`/`high`/`normal`/`low` → `critical`/`high`/
//! `medium`/`low`; `via.channel` → channel; comments by the requester →
//! `customer_message`, public comments by anyone else → `agent_reply`,
//! private ones → `internal_note`; `status` changes → `status_changed`
//! (`hold` → `on_hold`; `solved`, `closed` as such); `priority` changes →
//! `priority_changed`; `group_id`/`assignee_id` changes → `assigned` (groups
//! named by the `groups` mapping, else `group-<id>`). The
//! segment comes from a tag with a prefix (`segment_enterprise`), `vip` from a
//! `vip` tag, custom fields become `fields.cf_<id>`.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::{Map, Value, json};
use slate_engine::Ticket;

/// One page of the incremental ticket export.
#[derive(Debug, Deserialize)]
pub struct TicketPage {
    pub tickets: Vec<ZTicket>,
    #[serde(default)]
    pub end_of_stream: Option<bool>,
}

#[derive(Debug, Deserialize)]
pub struct ZTicket {
    pub id: u64,
    pub created_at: String,
    #[serde(default)]
    pub subject: Option<String>,
    #[serde(default)]
    pub priority: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub requester_id: Option<u64>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub via: Option<Via>,
    #[serde(default)]
    pub custom_fields: Vec<CustomField>,
}

#[derive(Debug, Deserialize)]
pub struct Via {
    #[serde(default)]
    pub channel: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct CustomField {
    pub id: u64,
    #[serde(default)]
    pub value: Value,
}

/// A file of ticket audits.
#[derive(Debug, Deserialize)]
pub struct AuditPage {
    pub audits: Vec<Audit>,
}

#[derive(Debug, Deserialize)]
pub struct Audit {
    pub ticket_id: u64,
    pub created_at: String,
    #[serde(default)]
    pub author_id: Option<u64>,
    #[serde(default)]
    pub events: Vec<AuditEvent>,
}

#[derive(Debug, Deserialize)]
pub struct AuditEvent {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub public: Option<bool>,
    #[serde(default)]
    pub author_id: Option<u64>,
    #[serde(default)]
    pub field_name: Option<String>,
    #[serde(default)]
    pub value: Value,
}

/// How Zendesk data maps onto Slate's attributes.
#[derive(Debug, Clone)]
pub struct Mapping {
    /// Tags `<prefix><segment>` give the segment.
    pub segment_tag_prefix: String,
    /// Zendesk group id → the team of the SupportTiers policy it is.
    /// Unmapped groups are named `group-<id>`.
    pub groups: BTreeMap<String, String>,
}

impl Default for Mapping {
    fn default() -> Self {
        Self {
            segment_tag_prefix: "segment_".to_owned(),
            groups: BTreeMap::new(),
        }
    }
}

impl Mapping {
    /// The team a Zendesk group id stands for.
    pub fn team(&self, group: &str) -> String {
        self.groups
            .get(group)
            .cloned()
            .unwrap_or_else(|| format!("group-{group}"))
    }
}

fn priority(p: &str) -> &str {
    match p {
        "urgent" => "critical",
        "normal" => "medium",
        other => other,
    }
}

fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Assembles tickets; audits of tickets not in the export are ignored.
/// Errors name the ticket and what is wrong.
pub fn assemble(
    pages: &[TicketPage],
    audits: &[AuditPage],
    mapping: &Mapping,
) -> Vec<Result<Ticket, String>> {
    let mut by_ticket: BTreeMap<u64, Vec<&Audit>> = BTreeMap::new();
    for audit in audits.iter().flat_map(|p| &p.audits) {
        by_ticket.entry(audit.ticket_id).or_default().push(audit);
    }
    pages
        .iter()
        .flat_map(|p| &p.tickets)
        .map(|z| {
            let mut ticket = Map::new();
            ticket.insert("id".into(), json!(format!("ZD-{}", z.id)));
            ticket.insert("created_at".into(), json!(z.created_at));
            if let Some(s) = &z.subject {
                ticket.insert("subject".into(), json!(s));
            }
            if let Some(p) = &z.priority {
                ticket.insert("priority".into(), json!(priority(p)));
            }
            if let Some(channel) = z.via.as_ref().and_then(|v| v.channel.clone()) {
                ticket.insert("channel".into(), json!(channel));
            }
            let segment = z.tags.iter().find_map(|t| t.strip_prefix(&mapping.segment_tag_prefix));
            ticket.insert(
                "requester".into(),
                json!({
                    "segment": segment,
                    "account": z.requester_id.map(|r| format!("user-{r}")),
                    "vip": z.tags.iter().any(|t| t == "vip"),
                }),
            );
            ticket.insert("tags".into(), json!(z.tags));
            let fields: Map<String, Value> = z
                .custom_fields
                .iter()
                .filter(|f| !f.value.is_null())
                .map(|f| (format!("cf_{}", f.id), f.value.clone()))
                .collect();
            ticket.insert("fields".into(), Value::Object(fields));
            let mut audits = by_ticket.get(&z.id).cloned().unwrap_or_default();
            audits.sort_by(|a, b| a.created_at.cmp(&b.created_at));
            let mut events = Vec::new();
            for audit in audits {
                let at = &audit.created_at;
                for e in &audit.events {
                    let author = e.author_id.or(audit.author_id);
                    let event = match (e.kind.as_str(), e.field_name.as_deref()) {
                        ("Comment", _) if author.is_some() && author == z.requester_id => {
                            json!({"at": at, "type": "customer_message", "text": e.body})
                        }
                        ("Comment", _) if e.public.unwrap_or(true) => {
                            json!({"at": at, "type": "agent_reply", "agent": author.map(|a| format!("user-{a}")), "public": true})
                        }
                        ("Comment", _) => json!({"at": at, "type": "internal_note"}),
                        ("Change", Some("status")) => match text(&e.value).as_deref() {
                            Some("hold") => json!({"at": at, "type": "status_changed", "status": "on_hold"}),
                            Some(s @ ("new" | "open" | "pending" | "solved" | "closed")) => {
                                json!({"at": at, "type": "status_changed", "status": s})
                            }
                            _ => continue,
                        },
                        ("Change", Some("priority")) => match text(&e.value) {
                            Some(p) => json!({"at": at, "type": "priority_changed", "priority": priority(&p)}),
                            None => continue,
                        },
                        ("Change", Some("group_id")) => match text(&e.value) {
                            Some(g) => json!({"at": at, "type": "assigned", "team": mapping.team(&g)}),
                            None => continue,
                        },
                        ("Change", Some("assignee_id")) => match text(&e.value) {
                            Some(a) => json!({"at": at, "type": "assigned", "agent": format!("user-{a}")}),
                            None => continue,
                        },
                        _ => continue,
                    };
                    events.push(event);
                }
            }
            ticket.insert("events".into(), Value::Array(events));
            let t: Ticket = serde_json::from_value(Value::Object(ticket)).map_err(|e| format!("ticket {}: {e}", z.id))?;
            slate_engine::ticket::validate(&t).map_err(|e| format!("ticket {}: {e}", z.id))?;
            Ok(t)
        })
        .collect()
}

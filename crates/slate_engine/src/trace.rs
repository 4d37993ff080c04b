//! Decision traces: what the policy decided along a ticket's timeline, when,
//! because of what, and by which rule (DESIGN.md §6).

use serde::Serialize;

/// Bumped when the shape of a trace changes.
pub const TRACE_VERSION: u32 = 1;

/// The decisions for one ticket, in time order.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Trace {
    pub trace_version: u32,
    pub ticket: String,
    /// Timers fired up to and including this instant (DESIGN §4.17);
    /// serialised as RFC 3339, UTC.
    #[serde(serialize_with = "rfc3339")]
    pub horizon: i64,
    /// The policies the replay used.
    pub policies: Vec<PolicyRef>,
    pub entries: Vec<Entry>,
    pub outcome: Outcome,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct PolicyRef {
    pub kind: String,
    pub name: String,
    pub version: u32,
}

/// Where things stood at the end of the timeline.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct Outcome {
    pub priority: String,
    pub level: Option<String>,
    pub team: Option<String>,
    /// `metric#cycle` of every breached target.
    pub breaches: Vec<String>,
    pub escalations: usize,
    /// Policy-driven escalations (the rest were recorded).
    pub policy_escalations: usize,
    pub refunds_needing_approval: usize,
}

/// One decision.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Entry {
    /// Unix seconds; serialised as RFC 3339, UTC.
    #[serde(serialize_with = "rfc3339")]
    pub at: i64,
    pub cause: Cause,
    #[serde(flatten)]
    pub decision: Decision,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provenance: Option<Provenance>,
}

fn rfc3339<S: serde::Serializer>(at: &i64, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&crate::engine::instant(*at))
}

/// What caused a decision. Serialised as `created`, `{event, index}` or
/// `{timer}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cause {
    /// The ticket's creation.
    Created,
    /// The event at this index of the ticket's timeline.
    Event { index: usize, event: String },
    /// A timer the policy set.
    Timer { timer: String },
}

impl Serialize for Cause {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        match self {
            Self::Created => serializer.serialize_str("created"),
            Self::Event { index, event } => {
                let mut map = serializer.serialize_map(Some(2))?;
                map.serialize_entry("event", event)?;
                map.serialize_entry("index", index)?;
                map.end()
            }
            Self::Timer { timer } => {
                let mut map = serializer.serialize_map(Some(1))?;
                map.serialize_entry("timer", timer)?;
                map.end()
            }
        }
    }
}

/// Which policy rule decided, and where it is written.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Provenance {
    pub policy: String,
    pub version: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// `file:line` of the rule (or of the policy's name).
    pub source: String,
}

/// The decisions a replay makes.
#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum Decision {
    Classified {
        priority: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        rule: Option<String>,
        /// The rule's `description`.
        #[serde(skip_serializing_if = "Option::is_none")]
        description: Option<String>,
        /// The action's `steps`: what the handling team is to do (§4.21).
        #[serde(skip_serializing_if = "Vec::is_empty")]
        steps: Vec<String>,
    },
    Routed {
        team: String,
        /// The team's and its tier's `name` (without SupportTiers: none).
        #[serde(skip_serializing_if = "Option::is_none")]
        team_name: Option<String>,
        tier: u8,
        #[serde(skip_serializing_if = "Option::is_none")]
        tier_name: Option<String>,
        owner: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        level: Option<String>,
        /// The level's `responsibility` (§4.21).
        #[serde(skip_serializing_if = "Option::is_none")]
        responsibility: Option<String>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        skipped: Vec<String>,
    },
    SlaSelected {
        entry: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        description: Option<String>,
    },
    NoSla {
        reason: String,
    },
    TargetStarted {
        metric: String,
        /// The level of a `level_response` target.
        #[serde(skip_serializing_if = "Option::is_none")]
        level: Option<String>,
        cycle: u32,
        target: String,
        calendar: String,
        due: String,
    },
    TargetMet {
        metric: String,
        /// The level of a `level_response` target.
        #[serde(skip_serializing_if = "Option::is_none")]
        level: Option<String>,
        cycle: u32,
        /// Business time used.
        elapsed: String,
    },
    TargetWarning {
        metric: String,
        /// The level of a `level_response` target.
        #[serde(skip_serializing_if = "Option::is_none")]
        level: Option<String>,
        cycle: u32,
        percent: f64,
    },
    TargetBreached {
        metric: String,
        /// The level of a `level_response` target.
        #[serde(skip_serializing_if = "Option::is_none")]
        level: Option<String>,
        cycle: u32,
        due: String,
    },
    TargetPaused {
        metric: String,
        cycle: u32,
        status: String,
    },
    TargetResumed {
        metric: String,
        cycle: u32,
        due: String,
    },
    TargetRetargeted {
        metric: String,
        cycle: u32,
        from: String,
        to: String,
        /// The calendar it counts in from now on: the new entry's.
        calendar: String,
        due: String,
    },
    TargetStopped {
        metric: String,
        /// The level of a `level_response` target.
        #[serde(skip_serializing_if = "Option::is_none")]
        level: Option<String>,
        cycle: u32,
        reason: String,
    },
    PriorityChanged {
        from: String,
        to: String,
    },
    Escalated {
        #[serde(skip_serializing_if = "Option::is_none")]
        from: Option<String>,
        to: String,
        kind: String,
        /// `policy` (a trigger fired) or `recorded` (the timeline says so).
        origin: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        trigger: Option<String>,
        /// The trigger's `description`.
        #[serde(skip_serializing_if = "Option::is_none")]
        description: Option<String>,
        /// The `responsibility` of the level reached.
        #[serde(skip_serializing_if = "Option::is_none")]
        responsibility: Option<String>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        skipped: Vec<String>,
    },
    TriggerHeld {
        trigger: String,
        reason: String,
    },
    Returned {
        #[serde(skip_serializing_if = "Option::is_none")]
        from: Option<String>,
        to: String,
        /// The `responsibility` of the level returned to.
        #[serde(skip_serializing_if = "Option::is_none")]
        responsibility: Option<String>,
    },
    Notified {
        team: String,
        recipient: String,
        /// `owner` or `backup` (`team` without SupportTiers).
        role: String,
        /// The person's `role` in the organisation and their `contact`.
        #[serde(skip_serializing_if = "Option::is_none")]
        position: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        contact: Option<String>,
        channel: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        address: Option<String>,
        reason: String,
    },
    RefundWithinAuthority {
        amount: String,
        tier: u8,
    },
    RefundNeedsApproval {
        amount: String,
        handling_tier: u8,
        approver: String,
    },
    /// A recorded approval by a tier whose authority is below the amount
    /// (DESIGN §4.20).
    RefundApprovedAboveAuthority {
        amount: String,
        tier: u8,
        /// The tier's limit in that currency, or `none`.
        authority: String,
    },
    CycleStarted {
        cycle: u32,
    },
    /// No version of a policy was in force at the ticket's creation
    /// (DESIGN §4.11): nothing is decided from it.
    NoPolicyInForce {
        kind: String,
        name: String,
        /// When its first version takes effect.
        first_effective: String,
    },
    /// A ticket value outside the policy's catalogue (DESIGN §4.19): the
    /// field falls to the defaults.
    UnknownValue {
        /// `priority`, `segment` or `channel`.
        field: String,
        value: String,
    },
}

impl Decision {
    /// The decision's name as serialised.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Classified { .. } => "classified",
            Self::Routed { .. } => "routed",
            Self::SlaSelected { .. } => "sla_selected",
            Self::NoSla { .. } => "no_sla",
            Self::TargetStarted { .. } => "target_started",
            Self::TargetMet { .. } => "target_met",
            Self::TargetWarning { .. } => "target_warning",
            Self::TargetBreached { .. } => "target_breached",
            Self::TargetPaused { .. } => "target_paused",
            Self::TargetResumed { .. } => "target_resumed",
            Self::TargetRetargeted { .. } => "target_retargeted",
            Self::TargetStopped { .. } => "target_stopped",
            Self::PriorityChanged { .. } => "priority_changed",
            Self::Escalated { .. } => "escalated",
            Self::TriggerHeld { .. } => "trigger_held",
            Self::Returned { .. } => "returned",
            Self::Notified { .. } => "notified",
            Self::RefundWithinAuthority { .. } => "refund_within_authority",
            Self::RefundNeedsApproval { .. } => "refund_needs_approval",
            Self::RefundApprovedAboveAuthority { .. } => "refund_approved_above_authority",
            Self::CycleStarted { .. } => "cycle_started",
            Self::UnknownValue { .. } => "unknown_value",
            Self::NoPolicyInForce { .. } => "no_policy_in_force",
        }
    }
}

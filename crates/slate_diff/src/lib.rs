//! Slate's policy review: what changed in meaning between two policy sets
//! (per policy, in domain words with a direction), the ticket attribute
//! combinations whose classification changes (as sets, from the finite
//! conditions), and — given tickets — the replay impact. Pure: the CLI
//! reads the revisions and renders.

pub mod describe;
pub mod impact;
pub mod semantic;
pub mod sets;

use serde::Serialize;
use slate_policy::model::{Body, Classification, EscalationMatrix, Policy, PolicySet};

pub use impact::Impact;
pub use sets::{Region, Sets};

/// Bumped when the shape of a review changes.
pub const REVIEW_VERSION: u32 = 1;

/// Which way a change moves.
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Sooner targets, earlier escalation, narrower bands.
    Tighter,
    Looser,
    MoreAuthority,
    LessAuthority,
    MoreOpenHours,
    FewerOpenHours,
}

impl Direction {
    pub fn words(self) -> &'static str {
        match self {
            Self::Tighter => "tighter",
            Self::Looser => "looser",
            Self::MoreAuthority => "more authority",
            Self::LessAuthority => "less authority",
            Self::MoreOpenHours => "more open hours",
            Self::FewerOpenHours => "fewer open hours",
        }
    }

    /// Whether a reviewer should look twice: service gets worse or money
    /// moves with less oversight.
    pub fn is_risk(self) -> bool {
        matches!(self, Self::Looser | Self::MoreAuthority)
    }
}

/// One change in meaning.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Change {
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub direction: Option<Direction>,
}

#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Added,
    Removed,
    Changed,
}

/// A policy that differs between the two sides.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct PolicyDiff {
    pub kind: String,
    pub name: String,
    pub status: Status,
    pub base_version: Option<u32>,
    pub head_version: Option<u32>,
    pub base_effective_from: Option<String>,
    pub head_effective_from: Option<String>,
    /// The policy's `owners` (the head's, else the base's): who reviews it.
    pub owners: Vec<String>,
    /// The policy's `description`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub changes: Vec<Change>,
}

/// The semantic part of a review.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Review {
    pub version: u32,
    pub base: String,
    pub head: String,
    pub policies: Vec<PolicyDiff>,
    /// Ticket attribute combinations whose priority changes.
    pub classification: Sets,
}

impl Review {
    /// Changes by direction: (tighter-or-neutral, risky).
    pub fn counts(&self) -> (usize, usize, usize) {
        let all = self.policies.iter().flat_map(|p| &p.changes);
        let (mut risky, mut other, mut total) = (0, 0, 0);
        for c in all {
            total += 1;
            if c.direction.is_some_and(Direction::is_risk) {
                risky += 1;
            } else {
                other += 1;
            }
        }
        (total, risky, other)
    }

    /// Whether nothing changed in meaning.
    pub fn is_empty(&self) -> bool {
        self.policies.is_empty() && self.classification.regions.is_empty()
    }
}

fn classification(set: &PolicySet) -> Option<&Classification> {
    set.current().find_map(|p| match &p.body {
        Body::Classification(c) => Some(c),
        _ => None,
    })
}

fn matrix(set: &PolicySet) -> Option<&EscalationMatrix> {
    set.current().find_map(|p| match &p.body {
        Body::EscalationMatrix(m) => Some(m),
        _ => None,
    })
}

/// Compares the current version of every policy on both sides.
pub fn review(base: &PolicySet, head: &PolicySet, labels: (&str, &str)) -> Review {
    let (bc, hc) = (classification(base), classification(head));
    let catalogues = match (bc, hc) {
        (Some(a), Some(b)) => sets::Catalogues::of(a, b),
        (Some(a), None) | (None, Some(a)) => sets::Catalogues::of(a, a),
        (None, None) => sets::Catalogues::default(),
    };
    let sides = semantic::Sides {
        base_classification: bc,
        head_classification: hc,
        base_matrix: matrix(base),
        head_matrix: matrix(head),
        catalogues,
    };
    let key = |p: &Policy| (p.meta.kind, p.meta.name.clone());
    let mut policies = Vec::new();
    let base_current: Vec<&Policy> = base.current().collect();
    let head_current: Vec<&Policy> = head.current().collect();
    let mut keys: Vec<_> = base_current
        .iter()
        .chain(&head_current)
        .map(|p| key(p))
        .collect();
    keys.sort();
    keys.dedup();
    for k in keys {
        let before = base_current.iter().find(|p| key(p) == k);
        let after = head_current.iter().find(|p| key(p) == k);
        let diff = |status, changes| PolicyDiff {
            kind: k.0.as_str().to_owned(),
            name: k.1.clone(),
            status,
            base_version: before.map(|p| p.meta.version),
            head_version: after.map(|p| p.meta.version),
            base_effective_from: before.map(|p| p.meta.effective_text.clone()),
            head_effective_from: after.map(|p| p.meta.effective_text.clone()),
            owners: after
                .or(before)
                .map(|p| p.meta.owners.clone())
                .unwrap_or_default(),
            description: after.or(before).and_then(|p| p.meta.description.clone()),
            changes,
        };
        match (before, after) {
            (None, Some(_)) => policies.push(diff(Status::Added, Vec::new())),
            (Some(_), None) => policies.push(diff(Status::Removed, Vec::new())),
            (Some(x), Some(y)) => {
                let mut changes = semantic::changes(&x.body, &y.body, &sides);
                // Who owns a policy decides who must approve its changes.
                if x.meta.owners != y.meta.owners {
                    changes.push(semantic::plain(format!(
                        "owners {} → {}",
                        x.meta.owners.join(", "),
                        y.meta.owners.join(", ")
                    )));
                }
                if x.meta.description != y.meta.description {
                    changes.push(semantic::plain("description changed".to_owned()));
                }
                let meta_changed =
                    x.meta.version != y.meta.version || x.meta.effective_at != y.meta.effective_at;
                if !changes.is_empty() || meta_changed {
                    policies.push(diff(Status::Changed, changes));
                }
            }
            (None, None) => {}
        }
    }
    let classification = match (bc, hc) {
        (Some(a), Some(b)) => sets::classification(a, b),
        _ => Sets::default(),
    };
    Review {
        version: REVIEW_VERSION,
        base: labels.0.to_owned(),
        head: labels.1.to_owned(),
        policies,
        classification,
    }
}

//! Which policy versions decide the tickets of a simulation (DESIGN §4.11):
//! the newest of each policy for every ticket ("what if this set decided
//! these tickets"), or with `--in-force` those in force at each ticket's
//! creation. Reports say which, and the versions used.

use serde::Serialize;
use slate_engine::trace::PolicyRef;
use slate_engine::{Engine, InForce, Ticket};

/// How versions are chosen.
#[derive(Clone, Copy, Debug)]
pub enum Versions<'r, 'p> {
    Newest(&'r Engine<'p>),
    InForce(&'r InForce<'p>),
}

impl<'r, 'p> Versions<'r, 'p> {
    /// The engine deciding `ticket`, with the index of its span (0 for the
    /// newest versions); `None` before every Classification version.
    pub fn for_ticket(&self, ticket: &Ticket) -> Option<(usize, &'r Engine<'p>)> {
        match *self {
            Self::Newest(engine) => Some((0, engine)),
            Self::InForce(in_force) => in_force.engine_indexed(ticket.created_at.timestamp()),
        }
    }

    /// The newest versions' engine: benchmarks and priorities of reports.
    pub fn newest(&self) -> Option<&'r Engine<'p>> {
        match *self {
            Self::Newest(engine) => Some(engine),
            Self::InForce(in_force) => in_force.newest(),
        }
    }

    /// The mode and the versions of the spans in `used` (a bit per span).
    pub fn used(&self, used: u64) -> PolicyVersions {
        let (mode, engines): (&'static str, Vec<&Engine<'p>>) = match *self {
            Self::Newest(engine) => ("newest", vec![engine]),
            Self::InForce(in_force) => (
                "in_force",
                (0..64)
                    .filter(|i| used & (1u64 << i) != 0)
                    .filter_map(|i| in_force.engine_of_span(i))
                    .collect(),
            ),
        };
        let mut policies: Vec<PolicyRef> = engines
            .iter()
            .flat_map(|e| e.policies().iter().cloned())
            .collect();
        policies.sort();
        policies.dedup();
        PolicyVersions { mode, policies }
    }
}

/// The versions a report's tickets were decided by.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct PolicyVersions {
    /// `newest` or `in_force`.
    pub mode: &'static str,
    pub policies: Vec<PolicyRef>,
}

impl PolicyVersions {
    /// `newest versions: Classification priority-matrix v1, …`.
    pub fn describe(&self) -> String {
        let mode = match self.mode {
            "in_force" => "versions in force at each ticket's creation (--in-force)",
            _ => "newest versions",
        };
        let list: Vec<String> = self
            .policies
            .iter()
            .map(|p| format!("{} {} v{}", p.kind, p.name, p.version))
            .collect();
        format!("{mode}: {}", list.join(", "))
    }
}

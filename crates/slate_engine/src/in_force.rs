//! Versions in force (DESIGN §4.11): a ticket is decided for its whole life
//! by the version of each policy (each kind, each calendar by name) with the
//! latest `effective_from` at or before its creation. Between two instants
//! at which versions take effect nothing changes, so one engine is compiled
//! per such span and each ticket replayed by the span of its creation.

use slate_policy::model::PolicySet;

use crate::engine::Engine;
use crate::summary::Summary;
use crate::ticket::Ticket;
use crate::trace::{Decision, Entry, Outcome, PolicyRef, Provenance, TRACE_VERSION, Trace};

/// A policy of the set none of whose versions had taken effect.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotInForce {
    pub kind: &'static str,
    pub name: String,
    /// `effective_from` of its first version, as written.
    pub first_effective: String,
    /// The first version: its `effective_from` decided.
    pub provenance: Provenance,
}

impl NotInForce {
    pub fn decision(&self) -> Decision {
        Decision::NoPolicyInForce {
            kind: self.kind.to_owned(),
            name: self.name.clone(),
            first_effective: self.first_effective.clone(),
        }
    }

    /// Its trace entry at `at`, made at the ticket's creation.
    pub fn entry(&self, at: i64) -> Entry {
        Entry {
            at,
            cause: crate::trace::Cause::Created,
            decision: self.decision(),
            provenance: Some(self.provenance.clone()),
        }
    }
}

/// The policies of `set` with no version in force at `at`.
pub fn not_in_force(set: &PolicySet, at: i64) -> Vec<NotInForce> {
    let mut out: Vec<NotInForce> = Vec::new();
    for p in &set.policies {
        let m = &p.meta;
        let known = out
            .iter()
            .any(|n| n.kind == m.kind.as_str() && n.name == m.name);
        let earlier = set
            .policies
            .iter()
            .any(|q| q.meta.kind == m.kind && q.meta.name == m.name && q.meta.effective_at <= at);
        if !known && !earlier {
            // The set is sorted by version: the first seen takes effect first.
            let (line, _) = m.loc.source.line_col(m.loc.span.start);
            out.push(NotInForce {
                kind: m.kind.as_str(),
                name: m.name.clone(),
                first_effective: m.effective_text.clone(),
                provenance: Provenance {
                    policy: m.name.clone(),
                    version: m.version,
                    rule: Some("effective_from".to_owned()),
                    source: format!("{}:{line}", m.loc.source.relative_name()),
                },
            });
        }
    }
    out
}

/// One span of time and what decides the tickets created in it.
#[derive(Debug)]
struct Span<'p> {
    from: i64,
    /// The engine, or — before every Classification — what is missing.
    engine: Result<Engine<'p>, Vec<NotInForce>>,
}

/// Engines for every span of a policy set's history.
#[derive(Debug)]
pub struct InForce<'p> {
    /// Ascending by `from`; the first starts at the beginning of time.
    spans: Vec<Span<'p>>,
}

impl<'p> InForce<'p> {
    /// Compiles an engine for every span between effective instants.
    pub fn new(set: &'p PolicySet) -> Self {
        let mut starts = vec![i64::MIN];
        starts.extend(set.boundaries());
        let spans = starts
            .into_iter()
            .map(|from| Span {
                from,
                engine: Engine::at(set, from).map_err(|_| not_in_force(set, from)),
            })
            .collect();
        Self { spans }
    }

    fn span(&self, at: i64) -> Option<&Span<'p>> {
        let i = self.spans.partition_point(|s| s.from <= at);
        self.spans.get(i.checked_sub(1)?)
    }

    /// The engine deciding tickets created at `at`; `None` before every
    /// Classification version.
    pub fn engine(&self, at: i64) -> Option<&Engine<'p>> {
        self.span(at).and_then(|s| s.engine.as_ref().ok())
    }

    /// [`InForce::engine`] with the index of its span (below 64 for the
    /// first 64 spans, as reports count them in a bit set).
    pub fn engine_indexed(&self, at: i64) -> Option<(usize, &Engine<'p>)> {
        let i = self
            .spans
            .partition_point(|s| s.from <= at)
            .checked_sub(1)?;
        let engine = self.spans.get(i)?.engine.as_ref().ok()?;
        Some((i, engine))
    }

    /// The engine of span `i`.
    pub fn engine_of_span(&self, i: usize) -> Option<&Engine<'p>> {
        self.spans.get(i).and_then(|s| s.engine.as_ref().ok())
    }

    /// The engine of the newest versions (the last span).
    pub fn newest(&self) -> Option<&Engine<'p>> {
        self.engines().last().map(|(_, e)| e)
    }

    /// Every engine, in time order, with the instant its span starts.
    pub fn engines(&self) -> impl Iterator<Item = (i64, &Engine<'p>)> {
        self.spans
            .iter()
            .filter_map(|s| s.engine.as_ref().ok().map(|e| (s.from, e)))
    }

    /// Replays `ticket` with the versions in force at its creation, up to
    /// the horizon `until`.
    pub fn replay_until(&self, ticket: &Ticket, until: Option<i64>) -> Trace {
        let created = ticket.created_at.timestamp();
        match self.span(created).map(|s| &s.engine) {
            Some(Ok(engine)) => engine.replay_until(ticket, until),
            Some(Err(missing)) => undecided(ticket, missing, until),
            None => undecided(ticket, &[], until),
        }
    }

    /// [`InForce::replay_until`] to the ticket's last event.
    pub fn replay(&self, ticket: &Ticket) -> Trace {
        self.replay_until(ticket, None)
    }

    /// What the versions in force decided, without a trace; `None` for a
    /// ticket created before every Classification version.
    pub fn evaluate<'a>(&'a self, ticket: &'a Ticket, until: Option<i64>) -> Option<Summary<'a>> {
        let engine = self.engine(ticket.created_at.timestamp())?;
        Some(engine.evaluate(ticket, until))
    }
}

/// The trace of a ticket older than every Classification version: only the
/// policies that were not in force, no decision.
fn undecided(ticket: &Ticket, missing: &[NotInForce], until: Option<i64>) -> Trace {
    let created = ticket.created_at.timestamp();
    Trace {
        trace_version: TRACE_VERSION,
        ticket: ticket.id.clone(),
        horizon: ticket.horizon(until),
        policies: Vec::<PolicyRef>::new(),
        entries: missing.iter().map(|m| m.entry(created)).collect(),
        outcome: Outcome {
            priority: "(none)".to_owned(),
            ..Outcome::default()
        },
    }
}

//! `slate diff`: a policy change as a reviewer needs it — changes in meaning
//! with their direction, classification changes as sets, versioning
//! findings, and with `--tickets` the replay impact.

use std::path::Path;

use slate_diff::impact::Tally;
use slate_engine::{Engine, InForce, Ticket};
use slate_lint::{Config, Options};
use slate_policy::{Checked, Diagnostic, Severity};
use slate_sim::Versions;

use super::stream::{self, Sink};
use crate::args::{DiffArgs, DiffFormat};
use crate::exit::Exit;
use crate::render;

/// One side of the review: its label and its checked policies.
struct Side {
    label: String,
    checked: Checked,
}

fn side(spec: &str, policies: &Path, what: &str) -> Result<Side, Exit> {
    let dir = Path::new(spec);
    let checked = if dir.is_dir() {
        super::load_policies(dir)?
    } else {
        super::policies_at(policies, spec, what)?
    };
    Ok(Side {
        label: spec.to_owned(),
        checked,
    })
}

/// The lint rules a review runs.
const VERSIONING: [&str; 3] = ["version-not-bumped", "version-lowered", "policy-removed"];

/// The versioning findings of `slate lint --base`: a changed `spec` without
/// a version bump, a lowered version, a policy removed or renamed.
fn versioning(base: &Side, head: &Side) -> Vec<Diagnostic> {
    let base_docs = super::lint::summaries(&base.checked.sources);
    let head_docs = super::lint::summaries(&head.checked.sources);
    let config = Config::default();
    let options = Options {
        config: &config,
        sources: &head.checked.sources,
        base: Some(&base_docs),
        base_gate: None,
        head: &head_docs,
        // Only suppression expiry reads the date; the versioning rules do not.
        today: chrono::NaiveDate::MIN,
        only: Some(&VERSIONING),
        // The versioning rules ask the solver nothing.
        solver_budget: 0,
    };
    // Suppression problems are the lint's to report, not the review's.
    slate_lint::lint(&head.checked, &options)
        .into_iter()
        .filter(|d| d.rule.is_some_and(|r| VERSIONING.contains(&r)))
        .collect()
}

/// Both sides' replays of the same tickets.
struct Pair<'r, 'p> {
    base: Versions<'r, 'p>,
    head: Versions<'r, 'p>,
    tally: Tally,
}

impl Sink for Pair<'_, '_> {
    fn add(&mut self, ticket: &Ticket) {
        match (self.base.for_ticket(ticket), self.head.for_ticket(ticket)) {
            (Some(b), Some(h)) => self.tally.add(b, h, ticket),
            _ => self.tally.add_no_policy_in_force(),
        }
    }

    fn merge(&mut self, other: Self) {
        self.tally.merge(other.tally);
    }

    fn tickets(&self) -> u64 {
        self.tally.tickets()
    }
}

fn engine<'p>(side: &'p Side) -> Result<Engine<'p>, Exit> {
    Engine::new(&side.checked.set).map_err(|message| {
        eprintln!("error: {}: {message}", side.label);
        Exit::Findings
    })
}

pub fn run(args: &DiffArgs) -> Exit {
    let base = match side(&args.base, &args.policies, "BASE") {
        Ok(s) => s,
        Err(exit) => return exit,
    };
    let head = match &args.head {
        Some(spec) => side(spec, &args.policies, "HEAD"),
        None => super::load_policies(&args.policies).map(|checked| Side {
            label: format!("{} (working tree)", args.policies.display()),
            checked,
        }),
    };
    let head = match head {
        Ok(s) => s,
        Err(exit) => return exit,
    };
    let review = slate_diff::review(
        &base.checked.set,
        &head.checked.set,
        (&base.label, &head.label),
    );
    let versioning = versioning(&base, &head);
    let impact = match &args.tickets {
        None => None,
        Some(path) => {
            let (b, h) = match (engine(&base), engine(&head)) {
                (Ok(b), Ok(h)) => (b, h),
                (Err(exit), _) | (_, Err(exit)) => return exit,
            };
            let horizon = match args.until {
                Some(at) => slate_sim::Horizon::until(at),
                None => match stream::latest_event(path) {
                    Ok(at) => slate_sim::Horizon::latest_event(at),
                    Err(exit) => return exit,
                },
            };
            let forces = args.in_force.then(|| {
                (
                    InForce::new(&base.checked.set),
                    InForce::new(&head.checked.set),
                )
            });
            let (bv, hv) = match &forces {
                Some((fb, fh)) => (Versions::InForce(fb), Versions::InForce(fh)),
                None => (Versions::Newest(&b), Versions::Newest(&h)),
            };
            let new = || Pair {
                base: bv,
                head: hv,
                tally: Tally::new(args.top, horizon.at),
            };
            match stream::stream(path, None, new) {
                Ok((pair, errors)) => {
                    let (base_used, head_used) = pair.tally.spans_used();
                    let engines = |t: &Ticket| match (bv.for_ticket(t), hv.for_ticket(t)) {
                        (Some((_, x)), Some((_, y))) => Some((x, y)),
                        _ => None,
                    };
                    let mut impact = pair.tally.finish((&b, &h), engines, errors, horizon);
                    impact.base.versions = bv.used(base_used);
                    impact.head.versions = hv.used(head_used);
                    Some(impact)
                }
                Err(exit) => return exit,
            }
        }
    };
    let text = match args.format {
        DiffFormat::Human => render::review::human(&review, &versioning, impact.as_ref()),
        DiffFormat::Json => render::review::json(&review, &versioning, impact.as_ref()),
        DiffFormat::Markdown => render::review::markdown(&review, &versioning, impact.as_ref()),
    };
    if let Err(exit) = super::emit(&text, args.out.as_deref()) {
        return exit;
    }
    if versioning.iter().any(|d| d.severity == Severity::Error) {
        Exit::Findings
    } else {
        Exit::Clean
    }
}

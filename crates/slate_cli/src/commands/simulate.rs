//! `slate simulate`: streams the ticket file through the policies (and the
//! baseline's) on every core, into one accumulator per side.

use slate_engine::{Engine, InForce, Ticket};
use slate_sim::{Accumulator, Horizon, Versions};

use super::stream::{self, Sink};
use crate::args::{ReportFormat, SimulateArgs};
use crate::exit::Exit;
use crate::render;

/// The proposal's accumulator and, with a baseline, the baseline's.
struct Sides<'r, 'p> {
    engine: Versions<'r, 'p>,
    base_engine: Option<Versions<'r, 'p>>,
    proposal: Accumulator,
    baseline: Accumulator,
    until: i64,
}

impl Sink for Sides<'_, '_> {
    fn add(&mut self, ticket: &Ticket) {
        if ticket.created_at.timestamp() > self.until {
            self.proposal.add_after_horizon();
            self.baseline.add_after_horizon();
            return;
        }
        let until = Some(self.until);
        let ticket = &*slate_sim::facts::at_horizon(ticket, until);
        let Some((span, engine)) = self.engine.for_ticket(ticket) else {
            self.proposal.add_no_policy_in_force();
            self.baseline.add_no_policy_in_force();
            return;
        };
        self.proposal.add_span(span);
        let facts = slate_sim::facts::facts(engine, ticket, until);
        if let Some(base) = self.base_engine {
            let Some((base_span, base_engine)) = base.for_ticket(ticket) else {
                self.baseline.add_no_policy_in_force();
                self.proposal.add(&facts);
                return;
            };
            self.baseline.add_span(base_span);
            let before = slate_sim::facts::facts(base_engine, ticket, until);
            if let Some(difference) =
                slate_sim::facts::difference(&before.decisions, &facts.decisions)
            {
                self.proposal.add_difference(&ticket.id, difference);
            }
            self.baseline.add(&before);
        }
        self.proposal.add(&facts);
    }

    fn merge(&mut self, other: Self) {
        self.proposal.merge(other.proposal);
        self.baseline.merge(other.baseline);
    }

    fn tickets(&self) -> u64 {
        self.proposal.tickets()
    }
}

pub fn run(args: &SimulateArgs) -> Exit {
    let proposal = match super::load_policies(&args.policies) {
        Ok(c) => c,
        Err(exit) => return exit,
    };
    let baseline = match &args.baseline {
        Some(dir) if dir.is_dir() => match super::load_policies(dir) {
            Ok(c) => Some(c),
            Err(exit) => return exit,
        },
        // Not a directory: a git revision of the policy tree.
        Some(rev) => match super::policies_at(&args.policies, &rev.to_string_lossy(), "--baseline")
        {
            Ok(c) => Some(c),
            Err(exit) => return exit,
        },
        None => None,
    };
    let engine = match Engine::new(&proposal.set) {
        Ok(e) => e,
        Err(message) => {
            eprintln!("error: {message}");
            return Exit::Findings;
        }
    };
    let base_engine = match baseline.as_ref().map(|b| Engine::new(&b.set)).transpose() {
        Ok(e) => e,
        Err(message) => {
            eprintln!("error: baseline: {message}");
            return Exit::Findings;
        }
    };
    let horizon = match args.until {
        Some(at) => Horizon::until(at),
        None => match stream::latest_event(&args.tickets) {
            Ok(at) => Horizon::latest_event(at),
            Err(exit) => return exit,
        },
    };
    let in_force = args.in_force.then(|| InForce::new(&proposal.set));
    let base_in_force = baseline
        .as_ref()
        .filter(|_| args.in_force)
        .map(|b| InForce::new(&b.set));
    let versions = match &in_force {
        Some(f) => Versions::InForce(f),
        None => Versions::Newest(&engine),
    };
    let base_versions = match (&base_in_force, &base_engine) {
        (Some(f), _) => Some(Versions::InForce(f)),
        (None, Some(e)) => Some(Versions::Newest(e)),
        (None, None) => None,
    };
    let new = || Sides {
        engine: versions,
        base_engine: base_versions,
        proposal: Accumulator::new(args.top),
        baseline: Accumulator::default(),
        until: horizon.at,
    };
    let (sides, errors) = match stream::stream(&args.tickets, args.max_errors, new) {
        Ok(done) => done,
        Err(exit) => return exit,
    };
    let (accumulator, baseline_acc) = (sides.proposal, sides.baseline);
    let used = versions.used(accumulator.spans_used());
    let report = accumulator.report(&engine, errors, horizon, used);
    let baseline_report = match (base_engine.as_ref(), base_versions) {
        (Some(b), Some(v)) => {
            let used = v.used(baseline_acc.spans_used());
            Some(baseline_acc.report(b, errors, horizon, used))
        }
        _ => None,
    };
    let text = match args.format {
        ReportFormat::Human => render::report::human(&report, baseline_report.as_ref(), args.top),
        ReportFormat::Markdown => {
            render::report::markdown(&report, baseline_report.as_ref(), args.top)
        }
        ReportFormat::Json => render::report::json(&report, baseline_report.as_ref()),
        ReportFormat::Html => render::html::render(&report, baseline_report.as_ref(), args.top),
    };
    if let Err(exit) = super::emit(&text, args.out.as_deref()) {
        return exit;
    }
    if errors > 0 {
        eprintln!("warning: {errors} ticket record(s) could not be read and were skipped");
    }
    if args.gate && report.out_of_band() {
        eprintln!("error: metrics outside their benchmark bands (--gate)");
        return Exit::Findings;
    }
    if errors > 0 {
        Exit::Findings
    } else {
        Exit::Clean
    }
}

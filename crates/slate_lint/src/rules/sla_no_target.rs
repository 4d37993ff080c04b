//! `lint::sla-no-target`

use slate_policy::Severity;

use crate::context::Ctx;
use crate::rule::{Finding, Rule};
use crate::sat::{self, Formula, Sat, Var};

pub const RULE: Rule = Rule {
    name: "sla-no-target",
    severity: Severity::Error,
    summary: "a priority × segment cell that no SLA entry covers: it gets no SLA, or silently the default's",
    doc: "## What it does\n\nChecks every combination of priority and segment from the classification's catalogues against the SLA target entries, first match, `when` conditions included. Every uncovered cell is reported in one run, each with a counterexample ticket. Without a `default` such a ticket gets no SLA; with one it silently gets the default's targets, which are meant for values outside the catalogue.\n\n## Why is this bad?\n\nA ticket that matches no entry gets no SLA at all: no first response target, no breach, no warning. With a default the gap is hidden instead: removing an entry, narrowing it with `when` or dropping a segment from it moves those tickets to the default's looser targets (critical × smb getting 8 h), and nothing else says so.\n\n## Example\n\n```yaml\ntargets:\n  - {id: high-enterprise, priority: high, segments: [enterprise], targets: {first_response: 30m}}\n# nothing for high × smb\ndefault: {targets: {first_response: 8h}}\n```\n\n## Use instead\n\n```yaml\ntargets:\n  - {id: high-enterprise, priority: high, segments: [enterprise], targets: {first_response: 30m}}\n  - {id: high-smaller, priority: high, segments: [mid-market, smb], targets: {first_response: 2h}}\ndefault: {targets: {first_response: 8h}}\n```\n",
    check,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some((sla, meta)) = ctx.sla else { return };
    if ctx.classification.is_none() {
        return;
    }
    let entries: Vec<Formula> = sla
        .entries
        .iter()
        .map(|e| super::sla_entry_formula(ctx, e))
        .collect();
    let uncovered = Formula::not(Formula::or(entries));
    // Each catalogue cell on its own: every gap in one run.
    for priority in ctx.priorities() {
        for segment in ctx.segments() {
            let formula = Formula::and(vec![
                Formula::one_of(Var::Priority, &[priority.as_str()]),
                Formula::one_of(Var::Segment, &[segment.as_str()]),
                uncovered.clone(),
            ]);
            let domains = ctx.domains(&[&formula], &[]);
            let witness = match ctx.solve(&formula, &domains) {
                Sat::Yes(witness) => witness,
                Sat::No => continue,
                Sat::Unknown => {
                    out.push(super::undecided(
                        &meta.loc,
                        format_args!("every {priority} × {segment} ticket gets a target entry"),
                    ));
                    continue;
                }
            };
            let example = sat::describe(&sat::minimal(&formula, witness));
            out.push(match &sla.default {
                None => Finding::new(
                    &meta.loc,
                    format!("{priority} × {segment}: a ticket with {example} gets no SLA"),
                    "no entry matches it and there is no default",
                    format!("add a target entry for {priority} × {segment}, or a `default:` with targets"),
                ),
                Some(_) => Finding::new(
                    &meta.loc,
                    format!(
                        "{priority} × {segment}: a ticket with {example} matches no entry and silently gets the default's targets"
                    ),
                    "falls to the default",
                    format!(
                        "add a target entry for {priority} × {segment}; the default is for values outside the catalogue"
                    ),
                ),
            });
        }
    }
}

//! `lint::sla-no-target`

use slate_policy::Severity;

use crate::context::Ctx;
use crate::rule::{Finding, Rule};
use crate::sat::{self, Domains, Formula, Sat, Var};

pub const RULE: Rule = Rule {
    name: "sla-no-target",
    severity: Severity::Error,
    summary: "a priority × segment combination that no SLA entry covers, without a default",
    doc: "## What it does\n\nChecks that every combination of priority and segment from the classification's catalogues is matched by some SLA target entry when the SlaPolicy has no `default`. The check is exhaustive over the finite domains (and the entries' `when` conditions) and names a counterexample ticket.\n\n## Why is this bad?\n\nA ticket that matches no entry gets no SLA at all: no first response target, no breach, no warning. Customers in that cell are silently unprotected.\n\n## Example\n\n```yaml\ntargets:\n  - {id: high-enterprise, priority: high, segments: [enterprise], targets: {first_response: 30m}}\n# nothing for high × smb, and no default\n```\n\n## Use instead\n\n```yaml\ntargets:\n  - {id: high-enterprise, priority: high, segments: [enterprise], targets: {first_response: 30m}}\n  - {id: high-smaller, priority: high, segments: [mid-market, smb], targets: {first_response: 2h}}\n```\n",
    check,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some((sla, meta)) = ctx.sla else { return };
    if sla.default.is_some() || ctx.classification.is_none() {
        return;
    }
    let entries: Vec<Formula> = sla
        .entries
        .iter()
        .map(|e| super::sla_entry_formula(ctx, e))
        .collect();
    // Every priority and segment is set: a counterexample is a whole cell.
    let formula = Formula::and(vec![
        Formula::Tests(
            Var::Priority,
            vec![slate_policy::model::FieldTest::Present(true)],
        ),
        Formula::Tests(
            Var::Segment,
            vec![slate_policy::model::FieldTest::Present(true)],
        ),
        Formula::not(Formula::or(entries)),
    ]);
    let domains = Domains::new(
        &[&formula],
        &ctx.priorities(),
        &ctx.segments(),
        &ctx.channels(),
        &[],
    );
    if let Sat::Yes(witness) = sat::solve(&formula, &domains, super::BUDGET) {
        out.push(Finding::new(
            &meta.loc,
            format!("a ticket with {} gets no SLA", sat::describe(&witness)),
            "no entry matches it and there is no default",
            "add a target entry for this combination, or a `default:` with targets",
        ));
    }
}

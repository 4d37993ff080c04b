//! `lint::recorded-priority-lowered`

use slate_policy::Severity;

use crate::context::Ctx;
use crate::rule::{Finding, Rule};
use crate::sat::{self, Formula, Sat, Var};

pub const RULE: Rule = Rule {
    name: "recorded-priority-lowered",
    severity: Severity::Error,
    summary: "tickets recorded at a priority that match no classification rule and fall to a less urgent default",
    doc: "## What it does\n\nFor each priority more urgent than the classification `default`'s, asks the solver for a ticket recorded at that priority that no rule matches, and reports it with the example. Such a ticket is classified at the default's priority.\n\n## Why is this bad?\n\nAgents and customers record a priority; when no scenario applies the recorded one should stand (a pass-through rule such as `when: {priority: critical}` keeps it). Drop that rule and every recorded-critical ticket that is not an outage silently becomes medium: a quarter of the SLA, a different team, no pager.\n\n## Example\n\n```yaml\nrules:\n  - {id: outage, when: {tags: [outage]}, priority: critical, ...}\ndefault: {priority: medium, ...}   # a recorded-critical ticket without the tag becomes medium\n```\n\n## Use instead\n\n```yaml\nrules:\n  - {id: outage, when: {tags: [outage]}, priority: critical, ...}\n  - {id: recorded-critical, when: {priority: critical}, priority: critical, ...}\ndefault: {priority: medium, ...}\n```\n",
    check,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some((c, _)) = ctx.classification else {
        return;
    };
    let matched = Formula::or(c.rules.iter().map(|r| sat::compile(&r.when)).collect());
    for p in 0..c.default_priority {
        let recorded = ctx.priority_name(p);
        let formula = Formula::and(vec![
            Formula::one_of(Var::Priority, &[recorded.as_str()]),
            Formula::not(matched.clone()),
        ]);
        let domains = ctx.domains(&[&formula], &[Var::Segment, Var::Channel]);
        match ctx.solve(&formula, &domains) {
            Sat::No => {}
            Sat::Unknown => out.push(super::undecided(
                &c.default_loc,
                format_args!("every ticket recorded `{recorded}` matches a rule"),
            )),
            Sat::Yes(witness) => out.push(Finding::new(
                &c.default_loc,
                format!(
                    "a ticket recorded `{recorded}` with {} matches no rule and is classified `{}` by the default",
                    sat::describe(&sat::minimal(&formula, witness)),
                    ctx.priority_name(c.default_priority)
                ),
                "lowers recorded priorities",
                format!(
                    "keep the recorded priority with a rule `when: {{priority: {recorded}}}`, or make the default at least as urgent"
                ),
            )),
        }
    }
}

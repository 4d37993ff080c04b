//! `lint::conflicting-triggers`

use slate_policy::Severity;
use slate_policy::model::{Condition, TriggerOn};

use crate::context::Ctx;
use crate::rule::{Finding, Rule};
use crate::sat::{self, Formula, Sat, Var};

pub const RULE: Rule = Rule {
    name: "conflicting-triggers",
    severity: Severity::Error,
    summary: "two triggers that fire on the same signal for the same tickets but send them to different places",
    doc: "## What it does\n\nFinds pairs of auto-escalation triggers with the same signal (`on`; keyword lists that share a word count as one signal), armed at a common level, whose conditions can hold for the same ticket, but whose escalations go to different levels or teams.\n\n## Why is this bad?\n\nWhich one wins depends on the order of the file, not on a decision anybody made: the ticket may go to a manager or to a specialist by accident.\n\n## Example\n\n```yaml\n- {id: legal-to-l2, on: {keywords: [legal]}, escalate: {to: L2, kind: functional}}\n- {id: legal-to-l4, on: {keywords: [legal]}, escalate: {to: L4, kind: hierarchical}}\n```\n\n## Use instead\n\n```yaml\n- {id: legal, on: {keywords: [legal]}, escalate: {to: L4, kind: hierarchical}}\n```\n",
    check,
};

fn when(c: Option<&Condition>) -> Formula {
    c.map_or(Formula::Const(true), sat::compile)
}

/// Whether one event fires both: the same signal, or keyword lists that
/// share a word.
fn same_signal(a: &TriggerOn, b: &TriggerOn) -> bool {
    match (a, b) {
        (TriggerOn::Keywords(x), TriggerOn::Keywords(y)) => x
            .iter()
            .any(|w| y.iter().any(|v| v.eq_ignore_ascii_case(w))),
        _ => a == b,
    }
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some((m, _)) = ctx.matrix else { return };
    for (i, a) in m.triggers.iter().enumerate() {
        for b in m.triggers.iter().skip(i + 1) {
            if !same_signal(&a.on, &b.on) || a.to == b.to {
                continue;
            }
            let la = super::armed_levels(m, &a.at_levels);
            let lb = super::armed_levels(m, &b.at_levels);
            if !la.iter().any(|l| lb.contains(l)) {
                continue;
            }
            let both = Formula::and(vec![when(a.when.as_ref()), when(b.when.as_ref())]);
            let domains = ctx.domains(&[&both], &[Var::Segment, Var::Channel]);
            let witness = match ctx.solve(&both, &domains) {
                Sat::Yes(witness) => witness,
                Sat::No => continue,
                Sat::Unknown => {
                    out.push(super::undecided(
                        &b.loc,
                        format_args!(
                            "triggers `{}` and `{}` fire for the same tickets",
                            a.id, b.id
                        ),
                    ));
                    continue;
                }
            };
            {
                out.push(
                    Finding::new(
                        &b.loc,
                        format!(
                            "triggers `{}` and `{}` fire on the same signal for the same tickets ({}) with different escalations",
                            a.id,
                            b.id,
                            sat::describe(&witness)
                        ),
                        "conflicts with an earlier trigger",
                        "merge them, or make their conditions or levels disjoint",
                    )
                    .related(&a.loc, format!("`{}` fires too", a.id)),
                );
            }
        }
    }
}

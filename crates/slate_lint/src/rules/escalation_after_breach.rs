//! `lint::escalation-after-breach`

use slate_policy::Severity;
use slate_policy::model::{SlaMetric, TriggerOn};

use crate::context::Ctx;
use crate::rule::{Finding, Rule};
use crate::sat::{self, Domains, Formula, Sat, Var};

pub const RULE: Rule = Rule {
    name: "escalation-after-breach",
    severity: Severity::Error,
    summary: "an auto-escalation trigger that fires only after the SLA it protects is breached",
    doc: "## What it does\n\nCompares each time-based trigger with the SLA targets of the tickets it applies to: an inactivity trigger protects the next response, an open-for trigger the resolution. If the trigger's duration is longer than the target for some priority × segment it applies to, the escalation can only happen after the breach.\n\n## Why is this bad?\n\nAn escalation is supposed to prevent a breach. One that comes after it only documents it.\n\n## Example\n\n```yaml\n# SlaPolicy: medium × enterprise next_response: 4h\n- {id: p3-inactivity, on: {inactivity: 8h}, when: {priority: medium}, escalate: {to: next, kind: functional}}\n```\n\n## Use instead\n\n```yaml\n- {id: p3-inactivity, on: {inactivity: 3h}, when: {priority: medium}, escalate: {to: next, kind: functional}}\n```\n",
    check,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let (Some((m, _)), Some((sla, _))) = (ctx.matrix, ctx.sla) else {
        return;
    };
    for trigger in &m.triggers {
        let (after, metric) = match trigger.on {
            TriggerOn::Inactivity(d) => (d, SlaMetric::NextResponse),
            TriggerOn::OpenFor(d) => (d, SlaMetric::Resolution),
            _ => continue,
        };
        let applies = trigger
            .when
            .as_ref()
            .map_or(Formula::Const(true), sat::compile);
        for entry in &sla.entries {
            let Some(target) = entry.targets.get(&metric) else {
                continue;
            };
            if after <= *target {
                continue;
            }
            let both = Formula::and(vec![applies.clone(), super::sla_entry_formula(ctx, entry)]);
            let domains = Domains::new(
                &[&both],
                &ctx.priorities(),
                &ctx.segments(),
                &ctx.channels(),
                &[Var::Segment, Var::Channel],
            );
            let sat = ctx.solve(&both, &domains);
            if let Sat::Unknown = sat {
                out.push(super::undecided(
                    &trigger.loc,
                    format_args!("trigger `{}` applies to `{}` tickets", trigger.id, entry.id),
                ));
            }
            if let Sat::Yes(_) = sat {
                out.push(
                    Finding::new(
                        &trigger.loc,
                        format!(
                            "trigger `{}` fires after {after}, but `{}` tickets must get a {} within {target}",
                            trigger.id,
                            entry.id,
                            metric.name()
                        ),
                        "escalates only after the breach",
                        format!("shorten the trigger to at most {target}, or loosen the target"),
                    )
                    .related(&entry.loc, format!("{} target {target}", metric.name())),
                );
                break;
            }
        }
    }
}

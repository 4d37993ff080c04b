//! `lint::escalation-after-breach`

use slate_policy::Severity;
use slate_policy::model::{SlaMetric, TriggerOn};

use crate::context::Ctx;
use crate::rule::{Finding, Rule};
use crate::sat::{self, Formula, Sat, Var};

pub const RULE: Rule = Rule {
    name: "escalation-after-breach",
    severity: Severity::Error,
    summary: "an auto-escalation trigger that fires only after the SLA it protects is breached",
    doc: "## What it does\n\nCompares each time-based trigger with the effective SLA targets (first match, `when` and the default included) of the tickets it applies to: an inactivity trigger protects the first and the next response, an open-for trigger the resolution. If the trigger's duration is longer than the target for some tickets it applies to, and no `sla_at_risk` trigger below 100 % on that metric escalates those tickets first, the escalation can only happen after the breach. An `sla_at_risk` trigger at 100 % or more fires at the breach at the earliest, and is reported too.\n\n## Why is this bad?\n\nAn escalation is supposed to prevent a breach. One that comes after it only documents it.\n\n## Example\n\n```yaml\n# SlaPolicy: medium × enterprise next_response: 4h\n- {id: p3-inactivity, on: {inactivity: 8h}, when: {priority: medium}, escalate: {to: next, kind: functional}}\n```\n\n## Use instead\n\n```yaml\n- {id: p3-inactivity, on: {inactivity: 3h}, when: {priority: medium}, escalate: {to: next, kind: functional}}\n```\n",
    check,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let (Some((m, _)), Some((sla, _))) = (ctx.matrix, ctx.sla) else {
        return;
    };
    // The tickets each entry (and the default) decides, first match.
    let decided = super::first_matches(ctx, sla);
    // The tickets an at-risk trigger escalates before a metric's breach: a
    // late trigger is harmless for them.
    let protected = |metric: SlaMetric| {
        Formula::or(
            m.triggers
                .iter()
                .filter(|t| matches!(t.on, TriggerOn::SlaAtRisk { metric: m, percent } if m == metric && percent < 100.0))
                .map(|t| t.when.as_ref().map_or(Formula::Const(true), sat::compile))
                .collect(),
        )
    };
    for trigger in &m.triggers {
        let (after, metrics): (_, &[SlaMetric]) = match trigger.on {
            // Quiet since creation covers the first response, quiet since
            // the last reply the next one.
            TriggerOn::Inactivity(d) => (d, &[SlaMetric::FirstResponse, SlaMetric::NextResponse]),
            TriggerOn::OpenFor(d) => (d, &[SlaMetric::Resolution]),
            TriggerOn::SlaAtRisk { metric, percent } => {
                if percent >= 100.0 {
                    out.push(Finding::new(
                        &trigger.loc,
                        format!(
                            "trigger `{}` fires at {percent} % of the {} target: at or after the breach, never before it",
                            trigger.id,
                            metric.name()
                        ),
                        "at risk only once breached",
                        "fire below 100 % (e.g. 75) so there is time to act",
                    ));
                }
                continue;
            }
            _ => continue,
        };
        let applies = trigger
            .when
            .as_ref()
            .map_or(Formula::Const(true), sat::compile);
        'metrics: for metric in metrics {
            for (first, entry) in &decided {
                let Some(target) = entry.targets.get(metric) else {
                    continue;
                };
                if after <= *target {
                    continue;
                }
                let both = Formula::and(vec![
                    applies.clone(),
                    first.clone(),
                    Formula::not(protected(*metric)),
                ]);
                let domains = ctx.domains(&[&both], &[Var::Segment, Var::Channel]);
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
                    break 'metrics;
                }
            }
        }
    }
}

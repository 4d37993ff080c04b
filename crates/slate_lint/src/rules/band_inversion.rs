//! `lint::band-inversion`

use slate_policy::Severity;
use slate_policy::model::BandValue;

use crate::context::Ctx;
use crate::rule::{Finding, Rule};

pub const RULE: Rule = Rule {
    name: "band-inversion",
    severity: Severity::Error,
    summary: "a time benchmark band that allows a more urgent priority longer than a less urgent one",
    doc: "## What it does\n\nCompares benchmark bands of the same time metric and segment across priorities, in catalogue order (most urgent first): a more urgent priority's `max` must not be longer than a less urgent one's.\n\n## Why is this bad?\n\nThe bands are what `slate simulate --gate` judges a month against. Inverted, they pass a month in which critical tickets waited longer than low ones and fail the opposite — the check rewards the wrong behaviour.\n\n## Example\n\n```yaml\n- {metric: handoff_delay, priority: critical, max: 4h}\n- {metric: handoff_delay, priority: low, max: 1h}\n```\n\n## Use instead\n\n```yaml\n- {metric: handoff_delay, priority: critical, max: 1h}\n- {metric: handoff_delay, priority: low, max: 4h}\n```\n",
    check,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some((b, _)) = ctx.benchmarks else { return };
    if ctx.classification.is_none() {
        return;
    }
    for urgent in &b.bands {
        let (Some(p), Some(BandValue::Duration(long))) = (urgent.priority, urgent.max) else {
            continue;
        };
        for calm in &b.bands {
            let (Some(q), Some(BandValue::Duration(short))) = (calm.priority, calm.max) else {
                continue;
            };
            if q <= p || calm.metric != urgent.metric || calm.segment != urgent.segment {
                continue;
            }
            if long > short {
                out.push(
                    Finding::new(
                        &urgent.loc,
                        format!(
                            "the `{}` band allows `{}` up to {long}, longer than `{}` ({short})",
                            urgent.metric.name(),
                            ctx.priority_name(p),
                            ctx.priority_name(q)
                        ),
                        "looser than a less urgent priority",
                        "give the more urgent priority a maximum at most the less urgent one's",
                    )
                    .related(&calm.loc, format!("{}: {short}", ctx.priority_name(q))),
                );
            }
        }
    }
}

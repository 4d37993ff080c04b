//! `lint::band-empty`

use slate_policy::Severity;
use slate_policy::model::BandValue;

use crate::context::Ctx;
use crate::rule::{Finding, Rule};

pub const RULE: Rule = Rule {
    name: "band-empty",
    severity: Severity::Error,
    summary: "a benchmark band whose minimum is not below its maximum",
    doc: "## What it does\n\nReports bands with `min` greater than or equal to `max`.\n\n## Why is this bad?\n\nNo value can be inside such a band: the metric is always out of band, and a simulation gate always fails.\n\n## Example\n\n```yaml\n- {metric: escalation_rate, min: 12, max: 6}\n```\n\n## Use instead\n\n```yaml\n- {metric: escalation_rate, min: 6, max: 12}\n```\n",
    check,
};

pub fn number(v: BandValue) -> f64 {
    match v {
        BandValue::Percent(p) => p,
        BandValue::Duration(d) => f64::from(d.minutes()),
    }
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some((b, _)) = ctx.benchmarks else { return };
    for band in &b.bands {
        if let (Some(min), Some(max)) = (band.min, band.max)
            && number(min) >= number(max)
        {
            out.push(Finding::new(
                &band.loc,
                "the band's minimum is not below its maximum",
                "empty band",
                "swap the bounds, or drop one of them",
            ));
        }
    }
}

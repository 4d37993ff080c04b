//! `lint::band-percent-range`

use slate_policy::Severity;
use slate_policy::model::BandValue;

use crate::context::Ctx;
use crate::rule::{Finding, Rule};

pub const RULE: Rule = Rule {
    name: "band-percent-range",
    severity: Severity::Error,
    summary: "a percentage bound outside 0-100",
    doc: "## What it does\n\nReports band bounds of rate metrics that are below 0 or above 100 (the breach-rate gap may be negative down to -100).\n\n## Why is this bad?\n\nRates are percentages. A bound of 150 or 0.12 (meant as 12 %) makes the band meaningless.\n\n## Example\n\n```yaml\n- {metric: bounceback_rate, min: 0.05, max: 0.10}\n```\n\n## Use instead\n\n```yaml\n- {metric: bounceback_rate, min: 5, max: 10}\n```\n",
    check,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some((b, _)) = ctx.benchmarks else { return };
    for band in &b.bands {
        // A rate band whose every bound is below 1 was written as fractions.
        let percents: Vec<f64> = [band.min, band.max, band.alert_above]
            .into_iter()
            .flatten()
            .filter_map(|v| match v {
                BandValue::Percent(p) => Some(p),
                BandValue::Duration(_) => None,
            })
            .collect();
        if percents.iter().any(|p| *p > 0.0) && percents.iter().all(|p| p.abs() < 1.0) {
            let listed: Vec<String> = percents.iter().map(f64::to_string).collect();
            out.push(Finding::new(
                &band.loc,
                format!(
                    "`{}` band bounds [{}] look like fractions: percentages here are 0-100",
                    band.metric.name(),
                    listed.join(", ")
                ),
                "fractions, not percentages",
                "write 5 for 5 %, not 0.05",
            ));
        }
        let floor = if band.metric == slate_policy::model::BenchmarkMetric::EscalatedBreachRateGap {
            -100.0
        } else {
            0.0
        };
        for value in [band.min, band.max, band.alert_above].into_iter().flatten() {
            if let BandValue::Percent(p) = value
                && !(floor..=100.0).contains(&p)
            {
                out.push(Finding::new(
                    &band.loc,
                    format!("percentage {p} is outside {floor}-100"),
                    "not a percentage",
                    "write percentages as numbers from 0 to 100 (12 for 12 %)",
                ));
            }
        }
    }
}

//! `lint::band-alert-inside`

use slate_policy::Severity;

use crate::context::Ctx;
use crate::rule::{Finding, Rule};

pub const RULE: Rule = Rule {
    name: "band-alert-inside",
    severity: Severity::Warning,
    summary: "an alert threshold at or below the band's healthy maximum",
    doc: "## What it does\n\nReports bands whose `alert_above` is not above `max`.\n\n## Why is this bad?\n\nThe alert level marks a problem beyond merely missing the band (\"above 15 % indicates gaps in frontline training\"). At or below `max` it fires for healthy values.\n\n## Example\n\n```yaml\n- {metric: escalation_rate, min: 6, max: 12, alert_above: 10}\n```\n\n## Use instead\n\n```yaml\n- {metric: escalation_rate, min: 6, max: 12, alert_above: 15}\n```\n",
    check,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some((b, _)) = ctx.benchmarks else { return };
    for band in &b.bands {
        if let (Some(max), Some(alert)) = (band.max, band.alert_above)
            && super::band_empty::number(alert) <= super::band_empty::number(max)
        {
            out.push(Finding::new(
                &band.loc,
                "the alert threshold is not above the band's maximum",
                "alert inside the healthy band",
                "set `alert_above` above `max`, or drop it",
            ));
        }
    }
}

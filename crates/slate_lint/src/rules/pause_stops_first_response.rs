//! `lint::pause-stops-first-response`

use slate_policy::Severity;
use slate_policy::model::SlaMetric;

use crate::context::Ctx;
use crate::rule::{Finding, Rule};

pub const RULE: Rule = Rule {
    name: "pause-stops-first-response",
    severity: Severity::Error,
    summary: "a pause (pending or on-hold) that stops the first response clock, the most urgent priority's included",
    doc: "## What it does\n\nReports an SlaPolicy whose `pauses.pending` or `pauses.on_hold` lists `first_response`. Pauses apply to every priority, so the most urgent one's first response can be stopped too.\n\n## Why is this bad?\n\nWaiting on the customer is a reason to stop the next-response and resolution clocks; the first response is owed before anything is asked of them. A ticket set to pending on arrival would never breach its first response — for a critical outage, the 15 minutes that matter most.\n\n## Example\n\n```yaml\npauses: {pending: [first_response, next_response, resolution]}\n```\n\n## Use instead\n\n```yaml\npauses: {pending: [next_response, resolution]}\n```\n",
    check,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some((sla, meta)) = ctx.sla else { return };
    for (status, paused) in [
        ("pending", &sla.paused_when_pending),
        ("on_hold", &sla.paused_when_on_hold),
    ] {
        if paused.contains(&SlaMetric::FirstResponse) {
            out.push(Finding::new(
                &meta.loc,
                format!(
                    "`pauses.{status}` stops the first response clock: a `{}` ticket set to {status} before anyone answers never breaches it",
                    ctx.priority_name(0)
                ),
                "first response paused",
                format!("remove `first_response` from `pauses.{status}`"),
            ));
        }
    }
}

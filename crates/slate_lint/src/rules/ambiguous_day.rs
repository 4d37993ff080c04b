//! `lint::ambiguous-day`

use slate_policy::Severity;

use crate::context::Ctx;
use crate::rule::{Finding, Rule};

pub const RULE: Rule = Rule {
    name: "ambiguous-day",
    severity: Severity::Warning,
    summary: "a target of whole days counted in a business calendar",
    doc: "## What it does\n\nReports SLA targets that are a whole number of days (`1d`, `2d`, `48h`) counted in a calendar that is not open around the clock.\n\n## Why is this bad?\n\n`1d` is 24 hours of the clock the target counts in. On a 9-hour business calendar that is almost three business days — not the \"one business day\" most readers understand.\n\n## Example\n\n```yaml\n- {id: medium-smb, priority: medium, targets: {resolution: 1d}}   # business-hours calendar\n```\n\n## Use instead\n\n```yaml\n- {id: medium-smb, priority: medium, targets: {resolution: 9h}}   # one 09:00-18:00 day\n```\n",
    check,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some((sla, _)) = ctx.sla else { return };
    for entry in sla.entries.iter().chain(sla.default.iter()) {
        let Some((calendar, _)) = ctx.calendar(&entry.calendar) else {
            continue;
        };
        if calendar.always_open {
            continue;
        }
        for (metric, target) in &entry.targets {
            if target.minutes() > 0 && target.minutes() % (24 * 60) == 0 {
                out.push(Finding::new(
                    &entry.loc,
                    format!(
                        "`{}` {} target {target} is whole days of the business calendar `{}`",
                        entry.id,
                        metric.name(),
                        entry.calendar
                    ),
                    "days on a business calendar",
                    "write the business hours you mean (a 09:00-18:00 day is `9h`), or count in a 24x7 calendar",
                ));
            }
        }
    }
}

//! `lint::calendar-hours-swapped`

use slate_policy::Severity;

use crate::context::Ctx;
use crate::rule::{Finding, Rule};

pub const RULE: Rule = Rule {
    name: "calendar-hours-swapped",
    severity: Severity::Error,
    summary: "a calendar whose every open interval wraps midnight: opening and closing times swapped",
    doc: "## What it does\n\nReports calendars (not `always_open`) in which every weekly open interval ends before it starts, i.e. runs over midnight.\n\n## Why is this bad?\n\nAn interval such as `17:00-09:00` is a night shift. A calendar with only night shifts is almost always a day calendar written backwards: targets then count overnight and stand still through the working day, so tickets breach while nobody can see them and not while the team is at work.\n\n## Example\n\n```yaml\nweekly:\n  monday: [\"17:00-09:00\"]\n  tuesday: [\"17:00-09:00\"]\n```\n\n## Use instead\n\n```yaml\nweekly:\n  monday: [\"09:00-17:00\"]\n  tuesday: [\"09:00-17:00\"]\n```\n",
    check,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for (calendar, meta) in &ctx.calendars {
        if calendar.always_open {
            continue;
        }
        let intervals: Vec<_> = calendar.weekly.iter().flatten().collect();
        if !intervals.is_empty() && intervals.iter().all(|i| i.end > 24 * 60) {
            out.push(Finding::new(
                &meta.loc,
                format!(
                    "every open interval of calendar `{}` runs over midnight: opening and closing times look swapped",
                    meta.name
                ),
                "only night shifts",
                "write intervals as open-close, e.g. \"09:00-17:00\"",
            ));
        }
    }
}

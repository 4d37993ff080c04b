//! `lint::calendar-never-open`

use chrono::Datelike;
use slate_policy::Severity;

use crate::context::Ctx;
use crate::rule::{Finding, Rule};

pub const RULE: Rule = Rule {
    name: "calendar-never-open",
    severity: Severity::Error,
    summary: "a calendar with no open hours, or whose holidays cover every working day of a year",
    doc: "## What it does\n\nReports calendars that are not `always_open` and have no open interval on any weekday, or whose holidays fall on every working day of the year after `effective_from`.\n\n## Why is this bad?\n\nA target counted in such a calendar never elapses: it never warns and never breaches. Every ticket on it is silently exempt.\n\n## Example\n\n```yaml\nspec:\n  timezone: Europe/Berlin\n  weekly: {}\n```\n\n## Use instead\n\n```yaml\nspec:\n  timezone: Europe/Berlin\n  weekly:\n    monday: [\"09:00-17:00\"]\n```\n",
    check,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for (calendar, meta) in &ctx.calendars {
        if !calendar.always_open && calendar.weekly.iter().any(|d| !d.is_empty()) {
            // Every working day of the year after it takes effect a holiday.
            let start = meta.effective_from;
            let open_day = (0..366)
                .filter_map(|i| start.checked_add_days(chrono::Days::new(i)))
                .find(|day| {
                    let weekday = day.weekday().num_days_from_monday() as usize;
                    calendar.weekly.get(weekday).is_some_and(|d| !d.is_empty())
                        && !calendar.holidays.contains(day)
                });
            if open_day.is_none() {
                out.push(Finding::new(
                    &meta.loc,
                    format!(
                        "calendar `{}` is never open in the year from {start}: its holidays cover every working day",
                        meta.name
                    ),
                    "holidays cover the year",
                    "list each holiday once, on its own date",
                ));
            }
        }
        if !calendar.always_open && calendar.weekly.iter().all(Vec::is_empty) {
            out.push(Finding::new(
                &meta.loc,
                format!("calendar `{}` is never open", meta.name),
                "no open hours on any day",
                "add weekly open intervals, or `always_open: true`",
            ));
        }
    }
}

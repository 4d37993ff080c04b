//! `lint::calendar-never-open`

use slate_policy::Severity;

use crate::context::Ctx;
use crate::rule::{Finding, Rule};

pub const RULE: Rule = Rule {
    name: "calendar-never-open",
    severity: Severity::Error,
    summary: "a calendar with no open hours",
    doc: "## What it does\n\nReports calendars that are not `always_open` and have no open interval on any weekday.\n\n## Why is this bad?\n\nA target counted in such a calendar never elapses: it never warns and never breaches. Every ticket on it is silently exempt.\n\n## Example\n\n```yaml\nspec:\n  timezone: Europe/Berlin\n  weekly: {}\n```\n\n## Use instead\n\n```yaml\nspec:\n  timezone: Europe/Berlin\n  weekly:\n    monday: [\"09:00-17:00\"]\n```\n",
    check,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for (calendar, meta) in &ctx.calendars {
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

//! `lint::implausible-holiday`

use chrono::Datelike;
use slate_policy::Severity;

use crate::context::Ctx;
use crate::rule::{Finding, Rule};

pub const RULE: Rule = Rule {
    name: "implausible-holiday",
    severity: Severity::Warning,
    summary: "a holiday far from the calendar's effective date",
    doc: "## What it does\n\nReports holidays more than a year before the calendar's `effective_from` or more than five years after it.\n\n## Why is this bad?\n\nSuch dates are almost always typos (`2062` for `2026`) and the real holiday is then missing: tickets on that day count business time that should not count.\n\n## Example\n\n```yaml\nholidays:\n  - {date: 2062-12-25, name: Christmas Day}\n```\n\n## Use instead\n\n```yaml\nholidays:\n  - {date: 2026-12-25, name: Christmas Day}\n```\n",
    check,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for (calendar, meta) in &ctx.calendars {
        let year = meta.effective_from.year();
        for holiday in &calendar.holidays {
            if holiday.year() < year - 1 || holiday.year() > year + 5 {
                out.push(Finding::new(
                    &meta.loc,
                    format!(
                        "calendar `{}` lists holiday {holiday}, far from its effective date {}",
                        meta.name, meta.effective_from
                    ),
                    "implausible holiday",
                    "check the year; remove holidays that have passed",
                ));
            }
        }
    }
}

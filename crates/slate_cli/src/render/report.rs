//! Simulation reports: a terminal table, Markdown for a PR comment, JSON.

use slate_sim::report::{GroupReport, Rate, Report, Times};

fn pct(r: &Rate) -> String {
    r.percent
        .map_or_else(|| "-".to_owned(), |p| format!("{p:.1}%"))
}

fn mins(t: &Times, p90: bool) -> String {
    let v = if p90 { t.p90_minutes } else { t.p50_minutes };
    v.map_or_else(
        || "-".to_owned(),
        |m| {
            if m >= 120.0 {
                format!("{:.1}h", m / 60.0)
            } else {
                format!("{m:.0}m")
            }
        },
    )
}

fn value(v: Option<f64>) -> String {
    v.map_or_else(|| "-".to_owned(), |x| format!("{x:.1}"))
}

const COLUMNS: [&str; 12] = [
    "priority",
    "segment",
    "tickets",
    "escalated",
    "bounceback",
    "recontact",
    "context loss",
    "breach",
    "breach (esc.)",
    "first resp. p50/p90",
    "resolution p50/p90",
    "CSAT sat.",
];

fn row(g: &GroupReport) -> [String; 12] {
    [
        g.priority.clone(),
        g.segment.clone(),
        g.tickets.to_string(),
        pct(&g.escalation_rate),
        pct(&g.bounceback_rate),
        pct(&g.recontact_rate),
        pct(&g.context_loss_rate),
        pct(&g.sla_breach_rate.overall),
        pct(&g.sla_breach_rate.escalated),
        format!(
            "{} / {}",
            mins(&g.first_response_business, false),
            mins(&g.first_response_business, true)
        ),
        format!(
            "{} / {}",
            mins(&g.resolution_business, false),
            mins(&g.resolution_business, true)
        ),
        pct(&g.csat_satisfied),
    ]
}

pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let widths: Vec<usize> = (0..header.len())
        .map(|c| {
            rows.iter()
                .map(|r| r.get(c).map_or(0, |s| s.chars().count()))
                .chain(header.get(c).map(|h| h.chars().count()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: Vec<&str>| {
        let mut out = String::from(" ");
        for (cell, w) in cells.iter().zip(&widths) {
            out.push(' ');
            out.push_str(cell);
            out.push_str(&" ".repeat(w.saturating_sub(cell.chars().count()) + 1));
        }
        out.trim_end().to_owned() + "\n"
    };
    let mut out = line(header.to_vec());
    for r in rows {
        out.push_str(&line(r.iter().map(String::as_str).collect()));
    }
    out
}

/// Ticket text for a terminal: control characters (escape sequences,
/// newlines) shown as `\u{..}` escapes.
pub(crate) fn plain(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            if c.is_control() {
                c.escape_unicode().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect()
}

/// `text` for Markdown: control characters visible, `<`, `>`, `&` as
/// entities (no HTML), each of `marks` behind a backslash.
fn md_escape(text: &str, marks: &[char]) -> String {
    let mut out = String::with_capacity(text.len());
    for c in plain(text).chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            c if marks.contains(&c) => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// Text from policies, tickets or file names for Markdown (a PR comment,
/// a job summary): no HTML (`<img>`, `</details>`), no links, no cell or
/// line breaks; backticks and emphasis are left to render.
pub(crate) fn md_safe(text: &str) -> String {
    md_escape(text, &['[', ']', '|', '\\'])
}

/// A name in a Markdown code span, or as escaped text when it holds what
/// would end the span or the table cell.
pub(crate) fn md_code(text: &str) -> String {
    if text.contains(['`', '|']) || text.chars().any(char::is_control) {
        md_text(text)
    } else {
        format!("`{text}`")
    }
}

/// Ticket text for a Markdown table cell: no markup, no HTML, no cell or
/// line breaks.
pub(crate) fn md_text(text: &str) -> String {
    md_escape(text, &['\\', '`', '*', '_', '[', ']', '|', '#', '~', '!'])
}

/// The rows of ticket values outside the catalogue, `text` escaping them.
fn unknown_rows(report: &Report, text: fn(&str) -> String) -> Vec<Vec<String>> {
    report
        .unknown_values
        .iter()
        .map(|u| vec![u.field.to_owned(), text(&u.value), u.tickets.to_string()])
        .collect()
}

const UNKNOWN_HEADER: [&str; 3] = ["field", "value", "tickets"];
const LEVEL_HEADER: [&str; 4] = ["level", "name", "breach", "count"];

/// The level response rows, `text` escaping the policy's names.
fn level_rows(report: &Report, text: fn(&str) -> String) -> Vec<Vec<String>> {
    report
        .level_response
        .iter()
        .map(|l| {
            vec![
                text(&l.level),
                text(l.name.as_deref().unwrap_or("")),
                pct(&l.breach),
                format!("{}/{}", l.breach.count, l.breach.of),
            ]
        })
        .collect()
}
const UNKNOWN_TITLE: &str = "Ticket values outside the catalogue (decided by the defaults)";

pub fn md_table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = format!(
        "| {} |\n|{}|\n",
        header.join(" | "),
        vec!["---"; header.len()].join("|")
    );
    for r in rows {
        out.push_str(&format!("| {} |\n", r.join(" | ")));
    }
    out
}

fn all(report: &Report) -> Option<&GroupReport> {
    report.groups.first()
}

pub fn benchmark_rows(report: &Report, baseline: Option<&Report>) -> Vec<Vec<String>> {
    report
        .benchmarks
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let band = match (v.min, v.max) {
                (Some(a), Some(b)) => format!("{a}–{b}"),
                (None, Some(b)) => format!("≤ {b}"),
                (Some(a), None) => format!("≥ {a}"),
                (None, None) => "-".to_owned(),
            };
            let mut r = vec![
                v.metric.clone(),
                v.scope.clone(),
                format!("{} {}", value(v.value), v.unit),
                band,
                v.verdict.to_owned(),
            ];
            if let Some(b) = baseline.and_then(|b| b.benchmarks.get(i)) {
                let delta = v
                    .value
                    .zip(b.value)
                    .map(|(p, q)| format!("{:+.1}", p - q))
                    .unwrap_or_else(|| "-".to_owned());
                r.insert(2, value(b.value));
                r.insert(4, delta);
            }
            r
        })
        .collect()
}

pub fn benchmark_header(baseline: bool) -> Vec<&'static str> {
    if baseline {
        vec![
            "metric", "scope", "baseline", "proposal", "delta", "band", "verdict",
        ]
    } else {
        vec!["metric", "scope", "value", "band", "verdict"]
    }
}

fn backlog_line(report: &Report) -> String {
    let peak = report.backlog.iter().max_by_key(|b| b.unresolved);
    match (peak, report.backlog.last()) {
        (Some(p), Some(last)) => format!(
            "backlog: peak {} unresolved at the end of {} (average age {:.1}h); {} at the end of {}\n",
            p.unresolved, p.day_end, p.average_age_hours, last.unresolved, last.day_end
        ),
        _ => "backlog: no open tickets at any day end\n".to_owned(),
    }
}

/// Lines on the tickets left out (created after the horizon, or before
/// every Classification version), if any.
pub fn after_horizon(report: &Report) -> String {
    let mut out = String::new();
    if report.after_horizon > 0 {
        out.push_str(&format!(
            "{} ticket(s) created after the horizon were left out\n",
            report.after_horizon
        ));
    }
    if report.no_policy_in_force > 0 {
        out.push_str(&format!(
            "{} ticket(s) created before every Classification version were left out (no policy in force)\n",
            report.no_policy_in_force
        ));
    }
    out
}

pub fn human(report: &Report, baseline: Option<&Report>, top: usize) -> String {
    let mut out = format!(
        "simulated {} tickets ({} unreadable), judged at {}\ndecided by the {}\n{}\n",
        report.tickets,
        report.errors,
        report.horizon.describe(),
        report.versions.describe(),
        after_horizon(report),
    );
    let rows: Vec<Vec<String>> = report.groups.iter().map(|g| row(g).to_vec()).collect();
    out.push_str(&table(&COLUMNS, &rows));
    if let Some(a) = all(report) {
        out.push_str("\nSLA breach rate by metric (all tickets / escalated):\n");
        let rows: Vec<Vec<String>> = a
            .breach_rates
            .iter()
            .map(|b| {
                vec![
                    b.metric.to_owned(),
                    pct(&b.overall),
                    format!("{}/{}", b.overall.count, b.overall.of),
                    pct(&b.escalated),
                ]
            })
            .collect();
        out.push_str(&table(&["metric", "breach", "count", "escalated"], &rows));
        out.push_str(&format!(
            "\nescalations: {} of tickets ({} recorded, {} by policy); handoff delay p50 {} p90 {}\n",
            pct(&a.escalation_rate),
            pct(&a.recorded_escalation_rate),
            pct(&a.policy_escalation_rate),
            mins(&a.handoff_delay, false),
            mins(&a.handoff_delay, true)
        ));
    }
    if !report.level_response.is_empty() {
        out.push_str("\nlevel response breach rate by level:\n");
        out.push_str(&table(&LEVEL_HEADER, &level_rows(report, plain)));
    }
    out.push_str(&backlog_line(report));
    if !report.unknown_values.is_empty() {
        out.push_str(&format!("\n{}:\n", UNKNOWN_TITLE.to_lowercase()));
        out.push_str(&table(&UNKNOWN_HEADER, &unknown_rows(report, plain)));
    }
    out.push_str("\nbenchmarks:\n");
    out.push_str(&table(
        &benchmark_header(baseline.is_some()),
        &benchmark_rows(report, baseline),
    ));
    if baseline.is_some() {
        out.push_str(&format!(
            "\n{} ticket(s) decided differently than with the baseline",
            report.differing_tickets
        ));
        out.push_str(if report.differing.is_empty() {
            "\n"
        } else {
            ":\n"
        });
        for d in report.differing.iter().take(top) {
            out.push_str(&format!("  {}  {}\n", d.ticket, d.difference));
        }
        let shown = report.differing.len().min(top) as u64;
        if report.differing_tickets > shown {
            out.push_str(&format!(
                "  … and {} more (--top N lists more)\n",
                report.differing_tickets - shown
            ));
        }
    }
    let outside = report
        .benchmarks
        .iter()
        .filter(|v| matches!(v.verdict, "below" | "above" | "alert"))
        .count();
    out.push_str(&format!("\n{outside} benchmark(s) outside their band\n"));
    out
}

pub fn markdown(report: &Report, baseline: Option<&Report>, top: usize) -> String {
    let outside = report
        .benchmarks
        .iter()
        .filter(|v| matches!(v.verdict, "below" | "above" | "alert"))
        .count();
    let mut out = format!(
        "## Slate simulation\n\n**{} tickets** judged at {}, decided by the {}; {} benchmark(s) outside their band{}.\n\n{}",
        report.tickets,
        report.horizon.describe(),
        report.versions.describe(),
        outside,
        if baseline.is_some() {
            format!(
                ", {} ticket(s) decided differently than the baseline",
                report.differing_tickets
            )
        } else {
            String::new()
        },
        match after_horizon(report) {
            line if line.is_empty() => line,
            line => format!("{line}\n"),
        }
    );
    out.push_str("### Benchmarks\n\n");
    let mut header = benchmark_header(baseline.is_some());
    header.push("source");
    let rows: Vec<Vec<String>> = benchmark_rows(report, baseline)
        .into_iter()
        .zip(&report.benchmarks)
        .map(|(mut row, v)| {
            row.push(md_text(v.source.as_deref().unwrap_or("")));
            row
        })
        .collect();
    out.push_str(&md_table(&header, &rows));
    out.push_str("\n<details><summary>Metrics by priority and segment</summary>\n\n");
    let rows: Vec<Vec<String>> = report.groups.iter().map(|g| row(g).to_vec()).collect();
    out.push_str(&md_table(&COLUMNS, &rows));
    out.push_str("\n</details>\n");
    if !report.level_response.is_empty() {
        out.push_str("\n### Level response breach rate by level\n\n");
        out.push_str(&md_table(&LEVEL_HEADER, &level_rows(report, md_text)));
    }
    if !report.unknown_values.is_empty() {
        out.push_str(&format!("\n### {UNKNOWN_TITLE}\n\n"));
        out.push_str(&md_table(&UNKNOWN_HEADER, &unknown_rows(report, md_text)));
    }
    if baseline.is_some() && !report.differing.is_empty() {
        out.push_str("\n<details><summary>Tickets decided differently</summary>\n\n");
        let rows: Vec<Vec<String>> = report
            .differing
            .iter()
            .take(top)
            .map(|d| vec![format!("`{}`", d.ticket), d.difference.clone()])
            .collect();
        out.push_str(&md_table(&["ticket", "first difference"], &rows));
        out.push_str("\n</details>\n");
    }
    out.push('\n');
    out.push_str(&backlog_line(report));
    out
}

pub fn json(report: &Report, baseline: Option<&Report>) -> String {
    let value = serde_json::json!({ "proposal": report, "baseline": baseline });
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}

//! `slate diff` output: a terminal summary, a stable JSON document, and a
//! pull-request comment (summary first, details folded, a marker so CI can
//! update one comment in place).

use serde::Serialize;
use slate_diff::impact::{Impact, Kind};
use slate_diff::{Change, PolicyDiff, Review, Status};
use slate_policy::Diagnostic;

use super::report::{benchmark_header, benchmark_rows, md_code, md_safe, md_table, table};

/// The first line of the Markdown comment: CI finds its comment by it.
pub const MARKER: &str = "<!-- slate:diff -->";

/// How much a reviewer should worry, and why in one line.
#[derive(Debug, Serialize)]
pub struct Risk {
    /// `high`, `low` or `none`.
    pub level: &'static str,
    pub headline: String,
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn out_of_band(report: &slate_sim::Report) -> usize {
    report
        .benchmarks
        .iter()
        .filter(|v| matches!(v.verdict, "below" | "above" | "alert"))
        .count()
}

pub fn risk(review: &Review, versioning: &[Diagnostic], impact: Option<&Impact>) -> Risk {
    let (total, risky, other) = review.counts();
    let regions = review.classification.regions.len() + review.classification.more;
    let worse = impact.is_some_and(|i| {
        i.counts.get(Kind::BreachAppears) > i.counts.get(Kind::BreachDisappears)
            || out_of_band(&i.head) > out_of_band(&i.base)
    });
    let changed_tickets = impact.map_or(0, |i| i.decided_differently);
    let structural = review.policies.iter().any(|p| p.status != Status::Changed);
    let level = if !versioning.is_empty() || risky > 0 || worse {
        "high"
    } else if total == 0 && !structural && regions == 0 && changed_tickets == 0 {
        "none"
    } else {
        "low"
    };
    let mut parts = vec![format!(
        "{} ({risky} looser or more authority, {other} other) in {}",
        plural(total, "change in meaning", "changes in meaning"),
        plural(review.policies.len(), "policy", "policies")
    )];
    if regions > 0 {
        parts.push(plural(
            regions,
            "classification region changes priority",
            "classification regions change priority",
        ));
    }
    if !versioning.is_empty() {
        parts.push(plural(
            versioning.len(),
            "versioning finding",
            "versioning findings",
        ));
    }
    if let Some(i) = impact {
        parts.push(format!(
            "{} of {} tickets decided differently",
            i.decided_differently, i.tickets
        ));
    }
    Risk {
        level,
        headline: parts.join("; "),
    }
}

fn policy_title(p: &PolicyDiff) -> String {
    let mut title = format!("{} `{}`", p.kind, p.name);
    match p.status {
        Status::Added => title.push_str(" added"),
        Status::Removed => title.push_str(" removed"),
        Status::Changed => {}
    }
    if let (Some(a), Some(b)) = (p.base_version, p.head_version)
        && a != b
    {
        title.push_str(&format!(" · version {a} → {b}"));
    }
    if let (Some(a), Some(b)) = (&p.base_effective_from, &p.head_effective_from)
        && a != b
    {
        title.push_str(&format!(" · effective {a} → {b}"));
    }
    title
}

/// Who owns a changed policy and what it is for: the reviewers to ask.
fn about(p: &PolicyDiff) -> Option<String> {
    let owners = (!p.owners.is_empty()).then(|| format!("owners: {}", p.owners.join(", ")));
    match (owners, &p.description) {
        (Some(o), Some(d)) => Some(format!("{o} — {d}")),
        (Some(o), None) => Some(o),
        (None, Some(d)) => Some(d.clone()),
        (None, None) => None,
    }
}

fn change(c: &Change) -> String {
    match c.direction {
        Some(d) => format!("{} ({})", c.text, d.words()),
        None => c.text.clone(),
    }
}

/// A change for Markdown: its text escaped, a risky direction in bold.
fn change_md(c: &Change) -> String {
    let text = md_safe(&c.text);
    match c.direction {
        Some(d) if d.is_risk() => format!("{text} (**{}**)", d.words()),
        Some(d) => format!("{text} ({})", d.words()),
        None => text,
    }
}

fn finding(d: &Diagnostic) -> String {
    let place = d
        .location()
        .map(|(file, line, col)| format!("{file}:{line}:{col}: "))
        .unwrap_or_default();
    let help = d
        .help
        .as_deref()
        .map(|h| format!(" — {h}"))
        .unwrap_or_default();
    format!("{} {place}{}{help}", code(d), d.message)
}

fn code(d: &Diagnostic) -> String {
    match d.rule {
        Some(rule) => format!("lint::{rule}"),
        None => d.code.to_string(),
    }
}

fn count_rows(impact: &Impact) -> Vec<(String, u64)> {
    Kind::ALL
        .iter()
        .map(|k| (k.words().to_owned(), impact.counts.get(*k)))
        .collect()
}

fn kinds(list: &[Kind]) -> String {
    let words: Vec<&str> = list.iter().map(|k| k.words()).collect();
    if words.is_empty() {
        "decided differently".to_owned()
    } else {
        words.join(", ")
    }
}

pub fn human(review: &Review, versioning: &[Diagnostic], impact: Option<&Impact>) -> String {
    let risk = risk(review, versioning, impact);
    let mut out = format!(
        "policy review: {} → {}\nrisk: {} — {}\n",
        review.base, review.head, risk.level, risk.headline
    );
    if review.policies.is_empty() {
        out.push_str("\nno policy changed in meaning\n");
    }
    for p in &review.policies {
        out.push_str(&format!("\n{}\n", policy_title(p)));
        if let Some(line) = about(p) {
            out.push_str(&format!("  {}\n", super::report::plain(&line)));
        }
        for c in &p.changes {
            out.push_str(&format!("  {}\n", change(c)));
        }
    }
    let sets = &review.classification;
    if !sets.regions.is_empty() {
        out.push_str("\nclassification changes (tickets whose priority changes):\n");
        for r in &sets.regions {
            out.push_str(&format!("  {}: {} → {}\n", r.when, r.from, r.to));
        }
        if sets.more > 0 {
            out.push_str(&format!("  … and {} more regions\n", sets.more));
        }
    }
    if sets.incomplete {
        out.push_str(
            "  (the classification comparison ran out of budget: regions may be missing)\n",
        );
    }
    if !versioning.is_empty() {
        out.push_str("\nversioning:\n");
        for d in versioning {
            out.push_str(&format!("  {}\n", finding(d)));
        }
    }
    if let Some(i) = impact {
        out.push_str(&format!(
            "\nimpact on {} tickets ({} unreadable), judged at {}: {} decided differently\n",
            i.tickets,
            i.unreadable,
            i.horizon.describe(),
            i.decided_differently
        ));
        out.push_str(&format!(
            "  base decided by the {}\n  head decided by the {}\n",
            i.base.versions.describe(),
            i.head.versions.describe()
        ));
        if i.after_horizon > 0 {
            out.push_str(&format!(
                "  {} ticket(s) created after the horizon were left out\n",
                i.after_horizon
            ));
        }
        for (words, n) in count_rows(i) {
            out.push_str(&format!("  {n:>6} get {words}\n"));
        }
        if !i.changed.is_empty() {
            out.push_str(&format!("\nfirst {} changed tickets:\n", i.changed.len()));
            for t in &i.changed {
                out.push_str(&format!(
                    "  {}  {}\n    {}\n",
                    t.ticket,
                    kinds(&t.changes),
                    t.first_difference
                ));
            }
        }
        out.push_str("\nbenchmarks:\n");
        out.push_str(&table(
            &benchmark_header(true),
            &benchmark_rows(&i.head, Some(&i.base)),
        ));
    }
    out
}

#[derive(Serialize)]
struct Finding {
    code: String,
    message: String,
    file: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
    help: Option<String>,
}

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    risk: Risk,
    review: &'a Review,
    versioning: Vec<Finding>,
    impact: Option<&'a Impact>,
}

pub fn json(review: &Review, versioning: &[Diagnostic], impact: Option<&Impact>) -> String {
    let doc = Document {
        version: review.version,
        risk: risk(review, versioning, impact),
        review,
        versioning: versioning
            .iter()
            .map(|d| {
                let place = d.location();
                Finding {
                    code: code(d),
                    message: d.message.clone(),
                    file: place.as_ref().map(|p| p.0.clone()),
                    line: place.as_ref().map(|p| p.1),
                    column: place.as_ref().map(|p| p.2),
                    help: d.help.clone(),
                }
            })
            .collect(),
        impact,
    };
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

pub fn markdown(review: &Review, versioning: &[Diagnostic], impact: Option<&Impact>) -> String {
    let risk = risk(review, versioning, impact);
    let (total, risky, other) = review.counts();
    let mut out = format!(
        "{MARKER}\n## Slate policy review: {} → {}\n\n**Risk: {}** — {}.\n\n",
        md_code(&review.base),
        md_code(&review.head),
        risk.level,
        md_safe(&risk.headline)
    );
    let mut rows = vec![
        vec![
            "policies changed".to_owned(),
            review.policies.len().to_string(),
        ],
        vec!["changes in meaning".to_owned(), total.to_string()],
        vec!["looser or more authority".to_owned(), risky.to_string()],
        vec!["other changes".to_owned(), other.to_string()],
        vec![
            "classification regions".to_owned(),
            (review.classification.regions.len() + review.classification.more).to_string(),
        ],
        vec![
            "versioning findings".to_owned(),
            versioning.len().to_string(),
        ],
    ];
    if let Some(i) = impact {
        rows.push(vec![
            "tickets decided differently".to_owned(),
            format!("{} of {}", i.decided_differently, i.tickets),
        ]);
        rows.push(vec![
            "horizon (timers fire up to it)".to_owned(),
            i.horizon.describe(),
        ]);
        rows.push(vec![
            "versions".to_owned(),
            match i.base.versions.mode {
                "in_force" => "in force at each ticket's creation (--in-force)".to_owned(),
                _ => "each side's newest".to_owned(),
            },
        ]);
    }
    out.push_str(&md_table(&["", "count"], &rows));
    if !review.policies.is_empty() {
        out.push_str(&format!(
            "\n<details><summary>Changes in meaning ({total})</summary>\n\n"
        ));
        for p in &review.policies {
            out.push_str(&format!("**{}**\n\n", md_safe(&policy_title(p))));
            if let Some(line) = about(p) {
                out.push_str(&format!("_{}_\n\n", super::report::md_text(&line)));
            }
            for c in &p.changes {
                out.push_str(&format!("- {}\n", change_md(c)));
            }
            out.push('\n');
        }
        out.push_str("</details>\n");
    }
    let sets = &review.classification;
    if !sets.regions.is_empty() {
        out.push_str("\n<details><summary>Classification changes</summary>\n\n");
        let rows: Vec<Vec<String>> = sets
            .regions
            .iter()
            .map(|r| {
                vec![
                    md_safe(&r.when),
                    format!("{} → {}", md_safe(&r.from), md_safe(&r.to)),
                ]
            })
            .collect();
        out.push_str(&md_table(&["tickets with", "priority"], &rows));
        if sets.more > 0 {
            out.push_str(&format!("\n… and {} more regions\n", sets.more));
        }
        out.push_str("\n</details>\n");
    }
    if !versioning.is_empty() {
        out.push_str("\n<details open><summary>Versioning</summary>\n\n");
        for d in versioning {
            out.push_str(&format!("- {}\n", md_safe(&finding(d))));
        }
        out.push_str("\n</details>\n");
    }
    if let Some(i) = impact {
        out.push_str(&format!(
            "\n<details><summary>Impact on {} tickets</summary>\n\n",
            i.tickets
        ));
        let rows: Vec<Vec<String>> = count_rows(i)
            .into_iter()
            .map(|(w, n)| vec![w, n.to_string()])
            .collect();
        out.push_str(&md_table(&["tickets that get", "count"], &rows));
        if !i.changed.is_empty() {
            out.push('\n');
            let rows: Vec<Vec<String>> = i
                .changed
                .iter()
                .map(|t| {
                    vec![
                        md_code(&t.ticket),
                        kinds(&t.changes),
                        md_safe(&t.first_difference),
                    ]
                })
                .collect();
            out.push_str(&md_table(&["ticket", "changes", "first difference"], &rows));
        }
        out.push_str("\n**Benchmarks**\n\n");
        out.push_str(&md_table(
            &benchmark_header(true),
            &benchmark_rows(&i.head, Some(&i.base)),
        ));
        out.push_str("\n</details>\n");
    }
    out
}

//! GitHub Actions: workflow-command annotations, and a Markdown job summary.

use std::io::Write;
use std::path::Path;

use slate_policy::{Diagnostic, Severity};

use super::Summary;

/// Escapes data for a workflow command (`%`, CR, LF) and, in properties,
/// also `:` and `,`.
fn escape(text: &str, property: bool) -> String {
    let mut out = text
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    if property {
        out = out.replace(':', "%3A").replace(',', "%2C");
    }
    out
}

pub fn annotations(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut properties = vec![format!("title={}", escape(&d.code_str(), true))];
        if let (Some(source), Some(label)) = (&d.source, d.labels.first()) {
            let (line, col) = source.line_col(label.span.start);
            let (end_line, end_col) = source.line_col(label.span.start + label.span.len);
            properties.insert(0, format!("file={}", escape(source.name(), true)));
            properties.insert(1, format!("line={line}"));
            properties.insert(2, format!("col={col}"));
            properties.insert(3, format!("endLine={end_line}"));
            if end_line == line {
                properties.insert(4, format!("endColumn={end_col}"));
            }
        } else if let Some(source) = &d.source {
            properties.insert(0, format!("file={}", escape(source.name(), true)));
        }
        let message = match &d.help {
            Some(help) => format!("{}\n{help}", d.message),
            None => d.message.clone(),
        };
        out.push_str(&format!(
            "::{command} {}::{}\n",
            properties.join(","),
            escape(&message, false)
        ));
    }
    out
}

/// The job summary in Markdown.
pub fn markdown(diagnostics: &[Diagnostic], summary: &Summary) -> String {
    let mut out = String::from("## Slate policy lint\n\n");
    if !summary.rules_off.is_empty() {
        let off: Vec<String> = summary.rules_off.iter().map(|r| format!("`{r}`")).collect();
        out.push_str(&format!("Rules off: {}.\n\n", off.join(", ")));
    }
    if diagnostics.is_empty() {
        out.push_str(&format!("No findings in {} policies.\n", summary.policies));
        return out;
    }
    out.push_str(&format!(
        "**{} error(s), {} warning(s)** in {} policy file(s).\n\n| severity | code | location | message |\n|---|---|---|---|\n",
        summary.errors, summary.warnings, summary.files
    ));
    for d in diagnostics {
        let location = d
            .location()
            .map(|(f, l, c)| super::report::md_code(&format!("{f}:{l}:{c}")))
            .unwrap_or_default();
        out.push_str(&format!(
            "| {} | `{}` | {location} | {} |\n",
            d.severity,
            d.code_str(),
            super::report::md_safe(&d.message)
        ));
    }
    out
}

/// Appends the summary to `$GITHUB_STEP_SUMMARY`.
pub fn append_summary(
    path: &Path,
    diagnostics: &[Diagnostic],
    summary: &Summary,
) -> std::io::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    file.write_all(markdown(diagnostics, summary).as_bytes())
}

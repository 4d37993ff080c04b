//! Diagnostics as one JSON document with stable keys.

use serde::Serialize;
use slate_policy::{Diagnostic, Severity};

use super::Summary;

/// Bumped when the shape of this document changes incompatibly.
const FORMAT_VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    summary: JsonSummary,
    diagnostics: Vec<JsonDiagnostic<'a>>,
}

#[derive(Serialize)]
struct JsonSummary {
    files: usize,
    policies: usize,
    errors: usize,
    warnings: usize,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    rules_off: Vec<&'static str>,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    severity: Severity,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<Location>,
    labels: Vec<JsonLabel>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related: Vec<JsonDiagnostic<'a>>,
}

#[derive(Serialize)]
struct Location {
    file: String,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Serialize)]
struct JsonLabel {
    #[serde(flatten)]
    location: Location,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<String>,
}

fn convert(d: &Diagnostic) -> JsonDiagnostic<'_> {
    let locate = |start: usize, len: usize| {
        d.source.as_ref().map(|s| {
            let (line, column) = s.line_col(start);
            let (end_line, end_column) = s.line_col(start + len);
            Location {
                file: s.name().to_owned(),
                line,
                column,
                end_line,
                end_column,
            }
        })
    };
    let first = d.labels.first();
    JsonDiagnostic {
        code: d.code_str().into_owned(),
        url: d.url.as_deref(),
        severity: d.severity,
        message: &d.message,
        location: match first {
            Some(l) => locate(l.span.start, l.span.len),
            None => locate(0, 0),
        },
        labels: d
            .labels
            .iter()
            .filter_map(|l| {
                locate(l.span.start, l.span.len).map(|location| JsonLabel {
                    location,
                    text: l.text.clone(),
                })
            })
            .collect(),
        help: d.help.as_deref(),
        related: d.related.iter().map(convert).collect(),
    }
}

pub fn render(diagnostics: &[Diagnostic], summary: &Summary) -> String {
    let document = Document {
        version: FORMAT_VERSION,
        summary: JsonSummary {
            files: summary.files,
            policies: summary.policies,
            errors: summary.errors,
            warnings: summary.warnings,
            rules_off: summary.rules_off.clone(),
        },
        diagnostics: diagnostics.iter().map(convert).collect(),
    };
    let mut text = serde_json::to_string_pretty(&document)
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}

//! SARIF 2.1.0: rule metadata, locations, help URIs.

use serde_json::{Value, json};
use slate_lint::registry::RULES;
use slate_policy::{Diagnostic, Severity};

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A file name as a SARIF `artifactLocation.uri` (RFC 3986): a relative
/// reference with every byte outside the unreserved set and `/`
/// percent-encoded, `./` dropped; an absolute path as a `file://` URI. A
/// name from the pull request (spaces, `#`, `?`, `%`, non-ASCII) stays one
/// valid reference to one file.
fn uri(name: &str) -> String {
    let (prefix, path) = match name.strip_prefix('/') {
        Some(rest) => ("file:///", rest),
        None => ("", name.trim_start_matches("./")),
    };
    let mut out = String::from(prefix);
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(char::from(byte));
            }
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

fn location(d: &Diagnostic) -> Option<Value> {
    let source = d.source.as_ref()?;
    let span = d.labels.first().map(|l| l.span).unwrap_or_default();
    let (line, column) = source.line_col(span.start);
    let (end_line, end_column) = source.line_col(span.start + span.len);
    Some(json!({
        "physicalLocation": {
            "artifactLocation": { "uri": uri(source.name()) },
            "region": {
                "startLine": line,
                "startColumn": column,
                "endLine": end_line,
                "endColumn": end_column.max(if end_line == line { column + 1 } else { 1 }),
            }
        }
    }))
}

/// The log; `rules_off` become the invocation's rule configuration overrides.
pub fn render(diagnostics: &[Diagnostic], rules_off: &[&str]) -> String {
    let mut rules: Vec<Value> = RULES
        .iter()
        .map(|r| {
            json!({
                "id": r.code(),
                "name": r.name,
                "shortDescription": { "text": r.summary },
                "fullDescription": { "text": r.summary },
                "help": { "text": r.doc, "markdown": r.doc },
                "helpUri": r.url(),
                "defaultConfiguration": { "level": level(r.severity) },
            })
        })
        .collect();
    let mut ids: Vec<String> = RULES.iter().map(|r| r.code()).collect();
    for d in diagnostics {
        let id = d.code_str().into_owned();
        if !ids.contains(&id) {
            rules.push(json!({
                "id": id,
                "shortDescription": { "text": d.code.doc() },
                "helpUri": "https://github.com/slate-dev/slate/blob/main/docs/diagnostics.md",
                "defaultConfiguration": { "level": "error" },
            }));
            ids.push(id);
        }
    }
    let results: Vec<Value> = diagnostics
        .iter()
        .map(|d| {
            let id = d.code_str().into_owned();
            let index = ids.iter().position(|i| *i == id).unwrap_or(0);
            let mut result = json!({
                "ruleId": id,
                "ruleIndex": index,
                "level": level(d.severity),
                "message": { "text": match &d.help { Some(h) => format!("{}. {h}", d.message), None => d.message.clone() } },
            });
            if let (Some(loc), Some(map)) = (location(d), result.as_object_mut()) {
                map.insert("locations".to_owned(), json!([loc]));
            }
            let related: Vec<Value> = d
                .labels
                .iter()
                .skip(1)
                .filter_map(|l| {
                    let source = d.source.as_ref()?;
                    let (line, column) = source.line_col(l.span.start);
                    Some((source.name().to_owned(), line, column, l.text.clone().unwrap_or_default()))
                })
                .chain(d.related.iter().filter_map(|r| {
                    let (file, line, column) = r.location()?;
                    Some((file, line, column, r.message.clone()))
                }))
                .enumerate()
                .map(|(i, (file, line, column, text))| {
                    json!({
                        "id": i + 1,
                        "physicalLocation": {
                            "artifactLocation": { "uri": uri(&file) },
                            "region": { "startLine": line, "startColumn": column }
                        },
                        "message": { "text": text }
                    })
                })
                .collect();
            if let (false, Some(map)) = (related.is_empty(), result.as_object_mut()) {
                map.insert("relatedLocations".to_owned(), Value::Array(related));
            }
            result
        })
        .collect();
    let overrides: Vec<Value> = rules_off
        .iter()
        .filter_map(|name| {
            let index = RULES.iter().position(|r| r.name == *name)?;
            Some(json!({
                "descriptor": { "id": format!("lint::{name}"), "index": index },
                "configuration": { "enabled": false },
            }))
        })
        .collect();
    let mut log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "slate",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": "https://github.com/slate-dev/slate",
                    "rules": rules,
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    if !overrides.is_empty()
        && let Some(run) = log
            .get_mut("runs")
            .and_then(|runs| runs.get_mut(0))
            .and_then(Value::as_object_mut)
    {
        run.insert(
            "invocations".to_owned(),
            json!([{ "executionSuccessful": true, "ruleConfigurationOverrides": overrides }]),
        );
    }
    let mut text = serde_json::to_string_pretty(&log).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::uri;

    #[test]
    fn file_names_become_valid_uri_references() {
        assert_eq!(uri("policies/sla.yaml"), "policies/sla.yaml");
        assert_eq!(uri("./policies/sla.yaml"), "policies/sla.yaml");
        assert_eq!(uri("/tmp/p/sla.yaml"), "file:///tmp/p/sla.yaml");
        assert_eq!(
            uri("policies/a b#c?d%e:é.yaml"),
            "policies/a%20b%23c%3Fd%25e%3A%C3%A9.yaml"
        );
        // A revision's file: the colon is encoded, the reference stays relative.
        assert_eq!(uri("HEAD:sla.yaml"), "HEAD%3Asla.yaml");
    }
}

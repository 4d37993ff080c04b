//! Diagnostics for people: miette reports with source snippets. Colour only
//! on a terminal and never with `NO_COLOR`.

use std::io::IsTerminal;

use miette::{GraphicalReportHandler, GraphicalTheme};
use slate_policy::Diagnostic;

use super::Summary;

fn handler(color: bool) -> GraphicalReportHandler {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        .with_links(false)
}

fn use_color(stream_is_tty: bool) -> bool {
    stream_is_tty && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// `d` with the text it carries (message, labels, help, related) cleaned
/// for the terminal: values from policies and tickets may hold control
/// characters.
fn cleaned(d: &Diagnostic) -> Diagnostic {
    let mut d = d.clone();
    d.message = super::terminal::clean(&d.message).into_owned();
    d.help = d.help.map(|h| super::terminal::clean(&h).into_owned());
    for label in &mut d.labels {
        label.text = label
            .text
            .take()
            .map(|t| super::terminal::clean(&t).into_owned());
    }
    d.related = d.related.iter().map(cleaned).collect();
    d
}

fn report(handler: &GraphicalReportHandler, diagnostic: &Diagnostic, out: &mut String) {
    let diagnostic = &cleaned(diagnostic);
    let mut text = String::new();
    if handler.render_report(&mut text, diagnostic).is_err() {
        text = format!("{}: {}\n", diagnostic.code, diagnostic.message);
    }
    // miette prints no location for a diagnostic without a snippet: a
    // problem with a whole file names the file.
    if diagnostic.labels.is_empty()
        && let Some(source) = &diagnostic.source
    {
        text.push_str(&format!("  at {}\n", source.name()));
    }
    out.push_str(&text);
    out.push('\n');
}

/// Renders diagnostics and the summary line.
pub fn render(diagnostics: &[Diagnostic], summary: &Summary) -> String {
    let handler = handler(use_color(std::io::stdout().is_terminal()));
    let mut out = String::new();
    for diagnostic in diagnostics {
        report(&handler, diagnostic, &mut out);
    }
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    if summary.errors == 0 && summary.warnings == 0 {
        out.push_str(&format!(
            "ok: {} in {}, no problems",
            plural(summary.policies, "policy", "policies"),
            plural(summary.files, "file", "files"),
        ));
    } else {
        out.push_str(&format!(
            "{}, {} in {}",
            plural(summary.errors, "error", "errors"),
            plural(summary.warnings, "warning", "warnings"),
            plural(summary.files, "file", "files"),
        ));
    }
    if !summary.rules_off.is_empty() {
        out.push_str(&format!("; rules off: {}", summary.rules_off.join(", ")));
    }
    out.push('\n');
    out
}

/// Prints usage or I/O errors to stderr.
pub fn eprint(diagnostics: &[Diagnostic]) {
    let handler = handler(use_color(std::io::stderr().is_terminal()));
    let mut out = String::new();
    for diagnostic in diagnostics {
        report(&handler, diagnostic, &mut out);
    }
    eprint!("{out}");
}

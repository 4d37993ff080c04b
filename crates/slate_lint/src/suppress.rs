//! Inline suppressions: a YAML comment on the node's line, or on its own
//! line just above the node.
//!
//! ```yaml
//! # slate-allow: unused-team reason="Tier 0 is self-service (seed 001)" until=2027-06-30
//! - id: self-service
//! ```
//!
//! `reason` is mandatory; `until` is optional, and an expired suppression no
//! longer applies and is reported itself.

use chrono::NaiveDate;
use slate_policy::diagnostic::{Code, Diagnostic, Severity};
use slate_policy::source::{Loc, Source, Span};

use crate::config::Config;
use crate::registry;
use crate::rules::{expired_suppression, invalid_suppression, suppression_added};

const MARKER: &str = "slate-allow:";

#[derive(Debug)]
struct Suppression {
    file: String,
    /// The file relative to the policy root: the same at every revision.
    relative: String,
    /// The 1-based line the suppression applies to.
    target_line: usize,
    rule: String,
    reason: String,
    /// The comment.
    loc: Loc,
}

/// All suppressions of a policy tree, and the problems with them.
#[derive(Debug, Default)]
pub struct Suppressions {
    active: Vec<Suppression>,
    problems: Vec<(&'static crate::Rule, Loc, String, String)>,
}

fn quoted(text: &str, key: &str) -> Option<String> {
    let start = text.find(&format!("{key}=\""))? + key.len() + 2;
    let rest = text.get(start..)?;
    let end = rest.find('"')?;
    rest.get(..end).map(str::to_owned)
}

fn bare(text: &str, key: &str) -> Option<String> {
    let start = text.find(&format!("{key}="))? + key.len() + 1;
    let rest = text.get(start..)?;
    Some(rest.split_whitespace().next().unwrap_or("").to_owned())
}

/// Finds every suppression comment.
pub fn collect(sources: &[Source], today: NaiveDate) -> Suppressions {
    let mut out = Suppressions::default();
    for source in sources {
        let lines: Vec<&str> = source.text().lines().collect();
        let mut offset = 0;
        for (i, line) in lines.iter().enumerate() {
            let line_start = offset;
            offset += line.len() + 1;
            let Some(hash) = line.find('#') else { continue };
            let comment = line.get(hash + 1..).unwrap_or("").trim();
            let Some(body) = comment.strip_prefix(MARKER) else {
                continue;
            };
            let loc = Loc::new(source, Span::new(line_start + hash, line.len() - hash));
            let body = body.trim();
            let rule = body
                .split_whitespace()
                .next()
                .unwrap_or("")
                .trim_start_matches("lint::")
                .to_owned();
            // A comment alone on its line applies to the next line with content.
            let own_line = line
                .get(..hash)
                .is_some_and(|before| before.trim().is_empty());
            let target_line = if own_line {
                lines
                    .iter()
                    .enumerate()
                    .skip(i + 1)
                    .find(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
                    .map_or(i + 1, |(j, _)| j + 1)
            } else {
                i + 1
            };
            if !registry::RULES.iter().any(|r| r.name == rule) {
                let known: Vec<&str> = registry::RULES.iter().map(|r| r.name).collect();
                let help = slate_policy::diagnostic::suggestion(&rule, known.iter().copied())
                    .unwrap_or_else(|| "write `# slate-allow: <rule> reason=\"...\"`".to_owned());
                out.problems.push((
                    &invalid_suppression::RULE,
                    loc,
                    format!("suppression names unknown rule `{rule}`"),
                    help,
                ));
                continue;
            }
            let reason = quoted(body, "reason").unwrap_or_default();
            if reason.trim().is_empty() {
                out.problems.push((
                    &invalid_suppression::RULE,
                    loc,
                    format!("suppression of `{rule}` has no reason"),
                    "add `reason=\"...\"` saying why the finding is accepted (cite the seed or the decision)".to_owned(),
                ));
                continue;
            }
            let until = match bare(body, "until") {
                None => None,
                Some(text) => match NaiveDate::parse_from_str(&text, "%Y-%m-%d") {
                    Ok(d) => Some(d),
                    Err(_) => {
                        out.problems.push((
                            &invalid_suppression::RULE,
                            loc,
                            format!("invalid expiry date `{text}`"),
                            "write `until=YYYY-MM-DD`".to_owned(),
                        ));
                        continue;
                    }
                },
            };
            if let Some(until) = until
                && until < today
            {
                out.problems.push((
                    &expired_suppression::RULE,
                    loc,
                    format!("suppression of `{rule}` expired on {until}"),
                    "fix the finding, or renew the suppression with a new `until` and a reason"
                        .to_owned(),
                ));
                continue;
            }
            out.active.push(Suppression {
                file: source.name().to_owned(),
                relative: source.relative_name().to_owned(),
                target_line,
                rule,
                reason,
                loc,
            });
        }
    }
    out
}

impl Suppressions {
    /// Whether a finding of `rule` at `loc` is suppressed.
    pub fn covers(&self, rule: &str, loc: &Loc) -> bool {
        let (line, _) = loc.source.line_col(loc.span.start);
        self.active
            .iter()
            .any(|s| s.rule == rule && s.file == loc.source.name() && s.target_line == line)
    }

    /// Problems with the suppressions themselves, as findings.
    /// The suppressions that `base` (the base revision's) does not have —
    /// same file, rule and reason — as `lint::suppression-added` findings at
    /// `severity`.
    pub fn added_since(&self, base: &Suppressions, severity: Severity) -> Vec<Diagnostic> {
        let rule = &suppression_added::RULE;
        self.active
            .iter()
            .filter(|s| {
                !base
                    .active
                    .iter()
                    .any(|b| b.relative == s.relative && b.rule == s.rule && b.reason == s.reason)
            })
            .map(|s| {
                let mut d = Diagnostic::error_at(
                    Code::Lint,
                    format!(
                        "this change adds a suppression of `lint::{}`: \"{}\"",
                        s.rule, s.reason
                    ),
                    &s.loc,
                )
                .label("added by this change")
                .help("a reviewer must accept the finding it silences; fix the finding instead where you can");
                d.severity = severity;
                d.rule = Some(rule.name);
                d.url = Some(rule.url());
                d
            })
            .collect()
    }

    pub fn problems(&self, config: &Config) -> Vec<Diagnostic> {
        self.problems
            .iter()
            .filter_map(|(rule, loc, message, help)| {
                let severity = config.severity(rule)?;
                let mut d = Diagnostic::error_at(Code::Lint, message.clone(), loc)
                    .label("this suppression")
                    .help(help.clone());
                d.severity = severity;
                d.rule = Some(rule.name);
                d.url = Some(rule.url());
                Some(d)
            })
            .collect()
    }
}

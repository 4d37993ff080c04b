//! `slate.toml`: rule severities, disabled rules, excluded paths.
//!
//! ```toml
//! [lint]
//! exclude = ["drafts/"]          # paths relative to the policy root
//!
//! [lint.rules]
//! unused-team = "off"             # off | info | warning | error
//! level-without-backup = "error"
//! ```

use std::collections::BTreeMap;

use serde::Deserialize;
use slate_policy::diagnostic::{Code, Diagnostic, Severity, suggestion};
use slate_policy::source::{Source, Span};

use crate::registry;
use crate::rule::Rule;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    lint: Lint,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Lint {
    #[serde(default)]
    exclude: Vec<String>,
    #[serde(default)]
    rules: BTreeMap<toml::Spanned<String>, toml::Spanned<String>>,
}

/// A rule's configured level.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Off,
    On(Severity),
}

/// Lint configuration.
#[derive(Debug, Default)]
pub struct Config {
    levels: BTreeMap<String, Level>,
    exclude: Vec<String>,
}

impl Config {
    /// Reads `slate.toml`; every problem is a located diagnostic.
    pub fn parse(source: &Source) -> Result<Self, Vec<Diagnostic>> {
        let file: File = toml::from_str(source.text()).map_err(|e| {
            let span = e
                .span()
                .map_or(Span::default(), |r| Span::new(r.start, r.end - r.start));
            vec![
                Diagnostic::error(
                    Code::ConfigInvalid,
                    e.message().trim().to_owned(),
                    source,
                    span,
                )
                .label("here")
                .help("see the README section \"Configuring the linter\""),
            ]
        })?;
        let mut errors = Vec::new();
        let mut levels = BTreeMap::new();
        let names: Vec<&str> = registry::RULES.iter().map(|r| r.name).collect();
        for (key, value) in file.lint.rules {
            let span = Span::new(key.span().start, key.span().end - key.span().start);
            let value_span = Span::new(value.span().start, value.span().end - value.span().start);
            let name = key.get_ref();
            let name = name.strip_prefix("lint::").unwrap_or(name).to_owned();
            if !names.contains(&name.as_str()) {
                errors.push(
                    Diagnostic::error(
                        Code::ConfigInvalid,
                        format!("unknown lint rule `{name}`"),
                        source,
                        span,
                    )
                    .label("not a rule")
                    .help(
                        suggestion(&name, names.iter().copied())
                            .unwrap_or_else(|| "`slate explain --list` lists the rules".to_owned()),
                    ),
                );
                continue;
            }
            let level = match value.get_ref().as_str() {
                "off" => Level::Off,
                "info" => Level::On(Severity::Info),
                "warning" => Level::On(Severity::Warning),
                "error" => Level::On(Severity::Error),
                other => {
                    errors.push(
                        Diagnostic::error(
                            Code::ConfigInvalid,
                            format!("unknown level `{other}`"),
                            source,
                            value_span,
                        )
                        .label("not a level")
                        .help("use `off`, `info`, `warning` or `error`"),
                    );
                    continue;
                }
            };
            levels.insert(name, level);
        }
        if errors.is_empty() {
            Ok(Self {
                levels,
                exclude: file.lint.exclude,
            })
        } else {
            Err(errors)
        }
    }

    /// The rule's severity, or `None` when it is off.
    pub fn severity(&self, rule: &Rule) -> Option<Severity> {
        match self.levels.get(rule.name) {
            Some(Level::Off) => None,
            Some(Level::On(s)) => Some(*s),
            None => Some(rule.severity),
        }
    }

    /// Whether findings in this file (relative to the policy root) are excluded.
    pub fn excluded(&self, relative: &str) -> bool {
        self.exclude
            .iter()
            .any(|prefix| relative.starts_with(prefix.trim_start_matches("./")))
    }
}

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
    exclude: Vec<toml::Spanned<String>>,
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
    levels: BTreeMap<String, (Level, Span)>,
    exclude: Vec<(String, Span)>,
    /// The file it was read from (`None`: the defaults).
    source: Option<Source>,
}

/// How a configuration weakens the gate compared with another: what the
/// change under review switched off, lowered or excluded.
#[derive(Debug)]
pub struct Weakening {
    pub message: String,
    pub loc: Option<slate_policy::source::Loc>,
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
            levels.insert(name, (level, value_span));
        }
        if errors.is_empty() {
            Ok(Self {
                levels,
                exclude: file
                    .lint
                    .exclude
                    .into_iter()
                    .map(|e| {
                        let span = Span::new(e.span().start, e.span().end - e.span().start);
                        (e.into_inner(), span)
                    })
                    .collect(),
                source: Some(source.clone()),
            })
        } else {
            Err(errors)
        }
    }

    /// The rule's severity, or `None` when it is off.
    pub fn severity(&self, rule: &Rule) -> Option<Severity> {
        match self.levels.get(rule.name) {
            Some((Level::Off, _)) => None,
            Some((Level::On(s), _)) => Some(*s),
            None => Some(rule.severity),
        }
    }

    /// Whether findings in this file (relative to the policy root) are excluded.
    pub fn excluded(&self, relative: &str) -> bool {
        self.exclude
            .iter()
            .any(|(prefix, _)| relative.starts_with(prefix.trim_start_matches("./")))
    }

    /// The rules switched off, in registry order.
    pub fn rules_off(&self) -> Vec<&'static str> {
        registry::RULES
            .iter()
            .filter(|r| self.severity(r).is_none())
            .map(|r| r.name)
            .collect()
    }

    /// What this configuration (the head's) switches off, lowers or
    /// excludes that `base` did not: each with the setting's place.
    pub fn weakened_since(&self, base: &Config) -> Vec<Weakening> {
        let rank = |s: Option<Severity>| match s {
            None => 0,
            Some(Severity::Info) => 1,
            Some(Severity::Warning) => 2,
            Some(Severity::Error) => 3,
        };
        let name = |s: Option<Severity>| s.map_or_else(|| "off".to_owned(), |s| s.to_string());
        let mut out = Vec::new();
        for rule in registry::RULES {
            let (before, after) = (base.severity(rule), self.severity(rule));
            if rank(after) >= rank(before) {
                continue;
            }
            let message = if after.is_none() {
                format!(
                    "this change switches `lint::{}` off (it was {})",
                    rule.name,
                    name(before)
                )
            } else {
                format!(
                    "this change lowers `lint::{}` from {} to {}",
                    rule.name,
                    name(before),
                    name(after)
                )
            };
            out.push(Weakening {
                message,
                loc: self.loc_of(self.levels.get(rule.name).map(|(_, span)| *span)),
            });
        }
        for (prefix, span) in &self.exclude {
            if base.exclude.iter().any(|(p, _)| p == prefix) {
                continue;
            }
            out.push(Weakening {
                message: format!("this change excludes `{prefix}` from lint"),
                loc: self.loc_of(Some(*span)),
            });
        }
        out
    }

    fn loc_of(&self, span: Option<Span>) -> Option<slate_policy::source::Loc> {
        let source = self.source.as_ref()?;
        Some(slate_policy::source::Loc::new(
            source,
            span.unwrap_or_default(),
        ))
    }
}

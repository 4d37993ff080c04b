//! Slate's linter: rules that prove properties of a checked policy set —
//! coverage, shadowing, timing, structure, money, benchmarks, versioning.
//!
//! A rule is one file in `rules/` (metadata, documentation, check) and one
//! line in [`registry::RULES`]; its bad and good fixtures live in
//! `tests/lint/<rule>.yaml`. The linter never prints; it returns
//! [`Diagnostic`]s with code `lint::<rule>`.

pub mod config;
pub mod context;
pub mod docs;
pub mod registry;
pub mod rule;
pub mod rules;
pub mod sat;
pub mod suppress;

use std::collections::BTreeSet;

use chrono::NaiveDate;
use slate_policy::source::Source;
use slate_policy::{Checked, Diagnostic, Severity};

pub use config::Config;
pub use context::{Ctx, DocSummary};
pub use rule::{Finding, Rule};

/// Where rule documentation is published.
pub const DOCS_URL: &str = "https://github.com/slate-dev/slate/blob/main/docs/rules";

/// What a lint run needs besides the checked set.
#[derive(Debug)]
pub struct Options<'a> {
    pub config: &'a Config,
    /// The policy files, for inline suppressions.
    pub sources: &'a [Source],
    /// The base revision's policies, for the versioning rules.
    pub base: Option<&'a [DocSummary]>,
    /// The head's policies as parsed documents, for the versioning rules.
    pub head: &'a [DocSummary],
    /// Today, for suppression expiry.
    pub today: NaiveDate,
    /// Run only these rules (by name); every enabled rule when `None`.
    pub only: Option<&'a [&'a str]>,
    /// The solver's allowance for the run ([`sat::Budget`]).
    pub solver_budget: usize,
}

/// Runs every enabled rule over a valid policy set.
pub fn lint(checked: &Checked, options: &Options<'_>) -> Vec<Diagnostic> {
    let set = &checked.set;
    // The newest set, then each older version in place of its newest: every
    // rule looks at every version, and keeps what it finds in that version's
    // own file (the rest was found on the newest set).
    let budget = sat::Budget::new(options.solver_budget);
    let mut views = vec![(Ctx::new(set, options.base, options.head, &budget), None)];
    for p in set.superseded() {
        let view = Ctx::with_version(set, options.base, options.head, &budget, p);
        views.push((view, Some(p.meta.loc.source.name().to_owned())));
    }
    let suppressions = suppress::collect(options.sources, options.today);
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for rule in registry::RULES {
        if options.only.is_some_and(|only| !only.contains(&rule.name)) {
            continue;
        }
        let Some(severity) = options.config.severity(rule) else {
            continue;
        };
        for (ctx, file) in &views {
            let mut findings = Vec::new();
            (rule.check)(ctx, &mut findings);
            for finding in findings {
                if file
                    .as_ref()
                    .is_some_and(|f| f != finding.loc.source.name())
                {
                    continue;
                }
                if options.config.excluded(finding.loc.source.relative_name()) {
                    continue;
                }
                if suppressions.covers(rule.name, &finding.loc) {
                    continue;
                }
                let key = (
                    rule.name,
                    finding.loc.source.name().to_owned(),
                    finding.loc.span,
                    finding.message.clone(),
                );
                if seen.insert(key) {
                    out.push(finding.into_diagnostic(rule, severity));
                }
            }
        }
    }
    out.extend(suppressions.problems(options.config));
    out.sort_by_cached_key(Diagnostic::sort_key);
    out
}

/// Counts by severity.
pub fn count(diagnostics: &[Diagnostic], severity: Severity) -> usize {
    diagnostics
        .iter()
        .filter(|d| d.severity == severity)
        .count()
}

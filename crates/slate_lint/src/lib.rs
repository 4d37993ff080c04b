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
    /// The base revision's lint configuration and policy files: what the
    /// change did to the gate itself (`gate-weakened`, `suppression-added`).
    pub base_gate: Option<BaseGate<'a>>,
    /// The head's policies as parsed documents, for the versioning rules.
    pub head: &'a [DocSummary],
    /// Today, for suppression expiry.
    pub today: NaiveDate,
    /// Run only these rules (by name); every enabled rule when `None`.
    pub only: Option<&'a [&'a str]>,
    /// The solver's allowance for the run ([`sat::Budget`]).
    pub solver_budget: usize,
}

/// The gate as the base revision configured it.
#[derive(Debug, Clone, Copy)]
pub struct BaseGate<'a> {
    pub config: &'a Config,
    pub sources: &'a [Source],
}

/// What the change under review did to the gate: rules it switched off or
/// lowered, paths it excluded, suppressions it added. Severities are the
/// base's, so the change cannot silence these findings for itself.
fn gate_changes(options: &Options<'_>, head: &suppress::Suppressions) -> Vec<Diagnostic> {
    let Some(base) = options.base_gate else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let weakened = &rules::gate_weakened::RULE;
    if let Some(severity) = base.config.severity(weakened) {
        for w in options.config.weakened_since(base.config) {
            let mut d = match &w.loc {
                Some(loc) => Diagnostic::error_at(slate_policy::Code::Lint, w.message, loc)
                    .label("changed by this change"),
                None => Diagnostic::global(
                    slate_policy::Code::Lint,
                    format!("{} (slate.toml removed)", w.message),
                ),
            }
            .help("make the configuration change in its own reviewed pull request, or fix the findings");
            d.severity = severity;
            d.rule = Some(weakened.name);
            d.url = Some(weakened.url());
            out.push(d);
        }
    }
    if let Some(severity) = base.config.severity(&rules::suppression_added::RULE) {
        let before = suppress::collect(base.sources, options.today);
        out.extend(head.added_since(&before, severity));
    }
    out
}

/// Runs every enabled rule over a valid policy set.
pub fn lint(checked: &Checked, options: &Options<'_>) -> Vec<Diagnostic> {
    let set = &checked.set;
    // The newest set, then each older version in place of its newest: every
    // rule looks at every version, and keeps what it finds in that version's
    // own file (the rest was found on the newest set).
    let budget = sat::Budget::new(options.solver_budget);
    let mut views = vec![(
        Ctx::new(set, options.base, options.head, &budget, options.today),
        None,
    )];
    for p in set.superseded() {
        let view = Ctx::with_version(set, options.base, options.head, (&budget, options.today), p);
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
    out.extend(gate_changes(options, &suppressions));
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

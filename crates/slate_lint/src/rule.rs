//! What a rule is and what it finds.

use slate_policy::diagnostic::{Code, Diagnostic, Severity};
use slate_policy::source::Loc;

use crate::context::Ctx;

/// A lint rule: metadata, documentation and the check.
#[derive(Debug)]
pub struct Rule {
    /// The name; the code is `lint::<name>`.
    pub name: &'static str,
    /// The severity unless configured otherwise.
    pub severity: Severity,
    /// One line: what the rule reports.
    pub summary: &'static str,
    /// Markdown with the sections What it does / Why is this bad? / Example /
    /// Use instead.
    pub doc: &'static str,
    pub check: fn(&Ctx<'_>, &mut Vec<Finding>),
}

impl Rule {
    pub fn code(&self) -> String {
        format!("lint::{}", self.name)
    }

    pub fn url(&self) -> String {
        format!("{}/{}.md", crate::DOCS_URL, self.name)
    }
}

/// One finding of a rule, before severity and suppressions apply.
#[derive(Debug, Clone)]
pub struct Finding {
    pub message: String,
    pub loc: Loc,
    pub label: String,
    pub help: String,
    /// Other places that take part (both ends of a cycle, the covering rules).
    pub related: Vec<(Loc, String)>,
}

impl Finding {
    pub fn new(
        loc: &Loc,
        message: impl Into<String>,
        label: impl Into<String>,
        help: impl Into<String>,
    ) -> Self {
        Self {
            message: message.into(),
            loc: loc.clone(),
            label: label.into(),
            help: help.into(),
            related: Vec::new(),
        }
    }

    #[must_use]
    pub fn related(mut self, loc: &Loc, text: impl Into<String>) -> Self {
        self.related.push((loc.clone(), text.into()));
        self
    }

    pub fn into_diagnostic(self, rule: &Rule, severity: Severity) -> Diagnostic {
        let mut d = Diagnostic::error_at(Code::Lint, self.message, &self.loc)
            .label(self.label)
            .help(self.help);
        d.severity = severity;
        d.rule = Some(rule.name);
        d.url = Some(rule.url());
        for (loc, text) in self.related {
            if loc.source.name() == self.loc.source.name() {
                d = d.with_label(loc.span, text);
            } else {
                d = d.with_related(&loc, text);
            }
        }
        d
    }
}

//! Diagnostics: data, never printed here. The CLI renders them.
//!
//! Every diagnostic carries a stable, path-like [`Code`] from one catalogue
//! (which also generates `docs/diagnostics.md`), a severity, a one-line
//! message, labelled spans into the source and a help text.

use std::fmt;

use miette::{LabeledSpan, SourceCode};

use crate::source::{Loc, Source, Span};

/// How bad a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Error => "error",
        })
    }
}

macro_rules! codes {
    ($($variant:ident => $code:literal, $stage:literal, $doc:literal;)*) => {
        /// Every diagnostic code Slate emits.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $($variant,)*
        }

        impl Code {
            /// All codes, in catalogue order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The stable code, e.g. `parse::duplicate-key`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $code,)*
                }
            }

            /// The pipeline stage that emits the code.
            pub fn stage(self) -> &'static str {
                match self {
                    $(Code::$variant => $stage,)*
                }
            }

            /// What the code means and how to fix it.
            pub fn doc(self) -> &'static str {
                match self {
                    $(Code::$variant => $doc,)*
                }
            }
        }
    };
}

codes! {
    IoNotFound => "io::not-found", "load",
        "The path given to Slate does not exist. Check the spelling, or run Slate from the repository root.";
    IoRead => "io::read", "load",
        "A file or directory could not be read (permissions, or it vanished while reading).";
    LoadSymlink => "load::symlink", "load",
        "Policy trees may not contain symbolic links: a link could point outside the policy root. Replace the link with the file itself.";
    LoadNotRegular => "load::not-regular", "load",
        "Only regular files are read from a policy tree; devices, sockets and pipes are refused.";
    LoadTooLarge => "load::too-large", "load",
        "A policy file is larger than the limit (1 MiB by default, `SLATE_MAX_FILE_BYTES`). Policies this large are almost certainly generated or malicious; split the file.";
    LoadTooManyFiles => "load::too-many-files", "load",
        "The policy tree holds more YAML files than the limit (1 000 by default, `SLATE_MAX_FILES`).";
    LoadTreeTooLarge => "load::tree-too-large", "load",
        "The policy files of a tree together exceed the limit (16 MiB by default, `SLATE_MAX_TOTAL_BYTES`); the files after the limit are not read.";
    LoadNotUtf8 => "load::not-utf8", "load",
        "Policy files must be UTF-8 text.";
    LoadEmpty => "load::empty", "load",
        "The directory holds no `*.yaml` or `*.yml` policy files.";
    ParseSyntax => "parse::syntax", "parse",
        "The file is not well-formed YAML.";
    ParseDuplicateKey => "parse::duplicate-key", "parse",
        "A key appears twice in one mapping. YAML parsers disagree on which value wins, so Slate refuses both.";
    ParseAlias => "parse::alias", "parse",
        "Anchors (`&a`), aliases (`*a`) and merge keys (`<<`) are refused: they make a reviewer read two places at once and can explode in size (\"billion laughs\"). Write the values out.";
    ParseBudget => "parse::budget", "parse",
        "The document exceeds a resource budget: nesting depth (32 by default, `SLATE_MAX_DEPTH`), node count (100 000, `SLATE_MAX_NODES`) or scalar text (1 MiB, `SLATE_MAX_SCALAR_BYTES`).";
    ParseMultipleDocuments => "parse::multiple-documents", "parse",
        "A policy file holds exactly one YAML document; put each policy in its own file.";
    ParseEmpty => "parse::empty", "parse",
        "The file holds no YAML document.";
    SchemaUnknownField => "schema::unknown-field", "schema",
        "A key that the policy language does not define. Usually a typo; the help suggests the closest known key.";
    SchemaRequired => "schema::required", "schema",
        "A mapping lacks a key the policy language requires.";
    SchemaType => "schema::type", "schema",
        "A value has the wrong type (for example a list where a mapping belongs).";
    SchemaValue => "schema::value", "schema",
        "A value is not one of the values allowed here.";
    SchemaFormat => "schema::format", "schema",
        "A string does not have the required form (durations like `30m`, intervals like `09:00-17:00`, dates like `2026-12-01`, money like `100.00 USD`).";
    SchemaRange => "schema::range", "schema",
        "A number, list or mapping is outside the allowed size or range.";
    SchemaCondition => "schema::condition", "schema",
        "A condition is not one of the allowed shapes: exactly one key, `all`, `any`, `not`, `keywords` or a field with its test.";
    CheckDuration => "check::duration", "check",
        "A duration that cannot be read. Write days, hours and minutes largest first: `15m`, `2h`, `1h30m`, `1d`.";
    CheckDate => "check::date", "check",
        "A date that does not exist in the calendar.";
    CheckInterval => "check::interval", "check",
        "A weekly open interval that cannot be used (empty, or overlapping another interval of the same day).";
    CheckCalendarHours => "check::calendar-hours", "check",
        "A calendar says when it is open with exactly one of `always_open: true` or `weekly`.";
    CheckHoliday => "check::holiday", "check",
        "A holiday listed twice.";
    CheckMoney => "check::money", "check",
        "An amount of money that cannot be read, or an unknown ISO 4217 currency code.";
    CheckDuplicateId => "check::duplicate-id", "check",
        "Two items of one catalogue (priorities, segments, teams, levels, rules, tiers) share an id.";
    CheckUnknownReference => "check::unknown-reference", "check",
        "A reference to a calendar, tier, team, level, priority, segment or channel that no policy defines.";
    CheckConditionField => "check::condition-field", "check",
        "A condition tests a field with an operator or value that does not fit the field.";
    CheckEscalateTarget => "check::escalate-target", "check",
        "An escalation names exactly one of a level (`to`) or a team (`team`).";
    CheckDuplicatePolicy => "check::duplicate-policy", "check",
        "Two files define the same policy (kind and name) with the same version.";
    CheckConflictingVersion => "check::conflicting-version", "check",
        "Versions of one policy must take effect in version order: a higher `metadata.version` needs a later `effective_from`.";
    CheckSingleton => "check::singleton", "check",
        "Only one policy of this kind may exist in a policy set (several versions of it are fine).";
    CheckMissingKind => "check::missing-kind", "check",
        "A policy set needs one policy of each kind the others refer to.";
    CheckMissingPolicy => "check::missing-policy", "check",
        "A policy set (a directory) holds one SupportTiers, Classification, SlaPolicy, EscalationMatrix, RefundAuthority and Benchmarks policy. Without one of them a whole part of the decisions silently stops: deleting the SLA file would leave every ticket without a target. Checking a single file does not ask for the others.";
    CheckBand => "check::band", "check",
        "A benchmark band whose bounds do not fit its metric (a duration for a rate, a percentage for a time).";
    ConfigInvalid => "config::invalid", "lint",
        "`slate.toml` cannot be read: invalid TOML, an unknown key, an unknown rule name or level.";
    Lint => "lint", "lint",
        "A lint finding: the policies are valid but unsafe or suspicious. Each lint rule has its own code `lint::<rule>` and page in `docs/rules/`; `slate explain <code>` prints it.";
    TicketMalformed => "ticket::malformed", "ticket",
        "A ticket record that does not follow the ticket contract (schema/ticket.schema.json): invalid JSON or YAML, a missing `id`, `created_at` or `events`, a timestamp without an offset. The record is skipped and counted; the others are still replayed.";
    TicketOrder => "ticket::order", "ticket",
        "A ticket whose events are not in time order, or start before `created_at`. Events must be sorted; ties keep file order.";
    ScenarioMalformed => "scenario::malformed", "test",
        "A scenario file that cannot be read: it holds `ticket:` (a recorded ticket), `expect:` (a list of expectations) and optionally `description:`.";
    TestExpectation => "test::expectation", "test",
        "An expectation of a scenario does not hold for the replayed trace.";
    TestSnapshot => "test::snapshot", "test",
        "The replayed trace differs from the stored snapshot next to the scenario. If the change is intended, run `slate test --update` and review the diff in the pull request.";
    TestMissing => "test::missing", "test",
        "A scenario without expectations or without a stored trace snapshot. Add `expect:` entries, and run `slate test --update` to store the snapshot.";
    TestVacuous => "test::vacuous", "test",
        "A scenario none of whose expectations checks a decision made by a policy rule: it would pass whatever the policies say.";
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A labelled span.
#[derive(Clone, Debug)]
pub struct Label {
    pub span: Span,
    pub text: Option<String>,
}

/// One problem found in the input.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    pub code: Code,
    /// For lint findings: the rule's name (the code is `lint::<rule>`).
    pub rule: Option<&'static str>,
    /// A page that explains the code.
    pub url: Option<String>,
    pub severity: Severity,
    pub message: String,
    /// The file the primary label points into; `None` for problems with no file.
    pub source: Option<Source>,
    /// The primary label first, then related places in the same file.
    pub labels: Vec<Label>,
    pub help: Option<String>,
    /// Related places in other files.
    pub related: Vec<Diagnostic>,
}

impl Diagnostic {
    /// An error with the given place and primary span, if any.
    fn new(code: Code, message: String, source: Option<Source>, span: Option<Span>) -> Self {
        Self {
            code,
            rule: None,
            url: None,
            severity: Severity::Error,
            message,
            source,
            labels: span
                .map(|span| Label { span, text: None })
                .into_iter()
                .collect(),
            help: None,
            related: Vec::new(),
        }
    }

    /// An error at `span` in `source`.
    pub fn error(code: Code, message: impl Into<String>, source: &Source, span: Span) -> Self {
        Self::new(code, message.into(), Some(source.clone()), Some(span))
    }

    /// An error about a whole file (a link, an oversize file): located at
    /// the file's start, with no snippet.
    pub fn file_level(code: Code, message: impl Into<String>, path: &str) -> Self {
        Self::new(
            code,
            message.into(),
            Some(Source::new(path, String::new())),
            None,
        )
    }

    /// An error at a [`Loc`].
    pub fn error_at(code: Code, message: impl Into<String>, loc: &Loc) -> Self {
        Self::error(code, message, &loc.source, loc.span)
    }

    /// An error that points at no file (a missing path, an empty directory).
    pub fn global(code: Code, message: impl Into<String>) -> Self {
        Self::new(code, message.into(), None, None)
    }

    /// Sets the primary label's text.
    #[must_use]
    pub fn label(mut self, text: impl Into<String>) -> Self {
        if let Some(first) = self.labels.first_mut() {
            first.text = Some(text.into());
        }
        self
    }

    /// Adds a related span in the same file.
    #[must_use]
    pub fn with_label(mut self, span: Span, text: impl Into<String>) -> Self {
        self.labels.push(Label {
            span,
            text: Some(text.into()),
        });
        self
    }

    /// Adds a related place in another file.
    #[must_use]
    pub fn with_related(mut self, loc: &Loc, text: impl Into<String>) -> Self {
        let text = text.into();
        let mut related = Self::new(
            self.code,
            text.clone(),
            Some(loc.source.clone()),
            Some(loc.span),
        )
        .label(text);
        related.rule = self.rule;
        related.severity = Severity::Info;
        self.related.push(related);
        self
    }

    #[must_use]
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    #[must_use]
    pub fn maybe_help(mut self, help: Option<String>) -> Self {
        if help.is_some() {
            self.help = help;
        }
        self
    }

    /// The stable code as text: `parse::duplicate-key`, `lint::escalation-cycle`.
    pub fn code_str(&self) -> std::borrow::Cow<'static, str> {
        match self.rule {
            Some(rule) => format!("lint::{rule}").into(),
            None => self.code.as_str().into(),
        }
    }

    /// `file:line:col` of the primary label, if any.
    pub fn location(&self) -> Option<(String, usize, usize)> {
        let source = self.source.as_ref()?;
        let span = self.labels.first().map_or(Span::default(), |l| l.span);
        let (line, col) = source.line_col(span.start);
        Some((source.name().to_owned(), line, col))
    }

    /// Ordering for stable output: file, position, code.
    pub fn sort_key(&self) -> (String, usize, std::borrow::Cow<'static, str>, String) {
        (
            self.source
                .as_ref()
                .map_or_else(String::new, |s| s.name().to_owned()),
            self.labels.first().map_or(0, |l| l.span.start),
            self.code_str(),
            self.message.clone(),
        )
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Diagnostic {}

impl miette::Diagnostic for Diagnostic {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.code_str()))
    }

    fn url<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.url
            .as_ref()
            .map(|u| Box::new(u) as Box<dyn fmt::Display>)
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Info => miette::Severity::Advice,
            Severity::Warning => miette::Severity::Warning,
            Severity::Error => miette::Severity::Error,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.source.as_ref()?;
        Some(Box::new(self.labels.iter().enumerate().map(
            |(i, label)| {
                let span = miette::SourceSpan::from(label.span);
                if i == 0 {
                    LabeledSpan::new_primary_with_span(label.text.clone(), span)
                } else {
                    LabeledSpan::new_with_span(label.text.clone(), span)
                }
            },
        )))
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(
            self.related.iter().map(|d| d as &dyn miette::Diagnostic),
        ))
    }
}

/// Suggests the closest of `candidates` to `input`, for "did you mean".
pub fn did_you_mean<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let lower = input.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(&lower, &c.to_lowercase()), c))
        .filter(|(distance, c)| *distance <= (c.chars().count().max(3) / 3).max(2))
        .min_by_key(|(distance, c)| {
            let shared_prefix = lower
                .chars()
                .zip(c.to_lowercase().chars())
                .take_while(|(a, b)| a == b)
                .count();
            (*distance, std::cmp::Reverse(shared_prefix), *c)
        })
        .map(|(_, c)| c)
}

/// `did you mean `x`?` when there is a close candidate.
pub fn suggestion<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    did_you_mean(input, candidates).map(|c| format!("did you mean `{c}`?"))
}

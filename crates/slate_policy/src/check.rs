//! From parsed files to a checked [`PolicySet`]: schema validation, typed
//! reading, value checks and reference resolution. Collects every problem;
//! a file with errors in one stage skips the later stages.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::diagnostic::{Code, Diagnostic, suggestion};
use crate::duration::Duration;
use crate::limits::Limits;
use crate::model::{self, Body, Condition, Field, FieldTest, Kind, Meta, Policy, PolicySet};
use crate::raw::{self, Scalar, Test};
use crate::source::{Loc, Source, Span, Spanned};
use crate::yaml::{self, Value, YamlErrorKind};
use crate::{currency, schema};

/// The outcome of checking: the valid policies and every diagnostic.
#[derive(Debug, Default)]
pub struct Checked {
    pub set: PolicySet,
    pub diagnostics: Vec<Diagnostic>,
    /// Every policy file read, valid or not (for suppressions and revisions).
    pub sources: Vec<Source>,
    /// The kinds with at least one file whose kind could be read.
    pub kinds: BTreeSet<Kind>,
}

/// Whether the sources form a whole policy set (a directory), so that a
/// missing kind is an error, or stand alone (single files checked on their
/// own), so that references into absent kinds are left unresolved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Complete,
    Partial,
}

/// A file read into its typed raw document.
enum RawDoc {
    Calendar(raw::Document<raw::CalendarSpec>),
    SupportTiers(raw::Document<raw::SupportTiersSpec>),
    Classification(raw::Document<raw::ClassificationSpec>),
    SlaPolicy(raw::Document<raw::SlaPolicySpec>),
    EscalationMatrix(raw::Document<raw::EscalationMatrixSpec>),
    RefundAuthority(raw::Document<raw::RefundAuthoritySpec>),
    Benchmarks(raw::Document<raw::BenchmarksSpec>),
}

impl RawDoc {
    fn metadata(&self) -> &raw::Metadata {
        match self {
            Self::Calendar(d) => &d.metadata,
            Self::SupportTiers(d) => &d.metadata,
            Self::Classification(d) => &d.metadata,
            Self::SlaPolicy(d) => &d.metadata,
            Self::EscalationMatrix(d) => &d.metadata,
            Self::RefundAuthority(d) => &d.metadata,
            Self::Benchmarks(d) => &d.metadata,
        }
    }

    fn kind(&self) -> Kind {
        match self {
            Self::Calendar(_) => Kind::Calendar,
            Self::SupportTiers(_) => Kind::SupportTiers,
            Self::Classification(_) => Kind::Classification,
            Self::SlaPolicy(_) => Kind::SlaPolicy,
            Self::EscalationMatrix(_) => Kind::EscalationMatrix,
            Self::RefundAuthority(_) => Kind::RefundAuthority,
            Self::Benchmarks(_) => Kind::Benchmarks,
        }
    }
}

fn read_typed(source: &Source, kind: Kind, limits: &Limits) -> Result<RawDoc, yaml::YamlError> {
    Ok(match kind {
        Kind::Calendar => RawDoc::Calendar(yaml::deserialize(source, limits)?),
        Kind::SupportTiers => RawDoc::SupportTiers(yaml::deserialize(source, limits)?),
        Kind::Classification => RawDoc::Classification(yaml::deserialize(source, limits)?),
        Kind::SlaPolicy => RawDoc::SlaPolicy(yaml::deserialize(source, limits)?),
        Kind::EscalationMatrix => RawDoc::EscalationMatrix(yaml::deserialize(source, limits)?),
        Kind::RefundAuthority => RawDoc::RefundAuthority(yaml::deserialize(source, limits)?),
        Kind::Benchmarks => RawDoc::Benchmarks(yaml::deserialize(source, limits)?),
    })
}

/// Turns a YAML error into a diagnostic.
pub fn yaml_diagnostic(source: &Source, error: &yaml::YamlError) -> Diagnostic {
    let (code, label, help) = match error.kind {
        YamlErrorKind::Syntax => (Code::ParseSyntax, "here", None),
        YamlErrorKind::DuplicateKey => (
            Code::ParseDuplicateKey,
            "defined again here",
            Some("remove one of the two entries; YAML tools disagree on which one wins"),
        ),
        YamlErrorKind::AliasOrAnchor => (
            Code::ParseAlias,
            "not allowed",
            Some(
                "write the value out in full: policies are read by reviewers, one place at a time",
            ),
        ),
        YamlErrorKind::Budget => (
            Code::ParseBudget,
            "limit exceeded here",
            Some(
                "policies nest at most 32 levels and hold at most 100 000 nodes by default; flatten the structure, or raise SLATE_MAX_DEPTH / SLATE_MAX_NODES / SLATE_MAX_SCALAR_BYTES",
            ),
        ),
        YamlErrorKind::MultipleDocuments => (
            Code::ParseMultipleDocuments,
            "second document starts here",
            Some("put each policy in a file of its own"),
        ),
        YamlErrorKind::Shape => (Code::SchemaType, "here", None),
    };
    let diagnostic =
        Diagnostic::error(code, error.message.clone(), source, error.span).label(label);
    match help {
        Some(help) => diagnostic.help(help),
        None => diagnostic,
    }
}

/// Checks a set of policy files.
pub fn check_sources(sources: &[Source], scope: Scope, limits: &Limits) -> Checked {
    let mut diagnostics = Vec::new();
    let mut docs: Vec<(Source, RawDoc)> = Vec::new();
    let mut kinds_seen = BTreeSet::new();
    for source in sources {
        let node = match yaml::parse_tree(source, limits) {
            Ok(node) => node,
            Err(e) => {
                diagnostics.push(yaml_diagnostic(source, &e));
                continue;
            }
        };
        if node.value == Value::Null {
            diagnostics.push(
                Diagnostic::error(Code::ParseEmpty, "the file holds no policy", source, Span::default())
                    .help("a policy starts with `apiVersion: slate.dev/v1` and `kind:`; delete the file if it is not one"),
            );
            continue;
        }
        if let Some(kind) = node
            .get("kind")
            .and_then(|k| k.as_str())
            .and_then(Kind::parse)
        {
            kinds_seen.insert(kind);
        }
        let schema_errors = schema::validate(source, &node);
        if !schema_errors.is_empty() {
            diagnostics.extend(schema_errors);
            continue;
        }
        let Some(kind) = node
            .get("kind")
            .and_then(|k| k.as_str())
            .and_then(Kind::parse)
        else {
            continue;
        };
        match read_typed(source, kind, limits) {
            Ok(doc) => docs.push((source.clone(), doc)),
            Err(e) => diagnostics.push(yaml_diagnostic(source, &e)),
        }
    }

    let kinds_seen_all = kinds_seen.clone();
    let mut checker = Checker::new(scope, &docs, kinds_seen);
    let mut policies = Vec::new();
    for (source, doc) in &docs {
        let before = checker.diagnostics.len();
        let policy = checker.policy(source, doc);
        if checker.diagnostics.len() == before {
            policies.extend(policy);
        }
    }
    checker.versions(&policies);
    diagnostics.extend(checker.diagnostics);
    diagnostics.sort_by_cached_key(Diagnostic::sort_key);
    policies.sort_by(|a, b| {
        (a.meta.kind, &a.meta.name, a.meta.version).cmp(&(
            b.meta.kind,
            &b.meta.name,
            b.meta.version,
        ))
    });
    Checked {
        set: PolicySet { policies },
        diagnostics,
        sources: sources.to_vec(),
        kinds: kinds_seen_all,
    }
}

impl Checked {
    /// A whole policy set holds each singleton kind: a missing one is an
    /// error located at `root`, the directory (or revision) it is missing
    /// from. A file whose kind could be read counts even when invalid (its
    /// own errors say what is wrong).
    pub fn require_every_kind(&mut self, root: &str) {
        if self.sources.is_empty() {
            return;
        }
        for kind in Kind::ALL.into_iter().filter(|k| k.is_singleton()) {
            // A reference into the kind already said it is missing, where
            // it is needed.
            let referenced = self.diagnostics.iter().any(|d| {
                d.code == Code::CheckMissingKind
                    && d.message
                        .starts_with(&format!("no `{}` policy", kind.as_str()))
            });
            if self.kinds.contains(&kind) || referenced {
                continue;
            }
            self.diagnostics.push(
                Diagnostic::file_level(
                    Code::CheckMissingPolicy,
                    format!(
                        "the policy set has no `{}` policy, so it decides no {}",
                        kind.as_str(),
                        kind.decides()
                    ),
                    root,
                )
                .help(format!(
                    "add a file with `kind: {}` to the policy directory (or restore the one that was removed)",
                    kind.as_str()
                )),
            );
        }
        self.diagnostics.sort_by_cached_key(Diagnostic::sort_key);
    }
}

/// Catalogues other policies refer into, taken from the current version of
/// each kind.
#[derive(Default)]
struct Catalogues {
    calendars: Option<BTreeSet<String>>,
    tiers: Option<BTreeSet<u8>>,
    teams: Option<BTreeMap<String, u8>>,
    priorities: Option<Vec<(String, Vec<String>)>>,
    segments: Option<BTreeSet<String>>,
    channels: Option<BTreeSet<String>>,
}

struct Checker {
    scope: Scope,
    catalogues: Catalogues,
    missing_reported: BTreeSet<&'static str>,
    /// Kinds with at least one file, valid or not: a reference into an
    /// invalid policy is not reported again as missing.
    kinds_seen: BTreeSet<Kind>,
    diagnostics: Vec<Diagnostic>,
}

/// The latest version of each singleton kind (by `metadata.version`).
fn latest<'a, T>(
    docs: &'a [(Source, RawDoc)],
    pick: impl Fn(&'a RawDoc) -> Option<&'a raw::Document<T>>,
) -> Option<&'a raw::Document<T>> {
    docs.iter()
        .filter_map(|(_, d)| pick(d))
        .max_by_key(|d| d.metadata.version.value)
}

impl Checker {
    fn new(scope: Scope, docs: &[(Source, RawDoc)], kinds_seen: BTreeSet<Kind>) -> Self {
        let mut catalogues = Catalogues::default();
        let calendars: BTreeSet<String> = docs
            .iter()
            .filter(|(_, d)| d.kind() == Kind::Calendar)
            .map(|(_, d)| d.metadata().name.0.clone())
            .collect();
        if !calendars.is_empty() {
            catalogues.calendars = Some(calendars);
        }
        if let Some(tiers) = latest(docs, |d| match d {
            RawDoc::SupportTiers(t) => Some(t),
            _ => None,
        }) {
            catalogues.tiers = Some(tiers.spec.tiers.iter().map(|t| t.tier.value).collect());
            catalogues.teams = Some(
                tiers
                    .spec
                    .tiers
                    .iter()
                    .flat_map(|t| t.teams.iter().map(|team| (team.id.0.clone(), t.tier.value)))
                    .collect(),
            );
        }
        if let Some(c) = latest(docs, |d| match d {
            RawDoc::Classification(c) => Some(c),
            _ => None,
        }) {
            catalogues.priorities = Some(
                c.spec
                    .priorities
                    .iter()
                    .map(|p| {
                        (
                            p.id.0.clone(),
                            p.aliases.iter().map(|a| a.value.clone()).collect(),
                        )
                    })
                    .collect(),
            );
            catalogues.segments = Some(c.spec.segments.iter().map(|s| s.id.0.clone()).collect());
            catalogues.channels = Some(c.spec.channels.iter().map(|s| s.0.clone()).collect());
        }
        Self {
            scope,
            catalogues,
            missing_reported: BTreeSet::new(),
            kinds_seen,
            diagnostics: Vec::new(),
        }
    }

    fn push(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// Reports a reference into a kind the set lacks (once per kind).
    fn missing(&mut self, source: &Source, span: Span, what: &'static str, kind: &'static str) {
        let invalid = Kind::parse(kind).is_some_and(|k| self.kinds_seen.contains(&k));
        if self.scope == Scope::Partial || invalid || !self.missing_reported.insert(kind) {
            return;
        }
        self.push(
            Diagnostic::error(
                Code::CheckMissingKind,
                format!("no `{kind}` policy defines {}", plural(what)),
                source,
                span,
            )
            .label(format!("refers to a {what}"))
            .help(format!(
                "add a `kind: {kind}` policy to the policy directory"
            )),
        );
    }

    fn unknown(&mut self, source: &Source, span: Span, what: &str, name: &str, known: Vec<String>) {
        let help = suggestion(name, known.iter().map(String::as_str)).unwrap_or_else(|| {
            if known.is_empty() {
                format!("no {what} is defined")
            } else {
                format!(
                    "known {what}s: {}",
                    known
                        .iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }
        });
        self.push(
            Diagnostic::error(
                Code::CheckUnknownReference,
                format!("unknown {what} `{name}`"),
                source,
                span,
            )
            .label(format!("no such {what}"))
            .help(help),
        );
    }

    fn calendar_ref(&mut self, source: &Source, name: &Spanned<raw::Name>) {
        match &self.catalogues.calendars {
            None => self.missing(source, name.span, "calendar", "Calendar"),
            Some(known) if !known.contains(&name.0) => {
                let known = known.iter().cloned().collect();
                self.unknown(source, name.span, "calendar", &name.0, known);
            }
            Some(_) => {}
        }
    }

    fn team_ref(&mut self, source: &Source, id: &Spanned<raw::Id>) {
        match &self.catalogues.teams {
            None => self.missing(source, id.span, "team", "SupportTiers"),
            Some(known) if !known.contains_key(&id.0) => {
                let known = known.keys().cloned().collect();
                self.unknown(source, id.span, "team", &id.0, known);
            }
            Some(_) => {}
        }
    }

    fn tier_ref(&mut self, source: &Source, tier: &Spanned<u8>) {
        match &self.catalogues.tiers {
            None => self.missing(source, tier.span, "tier", "SupportTiers"),
            Some(known) if !known.contains(&tier.value) => {
                let known = known.iter().map(u8::to_string).collect();
                self.unknown(source, tier.span, "tier", &tier.value.to_string(), known);
            }
            Some(_) => {}
        }
    }

    /// Resolves a priority id or alias to its index (0 when unresolvable, with
    /// a diagnostic unless the catalogue is absent).
    fn priority_ref(&mut self, source: &Source, name: &str, span: Span) -> usize {
        match &self.catalogues.priorities {
            None => {
                self.missing(source, span, "priority", "Classification");
                0
            }
            Some(known) => {
                if let Some(i) = known.iter().position(|(id, aliases)| {
                    id == name || aliases.iter().any(|a| a.eq_ignore_ascii_case(name))
                }) {
                    return i;
                }
                let names = known
                    .iter()
                    .flat_map(|(id, aliases)| {
                        std::iter::once(id.clone()).chain(aliases.iter().cloned())
                    })
                    .collect();
                self.unknown(source, span, "priority", name, names);
                0
            }
        }
    }

    fn segment_ref(&mut self, source: &Source, name: &str, span: Span) {
        match &self.catalogues.segments {
            None => self.missing(source, span, "segment", "Classification"),
            Some(known) if !known.contains(name) => {
                let known = known.iter().cloned().collect();
                self.unknown(source, span, "segment", name, known);
            }
            Some(_) => {}
        }
    }

    fn channel_ref(&mut self, source: &Source, name: &str, span: Span) {
        match &self.catalogues.channels {
            None => self.missing(source, span, "channel", "Classification"),
            Some(known) if !known.contains(name) => {
                let known = known.iter().cloned().collect();
                self.unknown(source, span, "channel", name, known);
            }
            Some(_) => {}
        }
    }

    fn duration(&mut self, source: &Source, value: &Spanned<raw::Duration>) -> Duration {
        match Duration::parse(&value.0) {
            Ok(d) => d,
            Err(e) => {
                self.push(
                    Diagnostic::error(Code::CheckDuration, e.message, source, value.span)
                        .label("not a duration")
                        .help(e.help),
                );
                Duration::default()
            }
        }
    }

    fn date(&mut self, source: &Source, value: &Spanned<raw::Date>) -> NaiveDate {
        match NaiveDate::parse_from_str(&value.0, "%Y-%m-%d") {
            Ok(d) => d,
            Err(_) => {
                self.push(
                    Diagnostic::error(
                        Code::CheckDate,
                        format!("`{}` is not a date in the calendar", value.0),
                        source,
                        value.span,
                    )
                    .label("no such day")
                    .help("check the month length and leap years"),
                );
                NaiveDate::default()
            }
        }
    }

    /// `effective_from`: a date at 00:00 UTC, or an RFC 3339 instant.
    fn effective_from(
        &mut self,
        source: &Source,
        value: &Spanned<raw::EffectiveFrom>,
    ) -> chrono::DateTime<chrono::Utc> {
        let text = &value.0;
        if text.len() == 10 {
            let date = self.date(source, &Spanned::new(raw::Date(text.clone()), value.span));
            return date.and_time(chrono::NaiveTime::MIN).and_utc();
        }
        match chrono::DateTime::parse_from_rfc3339(text) {
            Ok(at) => at.to_utc(),
            Err(_) => {
                self.push(
                    Diagnostic::error(
                        Code::CheckDate,
                        format!("`{text}` is not an instant in the calendar"),
                        source,
                        value.span,
                    )
                    .label("no such instant")
                    .help("write a date (2026-12-01) or an RFC 3339 instant (2026-12-01T09:00:00Z); check the month length and the time of day"),
                );
                chrono::DateTime::default()
            }
        }
    }

    /// Checks ids of one catalogue for duplicates.
    fn unique_ids<'a>(
        &mut self,
        source: &Source,
        what: &str,
        ids: impl IntoIterator<Item = (&'a str, Span)>,
    ) {
        let mut seen: BTreeMap<&str, Span> = BTreeMap::new();
        for (id, span) in ids {
            if let Some(first) = seen.get(id) {
                self.push(
                    Diagnostic::error(
                        Code::CheckDuplicateId,
                        format!("duplicate {what} `{id}`"),
                        source,
                        span,
                    )
                    .label("defined again here")
                    .with_label(*first, "first defined here")
                    .help(format!("give each {what} its own id")),
                );
            } else {
                seen.insert(id, span);
            }
        }
    }

    fn meta(&mut self, source: &Source, kind: Kind, m: &raw::Metadata) -> Meta {
        let effective = self.effective_from(source, &m.effective_from);
        Meta {
            kind,
            name: m.name.0.clone(),
            version: m.version.value,
            effective_from: effective.date_naive(),
            effective_at: effective.timestamp(),
            effective_text: m.effective_from.0.clone(),
            owners: m.owners.iter().map(|o| o.0.clone()).collect(),
            description: m.description.clone(),
            loc: Loc::new(source, m.name.span),
        }
    }

    fn policy(&mut self, source: &Source, doc: &RawDoc) -> Option<Policy> {
        let meta = self.meta(source, doc.kind(), doc.metadata());
        let body = match doc {
            RawDoc::Calendar(d) => Body::Calendar(self.calendar(source, &d.spec)?),
            RawDoc::SupportTiers(d) => Body::SupportTiers(self.support_tiers(source, &d.spec)),
            RawDoc::Classification(d) => Body::Classification(self.classification(source, &d.spec)),
            RawDoc::SlaPolicy(d) => Body::SlaPolicy(self.sla(source, &d.spec)),
            RawDoc::EscalationMatrix(d) => Body::EscalationMatrix(self.escalation(source, &d.spec)),
            RawDoc::RefundAuthority(d) => Body::RefundAuthority(self.refunds(source, &d.spec)),
            RawDoc::Benchmarks(d) => Body::Benchmarks(self.benchmarks(source, &d.spec)),
        };
        Some(Policy { meta, body })
    }

    // ------------------------------------------------------------ Calendar

    fn calendar(&mut self, source: &Source, spec: &raw::CalendarSpec) -> Option<model::Calendar> {
        let Ok(timezone) = spec.timezone.0.parse::<chrono_tz::Tz>() else {
            // The schema lists every zone; this is unreachable for valid input.
            self.push(
                Diagnostic::error(
                    Code::SchemaValue,
                    format!("unknown time zone `{}`", spec.timezone.0),
                    source,
                    spec.timezone.span,
                )
                .label("not an IANA time zone"),
            );
            return None;
        };
        let always_open = spec.always_open.as_ref().is_some_and(|a| a.value);
        let mut weekly: [Vec<model::OpenInterval>; 7] = Default::default();
        match (&spec.always_open, &spec.weekly) {
            (Some(a), Some(w)) if a.value => self.push(
                Diagnostic::error(
                    Code::CheckCalendarHours,
                    "a calendar is either `always_open` or has `weekly` hours, not both",
                    source,
                    w.span,
                )
                .label("weekly hours given")
                .with_label(a.span, "and always open")
                .help("remove `weekly` for a 24x7 calendar, or `always_open` for business hours"),
            ),
            (None, None) => self.push(
                Diagnostic::error(
                    Code::CheckCalendarHours,
                    "the calendar does not say when it is open",
                    source,
                    spec.timezone.span,
                )
                .label("calendar without hours")
                .help("add `always_open: true` for 24x7, or `weekly:` with open intervals per day"),
            ),
            (Some(a), None) if !a.value => self.push(
                Diagnostic::error(
                    Code::CheckCalendarHours,
                    "`always_open: false` without `weekly` hours",
                    source,
                    a.span,
                )
                .label("closed all the time")
                .help("add `weekly:` with the open intervals per day"),
            ),
            _ => {}
        }
        if let Some(w) = &spec.weekly {
            for (day, intervals) in w.value.days().iter().enumerate() {
                let mut parsed: Vec<(model::OpenInterval, Span)> = Vec::new();
                for interval in intervals.iter() {
                    match parse_interval(&interval.0) {
                        Some(i) => parsed.push((i, interval.span)),
                        None => self.push(
                            Diagnostic::error(
                                Code::CheckInterval,
                                format!("invalid interval `{}`", interval.0),
                                source,
                                interval.span,
                            )
                            .label("not an interval")
                            .help("write `HH:MM-HH:MM`, e.g. `09:00-17:00`"),
                        ),
                    }
                }
                parsed.sort_by_key(|(i, _)| *i);
                for pair in parsed.windows(2) {
                    if let [(a, a_span), (b, b_span)] = pair
                        && b.start < a.end
                    {
                        self.push(
                            Diagnostic::error(
                                Code::CheckInterval,
                                "open intervals of one day overlap",
                                source,
                                *b_span,
                            )
                            .label("overlaps")
                            .with_label(*a_span, "this interval")
                            .help("merge the two intervals into one"),
                        );
                    }
                }
                if let Some(slot) = weekly.get_mut(day) {
                    *slot = parsed.into_iter().map(|(i, _)| i).collect();
                }
            }
        }
        let mut holidays = BTreeSet::new();
        let mut holiday_names = BTreeMap::new();
        let mut seen: BTreeMap<NaiveDate, Span> = BTreeMap::new();
        for holiday in &spec.holidays {
            let date = self.date(source, &holiday.date);
            if let Some(first) = seen.get(&date) {
                self.push(
                    Diagnostic::error(
                        Code::CheckHoliday,
                        format!("holiday `{}` is listed twice", holiday.date.0),
                        source,
                        holiday.date.span,
                    )
                    .label("listed again")
                    .with_label(*first, "first listed here")
                    .help("remove one of the two entries"),
                );
            }
            seen.insert(date, holiday.date.span);
            holidays.insert(date);
            holiday_names.insert(date, holiday.name.clone());
        }
        Some(model::Calendar {
            timezone,
            always_open,
            weekly,
            holidays,
            holiday_names,
        })
    }

    // -------------------------------------------------------- SupportTiers

    fn contact(c: &raw::Contact) -> model::Contact {
        model::Contact {
            name: c.name.clone(),
            role: c.role.clone(),
            contact: c.contact.0.clone(),
        }
    }

    fn support_tiers(
        &mut self,
        source: &Source,
        spec: &raw::SupportTiersSpec,
    ) -> model::SupportTiers {
        let tier_names: Vec<(String, Span)> = spec
            .tiers
            .iter()
            .map(|t| (t.tier.value.to_string(), t.tier.span))
            .collect();
        self.unique_ids(
            source,
            "tier",
            tier_names.iter().map(|(n, s)| (n.as_str(), *s)),
        );
        self.unique_ids(
            source,
            "team",
            spec.tiers.iter().flat_map(|t| {
                t.teams
                    .iter()
                    .map(|team| (team.id.0.as_str(), team.id.span))
            }),
        );
        let mut tiers = BTreeMap::new();
        let mut teams = BTreeMap::new();
        for tier in &spec.tiers {
            tiers.insert(
                tier.tier.value,
                model::Tier {
                    tier: tier.tier.value,
                    name: tier.name.clone(),
                    loc: Loc::new(source, tier.tier.span),
                },
            );
            for team in &tier.teams {
                self.calendar_ref(source, &team.calendar);
                teams.insert(
                    team.id.0.clone(),
                    model::Team {
                        id: team.id.0.clone(),
                        name: team.name.clone(),
                        tier: tier.tier.value,
                        calendar: team.calendar.0.clone(),
                        owner: Self::contact(&team.owner),
                        backups: team.backups.iter().map(Self::contact).collect(),
                        alerts: model::Alerts {
                            slack: team.alerts.slack.as_ref().map(|s| s.0.clone()),
                            teams: team.alerts.teams.clone(),
                            email: team.alerts.email.as_ref().map(|s| s.0.clone()),
                            pager: team.alerts.pager.clone(),
                        },
                        on_call: team.on_call,
                        loc: Loc::new(source, team.id.span),
                    },
                );
            }
        }
        model::SupportTiers { tiers, teams }
    }

    // ------------------------------------------------------ Classification

    fn condition(&mut self, source: &Source, c: &Spanned<raw::Condition>) -> Condition {
        match &c.value {
            raw::Condition::All(items) => {
                Condition::All(items.iter().map(|i| self.condition(source, i)).collect())
            }
            raw::Condition::Any(items) => {
                Condition::Any(items.iter().map(|i| self.condition(source, i)).collect())
            }
            raw::Condition::Not(inner) => Condition::Not(Box::new(self.condition(source, inner))),
            raw::Condition::Keywords(words) => Condition::Keywords(
                words
                    .iter()
                    .map(|w| w.value.trim().to_lowercase())
                    .collect(),
            ),
            raw::Condition::Test { field, test } => self.field_test(source, field, test),
        }
    }

    fn field_test(
        &mut self,
        source: &Source,
        field: &Spanned<String>,
        test: &Spanned<Test>,
    ) -> Condition {
        let loc = Loc::new(source, field.span);
        let parsed = match field.value.as_str() {
            "priority" => Field::Priority,
            "segment" => Field::Segment,
            "channel" => Field::Channel,
            "tags" => Field::Tags,
            "vip" => Field::Vip,
            "account_value" => Field::AccountValue,
            other => Field::Custom(other.strip_prefix("fields.").unwrap_or(other).to_owned()),
        };
        let mut tests = Vec::new();
        match &test.value {
            Test::Equals(v) => tests.push(FieldTest::OneOf(vec![v.clone()])),
            Test::In(vs) => tests.push(FieldTest::OneOf(vs.clone())),
            Test::Ops(ops) => {
                if let Some(v) = &ops.equals {
                    tests.push(FieldTest::OneOf(vec![v.clone()]));
                }
                if let Some(vs) = &ops.r#in {
                    tests.push(FieldTest::OneOf(vs.clone()));
                }
                if let Some(vs) = &ops.not_in {
                    tests.push(FieldTest::NoneOf(vs.clone()));
                }
                let lower = match (ops.gt, ops.gte) {
                    (Some(a), Some(b)) => Some(if a >= b { (a, false) } else { (b, true) }),
                    (Some(a), None) => Some((a, false)),
                    (None, Some(b)) => Some((b, true)),
                    (None, None) => None,
                };
                let upper = match (ops.lt, ops.lte) {
                    (Some(a), Some(b)) => Some(if a <= b { (a, false) } else { (b, true) }),
                    (Some(a), None) => Some((a, false)),
                    (None, Some(b)) => Some((b, true)),
                    (None, None) => None,
                };
                if lower.is_some() || upper.is_some() {
                    tests.push(FieldTest::Range { lower, upper });
                }
                if let Some(p) = ops.present {
                    tests.push(FieldTest::Present(p));
                }
            }
        }
        let name = field.value.as_str();
        for t in &mut tests {
            match (&parsed, t) {
                (
                    Field::Priority | Field::Segment | Field::Channel | Field::Tags,
                    FieldTest::OneOf(values) | FieldTest::NoneOf(values),
                ) => {
                    for value in values.iter_mut() {
                        let Scalar::String(text) = value else {
                            self.push(
                                Diagnostic::error(
                                    Code::CheckConditionField,
                                    format!(
                                        "`{name}` is compared with text, found `{}`",
                                        scalar_text(value)
                                    ),
                                    source,
                                    test.span,
                                )
                                .label("not text")
                                .help(format!(
                                    "quote the value or use one of the defined {name} ids"
                                )),
                            );
                            continue;
                        };
                        match parsed {
                            Field::Priority => {
                                let index = self.priority_ref(source, text, test.span);
                                if let Some((id, _)) = self
                                    .catalogues
                                    .priorities
                                    .as_ref()
                                    .and_then(|p| p.get(index))
                                {
                                    *text = id.clone();
                                }
                            }
                            Field::Segment => self.segment_ref(source, text, test.span),
                            Field::Channel => self.channel_ref(source, text, test.span),
                            _ => {}
                        }
                    }
                }
                (Field::Vip, FieldTest::OneOf(values) | FieldTest::NoneOf(values))
                    if values.iter().any(|v| !matches!(v, Scalar::Bool(_))) =>
                {
                    self.push(
                        Diagnostic::error(
                            Code::CheckConditionField,
                            "`vip` is `true` or `false`",
                            source,
                            test.span,
                        )
                        .label("not a boolean")
                        .help("write `vip: true` or `vip: false`"),
                    );
                }
                (Field::AccountValue, FieldTest::OneOf(values) | FieldTest::NoneOf(values))
                    if values
                        .iter()
                        .any(|v| !matches!(v, Scalar::Int(_) | Scalar::Float(_))) =>
                {
                    self.push(
                        Diagnostic::error(
                            Code::CheckConditionField,
                            "`account_value` is a number",
                            source,
                            test.span,
                        )
                        .label("not a number")
                        .help("compare with numbers, e.g. `account_value: {gte: 100000}`"),
                    );
                }
                (
                    Field::Priority | Field::Segment | Field::Channel | Field::Tags | Field::Vip,
                    FieldTest::Range { .. },
                ) => {
                    self.push(
                        Diagnostic::error(
                            Code::CheckConditionField,
                            format!("`{name}` cannot be compared with `gt`/`gte`/`lt`/`lte`"),
                            source,
                            test.span,
                        )
                        .label("numeric comparison on a non-numeric field")
                        .help(format!(
                            "test `{name}` with a value, a list, `in` or `not_in`"
                        )),
                    );
                }
                (
                    _,
                    FieldTest::Range {
                        lower: Some((lo, lo_inc)),
                        upper: Some((hi, hi_inc)),
                    },
                ) if *lo > *hi || (*lo == *hi && !(*lo_inc && *hi_inc)) => {
                    self.push(
                        Diagnostic::error(
                            Code::CheckConditionField,
                            format!("the range of `{name}` is empty"),
                            source,
                            test.span,
                        )
                        .label("no number satisfies these bounds")
                        .help("the lower bound must be below the upper bound"),
                    );
                }
                _ => {}
            }
        }
        Condition::Test {
            field: parsed,
            tests,
            loc,
        }
    }

    fn notify(&mut self, source: &Source, notify: &[raw::Notify]) -> Vec<model::Notify> {
        notify
            .iter()
            .map(|n| {
                self.team_ref(source, &n.team);
                model::Notify {
                    team: n.team.0.clone(),
                    via: n.via.iter().map(|v| v.value).collect(),
                }
            })
            .collect()
    }

    fn action(&mut self, source: &Source, a: &raw::Action) -> model::Action {
        self.team_ref(source, &a.route_to);
        model::Action {
            route_to: a.route_to.0.clone(),
            notify: self.notify(source, &a.notify),
            steps: a.steps.clone(),
        }
    }

    fn classification(
        &mut self,
        source: &Source,
        spec: &raw::ClassificationSpec,
    ) -> model::Classification {
        let mut names: Vec<(&str, Span)> = spec
            .priorities
            .iter()
            .map(|p| (p.id.0.as_str(), p.id.span))
            .collect();
        names.extend(
            spec.priorities
                .iter()
                .flat_map(|p| p.aliases.iter().map(|a| (a.value.as_str(), a.span))),
        );
        self.unique_ids(source, "priority name", names);
        self.unique_ids(
            source,
            "segment",
            spec.segments.iter().map(|s| (s.id.0.as_str(), s.id.span)),
        );
        self.unique_ids(
            source,
            "channel",
            spec.channels.iter().map(|s| (s.0.as_str(), s.span)),
        );
        self.unique_ids(
            source,
            "rule",
            spec.rules.iter().map(|r| (r.id.0.as_str(), r.id.span)),
        );
        let rules = spec
            .rules
            .iter()
            .map(|r| model::ClassificationRule {
                id: r.id.0.clone(),
                description: r.description.clone(),
                when: self.condition(source, &r.when),
                priority: self.priority_ref(source, &r.priority.value, r.priority.span),
                action: self.action(source, &r.action),
                loc: Loc::new(source, r.id.span),
            })
            .collect();
        let default_priority = self.priority_ref(
            source,
            &spec.default.priority.value,
            spec.default.priority.span,
        );
        let default_action = self.action(source, &spec.default.action);
        model::Classification {
            priorities: spec
                .priorities
                .iter()
                .map(|p| model::Priority {
                    id: p.id.0.clone(),
                    aliases: p.aliases.iter().map(|a| a.value.clone()).collect(),
                })
                .collect(),
            segments: spec.segments.iter().map(|s| s.id.0.clone()).collect(),
            channels: spec.channels.iter().map(|s| s.0.clone()).collect(),
            rules,
            default_priority,
            default_action,
            default_loc: Loc::new(source, spec.default.priority.span),
        }
    }

    // ----------------------------------------------------------- SlaPolicy

    fn targets(
        &mut self,
        source: &Source,
        t: &raw::Targets,
    ) -> BTreeMap<model::SlaMetric, Duration> {
        let mut out = BTreeMap::new();
        for (metric, value) in [
            (model::SlaMetric::FirstResponse, &t.first_response),
            (model::SlaMetric::NextResponse, &t.next_response),
            (model::SlaMetric::PeriodicUpdate, &t.periodic_update),
            (model::SlaMetric::Resolution, &t.resolution),
        ] {
            if let Some(v) = value {
                out.insert(metric, self.duration(source, v));
            }
        }
        out
    }

    fn sla(&mut self, source: &Source, spec: &raw::SlaPolicySpec) -> model::SlaPolicy {
        self.calendar_ref(source, &spec.calendar);
        self.unique_ids(
            source,
            "target entry",
            spec.targets.iter().map(|e| (e.id.0.as_str(), e.id.span)),
        );
        let entries = spec
            .targets
            .iter()
            .map(|e| {
                let priority = self.priority_ref(source, &e.priority.value, e.priority.span);
                for s in &e.segments {
                    self.segment_ref(source, &s.0, s.span);
                }
                if let Some(c) = &e.calendar {
                    self.calendar_ref(source, c);
                }
                model::SlaEntry {
                    id: e.id.0.clone(),
                    priority,
                    segments: e.segments.iter().map(|s| s.0.clone()).collect(),
                    when: e.when.as_ref().map(|w| self.condition(source, w)),
                    calendar: e.calendar.as_ref().unwrap_or(&spec.calendar).0.clone(),
                    targets: self.targets(source, &e.targets),
                    description: e.description.clone(),
                    loc: Loc::new(source, e.id.span),
                }
            })
            .collect();
        let default = spec.default.as_ref().map(|d| {
            if let Some(c) = &d.calendar {
                self.calendar_ref(source, c);
            }
            model::SlaEntry {
                id: "default".to_owned(),
                priority: usize::MAX,
                segments: Vec::new(),
                when: None,
                calendar: d.calendar.as_ref().unwrap_or(&spec.calendar).0.clone(),
                targets: self.targets(source, &d.targets),
                description: None,
                loc: Loc::new(source, spec.calendar.span),
            }
        });
        model::SlaPolicy {
            calendar: spec.calendar.0.clone(),
            warnings: spec.warnings.iter().map(|w| w.value.0).collect(),
            paused_when_pending: spec.pauses.pending.iter().map(|m| m.value).collect(),
            paused_when_on_hold: spec.pauses.on_hold.iter().map(|m| m.value).collect(),
            entries,
            default,
        }
    }

    // ---------------------------------------------------- EscalationMatrix

    fn level_ref(
        &mut self,
        source: &Source,
        levels: &[raw::Level],
        id: &Spanned<raw::Id>,
    ) -> usize {
        if let Some(i) = levels.iter().position(|l| l.id.0 == id.0) {
            return i;
        }
        let known = levels.iter().map(|l| l.id.0.clone()).collect();
        self.unknown(source, id.span, "level", &id.0, known);
        0
    }

    fn escalation(
        &mut self,
        source: &Source,
        spec: &raw::EscalationMatrixSpec,
    ) -> model::EscalationMatrix {
        self.unique_ids(
            source,
            "level",
            spec.levels.iter().map(|l| (l.id.0.as_str(), l.id.span)),
        );
        self.unique_ids(
            source,
            "entry rule",
            spec.entry.iter().map(|e| (e.id.0.as_str(), e.id.span)),
        );
        self.unique_ids(
            source,
            "trigger",
            spec.triggers.iter().map(|t| (t.id.0.as_str(), t.id.span)),
        );
        let levels = spec
            .levels
            .iter()
            .map(|l| {
                self.team_ref(source, &l.team);
                model::Level {
                    id: l.id.0.clone(),
                    name: l.name.clone(),
                    responsibility: l.responsibility.clone(),
                    team: l.team.0.clone(),
                    response: self.duration(source, &l.response.target),
                    response_max: l.response.max.as_ref().map(|m| self.duration(source, m)),
                    escalates_to: l
                        .escalates_to
                        .as_ref()
                        .map(|e| self.level_ref(source, &spec.levels, e)),
                    notify_via: l.notify_via.iter().map(|v| v.value).collect(),
                    loc: Loc::new(source, l.id.span),
                }
            })
            .collect();
        let entry = spec
            .entry
            .iter()
            .map(|e| model::EntryRule {
                id: e.id.0.clone(),
                when: self.condition(source, &e.when),
                level: self.level_ref(source, &spec.levels, &e.level),
                loc: Loc::new(source, e.id.span),
            })
            .collect();
        let triggers = spec
            .triggers
            .iter()
            .map(|t| {
                let on = match &t.on.value {
                    raw::TriggerOn::Inactivity(d) => {
                        model::TriggerOn::Inactivity(self.duration(source, &Spanned::new(d.clone(), t.on.span)))
                    }
                    raw::TriggerOn::OpenFor(d) => {
                        model::TriggerOn::OpenFor(self.duration(source, &Spanned::new(d.clone(), t.on.span)))
                    }
                    raw::TriggerOn::SlaAtRisk { metric, percent } => model::TriggerOn::SlaAtRisk {
                        metric: *metric,
                        percent: percent.0,
                    },
                    raw::TriggerOn::Keywords(words) => {
                        model::TriggerOn::Keywords(words.iter().map(|w| w.trim().to_lowercase()).collect())
                    }
                    raw::TriggerOn::SentimentBelow(s) => model::TriggerOn::SentimentBelow(*s),
                    raw::TriggerOn::RefundOverAuthority => model::TriggerOn::RefundOverAuthority,
                    raw::TriggerOn::Reopened => model::TriggerOn::Reopened,
                    raw::TriggerOn::Created => model::TriggerOn::Created,
                };
                let to = match (&t.escalate.to, &t.escalate.team) {
                    (Some(to), None) if to.0 == "next" => model::EscalateTo::Next,
                    (Some(to), None) => model::EscalateTo::Level(self.level_ref(source, &spec.levels, to)),
                    (None, Some(team)) => {
                        self.team_ref(source, team);
                        model::EscalateTo::Team(team.0.clone())
                    }
                    (Some(to), Some(team)) => {
                        self.push(
                            Diagnostic::error(
                                Code::CheckEscalateTarget,
                                "an escalation goes to a level or to a team, not both",
                                source,
                                team.span,
                            )
                            .label("team given")
                            .with_label(to.span, "and a level")
                            .help("keep `to:` for the level ladder, or `team:` for a functional hand-off"),
                        );
                        model::EscalateTo::Next
                    }
                    (None, None) => {
                        self.push(
                            Diagnostic::error(
                                Code::CheckEscalateTarget,
                                "the escalation does not say where the ticket goes",
                                source,
                                t.escalate.kind.span,
                            )
                            .label("no `to` or `team`")
                            .help("add `to: next`, `to: <level>` or `team: <team>`"),
                        );
                        model::EscalateTo::Next
                    }
                };
                model::Trigger {
                    id: t.id.0.clone(),
                    on,
                    when: t.when.as_ref().map(|w| self.condition(source, w)),
                    at_levels: t.at_levels.iter().map(|l| self.level_ref(source, &spec.levels, l)).collect(),
                    to,
                    kind: t.escalate.kind.value,
                    notify: self.notify(source, &t.notify),
                    description: t.description.clone(),
                    loc: Loc::new(source, t.id.span),
                }
            })
            .collect();
        model::EscalationMatrix {
            levels,
            entry,
            triggers,
        }
    }

    // ----------------------------------------------------- RefundAuthority

    fn money(&mut self, source: &Source, m: &Spanned<raw::Money>) -> Option<model::Money> {
        let (amount, currency) = m.0.rsplit_once(' ')?;
        let Ok(amount) = amount.parse::<Decimal>() else {
            self.push(
                Diagnostic::error(
                    Code::CheckMoney,
                    format!("invalid amount `{amount}`"),
                    source,
                    m.span,
                )
                .label("not a decimal amount")
                .help("write a decimal like `100.00`"),
            );
            return None;
        };
        if !currency::is_iso4217(currency) {
            let help = suggestion(currency, currency::CODES.iter().copied())
                .unwrap_or_else(|| "use an ISO 4217 code such as `USD`, `EUR` or `GBP`".to_owned());
            self.push(
                Diagnostic::error(
                    Code::CheckMoney,
                    format!("unknown currency `{currency}`"),
                    source,
                    m.span,
                )
                .label("not an ISO 4217 currency code")
                .help(help),
            );
            return None;
        }
        Some(model::Money {
            amount,
            currency: currency.to_owned(),
        })
    }

    fn refunds(
        &mut self,
        source: &Source,
        spec: &raw::RefundAuthoritySpec,
    ) -> model::RefundAuthority {
        let tier_names: Vec<(String, Span)> = spec
            .limits
            .iter()
            .map(|l| (l.tier.value.to_string(), l.tier.span))
            .collect();
        self.unique_ids(
            source,
            "tier limit",
            tier_names.iter().map(|(n, s)| (n.as_str(), *s)),
        );
        let mut limits: Vec<model::RefundLimit> = spec
            .limits
            .iter()
            .map(|l| {
                self.tier_ref(source, &l.tier);
                let mut up_to = BTreeMap::new();
                let mut seen: BTreeMap<String, Span> = BTreeMap::new();
                for m in &l.up_to {
                    if let Some(money) = self.money(source, m) {
                        if let Some(first) = seen.get(&money.currency) {
                            self.push(
                                Diagnostic::error(
                                    Code::CheckDuplicateId,
                                    format!("two limits in `{}` for one tier", money.currency),
                                    source,
                                    m.span,
                                )
                                .label("second limit")
                                .with_label(*first, "first limit")
                                .help("give each currency one limit per tier"),
                            );
                        }
                        seen.insert(money.currency.clone(), m.span);
                        up_to.insert(money.currency, money.amount);
                    }
                }
                model::RefundLimit {
                    tier: l.tier.value,
                    up_to,
                    loc: Loc::new(source, l.tier.span),
                }
            })
            .collect();
        limits.sort_by_key(|l| l.tier);
        let final_approver = spec.final_approver.as_ref().map(|f| {
            self.team_ref(source, &f.team);
            (f.team.0.clone(), f.role.clone())
        });
        model::RefundAuthority {
            limits,
            final_approver,
        }
    }

    // ---------------------------------------------------------- Benchmarks

    fn band_value(
        &mut self,
        source: &Source,
        metric: model::BenchmarkMetric,
        v: &Spanned<raw::BandValue>,
    ) -> Option<model::BandValue> {
        match (&v.value, metric.is_duration()) {
            (raw::BandValue::Number(n), false) => Some(model::BandValue::Percent(*n)),
            (raw::BandValue::Duration(d), true) => Some(model::BandValue::Duration(
                self.duration(source, &Spanned::new(raw::Duration(d.clone()), v.span)),
            )),
            (raw::BandValue::Number(n), true) => {
                self.push(
                    Diagnostic::error(
                        Code::CheckBand,
                        format!(
                            "`{}` is measured in time, found the number `{n}`",
                            metric.name()
                        ),
                        source,
                        v.span,
                    )
                    .label("expected a duration")
                    .help(format!(
                        "write a duration such as `30m`; a bare number would be {}",
                        crate::duration::suggest(&n.to_string()).unwrap_or_default()
                    )),
                );
                None
            }
            (raw::BandValue::Duration(d), false) => {
                self.push(
                    Diagnostic::error(
                        Code::CheckBand,
                        format!("`{}` is a percentage, found `{d}`", metric.name()),
                        source,
                        v.span,
                    )
                    .label("expected a percentage")
                    .help("write the percentage as a number, e.g. `10` for 10 %"),
                );
                None
            }
        }
    }

    fn benchmarks(&mut self, source: &Source, spec: &raw::BenchmarksSpec) -> model::Benchmarks {
        let bands = spec
            .bands
            .iter()
            .map(|b| {
                let metric = b.metric.value;
                let priority = b
                    .priority
                    .as_ref()
                    .map(|p| self.priority_ref(source, &p.value, p.span));
                if let Some(s) = &b.segment {
                    self.segment_ref(source, &s.0, s.span);
                }
                model::Band {
                    metric,
                    priority,
                    segment: b.segment.as_ref().map(|s| s.0.clone()),
                    min: b
                        .min
                        .as_ref()
                        .and_then(|v| self.band_value(source, metric, v)),
                    max: b
                        .max
                        .as_ref()
                        .and_then(|v| self.band_value(source, metric, v)),
                    alert_above: b
                        .alert_above
                        .as_ref()
                        .and_then(|v| self.band_value(source, metric, v)),
                    source: b.source.clone(),
                    loc: Loc::new(source, b.metric.span),
                }
            })
            .collect();
        model::Benchmarks { bands }
    }

    // -------------------------------------------------------------- Set

    /// Duplicate policies, conflicting versions and singleton kinds.
    fn versions(&mut self, policies: &[Policy]) {
        let mut by_name: BTreeMap<(Kind, &str), Vec<&Policy>> = BTreeMap::new();
        for p in policies {
            by_name
                .entry((p.meta.kind, p.meta.name.as_str()))
                .or_default()
                .push(p);
        }
        let mut names_by_kind: BTreeMap<Kind, Vec<&Policy>> = BTreeMap::new();
        for ((kind, name), mut versions) in by_name {
            versions.sort_by_key(|p| (p.meta.version, p.meta.loc.source.name().to_owned()));
            for pair in versions.windows(2) {
                let [a, b] = pair else { continue };
                if a.meta.version == b.meta.version {
                    self.push(
                        Diagnostic::error_at(
                            Code::CheckDuplicatePolicy,
                            format!(
                                "`{}` `{name}` version {} is defined twice",
                                kind.as_str(),
                                b.meta.version
                            ),
                            &b.meta.loc,
                        )
                        .label("defined again here")
                        .with_related(&a.meta.loc, "first defined here")
                        .help("delete one file, or bump `metadata.version` in the newer one"),
                    );
                } else if a.meta.effective_at >= b.meta.effective_at {
                    self.push(
                        Diagnostic::error_at(
                            Code::CheckConflictingVersion,
                            format!(
                                "version {} of `{name}` takes effect on {}, not after version {} ({})",
                                b.meta.version, b.meta.effective_text, a.meta.version, a.meta.effective_text
                            ),
                            &b.meta.loc,
                        )
                        .label("later version")
                        .with_related(&a.meta.loc, "earlier version")
                        .help("give the higher version a later `metadata.effective_from`"),
                    );
                }
            }
            if let Some(first) = versions.first() {
                names_by_kind.entry(kind).or_default().push(first);
            }
        }
        for (kind, names) in names_by_kind {
            if !kind.is_singleton() || names.len() < 2 {
                continue;
            }
            if let [first, rest @ ..] = names.as_slice() {
                for other in rest {
                    self.push(
                        Diagnostic::error_at(
                            Code::CheckSingleton,
                            format!(
                                "a policy set holds one `{}`, found `{}` and `{}`",
                                kind.as_str(),
                                first.meta.name,
                                other.meta.name
                            ),
                            &other.meta.loc,
                        )
                        .label("second policy of this kind")
                        .with_related(&first.meta.loc, "first policy of this kind")
                        .help("merge them, or give both the same name as two versions"),
                    );
                }
            }
        }
    }
}

fn plural(word: &str) -> String {
    match word.strip_suffix('y') {
        Some(stem) => format!("{stem}ies"),
        None => format!("{word}s"),
    }
}

fn scalar_text(value: &Scalar) -> String {
    match value {
        Scalar::Bool(b) => b.to_string(),
        Scalar::Int(i) => i.to_string(),
        Scalar::Float(f) => f.to_string(),
        Scalar::String(s) => s.clone(),
    }
}

/// `HH:MM-HH:MM` → minutes from midnight; a close not after the open runs
/// past midnight.
pub fn parse_interval(text: &str) -> Option<model::OpenInterval> {
    let (open, close) = text.split_once('-')?;
    let minutes = |t: &str| -> Option<u16> {
        let (h, m) = t.split_once(':')?;
        let h: u16 = h.parse().ok()?;
        let m: u16 = m.parse().ok()?;
        (h < 24 && m < 60 || h == 24 && m == 0).then_some(h * 60 + m)
    };
    let start = minutes(open)?;
    let mut end = minutes(close)?;
    if start >= 24 * 60 {
        return None;
    }
    if end <= start {
        end += 24 * 60;
    }
    Some(model::OpenInterval { start, end })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_one(text: &str) -> Checked {
        let source = Source::new("test.yaml", text);
        check_sources(&[source], Scope::Partial, &Limits::default())
    }

    const MATRIX: &str = "apiVersion: slate.dev/v1
kind: EscalationMatrix
metadata: {name: m, version: 1, effective_from: 2026-09-01, owners: [a@example.com]}
spec:
  levels:
    - {id: L1, name: One, responsibility: r, team: t, response: {target: 15m}}
  triggers:
    - id: country
      on: created
      when: {fields.country: no}
      escalate: {to: next, kind: functional}
";

    #[test]
    fn yaml_1_1_booleans_stay_strings() {
        let checked = check_one(MATRIX);
        assert!(checked.diagnostics.is_empty(), "{:?}", checked.diagnostics);
        let Some(Body::EscalationMatrix(m)) = checked.set.policies.first().map(|p| &p.body) else {
            panic!("no matrix");
        };
        let Some(Condition::Test { field, tests, .. }) =
            m.triggers.first().and_then(|t| t.when.as_ref())
        else {
            panic!("no condition");
        };
        assert_eq!(field, &Field::Custom("country".to_owned()));
        assert_eq!(
            tests,
            &vec![FieldTest::OneOf(vec![Scalar::String("no".to_owned())])]
        );
    }

    #[test]
    fn every_problem_in_a_file_is_reported() {
        let text = MATRIX
            .replace(
                "response: {target: 15m}",
                "response: {target: 15 min}, escalates_to: L9",
            )
            .replace("name: One", "nmae: One");
        let checked = check_one(&text);
        let codes: Vec<&str> = checked
            .diagnostics
            .iter()
            .map(|d| d.code.as_str())
            .collect();
        // Both schema problems are reported; the file then stops before
        // reference checks (the dangling `L9` waits for the next run).
        assert_eq!(
            codes,
            ["schema::unknown-field", "schema::format"],
            "{:?}",
            checked.diagnostics
        );
    }

    #[test]
    fn intervals_follow_the_clock_rules() {
        let i = parse_interval("09:00-17:00").map(|i| (i.start, i.end));
        assert_eq!(i, Some((540, 1020)));
        assert_eq!(
            parse_interval("00:00-24:00").map(|i| (i.start, i.end)),
            Some((0, 1440))
        );
        // A close not after the open runs past midnight.
        assert_eq!(
            parse_interval("22:00-06:00").map(|i| (i.start, i.end)),
            Some((1320, 1800))
        );
        assert_eq!(parse_interval("24:00-06:00"), None);
        assert_eq!(parse_interval("09:60-10:00"), None);
    }
}

//! What rules see: the newest version of each policy, typed, or the set with
//! one older version in place of its newest.

use slate_policy::model::{
    Benchmarks, Body, Calendar, Classification, EscalationMatrix, Meta, Policy, PolicySet,
    RefundAuthority, SlaPolicy, SupportTiers,
};
use slate_policy::source::Loc;

use crate::sat::{Budget, Domains, Formula, Sat};

/// A policy document as parsed, for comparing revisions.
#[derive(Debug, Clone)]
pub struct DocSummary {
    pub kind: String,
    pub name: String,
    pub version: u32,
    pub effective_from: String,
    /// The `spec` as JSON (key order and formatting do not matter).
    pub spec: serde_json::Value,
    /// The `metadata.version` node.
    pub loc: Loc,
}

/// The policy set as rules see it.
#[derive(Debug)]
pub struct Ctx<'a> {
    pub set: &'a PolicySet,
    pub classification: Option<(&'a Classification, &'a Meta)>,
    pub sla: Option<(&'a SlaPolicy, &'a Meta)>,
    pub matrix: Option<(&'a EscalationMatrix, &'a Meta)>,
    pub tiers: Option<(&'a SupportTiers, &'a Meta)>,
    pub refunds: Option<(&'a RefundAuthority, &'a Meta)>,
    pub benchmarks: Option<(&'a Benchmarks, &'a Meta)>,
    pub calendars: Vec<(&'a Calendar, &'a Meta)>,
    pub base: Option<&'a [DocSummary]>,
    pub head: &'a [DocSummary],
    /// The solver's allowance, shared by every rule of the run.
    pub budget: &'a Budget,
    /// Today, for rules about when versions take effect.
    pub today: chrono::NaiveDate,
}

impl<'a> Ctx<'a> {
    pub fn new(
        set: &'a PolicySet,
        base: Option<&'a [DocSummary]>,
        head: &'a [DocSummary],
        budget: &'a Budget,
        today: chrono::NaiveDate,
    ) -> Self {
        Self::build(set, base, head, (budget, today), None)
    }

    /// The set with `version`, an older version of one of its policies, in
    /// place of that policy's newest: how the domain rules look at every
    /// version in the tree.
    pub fn with_version(
        set: &'a PolicySet,
        base: Option<&'a [DocSummary]>,
        head: &'a [DocSummary],
        (budget, today): (&'a Budget, chrono::NaiveDate),
        version: &'a Policy,
    ) -> Self {
        Self::build(set, base, head, (budget, today), Some(version))
    }

    fn build(
        set: &'a PolicySet,
        base: Option<&'a [DocSummary]>,
        head: &'a [DocSummary],
        (budget, today): (&'a Budget, chrono::NaiveDate),
        version: Option<&'a Policy>,
    ) -> Self {
        let mut ctx = Self {
            set,
            classification: None,
            sla: None,
            matrix: None,
            tiers: None,
            refunds: None,
            benchmarks: None,
            calendars: Vec::new(),
            base,
            head,
            budget,
            today,
        };
        for p in set.current() {
            let p = match version {
                Some(v) if v.meta.kind == p.meta.kind && v.meta.name == p.meta.name => v,
                _ => p,
            };
            let m = &p.meta;
            match &p.body {
                Body::Calendar(c) => ctx.calendars.push((c, m)),
                Body::Classification(c) => ctx.classification = Some((c, m)),
                Body::SlaPolicy(s) => ctx.sla = Some((s, m)),
                Body::EscalationMatrix(e) => ctx.matrix = Some((e, m)),
                Body::SupportTiers(t) => ctx.tiers = Some((t, m)),
                Body::RefundAuthority(r) => ctx.refunds = Some((r, m)),
                Body::Benchmarks(b) => ctx.benchmarks = Some((b, m)),
            }
        }
        ctx
    }

    pub fn calendar(&self, name: &str) -> Option<(&'a Calendar, &'a Meta)> {
        self.calendars.iter().find(|(_, m)| m.name == name).copied()
    }

    /// The calendar a team works in.
    pub fn team_calendar(&self, team: &str) -> Option<(&'a Calendar, &'a Meta)> {
        let (tiers, _) = self.tiers?;
        self.calendar(&tiers.teams.get(team)?.calendar)
    }

    pub fn priority_name(&self, index: usize) -> String {
        self.classification
            .and_then(|(c, _)| c.priorities.get(index))
            .map_or_else(|| index.to_string(), |p| p.id.clone())
    }

    pub fn priorities(&self) -> Vec<String> {
        self.classification
            .map(|(c, _)| c.priorities.iter().map(|p| p.id.clone()).collect())
            .unwrap_or_default()
    }

    pub fn segments(&self) -> Vec<String> {
        self.classification
            .map(|(c, _)| c.segments.clone())
            .unwrap_or_default()
    }

    pub fn channels(&self) -> Vec<String> {
        self.classification
            .map(|(c, _)| c.channels.clone())
            .unwrap_or_default()
    }

    /// The solver's cells for `formulas` over this set's catalogues; the
    /// `open` enum variables also take "anything else".
    pub fn domains(&self, formulas: &[&Formula], open: &[crate::sat::Var]) -> Domains {
        Domains::new(
            formulas,
            &self.priorities(),
            &self.segments(),
            &self.channels(),
            open,
        )
    }

    /// Decides `f` within the run's solver budget.
    pub fn solve(&self, f: &Formula, domains: &Domains) -> Sat {
        self.budget.solve(f, domains)
    }

    /// Where a metadata block sits, for findings about a whole policy.
    pub fn meta_loc(meta: &Meta) -> Loc {
        meta.loc.clone()
    }
}

//! One module per rule. Shared helpers below.

pub mod ambiguous_day;
pub mod band_alert_inside;
pub mod band_empty;
pub mod band_inversion;
pub mod band_percent_range;
pub mod calendar_hours_swapped;
pub mod calendar_never_open;
pub mod conflicting_triggers;
pub mod critical_business_hours;
pub mod critical_not_24x7;
pub mod effective_from_past;
pub mod escalation_after_breach;
pub mod escalation_cycle;
pub mod escalation_dead_end;
pub mod escalation_downward;
pub mod escalation_inversion;
pub mod expired_suppression;
pub mod gate_weakened;
pub mod implausible_holiday;
pub mod invalid_suppression;
pub mod level_same_team;
pub mod level_without_backup;
pub mod mixed_currencies;
pub mod notify_without_address;
pub mod pause_stops_first_response;
pub mod policy_removed;
pub mod priority_inversion;
pub mod priority_never_escalates;
pub mod priority_without_route;
pub mod recorded_priority_lowered;
pub mod refund_not_increasing;
pub mod refund_without_approver;
pub mod response_exceeds_timeout;
pub mod response_target_above_max;
pub mod route_contradicts_entry;
pub mod segment_inversion;
pub mod shadowed_rule;
pub mod sla_missing_default;
pub mod sla_no_target;
pub mod suppression_added;
pub mod unreachable_level;
pub mod unused_calendar;
pub mod unused_team;
pub mod unused_tier;
pub mod version_lowered;
pub mod version_not_bumped;
pub mod warnings_not_ascending;

use slate_policy::duration::Duration;
use slate_policy::model::{Condition, EscalationMatrix, SlaEntry, SlaMetric, SlaPolicy};

use slate_policy::source::Loc;

use crate::context::Ctx;
use crate::rule::Finding;
use crate::sat::{self, Cell, Formula, Sat, Var};

/// The formula of an SLA entry: its priority, its segments, its condition.
pub fn sla_entry_formula(ctx: &Ctx<'_>, entry: &SlaEntry) -> Formula {
    let mut parts = vec![Formula::one_of(
        Var::Priority,
        &[ctx.priority_name(entry.priority).as_str()],
    )];
    if !entry.segments.is_empty() {
        let segments: Vec<&str> = entry.segments.iter().map(String::as_str).collect();
        parts.push(Formula::one_of(Var::Segment, &segments));
    }
    if let Some(when) = &entry.when {
        parts.push(crate::sat::compile(when));
    }
    Formula::and(parts)
}

/// The (priority, segment) pairs an entry lists (all segments when open).
pub fn entry_cells(ctx: &Ctx<'_>, entry: &SlaEntry) -> Vec<(usize, String)> {
    let segments = if entry.segments.is_empty() {
        ctx.segments()
    } else {
        entry.segments.clone()
    };
    segments.into_iter().map(|s| (entry.priority, s)).collect()
}

/// Levels a trigger is armed at (all when it names none).
pub fn armed_levels(matrix: &EscalationMatrix, at_levels: &[usize]) -> Vec<usize> {
    if at_levels.is_empty() {
        (0..matrix.levels.len()).collect()
    } else {
        at_levels.to_vec()
    }
}

/// Each head policy file with the base revision's file of the same
/// policy and version (only with `--base`): the pairs whose `spec` must not
/// differ.
pub fn same_version<'c>(
    ctx: &'c Ctx<'_>,
) -> impl Iterator<Item = (&'c crate::DocSummary, &'c crate::DocSummary)> {
    ctx.head.iter().filter_map(move |head| {
        let before = ctx
            .base?
            .iter()
            .find(|b| b.kind == head.kind && b.name == head.name && b.version == head.version)?;
        Some((head, before))
    })
}

/// The newest version of each policy (kind, name) among `docs`.
pub fn newest(docs: &[crate::DocSummary]) -> Vec<&crate::DocSummary> {
    let mut out: Vec<&crate::DocSummary> = Vec::new();
    for d in docs {
        match out
            .iter_mut()
            .find(|o| o.kind == d.kind && o.name == d.name)
        {
            Some(o) if o.version < d.version => *o = d,
            Some(_) => {}
            None => out.push(d),
        }
    }
    out
}

/// The finding for a question the solver could not decide within the run's
/// budget ([`crate::sat::Budget`]): the gate reports it under the asking
/// rule, never passes it silently.
pub fn undecided(loc: &Loc, question: impl std::fmt::Display) -> Finding {
    Finding::new(
        loc,
        format!("could not decide within the solver's budget whether {question}"),
        "undecided",
        "split or simplify the conditions involved; the budget is described in docs/rules/README.md",
    )
}

/// The SLA's first-match decision list: for each entry, and last the
/// default, the formula of the tickets it decides (it matches and no
/// earlier entry does). What a ticket's effective targets come from.
pub fn first_matches<'s>(ctx: &Ctx<'_>, sla: &'s SlaPolicy) -> Vec<(Formula, &'s SlaEntry)> {
    let formulas: Vec<Formula> = sla
        .entries
        .iter()
        .map(|e| sla_entry_formula(ctx, e))
        .collect();
    let mut out = Vec::new();
    let mut earlier = Vec::new();
    for (entry, f) in sla.entries.iter().zip(&formulas) {
        let mut parts = vec![f.clone()];
        parts.extend(earlier.iter().cloned());
        out.push((Formula::and(parts), entry));
        earlier.push(Formula::not(f.clone()));
    }
    if let Some(default) = &sla.default {
        out.push((Formula::not(Formula::or(formulas)), default));
    }
    out
}

/// Where raising `var` from `calm` to `urgent` (and nothing else about the
/// ticket) gives a looser effective target: for each pair of deciding
/// entries and metric, the smallest example ticket. The shared core of
/// `priority-inversion` and `segment-inversion`.
pub fn inversions<'s>(
    ctx: &Ctx<'_>,
    decided: &[(Formula, &'s SlaEntry)],
    var: &Var,
    urgent: &str,
    calm: &str,
) -> Vec<Inversion<'s>> {
    let urgent_cell = Cell::Text(urgent.to_owned());
    let calm_cell = Cell::Text(calm.to_owned());
    let mut out = Vec::new();
    for (f, tight) in decided {
        let f = f.fix(var, &urgent_cell);
        for (g, loose) in decided {
            let looser: Vec<(SlaMetric, Duration, Duration)> = tight
                .targets
                .iter()
                .filter_map(|(m, t)| {
                    let other = loose.targets.get(m)?;
                    (t > other).then_some((*m, *t, *other))
                })
                .collect();
            if looser.is_empty() {
                continue;
            }
            let both = Formula::and(vec![f.clone(), g.fix(var, &calm_cell)]);
            let domains = ctx.domains(&[&both], &[]);
            let example = match ctx.solve(&both, &domains) {
                Sat::Yes(witness) => Some(sat::describe(&sat::minimal(&both, witness))),
                Sat::No => continue,
                Sat::Unknown => None,
            };
            {
                for (metric, target, other) in looser {
                    out.push(Inversion {
                        urgent: tight,
                        calm: loose,
                        metric,
                        target,
                        other,
                        example: example.clone(),
                    });
                }
            }
        }
    }
    out
}

/// One inversion found by [`inversions`].
#[derive(Debug)]
pub struct Inversion<'s> {
    /// The entry deciding the more urgent ticket.
    pub urgent: &'s SlaEntry,
    /// The entry deciding the same ticket one step calmer.
    pub calm: &'s SlaEntry,
    pub metric: SlaMetric,
    pub target: Duration,
    pub other: Duration,
    /// The rest of the ticket, e.g. `segment=smb, vip=false`; `None` when the
    /// solver could not decide within its budget whether such a ticket exists.
    pub example: Option<String>,
}

/// Reports every inversion along `order` (most urgent or valuable first) of
/// `var`: the same ticket one step up must never get a longer effective
/// target. The body of `priority-inversion` and `segment-inversion`.
pub fn report_inversions(
    ctx: &Ctx<'_>,
    var: &Var,
    order: &[String],
    (label, help): (&str, &str),
    out: &mut Vec<Finding>,
) {
    let (Some((sla, _)), Some(_)) = (ctx.sla, ctx.classification) else {
        return;
    };
    let decided = first_matches(ctx, sla);
    let mut reported = std::collections::BTreeSet::new();
    for (i, up) in order.iter().enumerate() {
        for down in order.iter().skip(i + 1) {
            for inv in inversions(ctx, &decided, var, up, down) {
                if !reported.insert((inv.urgent.id.clone(), inv.calm.id.clone(), inv.metric)) {
                    continue;
                }
                let Some(example) = &inv.example else {
                    out.push(undecided(
                        &inv.urgent.loc,
                        format_args!(
                            "a `{up}` ticket `{}` decides can be decided by `{}` as `{down}`",
                            inv.urgent.id, inv.calm.id
                        ),
                    ));
                    continue;
                };
                out.push(
                    Finding::new(
                        &inv.urgent.loc,
                        format!(
                            "a `{up}` ticket with {example} gets {} target {} from `{}`, looser than the {} it gets as `{down}` from `{}`",
                            inv.metric.name(),
                            inv.target,
                            inv.urgent.id,
                            inv.other,
                            inv.calm.id,
                        ),
                        label,
                        help,
                    )
                    .related(&inv.calm.loc, format!("{down} {}: {}", inv.metric.name(), inv.other)),
                );
            }
        }
    }
}

/// Whether some ticket classified at `priority` can satisfy `when` (no
/// condition: every ticket). Undecided counts as yes, so a rule that acts
/// on the answer looks rather than passes.
pub fn holds_at_priority(ctx: &Ctx<'_>, when: Option<&Condition>, priority: &str) -> bool {
    let cell = Cell::Text(priority.to_owned());
    let fixed = when
        .map_or(Formula::Const(true), sat::compile)
        .fix(&Var::Priority, &cell);
    let domains = ctx.domains(&[&fixed], &[Var::Segment, Var::Channel]);
    !matches!(ctx.solve(&fixed, &domains), Sat::No)
}

//! The trace-free evaluation simulation runs decides exactly what the traced
//! replay decides: for a generated month, the summary of `evaluate` equals
//! the one derived, decision by decision, from the full trace.

use std::path::Path;

use slate_engine::Engine;
use slate_engine::trace::Decision;
use slate_policy::Limits;
use slate_policy::model::SlaMetric;

#[test]
fn evaluation_without_a_trace_agrees_with_the_trace() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policies");
    let checked = slate_policy::check_path(&root, &Limits::default()).unwrap();
    let engine = Engine::new(&checked.set).unwrap();
    let tickets = slate_sim::synthetic::month(3_000, 11, 2026, 10);
    let (mut breaches, mut escalations) = (0, 0);
    // Every other ticket judged at the export time rather than at its own
    // last event: timers then run on past it (DESIGN §4.17).
    let export = tickets
        .iter()
        .filter_map(|t| t.events.last().map(|e| e.at.timestamp()))
        .max();
    for (i, ticket) in tickets.iter().enumerate() {
        let until = export.filter(|_| i % 2 == 0);
        let (trace, traced) = engine.replay_with_summary(ticket, until);
        let fast = engine.evaluate(ticket, until);
        assert_eq!(fast, traced, "ticket {}", ticket.id);

        // The summary, read back from the trace's entries.
        let mut sla_entry = None;
        let mut targets = [None; 4];
        let mut trace_breaches = Vec::new();
        let mut trace_escalations = Vec::new();
        // Level response targets as they end: (level, breached); a target
        // still running at the horizon counts as not breached.
        let mut levels: Vec<(String, bool)> = Vec::new();
        let mut running: Option<String> = None;
        for entry in &trace.entries {
            match &entry.decision {
                Decision::TargetStarted {
                    level: Some(level), ..
                } => running = Some(level.clone()),
                Decision::TargetBreached {
                    level: Some(level), ..
                } => {
                    levels.push((level.clone(), true));
                    running = None;
                }
                Decision::TargetMet {
                    level: Some(level), ..
                }
                | Decision::TargetStopped {
                    level: Some(level), ..
                } if running.is_some() => {
                    running = None;
                    levels.push((level.clone(), false));
                }
                Decision::SlaSelected { entry, .. } => sla_entry = Some(entry.as_str()),
                Decision::NoSla { .. } => sla_entry = None,
                Decision::TargetStarted { metric, .. } => {
                    let i = SlaMetric::ALL.iter().position(|m| m.name() == metric);
                    targets[i.unwrap()].get_or_insert(false);
                }
                Decision::TargetBreached { metric, cycle, .. } => {
                    let i = SlaMetric::ALL.iter().position(|m| m.name() == metric);
                    targets[i.unwrap()] = Some(true);
                    trace_breaches.push(format!("{metric}#{cycle}@{}", entry.at));
                }
                Decision::Escalated {
                    from, to, origin, ..
                } => trace_escalations.push(format!(
                    "{}→{to}@{} {origin}",
                    from.as_deref().unwrap_or("-"),
                    entry.at
                )),
                _ => {}
            }
        }
        levels.extend(running.map(|level| (level, false)));
        let summary_levels: Vec<(String, bool)> = fast
            .level_response
            .iter()
            .map(|&(l, b)| (l.to_owned(), b))
            .collect();
        assert_eq!(summary_levels, levels, "ticket {}", ticket.id);
        assert_eq!(fast.priority, trace.outcome.priority);
        assert_eq!(fast.sla_entry_id(), sla_entry, "ticket {}", ticket.id);
        assert_eq!(fast.targets, targets, "ticket {}", ticket.id);
        let summary_breaches: Vec<String> = fast
            .breaches
            .iter()
            .map(|b| {
                assert_eq!(SlaMetric::ALL[b.metric.index()], b.metric);
                format!("{b}@{}", b.at)
            })
            .collect();
        assert_eq!(summary_breaches, trace_breaches, "ticket {}", ticket.id);
        let summary_escalations: Vec<String> = fast
            .escalations
            .iter()
            .map(|e| {
                let from = e.from.map_or_else(|| "-".to_owned(), |p| p.to_string());
                let origin = if e.policy { "policy" } else { "recorded" };
                format!("{from}→{}@{} {origin}", e.to, e.at)
            })
            .collect();
        assert_eq!(
            summary_escalations, trace_escalations,
            "ticket {}",
            ticket.id
        );
        assert_eq!(
            fast.refunds_needing_approval,
            trace.outcome.refunds_needing_approval
        );
        breaches += fast.breaches.len();
        escalations += fast.escalations.len();
    }
    // The month exercises both lists.
    assert!(
        breaches > 100 && escalations > 100,
        "{breaches} {escalations}"
    );
}

//! Decision traces: YAML (as stored in snapshots), JSON, and a compact table.

use serde_json::Value;
use slate_engine::Trace;

/// The YAML of a trace, as stored next to a scenario.
pub fn yaml(trace: &Trace) -> String {
    slate_policy::yaml::to_string(trace)
        .unwrap_or_else(|e| format!("# cannot render the trace: {e}\n"))
}

fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// One line per decision: instant, cause, decision, details, source.
pub fn table(trace: &Trace) -> String {
    let o = &trace.outcome;
    let mut out = format!(
        "ticket {} · priority {} · level {} · team {} · {} escalation(s) · breaches: {} · judged at {}\n",
        trace.ticket,
        o.priority,
        o.level.as_deref().unwrap_or("-"),
        o.team.as_deref().unwrap_or("-"),
        o.escalations,
        if o.breaches.is_empty() {
            "none".to_owned()
        } else {
            o.breaches.join(", ")
        },
        slate_engine::engine::instant(trace.horizon),
    );
    let rows: Vec<[String; 5]> = trace
        .entries
        .iter()
        .map(|entry| {
            let value = serde_json::to_value(entry).unwrap_or(Value::Null);
            let cause = match &entry.cause {
                slate_engine::trace::Cause::Created => "created".to_owned(),
                slate_engine::trace::Cause::Event { index, event } => format!("#{index} {event}"),
                slate_engine::trace::Cause::Timer { timer } => format!("⏱ {timer}"),
            };
            let details = value
                .as_object()
                .map(|map| {
                    map.iter()
                        .filter(|(k, _)| {
                            !matches!(k.as_str(), "at" | "cause" | "decision" | "provenance")
                        })
                        .map(|(k, v)| format!("{k}={}", text(v)))
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .unwrap_or_default();
            let source = entry
                .provenance
                .as_ref()
                .map(|p| match &p.rule {
                    Some(rule) => format!("{}#{rule} ({})", p.policy, p.source),
                    None => format!("{} ({})", p.policy, p.source),
                })
                .unwrap_or_default();
            [
                slate_engine::engine::instant(entry.at),
                cause,
                entry.decision.name().to_owned(),
                details,
                source,
            ]
        })
        .collect();
    let width = |pick: fn(&[String; 5]) -> &String| {
        rows.iter()
            .map(|r| pick(r).chars().count())
            .max()
            .unwrap_or(0)
    };
    let widths = [width(|r| &r[0]), width(|r| &r[1]), width(|r| &r[2])];
    for [at, cause, decision, details, source] in &rows {
        let mut line = String::from("  ");
        for (cell, width) in [at, cause, decision].into_iter().zip(widths) {
            line.push_str(cell);
            line.push_str(&" ".repeat(width.saturating_sub(cell.chars().count()) + 2));
        }
        line.push_str(details);
        if !source.is_empty() {
            line.push_str("  ← ");
            line.push_str(source);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

//! A self-contained HTML simulation report with charts (uPlot, embedded: the
//! report loads nothing from the network).
//!
//! Charts: SLA breach rate by priority and segment, backlog over the month,
//! handoff delay distribution, and baseline vs proposal benchmark values.
//! When the charts have been drawn, the page sets `data-charts-rendered` on
//! `<body>` to the number of non-empty chart canvases (checked in CI with
//! headless Chromium).

use serde_json::json;
use slate_sim::report::Report;

const UPLOT_JS: &str = include_str!("../../assets/uplot/uPlot.iife.min.js");
const UPLOT_CSS: &str = include_str!("../../assets/uplot/uPlot.min.css");

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// JSON for embedding in a `<script>` element.
fn script_json(value: &serde_json::Value) -> String {
    serde_json::to_string(value)
        .unwrap_or_default()
        .replace("</", "<\\/")
}

pub fn render(report: &Report, baseline: Option<&Report>, top: usize) -> String {
    let groups: Vec<&slate_sim::report::GroupReport> = report.groups.iter().skip(1).collect();
    let data = json!({
        "groups": groups.iter().map(|g| format!("{} · {}", g.priority, g.segment)).collect::<Vec<_>>(),
        "breach": groups.iter().map(|g| g.sla_breach_rate.overall.percent).collect::<Vec<_>>(),
        "breachEscalated": groups.iter().map(|g| g.sla_breach_rate.escalated.percent).collect::<Vec<_>>(),
        "backlogDays": report.backlog.iter().map(|b| b.day_end.clone()).collect::<Vec<_>>(),
        "backlog": report.backlog.iter().map(|b| b.unresolved).collect::<Vec<_>>(),
        "handoff": report.groups.first().map(|g| vec![g.handoff_delay.p50_minutes, g.handoff_delay.p90_minutes]).unwrap_or_default(),
        "handoffHistogram": report.handoff_histogram.clone(),
        "benchmarks": report.benchmarks.iter().map(|v| format!("{} ({})", v.metric, v.scope)).collect::<Vec<_>>(),
        "proposal": report.benchmarks.iter().map(|v| v.value).collect::<Vec<_>>(),
        "baseline": baseline.map(|b| b.benchmarks.iter().map(|v| v.value).collect::<Vec<_>>()),
    });
    let verdicts: String = report
        .benchmarks
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let before = baseline
                .and_then(|b| b.benchmarks.get(i))
                .map(|b| format!("<td>{}</td>", b.value.map_or_else(|| "–".to_owned(), |x| format!("{x:.1}"))))
                .unwrap_or_default();
            format!(
                "<tr class=\"{}\"><td>{}</td><td>{}</td>{before}<td>{} {}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                v.verdict.replace(' ', "-"),
                escape(&v.metric),
                escape(&v.scope),
                v.value.map_or_else(|| "–".to_owned(), |x| format!("{x:.1}")),
                escape(v.unit),
                match (v.min, v.max) {
                    (Some(a), Some(b)) => format!("{a}–{b}"),
                    (None, Some(b)) => format!("≤ {b}"),
                    (Some(a), None) => format!("≥ {a}"),
                    (None, None) => "–".to_owned(),
                },
                v.verdict,
                escape(v.source.as_deref().unwrap_or(""))
            )
        })
        .collect();
    let differing: String = report
        .differing
        .iter()
        .take(top)
        .map(|d| {
            format!(
                "<tr><td><code>{}</code></td><td>{}</td></tr>",
                escape(&d.ticket),
                escape(&d.difference)
            )
        })
        .collect();
    let baseline_header = if baseline.is_some() {
        "<th>baseline</th>"
    } else {
        ""
    };
    let outside = report
        .benchmarks
        .iter()
        .filter(|v| matches!(v.verdict, "below" | "above" | "alert"))
        .count();
    format!(
        r##"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Slate simulation</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>{UPLOT_CSS}
body{{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#1d2433}}h1{{font-size:1.6em}}
table{{border-collapse:collapse;margin:1em 0}}td,th{{border:1px solid #d5d9e0;padding:.3em .6em;text-align:left}}
tr.above td,tr.below td{{background:#fff4e5}}tr.alert td{{background:#fde8e8}}tr.inside td{{background:#eefaf0}}
.charts{{display:grid;grid-template-columns:repeat(auto-fill,minmax(560px,1fr));gap:1.5em}}.chart h2{{font-size:1.1em}}
</style>
<script>{UPLOT_JS}</script></head>
<body>
<h1>Slate simulation</h1>
<p><strong>{tickets}</strong> tickets, {errors} unreadable, judged at {horizon}, decided by the {versions}; <strong>{outside}</strong> benchmark(s) outside their band{differing_count}.{after_horizon}</p>
<div class="charts">
<div class="chart"><h2>SLA breach rate by priority and segment (%)</h2><div id="breach"></div></div>
<div class="chart"><h2>Backlog: unresolved tickets at each day end</h2><div id="backlog"></div></div>
<div class="chart"><h2>Handoff delay distribution (escalations per bucket)</h2><div id="handoff"></div></div>
<div class="chart"><h2>Benchmarks: {compare}</h2><div id="bench"></div></div>
</div>
<h2>Benchmarks</h2>
<table><tr><th>metric</th><th>scope</th>{baseline_header}<th>value</th><th>band</th><th>verdict</th><th>source</th></tr>{verdicts}</table>
{level_table}
{differing_table}
{unknown_table}
<script id="data" type="application/json">{data}</script>
<script>
(function () {{
  const d = JSON.parse(document.getElementById("data").textContent);
  const width = 540, height = 260;
  function categorical(el, labels, series) {{
    // Grouped bars: each series takes its share of the slot, side by side.
    const n = series.length;
    const paths = series.map((_, i) => uPlot.paths.bars({{ size: [0.7 / n, 40], align: n === 1 ? 0 : (i === 0 ? -1 : 1) }}));
    const xs = labels.map((_, i) => i);
    const opts = {{
      width, height,
      scales: {{ x: {{ time: false, range: [-0.5, labels.length - 0.5] }}, y: {{ range: (u, min, max) => [0, max > 0 ? max * 1.1 : 1] }} }},
      axes: [{{ values: (u, ticks) => ticks.map(t => labels[t] ?? "") , rotate: -30, size: 70, gap: 4 }}, {{}}],
      series: [{{}}].concat(series.map((s, i) => ({{ label: s.label, fill: s.color, stroke: s.color, paths: paths[i], points: {{ show: false }} }}))),
    }};
    return new uPlot(opts, [xs].concat(series.map(s => s.values.map(v => v == null ? null : v))), el);
  }}
  const drawn = [];
  drawn.push(categorical(document.getElementById("breach"), d.groups, [
    {{ label: "all tickets", values: d.breach, color: "#4e79a7" }},
    {{ label: "escalated", values: d.breachEscalated, color: "#e15759" }},
  ]));
  drawn.push(categorical(document.getElementById("backlog"), d.backlogDays, [
    {{ label: "unresolved", values: d.backlog, color: "#59a14f" }},
  ]));
  drawn.push(categorical(document.getElementById("handoff"), d.handoffHistogram.map(b => b[0]), [
    {{ label: "escalations", values: d.handoffHistogram.map(b => b[1]), color: "#f28e2b" }},
  ]));
  const benchSeries = [{{ label: "proposal", values: d.proposal, color: "#4e79a7" }}];
  if (d.baseline) benchSeries.unshift({{ label: "baseline", values: d.baseline, color: "#bab0ac" }});
  drawn.push(categorical(document.getElementById("bench"), d.benchmarks, benchSeries));
  const rendered = Array.from(document.querySelectorAll(".chart canvas")).filter(c => c.width > 0 && c.height > 0).length;
  document.body.setAttribute("data-charts-rendered", String(rendered === drawn.length ? rendered : 0));
}})();
</script>
</body></html>
"##,
        tickets = report.tickets,
        errors = report.errors,
        horizon = escape(&report.horizon.describe()),
        versions = escape(&report.versions.describe()),
        after_horizon = escape(super::report::after_horizon(report).trim_end()),
        differing_count = if baseline.is_some() {
            format!(
                ", {} ticket(s) decided differently than the baseline",
                report.differing_tickets
            )
        } else {
            String::new()
        },
        compare = if baseline.is_some() {
            "baseline vs proposal"
        } else {
            "values"
        },
        differing_table = if differing.is_empty() {
            String::new()
        } else {
            format!(
                "<h2>Tickets decided differently</h2><table><tr><th>ticket</th><th>first difference</th></tr>{differing}</table>"
            )
        },
        unknown_table = unknown_table(report),
        level_table = level_table(report),
        data = script_json(&data),
    )
}

/// Level response targets breached per level (DESIGN §4.12), when any ran.
fn level_table(report: &Report) -> String {
    if report.level_response.is_empty() {
        return String::new();
    }
    let rows: String = report
        .level_response
        .iter()
        .map(|l| {
            format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}/{}</td></tr>",
                escape(&l.level),
                escape(l.name.as_deref().unwrap_or("")),
                l.breach
                    .percent
                    .map_or_else(|| "–".to_owned(), |p| format!("{p:.1}%")),
                l.breach.count,
                l.breach.of
            )
        })
        .collect();
    format!(
        "<h2>Level response breach rate by level</h2><table><tr><th>level</th><th>name</th><th>breach</th><th>count</th></tr>{rows}</table>"
    )
}

/// Tickets with values outside the catalogue, when there are any.
fn unknown_table(report: &Report) -> String {
    if report.unknown_values.is_empty() {
        return String::new();
    }
    let rows: String = report
        .unknown_values
        .iter()
        .map(|u| {
            format!(
                "<tr><td>{}</td><td><code>{}</code></td><td>{}</td></tr>",
                u.field,
                escape(&u.value),
                u.tickets
            )
        })
        .collect();
    format!(
        "<h2>Ticket values outside the catalogue (decided by the defaults)</h2><table><tr><th>field</th><th>value</th><th>tickets</th></tr>{rows}</table>"
    )
}

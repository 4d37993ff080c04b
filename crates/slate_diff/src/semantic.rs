//! What changed in meaning between two versions of one policy, in domain
//! words with a direction. Compared on the checked model: key order,
//! comments and formatting never show.

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;
use slate_policy::model::{
    Action, BandValue, Benchmarks, Body, Calendar, Classification, Duration, EscalateTo,
    EscalationMatrix, Level, OpenInterval, RefundAuthority, SlaEntry, SlaMetric, SlaPolicy,
    SupportTiers, Trigger, TriggerOn,
};

use crate::sets::{self, Catalogues};
use crate::{Change, Direction, describe};

/// Everything a comparison needs from both sides.
#[derive(Debug)]
pub struct Sides<'a> {
    /// The classifications of both sides, for priority names and catalogues.
    pub base_classification: Option<&'a Classification>,
    pub head_classification: Option<&'a Classification>,
    pub base_matrix: Option<&'a EscalationMatrix>,
    pub head_matrix: Option<&'a EscalationMatrix>,
    pub catalogues: Catalogues,
}

impl Sides<'_> {
    fn priority(&self, head: bool, index: usize) -> String {
        let c = if head {
            self.head_classification
        } else {
            self.base_classification
        };
        c.and_then(|c| c.priorities.get(index))
            .map_or_else(|| format!("#{index}"), |p| p.id.clone())
    }

    fn level(&self, head: bool, index: usize) -> String {
        let m = if head {
            self.head_matrix
        } else {
            self.base_matrix
        };
        m.and_then(|m| m.levels.get(index))
            .map_or_else(|| format!("#{index}"), |l| l.id.clone())
    }
}

fn change(text: String, direction: Option<Direction>) -> Change {
    Change { text, direction }
}

pub(crate) fn plain(text: String) -> Change {
    change(text, None)
}

/// `smaller is tighter` for a duration.
fn duration(label: &str, a: Duration, b: Duration, out: &mut Vec<Change>) {
    if a != b {
        let direction = if b > a {
            Direction::Looser
        } else {
            Direction::Tighter
        };
        out.push(change(format!("{label} {a} → {b}"), Some(direction)));
    }
}

/// Items present on both sides (by id), only on the head, only on the base.
fn by_id<'t, T>(
    base: &'t [T],
    head: &'t [T],
    id: impl Fn(&T) -> &str,
) -> (Vec<(&'t T, &'t T)>, Vec<&'t T>, Vec<&'t T>) {
    let both = head
        .iter()
        .filter_map(|h| base.iter().find(|b| id(b) == id(h)).map(|b| (b, h)))
        .collect();
    let added = head
        .iter()
        .filter(|h| !base.iter().any(|b| id(b) == id(h)))
        .collect();
    let removed = base
        .iter()
        .filter(|b| !head.iter().any(|h| id(h) == id(b)))
        .collect();
    (both, added, removed)
}

fn list(items: &[String]) -> String {
    items.join(", ")
}

/// Set changes of a named list: `segments: + vip, − smb`.
fn set_change(label: &str, base: &[String], head: &[String], out: &mut Vec<Change>) {
    let added: Vec<String> = head.iter().filter(|x| !base.contains(x)).cloned().collect();
    let removed: Vec<String> = base.iter().filter(|x| !head.contains(x)).cloned().collect();
    if !added.is_empty() {
        out.push(plain(format!("{label} added: {}", list(&added))));
    }
    if !removed.is_empty() {
        out.push(plain(format!("{label} removed: {}", list(&removed))));
    }
}

/// The semantic changes between two versions of a policy.
pub fn changes(base: &Body, head: &Body, sides: &Sides<'_>) -> Vec<Change> {
    let mut out = Vec::new();
    match (base, head) {
        (Body::Calendar(a), Body::Calendar(b)) => calendar(a, b, &mut out),
        (Body::SupportTiers(a), Body::SupportTiers(b)) => tiers(a, b, &mut out),
        (Body::Classification(a), Body::Classification(b)) => classification(a, b, sides, &mut out),
        (Body::SlaPolicy(a), Body::SlaPolicy(b)) => sla(a, b, sides, &mut out),
        (Body::EscalationMatrix(a), Body::EscalationMatrix(b)) => matrix(a, b, sides, &mut out),
        (Body::RefundAuthority(a), Body::RefundAuthority(b)) => refunds(a, b, &mut out),
        (Body::Benchmarks(a), Body::Benchmarks(b)) => benchmarks(a, b, sides, &mut out),
        _ => out.push(plain("the kind changed".to_owned())),
    }
    out
}

// ---------------------------------------------------------------- Calendar

const DAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

fn hours(intervals: &[OpenInterval]) -> String {
    if intervals.is_empty() {
        return "closed".to_owned();
    }
    let hm = |m: u16| format!("{:02}:{:02}", m / 60, m % 60);
    let parts: Vec<String> = intervals
        .iter()
        .map(|i| format!("{}–{}", hm(i.start), hm(i.end)))
        .collect();
    parts.join(", ")
}

fn minutes(intervals: &[OpenInterval]) -> u32 {
    intervals
        .iter()
        .map(|i| u32::from(i.end.saturating_sub(i.start)))
        .sum()
}

fn calendar(a: &Calendar, b: &Calendar, out: &mut Vec<Change>) {
    if a.timezone != b.timezone {
        out.push(plain(format!("time zone {} → {}", a.timezone, b.timezone)));
    }
    if a.always_open != b.always_open {
        let direction = if b.always_open {
            Direction::MoreOpenHours
        } else {
            Direction::FewerOpenHours
        };
        out.push(change(
            format!("always open: {} → {}", a.always_open, b.always_open),
            Some(direction),
        ));
    }
    if !a.always_open && !b.always_open {
        for ((day, x), y) in DAYS.iter().zip(&a.weekly).zip(&b.weekly) {
            if x != y {
                let direction = match minutes(y).cmp(&minutes(x)) {
                    std::cmp::Ordering::Greater => Some(Direction::MoreOpenHours),
                    std::cmp::Ordering::Less => Some(Direction::FewerOpenHours),
                    std::cmp::Ordering::Equal => None,
                };
                out.push(change(
                    format!("{day} {} → {}", hours(x), hours(y)),
                    direction,
                ));
            }
        }
    }
    let added: Vec<String> = b
        .holidays
        .difference(&a.holidays)
        .map(|d| d.to_string())
        .collect();
    let removed: Vec<String> = a
        .holidays
        .difference(&b.holidays)
        .map(|d| d.to_string())
        .collect();
    if !added.is_empty() {
        out.push(change(
            format!("holidays added: {}", list(&added)),
            Some(Direction::FewerOpenHours),
        ));
    }
    if !removed.is_empty() {
        out.push(change(
            format!("holidays removed: {}", list(&removed)),
            Some(Direction::MoreOpenHours),
        ));
    }
}

// ------------------------------------------------------------ SupportTiers

fn tiers(a: &SupportTiers, b: &SupportTiers, out: &mut Vec<Change>) {
    for (n, t) in &b.tiers {
        match a.tiers.get(n) {
            None => out.push(plain(format!("new tier {n} ({})", t.name))),
            Some(old) => {
                if old.name != t.name {
                    out.push(plain(format!("tier {n} renamed {} → {}", old.name, t.name)));
                }
            }
        }
    }
    for n in a.tiers.keys().filter(|n| !b.tiers.contains_key(n)) {
        out.push(plain(format!("tier {n} removed")));
    }
    for (id, t) in &b.teams {
        let Some(old) = a.teams.get(id) else {
            out.push(plain(format!("new team `{id}` at tier {}", t.tier)));
            continue;
        };
        if old.tier != t.tier {
            out.push(plain(format!("team `{id}` tier {} → {}", old.tier, t.tier)));
        }
        if old.calendar != t.calendar {
            out.push(plain(format!(
                "team `{id}` calendar {} → {}",
                old.calendar, t.calendar
            )));
        }
        if old.owner.name != t.owner.name {
            out.push(plain(format!(
                "team `{id}` owner {} → {}",
                old.owner.name, t.owner.name
            )));
        }
        let names = |t: &slate_policy::model::Team| -> Vec<String> {
            t.backups.iter().map(|c| c.name.clone()).collect()
        };
        if names(old) != names(t) {
            out.push(plain(format!(
                "team `{id}` backups [{}] → [{}]",
                list(&names(old)),
                list(&names(t))
            )));
        }
        if old.on_call != t.on_call {
            out.push(plain(format!(
                "team `{id}` on call: {} → {}",
                old.on_call, t.on_call
            )));
        }
        let alerts = |t: &slate_policy::model::Team| {
            [
                ("slack", &t.alerts.slack),
                ("teams", &t.alerts.teams),
                ("email", &t.alerts.email),
                ("pager", &t.alerts.pager),
            ]
            .iter()
            .map(|(k, v)| (*k, (*v).clone()))
            .collect::<Vec<_>>()
        };
        for ((kind, x), (_, y)) in alerts(old).iter().zip(alerts(t).iter()) {
            if x != y {
                out.push(plain(format!(
                    "team `{id}` {kind} alerts {} → {}",
                    x.as_deref().unwrap_or("none"),
                    y.as_deref().unwrap_or("none")
                )));
            }
        }
    }
    for id in a.teams.keys().filter(|id| !b.teams.contains_key(*id)) {
        out.push(plain(format!("team `{id}` removed")));
    }
}

// ---------------------------------------------------------- Classification

fn action(label: &str, a: &Action, b: &Action, out: &mut Vec<Change>) {
    if a.route_to != b.route_to {
        out.push(plain(format!(
            "{label} routes to `{}` (was `{}`)",
            b.route_to, a.route_to
        )));
    }
    let teams = |a: &Action| -> Vec<String> { a.notify.iter().map(|n| n.team.clone()).collect() };
    if teams(a) != teams(b) {
        out.push(plain(format!(
            "{label} notifies [{}] (was [{}])",
            list(&teams(b)),
            list(&teams(a))
        )));
    }
}

/// A change that reads best as the branches added to or removed from an
/// `any` or `all` (or the keywords of a keyword test); false when the change
/// is not of that shape.
fn structural(
    label: &str,
    a: &slate_policy::model::Condition,
    b: &slate_policy::model::Condition,
    out: &mut Vec<Change>,
) -> bool {
    use slate_policy::model::Condition;
    if let (Condition::Keywords(x), Condition::Keywords(y)) = (a, b) {
        set_change(&format!("{label} keywords"), x, y, out);
        return true;
    }
    let (x, y, any) = match (a, b) {
        (Condition::Any(x), Condition::Any(y)) => (x, y, true),
        (Condition::All(x), Condition::All(y)) => (x, y, false),
        _ => return false,
    };
    let added: Vec<&Condition> = y
        .iter()
        .filter(|c| !x.iter().any(|d| describe::same(c, d)))
        .collect();
    let removed: Vec<&Condition> = x
        .iter()
        .filter(|c| !y.iter().any(|d| describe::same(c, d)))
        .collect();
    if let ([old], [new]) = (removed.as_slice(), added.as_slice())
        && let (Condition::Keywords(p), Condition::Keywords(q)) = (old, new)
    {
        set_change(&format!("{label} keywords"), p, q, out);
        return true;
    }
    let (more, fewer) = if any {
        ("now also matches", "no longer matches")
    } else {
        ("now also requires", "no longer requires")
    };
    for c in added {
        out.push(plain(format!("{label} {more} {}", describe::condition(c))));
    }
    for c in removed {
        out.push(plain(format!("{label} {fewer} {}", describe::condition(c))));
    }
    true
}

fn condition_change(
    label: &str,
    a: &slate_policy::model::Condition,
    b: &slate_policy::model::Condition,
    sides: &Sides<'_>,
    out: &mut Vec<Change>,
) {
    if describe::same(a, b) {
        return;
    }
    if structural(label, a, b, out) {
        return;
    }
    let found = sets::condition(a, b, &sides.catalogues);
    if found.regions.is_empty() && !found.incomplete {
        out.push(plain(format!(
            "{label} condition rewritten with the same meaning: {}",
            describe::condition(b)
        )));
        return;
    }
    for region in &found.regions {
        let verb = if region.to == "matches" {
            "now also matches"
        } else {
            "no longer matches"
        };
        out.push(plain(format!("{label} {verb} {}", region.when)));
    }
    if found.more > 0 || found.incomplete {
        out.push(plain(format!(
            "{label} condition {} → {}",
            describe::condition(a),
            describe::condition(b)
        )));
    }
}

fn classification(
    a: &Classification,
    b: &Classification,
    sides: &Sides<'_>,
    out: &mut Vec<Change>,
) {
    let ids =
        |c: &Classification| -> Vec<String> { c.priorities.iter().map(|p| p.id.clone()).collect() };
    set_change("priorities", &ids(a), &ids(b), out);
    let (ia, ib) = (ids(a), ids(b));
    let common_a: Vec<&String> = ia.iter().filter(|p| ib.contains(p)).collect();
    let common_b: Vec<&String> = ib.iter().filter(|p| ia.contains(p)).collect();
    if common_a != common_b {
        out.push(plain(format!(
            "priority order [{}] → [{}]",
            list(&ia),
            list(&ib)
        )));
    }
    set_change("segments", &a.segments, &b.segments, out);
    set_change("channels", &a.channels, &b.channels, out);
    let (both, added, removed) = by_id(&a.rules, &b.rules, |r| r.id.as_str());
    for r in added {
        out.push(plain(format!(
            "new rule `{}`: {} → {}",
            r.id,
            describe::condition(&r.when),
            sides.priority(true, r.priority)
        )));
    }
    for r in removed {
        out.push(plain(format!("rule `{}` removed", r.id)));
    }
    for (x, y) in both {
        let label = format!("rule `{}`", y.id);
        let (px, py) = (
            sides.priority(false, x.priority),
            sides.priority(true, y.priority),
        );
        if px != py {
            let rank = |c: &Classification, p: &str| c.priorities.iter().position(|q| q.id == p);
            let direction = match (rank(b, &py), rank(b, &px)) {
                (Some(new), Some(old)) if new < old => Some(Direction::Tighter),
                (Some(new), Some(old)) if new > old => Some(Direction::Looser),
                _ => None,
            };
            out.push(change(format!("{label} priority {px} → {py}"), direction));
        }
        condition_change(&label, &x.when, &y.when, sides, out);
        action(&label, &x.action, &y.action, out);
    }
    let order = |c: &Classification, other: &Classification| -> Vec<String> {
        c.rules
            .iter()
            .filter(|r| other.rules.iter().any(|o| o.id == r.id))
            .map(|r| r.id.clone())
            .collect()
    };
    if order(a, b) != order(b, a) {
        out.push(plain(format!(
            "rule order [{}] → [{}] (the first matching rule decides)",
            list(&order(a, b)),
            list(&order(b, a))
        )));
    }
    let (dx, dy) = (
        sides.priority(false, a.default_priority),
        sides.priority(true, b.default_priority),
    );
    if dx != dy {
        out.push(plain(format!("default priority {dx} → {dy}")));
    }
    action("the default", &a.default_action, &b.default_action, out);
}

// --------------------------------------------------------------- SlaPolicy

/// A metric in words: `first response`.
fn metric(m: SlaMetric) -> String {
    m.name().replace('_', " ")
}

fn scope(e: &SlaEntry, sides: &Sides<'_>, head: bool) -> String {
    let segments = if e.segments.is_empty() {
        "all segments".to_owned()
    } else {
        e.segments.join("/")
    };
    let mut text = format!("{} × {segments}", sides.priority(head, e.priority));
    if let Some(when) = &e.when {
        text.push_str(&format!(" when {}", describe::condition(when)));
    }
    text
}

fn entry(label: &str, x: &SlaEntry, y: &SlaEntry, sides: &Sides<'_>, out: &mut Vec<Change>) {
    let (sx, sy) = (scope(x, sides, false), scope(y, sides, true));
    if sx != sy {
        out.push(plain(format!("{label} now applies to {sy} (was {sx})")));
    }
    if x.calendar != y.calendar {
        out.push(plain(format!(
            "{label} counts in calendar {} (was {})",
            y.calendar, x.calendar
        )));
    }
    let metrics: BTreeSet<SlaMetric> = x.targets.keys().chain(y.targets.keys()).copied().collect();
    for m in metrics {
        match (x.targets.get(&m), y.targets.get(&m)) {
            (Some(a), Some(b)) => duration(&format!("{sy} {}", metric(m)), *a, *b, out),
            (None, Some(b)) => out.push(change(
                format!("{sy} {} target added: {b}", metric(m)),
                Some(Direction::Tighter),
            )),
            (Some(a), None) => out.push(change(
                format!("{sy} {} target removed (was {a})", metric(m)),
                Some(Direction::Looser),
            )),
            (None, None) => {}
        }
    }
}

fn targets(e: &SlaEntry) -> String {
    let parts: Vec<String> = e
        .targets
        .iter()
        .map(|(m, d)| format!("{} {d}", metric(*m)))
        .collect();
    parts.join(", ")
}

fn sla(a: &SlaPolicy, b: &SlaPolicy, sides: &Sides<'_>, out: &mut Vec<Change>) {
    if a.calendar != b.calendar {
        out.push(plain(format!("calendar {} → {}", a.calendar, b.calendar)));
    }
    if a.warnings != b.warnings {
        let w = |v: &[f64]| -> String {
            let parts: Vec<String> = v.iter().map(|p| format!("{p}%")).collect();
            parts.join(", ")
        };
        out.push(plain(format!(
            "warnings [{}] → [{}]",
            w(&a.warnings),
            w(&b.warnings)
        )));
    }
    for (label, x, y) in [
        ("pending", &a.paused_when_pending, &b.paused_when_pending),
        ("on hold", &a.paused_when_on_hold, &b.paused_when_on_hold),
    ] {
        for m in y.difference(x) {
            out.push(change(
                format!("{} now pauses while {label}", metric(*m)),
                Some(Direction::Looser),
            ));
        }
        for m in x.difference(y) {
            out.push(change(
                format!("{} no longer pauses while {label}", metric(*m)),
                Some(Direction::Tighter),
            ));
        }
    }
    let (both, added, removed) = by_id(&a.entries, &b.entries, |e| e.id.as_str());
    for e in added {
        out.push(plain(format!(
            "new target entry `{}` for {}: {}",
            e.id,
            scope(e, sides, true),
            targets(e)
        )));
    }
    for e in removed {
        out.push(plain(format!(
            "target entry `{}` for {} removed",
            e.id,
            scope(e, sides, false)
        )));
    }
    for (x, y) in both {
        entry(&format!("entry `{}`", y.id), x, y, sides, out);
    }
    match (&a.default, &b.default) {
        (Some(x), Some(y)) => {
            let metrics: BTreeSet<SlaMetric> =
                x.targets.keys().chain(y.targets.keys()).copied().collect();
            for m in metrics {
                if let (Some(p), Some(q)) = (x.targets.get(&m), y.targets.get(&m)) {
                    duration(&format!("default {}", metric(m)), *p, *q, out);
                }
            }
            if x.calendar != y.calendar {
                out.push(plain(format!(
                    "default counts in calendar {} (was {})",
                    y.calendar, x.calendar
                )));
            }
        }
        (None, Some(y)) => out.push(plain(format!("new default targets: {}", targets(y)))),
        (Some(_), None) => out.push(change(
            "default targets removed".to_owned(),
            Some(Direction::Looser),
        )),
        (None, None) => {}
    }
}

// -------------------------------------------------------- EscalationMatrix

fn on(t: &TriggerOn) -> String {
    match t {
        TriggerOn::Inactivity(d) => format!("inactivity {d}"),
        TriggerOn::OpenFor(d) => format!("open for {d}"),
        TriggerOn::SlaAtRisk { metric: m, percent } => {
            format!("{} at risk at {percent}%", metric(*m))
        }
        TriggerOn::Keywords(words) => format!("keywords {{{}}}", list(words)),
        TriggerOn::SentimentBelow(s) => format!("sentiment below {s}"),
        TriggerOn::RefundOverAuthority => "refund over authority".to_owned(),
        TriggerOn::Reopened => "reopened".to_owned(),
        TriggerOn::Created => "created".to_owned(),
    }
}

fn trigger_label(t: &Trigger, sides: &Sides<'_>, head: bool) -> String {
    let mut parts = Vec::new();
    if !t.at_levels.is_empty() {
        let levels: Vec<String> = t.at_levels.iter().map(|l| sides.level(head, *l)).collect();
        parts.push(levels.join(", "));
    }
    if let Some(when) = &t.when {
        parts.push(describe::condition(when));
    }
    if parts.is_empty() {
        format!("trigger `{}`", t.id)
    } else {
        format!("trigger `{}` ({})", t.id, parts.join(" · "))
    }
}

fn to(t: &EscalateTo, sides: &Sides<'_>, head: bool) -> String {
    match t {
        EscalateTo::Next => "the next level".to_owned(),
        EscalateTo::Level(l) => sides.level(head, *l),
        EscalateTo::Team(team) => format!("team `{team}`"),
    }
}

fn trigger(x: &Trigger, y: &Trigger, sides: &Sides<'_>, out: &mut Vec<Change>) {
    let label = trigger_label(y, sides, true);
    match (&x.on, &y.on) {
        (TriggerOn::Inactivity(a), TriggerOn::Inactivity(b)) => {
            duration(&format!("{label} inactivity"), *a, *b, out)
        }
        (TriggerOn::OpenFor(a), TriggerOn::OpenFor(b)) => {
            duration(&format!("{label} open for"), *a, *b, out)
        }
        (
            TriggerOn::SlaAtRisk {
                metric: m,
                percent: p,
            },
            TriggerOn::SlaAtRisk {
                metric: n,
                percent: q,
            },
        ) if m == n && p != q => {
            let direction = if q > p {
                Direction::Looser
            } else {
                Direction::Tighter
            };
            out.push(change(
                format!("{label} fires at {p}% → {q}% of the {} target", metric(*m)),
                Some(direction),
            ));
        }
        (TriggerOn::SentimentBelow(p), TriggerOn::SentimentBelow(q)) if p != q => {
            let direction = if q > p {
                Direction::Tighter
            } else {
                Direction::Looser
            };
            out.push(change(
                format!("{label} sentiment threshold {p} → {q}"),
                Some(direction),
            ));
        }
        (TriggerOn::Keywords(a), TriggerOn::Keywords(b)) => {
            set_change(&format!("{label} keywords"), a, b, out);
        }
        (a, b) if a != b => out.push(plain(format!("{label} fires on {} (was {})", on(b), on(a)))),
        _ => {}
    }
    let levels = |t: &Trigger, head: bool| -> Vec<String> {
        t.at_levels.iter().map(|l| sides.level(head, *l)).collect()
    };
    if levels(x, false) != levels(y, true) {
        out.push(plain(format!(
            "trigger `{}` armed at [{}] (was [{}])",
            y.id,
            list(&levels(y, true)),
            list(&levels(x, false))
        )));
    }
    match (&x.when, &y.when) {
        (Some(a), Some(b)) => condition_change(&format!("trigger `{}`", y.id), a, b, sides, out),
        (None, Some(b)) => out.push(plain(format!(
            "trigger `{}` now only when {}",
            y.id,
            describe::condition(b)
        ))),
        (Some(a), None) => out.push(plain(format!(
            "trigger `{}` no longer limited to {}",
            y.id,
            describe::condition(a)
        ))),
        (None, None) => {}
    }
    let (tx, ty) = (to(&x.to, sides, false), to(&y.to, sides, true));
    if tx != ty {
        out.push(plain(format!(
            "trigger `{}` escalates to {ty} (was {tx})",
            y.id
        )));
    }
    if x.kind != y.kind {
        out.push(plain(format!(
            "trigger `{}` kind {:?} → {:?}",
            y.id, x.kind, y.kind
        )));
    }
}

fn level(x: &Level, y: &Level, sides: &Sides<'_>, out: &mut Vec<Change>) {
    let id = &y.id;
    if x.team != y.team {
        out.push(plain(format!(
            "level {id} team `{}` → `{}`",
            x.team, y.team
        )));
    }
    duration(&format!("level {id} response"), x.response, y.response, out);
    match (x.response_max, y.response_max) {
        (Some(a), Some(b)) => duration(&format!("level {id} response at most"), a, b, out),
        (None, Some(b)) => out.push(plain(format!("level {id} response at most {b} (new)"))),
        (Some(a), None) => out.push(plain(format!(
            "level {id} response upper bound {a} removed"
        ))),
        (None, None) => {}
    }
    let up = |l: &Level, head: bool| l.escalates_to.map(|i| sides.level(head, i));
    if up(x, false) != up(y, true) {
        out.push(plain(format!(
            "level {id} escalates to {} (was {})",
            up(y, true).unwrap_or_else(|| "nothing".to_owned()),
            up(x, false).unwrap_or_else(|| "nothing".to_owned())
        )));
    }
}

fn matrix(a: &EscalationMatrix, b: &EscalationMatrix, sides: &Sides<'_>, out: &mut Vec<Change>) {
    let (both, added, removed) = by_id(&a.levels, &b.levels, |l| l.id.as_str());
    for l in added {
        out.push(plain(format!(
            "new level {} (team `{}`, response {})",
            l.id, l.team, l.response
        )));
    }
    for l in removed {
        out.push(change(
            format!("level {} removed", l.id),
            Some(Direction::Looser),
        ));
    }
    for (x, y) in both {
        level(x, y, sides, out);
    }
    let (both, added, removed) = by_id(&a.entry, &b.entry, |e| e.id.as_str());
    for e in added {
        out.push(plain(format!(
            "new entry rule `{}`: {} → {}",
            e.id,
            describe::condition(&e.when),
            sides.level(true, e.level)
        )));
    }
    for e in removed {
        out.push(plain(format!("entry rule `{}` removed", e.id)));
    }
    for (x, y) in both {
        let (lx, ly) = (sides.level(false, x.level), sides.level(true, y.level));
        if lx != ly {
            out.push(plain(format!(
                "entry rule `{}` enters at {ly} (was {lx})",
                y.id
            )));
        }
        condition_change(
            &format!("entry rule `{}`", y.id),
            &x.when,
            &y.when,
            sides,
            out,
        );
    }
    let (both, added, removed) = by_id(&a.triggers, &b.triggers, |t| t.id.as_str());
    for t in added {
        out.push(change(
            format!(
                "new {} on {} → {}",
                trigger_label(t, sides, true),
                on(&t.on),
                to(&t.to, sides, true)
            ),
            Some(Direction::Tighter),
        ));
    }
    for t in removed {
        out.push(change(
            format!("{} removed", trigger_label(t, sides, false)),
            Some(Direction::Looser),
        ));
    }
    for (x, y) in both {
        trigger(x, y, sides, out);
    }
}

// --------------------------------------------------------- RefundAuthority

fn refunds(a: &RefundAuthority, b: &RefundAuthority, out: &mut Vec<Change>) {
    let limits = |r: &RefundAuthority| -> BTreeMap<(u8, String), Decimal> {
        r.limits
            .iter()
            .flat_map(|l| l.up_to.iter().map(move |(c, v)| ((l.tier, c.clone()), *v)))
            .collect()
    };
    let (la, lb) = (limits(a), limits(b));
    let keys: BTreeSet<&(u8, String)> = la.keys().chain(lb.keys()).collect();
    for key in keys {
        let (tier, currency) = key;
        match (la.get(key), lb.get(key)) {
            (Some(x), Some(y)) if x != y => {
                let direction = if y > x {
                    Direction::MoreAuthority
                } else {
                    Direction::LessAuthority
                };
                out.push(change(
                    format!("Tier {tier} refund authority {x} {currency} → {y} {currency}"),
                    Some(direction),
                ));
            }
            (None, Some(y)) => out.push(change(
                format!("Tier {tier} may now approve refunds up to {y} {currency}"),
                Some(Direction::MoreAuthority),
            )),
            (Some(x), None) => out.push(change(
                format!("Tier {tier} refund authority of {x} {currency} removed"),
                Some(Direction::LessAuthority),
            )),
            _ => {}
        }
    }
    let approver = |r: &RefundAuthority| {
        r.final_approver.as_ref().map_or_else(
            || "nobody".to_owned(),
            |(team, role)| format!("{role} ({team})"),
        )
    };
    if approver(a) != approver(b) {
        out.push(plain(format!(
            "final refund approver {} → {}",
            approver(a),
            approver(b)
        )));
    }
}

// -------------------------------------------------------------- Benchmarks

fn value(v: Option<BandValue>) -> Option<f64> {
    v.map(|v| match v {
        BandValue::Percent(p) => p,
        BandValue::Duration(d) => f64::from(d.minutes()),
    })
}

fn band_text(min: Option<f64>, max: Option<f64>, unit: &str) -> String {
    match (min, max) {
        (Some(a), Some(b)) => format!("{a}–{b}{unit}"),
        (Some(a), None) => format!("≥ {a}{unit}"),
        (None, Some(b)) => format!("≤ {b}{unit}"),
        (None, None) => "unbounded".to_owned(),
    }
}

fn benchmarks(a: &Benchmarks, b: &Benchmarks, sides: &Sides<'_>, out: &mut Vec<Change>) {
    let key = |band: &slate_policy::model::Band, head: bool| {
        let mut k = band.metric.name().to_owned();
        if let Some(p) = band.priority {
            k.push_str(&format!(" priority={}", sides.priority(head, p)));
        }
        if let Some(s) = &band.segment {
            k.push_str(&format!(" segment={s}"));
        }
        k
    };
    let unit = |band: &slate_policy::model::Band| match band.min.or(band.max).or(band.alert_above) {
        Some(BandValue::Duration(_)) => " min",
        _ => "%",
    };
    for y in &b.bands {
        let k = key(y, true);
        let Some(x) = a.bands.iter().find(|x| key(x, false) == k) else {
            out.push(plain(format!(
                "new band {k}: {}",
                band_text(value(y.min), value(y.max), unit(y))
            )));
            continue;
        };
        let (xmin, xmax, ymin, ymax) = (value(x.min), value(x.max), value(y.min), value(y.max));
        if (xmin, xmax) != (ymin, ymax) {
            let lower = |m: Option<f64>| m.unwrap_or(f64::NEG_INFINITY);
            let upper = |m: Option<f64>| m.unwrap_or(f64::INFINITY);
            let inside = lower(ymin) >= lower(xmin) && upper(ymax) <= upper(xmax);
            let outside = lower(ymin) <= lower(xmin) && upper(ymax) >= upper(xmax);
            let direction = match (inside, outside) {
                (true, false) => Some(Direction::Tighter),
                (false, true) => Some(Direction::Looser),
                _ => None,
            };
            out.push(change(
                format!(
                    "{k} band {} → {}",
                    band_text(xmin, xmax, unit(y)),
                    band_text(ymin, ymax, unit(y))
                ),
                direction,
            ));
        }
        let (xa, ya) = (value(x.alert_above), value(y.alert_above));
        if xa != ya {
            let direction = match (xa, ya) {
                (Some(p), Some(q)) if q > p => Some(Direction::Looser),
                (Some(_), Some(_)) | (None, Some(_)) => Some(Direction::Tighter),
                (Some(_), None) => Some(Direction::Looser),
                (None, None) => None,
            };
            let show = |v: Option<f64>| v.map_or_else(|| "none".to_owned(), |v| format!("{v}"));
            out.push(change(
                format!("{k} alert above {} → {}", show(xa), show(ya)),
                direction,
            ));
        }
    }
    for x in &a.bands {
        let k = key(x, false);
        if !b.bands.iter().any(|y| key(y, true) == k) {
            out.push(change(format!("band {k} removed"), Some(Direction::Looser)));
        }
    }
}

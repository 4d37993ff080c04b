//! Classification changes as sets of ticket attribute combinations,
//! computed from the finite conditions by the lint's solver (a case split
//! over each attribute's cells), never by sampling.

use std::collections::BTreeMap;

use serde::Serialize;
use slate_lint::sat::{self, Cell, Domains, Formula, Var, Witness};
use slate_policy::model::{Classification, Condition};

use crate::describe;

/// Units of solver work (formula nodes visited) for one comparison: far
/// above what real policy sets need, and a bound on what a hostile one costs.
const BUDGET: usize = 40_000_000;
/// Regions found before the search stops; the rest are not looked for.
const REGIONS: usize = 400;
/// Work for each attempt to drop a condition from a region, and for all of
/// them: past it the remaining regions are listed as found.
const SIMPLIFY_BUDGET: usize = 200_000;
const SIMPLIFY_TOTAL: usize = 20_000_000;
/// Regions listed; the rest are counted.
const LISTED: usize = 40;

/// Tickets described by their attributes whose outcome changes.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Region {
    pub when: String,
    pub from: String,
    pub to: String,
}

/// The regions of a change, the first [`LISTED`] of them.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct Sets {
    pub regions: Vec<Region>,
    /// Regions not listed.
    pub more: usize,
    /// The search ran out of budget or stopped at the region limit: the
    /// regions are incomplete.
    pub incomplete: bool,
}

/// The values a ticket's enum fields can take on either side.
#[derive(Clone, Debug, Default)]
pub struct Catalogues {
    pub priorities: Vec<String>,
    pub segments: Vec<String>,
    pub channels: Vec<String>,
}

impl Catalogues {
    pub fn of(base: &Classification, head: &Classification) -> Self {
        let union = |a: Vec<String>, b: Vec<String>| {
            let mut all = a;
            for x in b {
                if !all.contains(&x) {
                    all.push(x);
                }
            }
            all
        };
        let ids = |c: &Classification| c.priorities.iter().map(|p| p.id.clone()).collect();
        Self {
            priorities: union(ids(base), ids(head)),
            segments: union(base.segments.clone(), head.segments.clone()),
            channels: union(base.channels.clone(), head.channels.clone()),
        }
    }

    fn domains(&self, formulas: &[&Formula]) -> Domains {
        Domains::new(
            formulas,
            &self.priorities,
            &self.segments,
            &self.channels,
            &[Var::Segment, Var::Channel],
        )
    }
}

/// The decision list of a classification: each rule's condition and
/// priority id, then the default.
fn decisions(c: &Classification) -> (Vec<(Formula, String)>, String) {
    let id = |i: usize| {
        c.priorities
            .get(i)
            .map_or_else(String::new, |p| p.id.clone())
    };
    (
        c.rules
            .iter()
            .map(|r| (sat::compile(&r.when), id(r.priority)))
            .collect(),
        id(c.default_priority),
    )
}

/// The attribute combinations whose priority changes.
pub fn classification(base: &Classification, head: &Classification) -> Sets {
    let catalogues = Catalogues::of(base, head);
    let (a, a_default) = decisions(base);
    let (b, b_default) = decisions(head);
    let formulas: Vec<&Formula> = a.iter().chain(&b).map(|(f, _)| f).collect();
    let domains = catalogues.domains(&formulas);
    sets(
        (&a, &a_default),
        (&b, &b_default),
        &domains,
        |x: &String| x.clone(),
    )
}

/// Where a condition's meaning changed: the tickets it now also matches,
/// and those it no longer matches.
pub fn condition(old: &Condition, new: &Condition, catalogues: &Catalogues) -> Sets {
    let a = [(sat::compile(old), true)];
    let b = [(sat::compile(new), true)];
    let formulas: Vec<&Formula> = a.iter().chain(&b).map(|(f, _)| f).collect();
    let domains = catalogues.domains(&formulas);
    sets((&a, &false), (&b, &false), &domains, |x: &bool| {
        if *x { "matches" } else { "no match" }.to_owned()
    })
}

fn sets<T: Clone + PartialEq>(
    a: sat::Decisions<'_, T>,
    b: sat::Decisions<'_, T>,
    domains: &Domains,
    name: impl Fn(&T) -> String,
) -> Sets {
    let (found, complete) = sat::decision_regions(a, b, domains, BUDGET, REGIONS);
    let incomplete = !complete;
    let mut merged = simplify(merge(found, domains), a, b, domains);
    let more = merged.len().saturating_sub(LISTED);
    merged.truncate(LISTED);
    Sets {
        regions: merged
            .iter()
            .map(|(cells, from, to)| Region {
                when: describe::region(cells, domains),
                from: name(from),
                to: name(to),
            })
            .collect(),
        more,
        incomplete,
    }
}

/// Drops every condition a region does not need (the outcomes stay the same
/// without it), then regions inside another with the same outcomes.
fn simplify<T: Clone + PartialEq>(
    mut list: Vec<(Cells, T, T)>,
    a: sat::Decisions<'_, T>,
    b: sat::Decisions<'_, T>,
    domains: &Domains,
) -> Vec<(Cells, T, T)> {
    if list.len() > 300 {
        return list;
    }
    let mut left = SIMPLIFY_TOTAL;
    for (cells, from, to) in &mut list {
        let vars: Vec<Var> = cells.keys().cloned().collect();
        for var in vars {
            if left == 0 {
                break;
            }
            let Some(kept) = cells.remove(&var) else {
                continue;
            };
            let budget = left.min(SIMPLIFY_BUDGET);
            let (same, used) = sat::constant_on(cells, a, b, (from, to), domains, budget);
            left = left.saturating_sub(used);
            if same != Some(true) {
                cells.insert(var, kept);
            }
        }
    }
    let inside = |x: &Cells, y: &Cells| {
        y.iter().all(|(var, cells)| {
            x.get(var)
                .is_some_and(|mine| mine.iter().all(|c| cells.contains(c)))
        })
    };
    let mut out: Vec<(Cells, T, T)> = Vec::new();
    for (i, x) in list.iter().enumerate() {
        let covered = list.iter().enumerate().any(|(j, y)| {
            j != i
                && x.1 == y.1
                && x.2 == y.2
                && inside(&x.0, &y.0)
                // Of two equal regions keep the first.
                && (!inside(&y.0, &x.0) || j < i)
        });
        if !covered {
            out.push(x.clone());
        }
    }
    out
}

type Cells = BTreeMap<Var, Vec<Cell>>;

/// Joins regions with the same outcomes that differ in one variable only,
/// and leaves out variables a region does not constrain.
fn merge<T: Clone + PartialEq>(
    found: Vec<(Witness, T, T)>,
    domains: &Domains,
) -> Vec<(Cells, T, T)> {
    let mut list: Vec<(Cells, T, T)> = found
        .into_iter()
        .take(400)
        .map(|(w, a, b)| (w.into_iter().map(|(v, c)| (v, vec![c])).collect(), a, b))
        .collect();
    loop {
        let mut joined = None;
        'search: for (i, x) in list.iter().enumerate() {
            for (j, y) in list.iter().enumerate().skip(i + 1) {
                if x.1 != y.1 || x.2 != y.2 || !x.0.keys().eq(y.0.keys()) {
                    continue;
                }
                let differing: Vec<&Var> =
                    x.0.iter()
                        .filter(|(v, cells)| y.0.get(*v) != Some(*cells))
                        .map(|(v, _)| v)
                        .collect();
                if let [var] = differing.as_slice() {
                    joined = Some((i, j, (*var).clone()));
                    break 'search;
                }
            }
        }
        let Some((i, j, var)) = joined else { break };
        let taken = list.remove(j);
        if let (Some(into), Some(extra)) = (list.get_mut(i), taken.0.get(&var)) {
            into.0.entry(var).or_default().extend(extra.iter().cloned());
        }
    }
    for (cells, _, _) in &mut list {
        cells.retain(|var, c| c.len() < domains.cells_of(var).len());
    }
    list
}

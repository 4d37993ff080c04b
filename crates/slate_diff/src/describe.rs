//! Conditions and solver regions in words, and comparing conditions by
//! meaning (locations and formatting do not count).

use std::collections::BTreeMap;

use slate_lint::sat::{Cell, Domains, OTHER, Var};
use slate_policy::model::{Condition, Field, FieldTest, Scalar};

fn scalar(s: &Scalar) -> String {
    match s {
        Scalar::String(t) => t.clone(),
        Scalar::Int(i) => i.to_string(),
        Scalar::Float(f) => f.to_string(),
        Scalar::Bool(b) => b.to_string(),
    }
}

fn field(f: &Field) -> String {
    match f {
        Field::Priority => "priority".to_owned(),
        Field::Segment => "segment".to_owned(),
        Field::Channel => "channel".to_owned(),
        Field::Tags => "tags".to_owned(),
        Field::Vip => "vip".to_owned(),
        Field::AccountValue => "account_value".to_owned(),
        Field::Custom(name) => format!("fields.{name}"),
    }
}

fn set(items: &[Scalar]) -> String {
    let items: Vec<String> = items.iter().map(scalar).collect();
    format!("{{{}}}", items.join(", "))
}

fn test(name: &str, t: &FieldTest, tags: bool) -> String {
    match t {
        FieldTest::OneOf(items) if tags => format!("{name}∋{}", one_or_set(items)),
        FieldTest::NoneOf(items) if tags => format!("{name}∌{}", one_or_set(items)),
        FieldTest::OneOf(items) if items.len() == 1 => {
            format!("{name}={}", items.first().map(scalar).unwrap_or_default())
        }
        FieldTest::OneOf(items) => format!("{name}∈{}", set(items)),
        FieldTest::NoneOf(items) => format!("{name}∉{}", set(items)),
        FieldTest::Present(true) => format!("{name} present"),
        FieldTest::Present(false) => format!("{name} absent"),
        FieldTest::Range { lower, upper } => {
            let mut parts = Vec::new();
            if let Some((v, inclusive)) = lower {
                parts.push(format!("{name}{}{v}", if *inclusive { "≥" } else { ">" }));
            }
            if let Some((v, inclusive)) = upper {
                parts.push(format!("{name}{}{v}", if *inclusive { "≤" } else { "<" }));
            }
            parts.join(" ∧ ")
        }
    }
}

fn one_or_set(items: &[Scalar]) -> String {
    match items {
        [one] => scalar(one),
        _ => set(items),
    }
}

/// A condition in words: `segment=enterprise ∧ keywords∋{launch, go-live}`.
pub fn condition(c: &Condition) -> String {
    match c {
        Condition::All(items) => join(items, " ∧ "),
        Condition::Any(items) => join(items, " ∨ "),
        Condition::Not(inner) => format!("¬({})", condition(inner)),
        Condition::Keywords(words) => format!(
            "keywords∋{}",
            match words.as_slice() {
                [one] => one.clone(),
                _ => format!("{{{}}}", words.join(", ")),
            }
        ),
        Condition::Test {
            field: f, tests, ..
        } => {
            let name = field(f);
            let parts: Vec<String> = tests
                .iter()
                .map(|t| test(&name, t, *f == Field::Tags))
                .collect();
            parts.join(" ∧ ")
        }
    }
}

fn join(items: &[Condition], sep: &str) -> String {
    let parts: Vec<String> = items
        .iter()
        .map(|c| match c {
            Condition::All(i) | Condition::Any(i) if i.len() > 1 => format!("({})", condition(c)),
            _ => condition(c),
        })
        .collect();
    parts.join(sep)
}

/// Whether two conditions mean the same (locations do not count).
pub fn same(a: &Condition, b: &Condition) -> bool {
    match (a, b) {
        (Condition::All(x), Condition::All(y)) | (Condition::Any(x), Condition::Any(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q))
        }
        (Condition::Not(x), Condition::Not(y)) => same(x, y),
        (Condition::Keywords(x), Condition::Keywords(y)) => x == y,
        (
            Condition::Test {
                field: f, tests: t, ..
            },
            Condition::Test {
                field: g, tests: u, ..
            },
        ) => f == g && t == u,
        _ => false,
    }
}

/// Optional conditions compared by meaning.
pub fn same_opt(a: Option<&Condition>, b: Option<&Condition>) -> bool {
    match (a, b) {
        (Some(x), Some(y)) => same(x, y),
        (None, None) => true,
        _ => false,
    }
}

fn var_name(var: &Var) -> String {
    match var {
        Var::Priority => "priority".to_owned(),
        Var::Segment => "segment".to_owned(),
        Var::Channel => "channel".to_owned(),
        Var::Vip => "vip".to_owned(),
        Var::AccountValue => "account_value".to_owned(),
        Var::Custom(name) => format!("fields.{name}"),
        Var::Tag(t) => t.clone(),
        Var::Keyword(k) => k.clone(),
    }
}

fn cell_value(cell: &Cell) -> String {
    match cell {
        Cell::Absent => "unset".to_owned(),
        Cell::Text(t) if t == OTHER => "any other".to_owned(),
        Cell::Text(t) => t.clone(),
        Cell::Number(n) => format!("≈{n}"),
        Cell::Bool(b) => b.to_string(),
    }
}

/// A region (each variable with the cells it may take) in words:
/// `segment∈{smb, mid-market} ∧ keywords∋outage ∧ tags∌{security, vip}`.
/// Variables free in the region are left out; absent tags and keywords are
/// grouped; the empty region is `every ticket`.
pub fn region(cells: &BTreeMap<Var, Vec<Cell>>, domains: &Domains) -> String {
    let mut parts = Vec::new();
    let (mut no_tags, mut no_keywords) = (Vec::new(), Vec::new());
    for (var, cells) in cells {
        let truth = match cells.as_slice() {
            [Cell::Bool(b)] => Some(*b),
            _ => None,
        };
        match (var, truth) {
            (Var::Keyword(k), Some(true)) => parts.push(format!("keywords∋{k}")),
            (Var::Keyword(k), Some(false)) => no_keywords.push(k.clone()),
            (Var::Tag(t), Some(true)) if t == OTHER => parts.push("some tag".to_owned()),
            (Var::Tag(t), Some(false)) if t == OTHER => parts.push("no tags".to_owned()),
            (Var::Tag(t), Some(true)) => parts.push(format!("tags∋{t}")),
            (Var::Tag(t), Some(false)) => no_tags.push(t.clone()),
            (Var::Vip, Some(true)) => parts.push("vip".to_owned()),
            (Var::Vip, Some(false)) => parts.push("¬vip".to_owned()),
            _ if cells.iter().any(|c| matches!(c, Cell::Number(_))) => {
                parts.push(numbers(var, cells, &domains.cells_of(var)));
            }
            _ => parts.push(match cells.as_slice() {
                [one] => format!("{}={}", var_name(var), cell_value(one)),
                many => {
                    let values: Vec<String> = many.iter().map(cell_value).collect();
                    format!("{}∈{{{}}}", var_name(var), values.join(", "))
                }
            }),
        }
    }
    for (name, list) in [("tags", no_tags), ("keywords", no_keywords)] {
        match list.as_slice() {
            [] => {}
            [one] => parts.push(format!("{name}∌{one}")),
            many => parts.push(format!("{name}∌{{{}}}", many.join(", "))),
        }
    }
    if parts.is_empty() {
        "every ticket".to_owned()
    } else {
        parts.join(" ∧ ")
    }
}

/// Numeric cells as intervals between the thresholds the conditions name.
/// The solver's numeric cells alternate: below the first threshold, the
/// first threshold, between it and the next, the next, …, above the last.
fn numbers(var: &Var, cells: &[Cell], domain: &[Cell]) -> String {
    let name = var_name(var);
    let numeric: Vec<f64> = domain
        .iter()
        .filter_map(|c| match c {
            Cell::Number(n) => Some(*n),
            _ => None,
        })
        .collect();
    let point = |k: usize| numeric.get(2 * k + 1).copied().unwrap_or_default();
    let mut chosen: Vec<usize> = cells
        .iter()
        .filter_map(|c| match c {
            Cell::Number(n) => numeric.iter().position(|m| m == n),
            _ => None,
        })
        .collect();
    chosen.sort_unstable();
    let mut parts: Vec<String> = cells
        .iter()
        .filter(|c| !matches!(c, Cell::Number(_)))
        .map(|c| match c {
            Cell::Absent => format!("{name} unset"),
            other => format!("{name}={}", cell_value(other)),
        })
        .collect();
    let last = numeric.len().saturating_sub(1);
    let mut i = 0;
    while let Some(&start) = chosen.get(i) {
        let mut end = start;
        while chosen.get(i + 1) == Some(&(end + 1)) {
            end += 1;
            i += 1;
        }
        i += 1;
        let lower = match start {
            0 => None,
            s if s % 2 == 1 => Some(("≥", "[", point(s / 2))),
            s => Some((">", "(", point(s / 2 - 1))),
        };
        let upper = match end {
            e if e == last => None,
            e if e % 2 == 1 => Some(("≤", "]", point(e / 2))),
            e => Some(("<", ")", point(e / 2))),
        };
        parts.push(match (lower, upper) {
            (Some((_, _, a)), Some((_, _, b))) if a == b => format!("{name}={a}"),
            (Some((_, open, a)), Some((_, close, b))) => format!("{name}∈{open}{a}, {b}{close}"),
            (Some((op, _, a)), None) => format!("{name}{op}{a}"),
            (None, Some((op, _, b))) => format!("{name}{op}{b}"),
            (None, None) => format!("{name} set"),
        });
    }
    match parts.as_slice() {
        [one] => one.clone(),
        _ => format!("({})", parts.join(" or ")),
    }
}

#[cfg(test)]
mod tests {
    use slate_lint::sat::Formula;
    use slate_policy::model::FieldTest;

    use super::*;

    #[test]
    fn numeric_cells_read_as_intervals() {
        // Thresholds 2 and 10: cells below 2, 2, between, 10, above 10.
        let f = Formula::Tests(
            Var::AccountValue,
            vec![FieldTest::Range {
                lower: Some((2.0, true)),
                upper: Some((10.0, false)),
            }],
        );
        let domains = Domains::new(&[&f], &[], &[], &[], &[]);
        let all = domains.cells_of(&Var::AccountValue);
        let numeric: Vec<Cell> = all
            .iter()
            .filter(|c| matches!(c, Cell::Number(_)))
            .cloned()
            .collect();
        assert_eq!(numeric.len(), 5);
        let interval = |picked: &[usize]| {
            let cells: Vec<Cell> = picked.iter().map(|i| numeric[*i].clone()).collect();
            numbers(&Var::AccountValue, &cells, &all)
        };
        assert_eq!(interval(&[0]), "account_value<2");
        assert_eq!(interval(&[1, 2]), "account_value∈[2, 10)");
        assert_eq!(interval(&[3, 4]), "account_value≥10");
        assert_eq!(interval(&[1]), "account_value=2");
        assert_eq!(
            interval(&[0, 3, 4]),
            "(account_value<2 or account_value≥10)"
        );
        let mut cells = BTreeMap::new();
        cells.insert(Var::Keyword("outage".into()), vec![Cell::Bool(true)]);
        cells.insert(Var::Keyword("legal".into()), vec![Cell::Bool(false)]);
        cells.insert(Var::Keyword("cancel".into()), vec![Cell::Bool(false)]);
        cells.insert(
            Var::Segment,
            vec![Cell::Text("smb".into()), Cell::Text("mid-market".into())],
        );
        assert_eq!(
            region(&cells, &domains),
            "segment∈{smb, mid-market} ∧ keywords∋outage ∧ keywords∌{cancel, legal}"
        );
    }
}

//! Deciding finite conditions: satisfiability with a witness.
//!
//! A condition is compiled into a formula over finitely many variables (the
//! ticket attributes it tests, each tag and each keyword). Every variable has
//! a finite set of cells — the catalogue values and "anything else" for enum
//! fields, the intervals between thresholds for numbers, true/false for tags,
//! keywords and VIP — so satisfiability is decided by a case split with
//! constant folding, and a satisfying assignment is a concrete
//! counterexample ticket.

use std::collections::{BTreeMap, BTreeSet};

use slate_policy::model::{Condition, Field, FieldTest, Scalar};

/// A ticket attribute, as the solver sees it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Var {
    Priority,
    Segment,
    Channel,
    Vip,
    AccountValue,
    Custom(String),
    /// The ticket has this tag.
    Tag(String),
    /// The ticket's text has this keyword.
    Keyword(String),
}

/// One value a variable can take, standing for a whole class.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Absent,
    Text(String),
    Number(f64),
    Bool(bool),
}

/// A formula over variables.
#[derive(Clone, Debug)]
pub enum Formula {
    Const(bool),
    /// The variable's value passes every test.
    Tests(Var, Vec<FieldTest>),
    /// The boolean variable is true.
    Is(Var),
    And(Vec<Formula>),
    Or(Vec<Formula>),
    Not(Box<Formula>),
}

impl Formula {
    pub fn and(items: Vec<Formula>) -> Self {
        Self::And(items)
    }
    pub fn or(items: Vec<Formula>) -> Self {
        Self::Or(items)
    }
    #[expect(
        clippy::should_implement_trait,
        reason = "a constructor, not an operator"
    )]
    pub fn not(f: Formula) -> Self {
        Self::Not(Box::new(f))
    }
    /// `var` equals one of `values`.
    pub fn one_of(var: Var, values: &[&str]) -> Self {
        Self::Tests(
            var,
            vec![FieldTest::OneOf(
                values
                    .iter()
                    .map(|v| Scalar::String((*v).to_owned()))
                    .collect(),
            )],
        )
    }
}

impl Formula {
    /// This formula with `var` fixed to `value`: its tests are decided, the
    /// rest is left to the solver. Used where one variable means two things,
    /// e.g. the recorded priority classification rules see and the
    /// classified priority entry rules see.
    pub fn fix(&self, var: &Var, value: &Cell) -> Formula {
        match self {
            Formula::Tests(v, tests) if v == var => {
                Formula::Const(tests.iter().all(|t| test_cell(value, t)))
            }
            Formula::Is(v) if v == var => Formula::Const(*value == Cell::Bool(true)),
            Formula::And(items) => Formula::And(items.iter().map(|f| f.fix(var, value)).collect()),
            Formula::Or(items) => Formula::Or(items.iter().map(|f| f.fix(var, value)).collect()),
            Formula::Not(inner) => Formula::not(inner.fix(var, value)),
            other => other.clone(),
        }
    }
}

/// Compiles a checked condition.
pub fn compile(condition: &Condition) -> Formula {
    match condition {
        Condition::All(items) => Formula::And(items.iter().map(compile).collect()),
        Condition::Any(items) => Formula::Or(items.iter().map(compile).collect()),
        Condition::Not(inner) => Formula::not(compile(inner)),
        Condition::Keywords(words) => Formula::Or(
            words
                .iter()
                .map(|w| Formula::Is(Var::Keyword(w.clone())))
                .collect(),
        ),
        Condition::Test { field, tests, .. } => match field {
            Field::Tags => Formula::And(
                tests
                    .iter()
                    .map(|t| match t {
                        FieldTest::OneOf(values) => Formula::Or(tag_vars(values)),
                        FieldTest::NoneOf(values) => Formula::not(Formula::Or(tag_vars(values))),
                        FieldTest::Present(p) => {
                            let any = Formula::Is(Var::Tag(OTHER.to_owned()));
                            if *p { any } else { Formula::not(any) }
                        }
                        FieldTest::Range { .. } => Formula::Const(false),
                    })
                    .collect(),
            ),
            Field::Priority => Formula::Tests(Var::Priority, tests.clone()),
            Field::Segment => Formula::Tests(Var::Segment, tests.clone()),
            Field::Channel => Formula::Tests(Var::Channel, tests.clone()),
            Field::Vip => Formula::Tests(Var::Vip, tests.clone()),
            Field::AccountValue => Formula::Tests(Var::AccountValue, tests.clone()),
            Field::Custom(name) => Formula::Tests(Var::Custom(name.clone()), tests.clone()),
        },
    }
}

fn tag_vars(values: &[Scalar]) -> Vec<Formula> {
    values
        .iter()
        .map(|v| match v {
            Scalar::String(s) => Formula::Is(Var::Tag(s.clone())),
            _ => Formula::Const(false),
        })
        .collect()
}

/// Name of the "some other value" cell.
pub const OTHER: &str = "(other)";

fn scalar_matches(cell: &Cell, scalar: &Scalar) -> bool {
    match (cell, scalar) {
        (Cell::Text(t), Scalar::String(s)) => t == s,
        (Cell::Number(n), Scalar::Int(i)) => (*n - *i as f64).abs() < f64::EPSILON,
        (Cell::Number(n), Scalar::Float(f)) => (*n - *f).abs() < f64::EPSILON,
        (Cell::Bool(b), Scalar::Bool(s)) => b == s,
        _ => false,
    }
}

fn test_cell(cell: &Cell, test: &FieldTest) -> bool {
    match test {
        FieldTest::Present(p) => (*cell != Cell::Absent) == *p,
        FieldTest::OneOf(values) => values.iter().any(|v| scalar_matches(cell, v)),
        FieldTest::NoneOf(values) => !values.iter().any(|v| scalar_matches(cell, v)),
        FieldTest::Range { lower, upper } => match cell {
            Cell::Number(n) => {
                lower.is_none_or(|(l, inc)| if inc { *n >= l } else { *n > l })
                    && upper.is_none_or(|(u, inc)| if inc { *n <= u } else { *n < u })
            }
            _ => false,
        },
    }
}

/// The cells of each variable.
#[derive(Clone, Debug, Default)]
pub struct Domains {
    cells: BTreeMap<Var, Vec<Cell>>,
}

impl Domains {
    /// Domains for the variables of `formulas`, with the given catalogues
    /// for the enum fields (`None` entries add "anything else").
    pub fn new(
        formulas: &[&Formula],
        priorities: &[String],
        segments: &[String],
        channels: &[String],
        open: &[Var],
    ) -> Self {
        let mut texts: BTreeMap<Var, BTreeSet<String>> = BTreeMap::new();
        let mut numbers: BTreeMap<Var, Vec<f64>> = BTreeMap::new();
        let mut vars: BTreeSet<Var> = BTreeSet::new();
        for f in formulas {
            collect(f, &mut vars, &mut texts, &mut numbers);
        }
        let mut cells = BTreeMap::new();
        for var in vars {
            let list = match &var {
                Var::Vip | Var::Tag(_) | Var::Keyword(_) => {
                    vec![Cell::Bool(true), Cell::Bool(false)]
                }
                Var::Priority | Var::Segment | Var::Channel => {
                    let catalogue = match var {
                        Var::Priority => priorities,
                        Var::Segment => segments,
                        _ => channels,
                    };
                    // Without a catalogue (a policy file linted on its own)
                    // the values the formulas name stand in, plus anything else.
                    let unknown = catalogue.is_empty();
                    let mut list: Vec<Cell> = if unknown {
                        texts
                            .get(&var)
                            .into_iter()
                            .flatten()
                            .cloned()
                            .map(Cell::Text)
                            .collect()
                    } else {
                        catalogue.iter().map(|v| Cell::Text(v.clone())).collect()
                    };
                    if open.contains(&var) || unknown {
                        list.push(Cell::Text(OTHER.to_owned()));
                    }
                    list
                }
                Var::AccountValue | Var::Custom(_) => {
                    let mut list = vec![Cell::Absent];
                    list.extend(
                        texts
                            .get(&var)
                            .into_iter()
                            .flatten()
                            .map(|t| Cell::Text(t.clone())),
                    );
                    if texts.contains_key(&var) {
                        list.push(Cell::Text(OTHER.to_owned()));
                    }
                    let mut points = numbers.get(&var).cloned().unwrap_or_default();
                    points.sort_by(f64::total_cmp);
                    points.dedup();
                    if let (Some(first), Some(last)) = (points.first(), points.last()) {
                        list.push(Cell::Number(first - 1.0));
                        for pair in points.windows(2) {
                            if let [a, b] = pair {
                                list.push(Cell::Number(*a));
                                list.push(Cell::Number((a + b) / 2.0));
                            }
                        }
                        list.push(Cell::Number(*last));
                        list.push(Cell::Number(last + 1.0));
                    } else if !texts.contains_key(&var) {
                        list.push(Cell::Number(0.0));
                    }
                    list
                }
            };
            cells.insert(var, list);
        }
        Self { cells }
    }
}

fn collect(
    f: &Formula,
    vars: &mut BTreeSet<Var>,
    texts: &mut BTreeMap<Var, BTreeSet<String>>,
    numbers: &mut BTreeMap<Var, Vec<f64>>,
) {
    match f {
        Formula::Const(_) => {}
        Formula::Is(v) => {
            vars.insert(v.clone());
        }
        Formula::Tests(v, tests) => {
            vars.insert(v.clone());
            for t in tests {
                let scalars: &[Scalar] = match t {
                    FieldTest::OneOf(s) | FieldTest::NoneOf(s) => s,
                    FieldTest::Range { lower, upper } => {
                        let n = numbers.entry(v.clone()).or_default();
                        n.extend(lower.iter().map(|(x, _)| *x));
                        n.extend(upper.iter().map(|(x, _)| *x));
                        &[]
                    }
                    FieldTest::Present(_) => &[],
                };
                for s in scalars {
                    match s {
                        Scalar::String(t) => {
                            texts.entry(v.clone()).or_default().insert(t.clone());
                        }
                        Scalar::Int(i) => numbers.entry(v.clone()).or_default().push(*i as f64),
                        Scalar::Float(x) => numbers.entry(v.clone()).or_default().push(*x),
                        Scalar::Bool(_) => {}
                    }
                }
            }
        }
        Formula::And(items) | Formula::Or(items) => {
            for i in items {
                collect(i, vars, texts, numbers);
            }
        }
        Formula::Not(inner) => collect(inner, vars, texts, numbers),
    }
}

/// A satisfying assignment: the attributes a counterexample ticket needs.
pub type Witness = BTreeMap<Var, Cell>;

/// `witness` with every tag and keyword it does not need turned off, so
/// that an example names only what makes `f` hold.
pub fn minimal(f: &Formula, mut witness: Witness) -> Witness {
    let flags: Vec<Var> = witness
        .iter()
        .filter(|(var, cell)| {
            matches!(var, Var::Tag(_) | Var::Keyword(_)) && **cell == Cell::Bool(true)
        })
        .map(|(var, _)| var.clone())
        .collect();
    for var in flags {
        witness.insert(var.clone(), Cell::Bool(false));
        if !matches!(simplify(f, &witness), Formula::Const(true)) {
            witness.insert(var, Cell::Bool(true));
        }
    }
    witness
}

fn simplify(f: &Formula, assign: &Witness) -> Formula {
    match f {
        Formula::Const(b) => Formula::Const(*b),
        Formula::Is(v) => match assign.get(v) {
            Some(Cell::Bool(b)) => Formula::Const(*b),
            Some(_) => Formula::Const(false),
            None => f.clone(),
        },
        Formula::Tests(v, tests) => match assign.get(v) {
            Some(cell) => Formula::Const(tests.iter().all(|t| test_cell(cell, t))),
            None => f.clone(),
        },
        Formula::Not(inner) => match simplify(inner, assign) {
            Formula::Const(b) => Formula::Const(!b),
            other => Formula::not(other),
        },
        Formula::And(items) => {
            let mut out = Vec::new();
            for i in items {
                match simplify(i, assign) {
                    Formula::Const(false) => return Formula::Const(false),
                    Formula::Const(true) => {}
                    other => out.push(other),
                }
            }
            if out.is_empty() {
                Formula::Const(true)
            } else {
                Formula::And(out)
            }
        }
        Formula::Or(items) => {
            let mut out = Vec::new();
            for i in items {
                match simplify(i, assign) {
                    Formula::Const(true) => return Formula::Const(true),
                    Formula::Const(false) => {}
                    other => out.push(other),
                }
            }
            if out.is_empty() {
                Formula::Const(false)
            } else {
                Formula::Or(out)
            }
        }
    }
}

fn first_var(f: &Formula) -> Option<Var> {
    match f {
        Formula::Const(_) => None,
        Formula::Is(v) | Formula::Tests(v, _) => Some(v.clone()),
        Formula::Not(inner) => first_var(inner),
        Formula::And(items) | Formula::Or(items) => items.iter().find_map(first_var),
    }
}

/// The result of a search.
#[derive(Debug)]
pub enum Sat {
    Yes(Witness),
    No,
    /// Too large to decide within the budget.
    Unknown,
}

/// Decides `f`: a witness, a proof of impossibility, or (past `budget`
/// search nodes) unknown.
pub fn solve(f: &Formula, domains: &Domains, budget: usize) -> Sat {
    let mut assign = Witness::new();
    let mut steps = 0;
    match search(f, domains, &mut assign, &mut steps, budget) {
        Some(true) => Sat::Yes(assign),
        Some(false) => Sat::No,
        None => Sat::Unknown,
    }
}

fn search(
    f: &Formula,
    domains: &Domains,
    assign: &mut Witness,
    steps: &mut usize,
    budget: usize,
) -> Option<bool> {
    *steps += 1;
    if *steps > budget {
        return None;
    }
    let g = simplify(f, assign);
    match g {
        Formula::Const(b) => Some(b),
        _ => {
            let var = first_var(&g)?;
            let cells = domains
                .cells
                .get(&var)
                .cloned()
                .unwrap_or_else(|| vec![Cell::Bool(true), Cell::Bool(false)]);
            for cell in cells {
                assign.insert(var.clone(), cell);
                match search(&g, domains, assign, steps, budget) {
                    Some(true) => return Some(true),
                    Some(false) => {}
                    None => return None,
                }
            }
            assign.remove(&var);
            Some(false)
        }
    }
}

impl Domains {
    /// The cells of `var` (true and false for a variable without a domain).
    pub fn cells_of(&self, var: &Var) -> Vec<Cell> {
        self.cells
            .get(var)
            .cloned()
            .unwrap_or_else(|| vec![Cell::Bool(true), Cell::Bool(false)])
    }
}

/// A rule list and the outcome when no rule matches.
pub type Decisions<'l, T> = (&'l [(Formula, T)], &'l T);

/// Where two first-match decision lists (a rule list and its default)
/// decide differently: each region is the partial assignment under which
/// both are decided, with both outcomes. `None` past `budget` search nodes.
pub fn decision_regions<T: Clone + PartialEq>(
    a: Decisions<'_, T>,
    b: Decisions<'_, T>,
    domains: &Domains,
    budget: usize,
) -> Option<Vec<(Witness, T, T)>> {
    let mut out = Vec::new();
    let everywhere = BTreeMap::new();
    let walk = Walk::new(a, b, domains, &everywhere, budget);
    walk.run(&mut |assign, x, y| {
        if x != y {
            out.push((assign.clone(), x.clone(), y.clone()));
        }
        true
    })?;
    Some(out)
}

/// Whether both decision lists decide exactly `expect` for every assignment
/// inside `cube` (each listed variable limited to its cells, the others
/// free). `None` past `budget` search nodes.
pub fn constant_on<T: PartialEq>(
    cube: &BTreeMap<Var, Vec<Cell>>,
    a: Decisions<'_, T>,
    b: Decisions<'_, T>,
    expect: (&T, &T),
    domains: &Domains,
    budget: usize,
) -> Option<bool> {
    Walk::new(a, b, domains, cube, budget).run(&mut |_, x, y| x == expect.0 && y == expect.1)
}

/// The outcome of a decision list under `assign`, or the variable to split on.
fn decide<'t, T>(list: Decisions<'t, T>, assign: &Witness) -> Result<&'t T, Var> {
    for (f, outcome) in list.0 {
        match simplify(f, assign) {
            Formula::Const(true) => return Ok(outcome),
            Formula::Const(false) => {}
            g => {
                if let Some(var) = first_var(&g) {
                    return Err(var);
                }
            }
        }
    }
    Ok(list.1)
}

/// A case split over two decision lists: variables are split (within
/// `cube` where it limits them) until both lists are decided.
struct Walk<'w, T> {
    a: Decisions<'w, T>,
    b: Decisions<'w, T>,
    domains: &'w Domains,
    cube: &'w BTreeMap<Var, Vec<Cell>>,
    budget: usize,
    steps: std::cell::Cell<usize>,
}

impl<'w, T> Walk<'w, T> {
    fn new(
        a: Decisions<'w, T>,
        b: Decisions<'w, T>,
        domains: &'w Domains,
        cube: &'w BTreeMap<Var, Vec<Cell>>,
        budget: usize,
    ) -> Self {
        Self {
            a,
            b,
            domains,
            cube,
            budget,
            steps: std::cell::Cell::new(0),
        }
    }

    /// Calls `leaf` with every decided assignment and both outcomes until it
    /// returns false: `Some(false)` then, `Some(true)` when every leaf
    /// passed, `None` past the budget.
    fn run(&self, leaf: &mut dyn FnMut(&Witness, &T, &T) -> bool) -> Option<bool> {
        self.split(&mut Witness::new(), leaf)
    }

    fn split(
        &self,
        assign: &mut Witness,
        leaf: &mut dyn FnMut(&Witness, &T, &T) -> bool,
    ) -> Option<bool> {
        self.steps.set(self.steps.get() + 1);
        if self.steps.get() > self.budget {
            return None;
        }
        match (decide(self.a, assign), decide(self.b, assign)) {
            (Ok(x), Ok(y)) => Some(leaf(assign, x, y)),
            (Err(var), _) | (_, Err(var)) => {
                let cells = self
                    .cube
                    .get(&var)
                    .cloned()
                    .unwrap_or_else(|| self.domains.cells_of(&var));
                for cell in cells {
                    assign.insert(var.clone(), cell);
                    if !self.split(assign, leaf)? {
                        assign.remove(&var);
                        return Some(false);
                    }
                }
                assign.remove(&var);
                Some(true)
            }
        }
    }
}

/// A witness in words: `priority=low, segment=smb, tag `outage``. Tags and
/// keywords the ticket lacks and unset fields are left out: the example is
/// the smallest ticket that shows the point.
pub fn describe(witness: &Witness) -> String {
    let parts: Vec<String> = witness
        .iter()
        .filter(|(var, cell)| match var {
            Var::Tag(t) if t == OTHER => true,
            Var::Tag(_) | Var::Keyword(_) => **cell == Cell::Bool(true),
            Var::AccountValue | Var::Custom(_) => **cell != Cell::Absent,
            _ => true,
        })
        .map(|(var, cell)| {
            let value = match cell {
                Cell::Absent => "unset".to_owned(),
                Cell::Text(t) if t == OTHER => "any other value".to_owned(),
                Cell::Text(t) => t.clone(),
                Cell::Number(n) => n.to_string(),
                Cell::Bool(b) => b.to_string(),
            };
            match var {
                Var::Priority => format!("priority={value}"),
                Var::Segment => format!("segment={value}"),
                Var::Channel => format!("channel={value}"),
                Var::Vip => format!("vip={value}"),
                Var::AccountValue => format!("account_value={value}"),
                Var::Custom(name) => format!("fields.{name}={value}"),
                Var::Tag(t) if t == OTHER => {
                    if *cell == Cell::Bool(true) {
                        "some tag".to_owned()
                    } else {
                        "no tags".to_owned()
                    }
                }
                Var::Tag(t) => {
                    if *cell == Cell::Bool(true) {
                        format!("tag `{t}`")
                    } else {
                        format!("no tag `{t}`")
                    }
                }
                Var::Keyword(k) => {
                    if *cell == Cell::Bool(true) {
                        format!("text with `{k}`")
                    } else {
                        format!("text without `{k}`")
                    }
                }
            }
        })
        .collect();
    if parts.is_empty() {
        "any ticket".to_owned()
    } else {
        parts.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(var: Var, gte: f64) -> Formula {
        Formula::Tests(
            var,
            vec![FieldTest::Range {
                lower: Some((gte, true)),
                upper: None,
            }],
        )
    }

    #[test]
    fn intervals_cover_and_leave_gaps() {
        let big = range(Var::AccountValue, 50_000.0);
        let huge = range(Var::AccountValue, 100_000.0);
        // `huge` after `big` can never match first.
        let shadowed = Formula::and(vec![huge.clone(), Formula::not(big.clone())]);
        let domains = Domains::new(&[&shadowed], &[], &[], &[], &[]);
        assert!(matches!(solve(&shadowed, &domains, 10_000), Sat::No));
        // `big` after `huge` still matches 50 000 ≤ value < 100 000.
        let reachable = Formula::and(vec![big, Formula::not(huge)]);
        let domains = Domains::new(&[&reachable], &[], &[], &[], &[]);
        let Sat::Yes(witness) = solve(&reachable, &domains, 10_000) else {
            panic!("expected a witness")
        };
        assert_eq!(describe(&witness), "account_value=50000");
    }

    #[test]
    fn sets_and_open_catalogues() {
        let listed = Formula::one_of(Var::Segment, &["enterprise", "smb"]);
        let domains = Domains::new(
            &[&listed],
            &[],
            &["enterprise".into(), "smb".into()],
            &[],
            &[],
        );
        assert!(matches!(
            solve(&Formula::not(listed.clone()), &domains, 100),
            Sat::No
        ));
        // With "any other segment" in the domain a gap appears.
        let open = Domains::new(
            &[&listed],
            &[],
            &["enterprise".into(), "smb".into()],
            &[],
            &[Var::Segment],
        );
        let Sat::Yes(witness) = solve(&Formula::not(listed), &open, 100) else {
            panic!("expected a gap")
        };
        assert_eq!(describe(&witness), "segment=any other value");
    }
}

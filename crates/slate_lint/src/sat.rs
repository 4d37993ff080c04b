//! Deciding finite conditions: satisfiability with a witness.
//!
//! A condition is compiled into a formula over finitely many variables (the
//! ticket attributes it tests, each tag and each keyword). Every variable has
//! a finite set of cells — the catalogue values and "anything else" for enum
//! fields, the intervals between thresholds for numbers, true/false for tags,
//! keywords and VIP — so satisfiability is decided by a case split with
//! constant folding, and a satisfying assignment is a concrete
//! counterexample ticket. The search narrows sets of cells (unit
//! propagation, splits by a test), its work is counted in formula nodes and
//! bounded by a [`Budget`].

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
    simplify_counted(f, assign, &mut 0)
}

/// What a simplification knows of the variables: a value each
/// ([`Witness`]), or the cells each may still take ([`Left`]).
trait Assignment {
    /// Whether `pass` holds for `var`: `None` while it depends on the cell.
    fn decides(&self, var: &Var, pass: &dyn Fn(&Cell) -> bool) -> Option<bool>;
}

impl Assignment for Witness {
    fn decides(&self, var: &Var, pass: &dyn Fn(&Cell) -> bool) -> Option<bool> {
        self.get(var).map(pass)
    }
}

/// The cells each restricted variable may still take; the others are free.
type Left = BTreeMap<Var, Vec<Cell>>;

impl Assignment for Left {
    fn decides(&self, var: &Var, pass: &dyn Fn(&Cell) -> bool) -> Option<bool> {
        let cells = self.get(var)?;
        let passing = cells.iter().filter(|c| pass(c)).count();
        if passing == cells.len() {
            Some(true)
        } else if passing == 0 {
            Some(false)
        } else {
            None
        }
    }
}

/// [`simplify`], adding the nodes it visits to `work`: the solver's unit of
/// cost, so that a budget bounds time whatever the formula's size.
fn simplify_counted<A: Assignment>(f: &Formula, assign: &A, work: &mut usize) -> Formula {
    *work += 1;
    match f {
        Formula::Const(b) => Formula::Const(*b),
        Formula::Is(v) => match assign.decides(v, &|c| *c == Cell::Bool(true)) {
            Some(b) => Formula::Const(b),
            None => f.clone(),
        },
        Formula::Tests(v, tests) => {
            match assign.decides(v, &|c| tests.iter().all(|t| test_cell(c, t))) {
                Some(b) => Formula::Const(b),
                None => f.clone(),
            }
        }
        // Negations are pushed one level in (`¬(a ∨ b)` → `¬a ∧ ¬b`) and
        // nested lists of the same kind flattened, so that the tests a
        // formula requires outright surface as its conjuncts (see `branch`).
        Formula::Not(inner) => match simplify_counted(inner, assign, work) {
            Formula::Const(b) => Formula::Const(!b),
            Formula::Not(twice) => *twice,
            Formula::Or(items) => Formula::And(items.into_iter().map(negate).collect()),
            Formula::And(items) => Formula::Or(items.into_iter().map(negate).collect()),
            other => Formula::not(other),
        },
        Formula::And(items) => {
            let mut out = Vec::new();
            for i in items {
                match simplify_counted(i, assign, work) {
                    Formula::Const(false) => return Formula::Const(false),
                    Formula::Const(true) => {}
                    Formula::And(inner) => out.extend(inner),
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
                match simplify_counted(i, assign, work) {
                    Formula::Const(true) => return Formula::Const(true),
                    Formula::Const(false) => {}
                    Formula::Or(inner) => out.extend(inner),
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

/// `¬f`, one level deep.
fn negate(f: Formula) -> Formula {
    match f {
        Formula::Not(inner) => *inner,
        Formula::Const(b) => Formula::Const(!b),
        other => Formula::not(other),
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
    solve_counted(f, domains, budget).0
}

/// [`solve`], with the work it took (formula nodes visited; at most a
/// little over `budget`).
pub fn solve_counted(f: &Formula, domains: &Domains, budget: usize) -> (Sat, usize) {
    let mut left = Left::new();
    let mut steps = 0;
    let sat = match search(f, domains, &mut left, &mut steps, budget) {
        Some(true) => Sat::Yes(witness_of(&left)),
        Some(false) => Sat::No,
        None => Sat::Unknown,
    };
    (sat, steps)
}

/// The solver's allowance for one lint run, shared by every rule and
/// version so that no policy set, however written, makes the gate hang:
/// each [`Budget::solve`] may take up to [`Budget::PER_QUESTION`] units
/// (formula nodes visited) and all together [`Budget::TOTAL`]. Past either
/// the answer is [`Sat::Unknown`] and the rule reports the question it could
/// not decide.
#[derive(Debug)]
pub struct Budget {
    left: std::cell::Cell<usize>,
}

impl Budget {
    /// About a second of search on one core.
    pub const PER_QUESTION: usize = 20_000_000;
    /// About ten seconds on one core; the 400-rule classification of
    /// `cargo bench -p slate_cli --bench gate` needs 50 to 65 million.
    pub const TOTAL: usize = 160_000_000;

    pub fn new(total: usize) -> Self {
        Self {
            left: std::cell::Cell::new(total),
        }
    }

    /// Decides `f` within what is left.
    pub fn solve(&self, f: &Formula, domains: &Domains) -> Sat {
        let left = self.left.get();
        if left == 0 {
            return Sat::Unknown;
        }
        let (sat, used) = solve_counted(f, domains, left.min(Self::PER_QUESTION));
        self.left.set(left.saturating_sub(used));
        sat
    }
}

impl Default for Budget {
    fn default() -> Self {
        Self::new(Self::TOTAL)
    }
}

fn search(
    f: &Formula,
    domains: &Domains,
    left: &mut Left,
    steps: &mut usize,
    budget: usize,
) -> Option<bool> {
    *steps += 1;
    if *steps > budget {
        return None;
    }
    let mut g = simplify_counted(f, left, steps);
    // Unit propagation: every test `g` requires outright narrows its
    // variable to the cells that pass it; then `g` is simplified again.
    loop {
        match g {
            Formula::Const(b) => return Some(b),
            _ => {
                let narrowed = narrow_units(&g, domains, left);
                if narrowed == Narrowed::Empty {
                    return Some(false);
                }
                if narrowed == Narrowed::Nothing {
                    break;
                }
                g = simplify_counted(&g, left, steps);
            }
        }
    }
    let Some((var, first, second)) = split(&g, domains, left) else {
        return Some(false);
    };
    let before = left.get(&var).cloned();
    for cells in [first, second].into_iter().filter(|c| !c.is_empty()) {
        left.insert(var.clone(), cells);
        let saved = left.clone();
        match search(&g, domains, left, steps, budget)? {
            true => return Some(true),
            false => *left = saved,
        }
    }
    match before {
        Some(cells) => left.insert(var, cells),
        None => left.remove(&var),
    };
    Some(false)
}

#[derive(Debug, PartialEq, Eq)]
enum Narrowed {
    Nothing,
    Some,
    Empty,
}

/// The cells `var` may still take.
fn cells_left(var: &Var, domains: &Domains, left: &Left) -> Vec<Cell> {
    left.get(var)
        .cloned()
        .unwrap_or_else(|| domains.cells_of(var))
}

/// Narrows each variable of a literal conjunct of `g` to the cells that pass
/// it.
fn narrow_units(g: &Formula, domains: &Domains, left: &mut Left) -> Narrowed {
    let Formula::And(items) = g else {
        return Narrowed::Nothing;
    };
    let mut narrowed = Narrowed::Nothing;
    for item in items {
        let Some(var) = literal_var(item) else {
            continue;
        };
        let cells = cells_left(var, domains, left);
        let passing: Vec<Cell> = cells
            .iter()
            .filter(|cell| passes(item, var, cell))
            .cloned()
            .collect();
        if passing.is_empty() {
            return Narrowed::Empty;
        }
        if passing.len() < cells.len() || !left.contains_key(var) {
            left.insert(var.clone(), passing);
            narrowed = Narrowed::Some;
        }
    }
    narrowed
}

/// The variable of a test or a negated test.
fn literal_var(f: &Formula) -> Option<&Var> {
    match f {
        Formula::Is(v) | Formula::Tests(v, _) => Some(v),
        Formula::Not(inner) => match inner.as_ref() {
            Formula::Is(v) | Formula::Tests(v, _) => Some(v),
            _ => None,
        },
        _ => None,
    }
}

/// Whether the literal `f` holds with `var` set to `cell`.
fn passes(f: &Formula, var: &Var, cell: &Cell) -> bool {
    let one = Witness::from([(var.clone(), cell.clone())]);
    matches!(simplify(f, &one), Formula::Const(true))
}

/// The first test on `var` in `f`.
fn first_test<'f>(f: &'f Formula, var: &Var) -> Option<&'f Formula> {
    match f {
        Formula::Is(v) | Formula::Tests(v, _) if v == var => Some(f),
        Formula::Not(inner) => first_test(inner, var),
        Formula::And(items) | Formula::Or(items) => items.iter().find_map(|i| first_test(i, var)),
        _ => None,
    }
}

/// How to split `g`: a variable and its cells in two parts, the part to try
/// first first. The variable comes from the shortest clause (the closest to
/// forcing a value); the parts are the cells that pass its first test on
/// that variable and those that fail it, the part most occurrences ask for
/// first — so `¬(a ∧ b) ∧ ¬(a ∧ c) …`, the shape of "no earlier rule
/// matches", is satisfied without backtracking. A numeric field is split by
/// a threshold, not cell by cell.
fn split(g: &Formula, domains: &Domains, left: &Left) -> Option<(Var, Vec<Cell>, Vec<Cell>)> {
    let var = match g {
        Formula::And(items) => items
            .iter()
            .min_by_key(|item| match item {
                Formula::Or(options) => options.len(),
                _ => usize::MAX,
            })
            .and_then(first_var)
            .or_else(|| first_var(g))?,
        _ => first_var(g)?,
    };
    let test = first_test(g, &var)?;
    let (pass, fail): (Vec<Cell>, Vec<Cell>) = cells_left(&var, domains, left)
        .into_iter()
        .partition(|cell| passes(test, &var, cell));
    if pass.is_empty() || fail.is_empty() {
        // Decided over every cell the variable may take: no split needed.
        let all = if pass.is_empty() { fail } else { pass };
        return Some((var, all, Vec::new()));
    }
    let (mut positive, mut negative) = (0, 0);
    polarity(g, &var, true, &mut positive, &mut negative);
    Some(if negative > positive {
        (var, fail, pass)
    } else {
        (var, pass, fail)
    })
}

/// The witness of a satisfied search: one cell of each restricted variable,
/// a flag off where it may be (the smallest ticket).
fn witness_of(left: &Left) -> Witness {
    left.iter()
        .filter_map(|(var, cells)| {
            let cell = if cells.contains(&Cell::Bool(false)) {
                Cell::Bool(false)
            } else {
                cells.first()?.clone()
            };
            Some((var.clone(), cell))
        })
        .collect()
}

/// Counts the occurrences of `var` in `f` under an even (`positive`) and an
/// odd number of negations.
fn polarity(f: &Formula, var: &Var, even: bool, positive: &mut usize, negative: &mut usize) {
    match f {
        Formula::Const(_) => {}
        Formula::Is(v) | Formula::Tests(v, _) => {
            if v == var {
                *if even { &mut *positive } else { &mut *negative } += 1;
            }
        }
        Formula::Not(inner) => polarity(inner, var, !even, positive, negative),
        Formula::And(items) | Formula::Or(items) => {
            for item in items {
                polarity(item, var, even, positive, negative);
            }
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
/// both are decided, with both outcomes; the first `limit` of them, and
/// whether the search finished (false past `budget` units of work; reaching
/// `limit` stops it early but counts as finished).
pub fn decision_regions<T: Clone + PartialEq>(
    a: Decisions<'_, T>,
    b: Decisions<'_, T>,
    domains: &Domains,
    budget: usize,
    limit: usize,
) -> (Vec<(Witness, T, T)>, bool) {
    let mut out = Vec::new();
    let everywhere = BTreeMap::new();
    let walk = Walk::new(a, b, domains, &everywhere, budget);
    let finished = walk
        .run(&mut |assign, x, y| {
            if x != y {
                out.push((assign.clone(), x.clone(), y.clone()));
            }
            out.len() < limit
        })
        .is_some();
    (out, finished)
}

/// Whether both decision lists decide exactly `expect` for every assignment
/// inside `cube` (each listed variable limited to its cells, the others
/// free), and the work it took. `None` past `budget` units of work.
pub fn constant_on<T: PartialEq>(
    cube: &BTreeMap<Var, Vec<Cell>>,
    a: Decisions<'_, T>,
    b: Decisions<'_, T>,
    expect: (&T, &T),
    domains: &Domains,
    budget: usize,
) -> (Option<bool>, usize) {
    let walk = Walk::new(a, b, domains, cube, budget);
    let answer = walk.run(&mut |_, x, y| x == expect.0 && y == expect.1);
    (answer, walk.steps.get())
}

/// What is left of a decision list under an assignment: the rules that
/// may still match, simplified, up to the first that surely does.
type Residual<'t, T> = Vec<(Formula, &'t T)>;

/// `list` narrowed by `assign`: rules that can no longer match are dropped,
/// and the list ends at the first rule that now surely matches.
fn narrow<'t, T>(list: &[(Formula, &'t T)], assign: &Witness, work: &mut usize) -> Residual<'t, T> {
    let mut out = Vec::new();
    for (f, outcome) in list {
        match simplify_counted(f, assign, work) {
            Formula::Const(false) => {}
            Formula::Const(true) => {
                out.push((Formula::Const(true), *outcome));
                break;
            }
            g => out.push((g, *outcome)),
        }
    }
    out
}

/// The outcome of a narrowed list, or the variable to split on.
fn decided<'t, T>(list: &Residual<'t, T>, default: &'t T) -> Result<&'t T, Var> {
    match list.first() {
        None => Ok(default),
        Some((Formula::Const(true), outcome)) => Ok(*outcome),
        // A formula that is not constant names a variable.
        Some((f, outcome)) => first_var(f).map_or(Ok(*outcome), Err),
    }
}

/// A case split over two decision lists: variables are split (within
/// `cube` where it limits them) until both lists are decided. Each level
/// carries the lists narrowed by the assignment so far, so a step costs what
/// is left of them, not the whole lists.
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
        let a: Residual<'w, T> = self.a.0.iter().map(|(f, t)| (f.clone(), t)).collect();
        let b: Residual<'w, T> = self.b.0.iter().map(|(f, t)| (f.clone(), t)).collect();
        self.split(&mut Witness::new(), &a, &b, leaf)
    }

    fn split(
        &self,
        assign: &mut Witness,
        a: &Residual<'w, T>,
        b: &Residual<'w, T>,
        leaf: &mut dyn FnMut(&Witness, &T, &T) -> bool,
    ) -> Option<bool> {
        let mut work = self.steps.get() + 1;
        let a = narrow(a, assign, &mut work);
        let b = narrow(b, assign, &mut work);
        self.steps.set(work);
        if work > self.budget {
            return None;
        }
        match (decided(&a, self.a.1), decided(&b, self.b.1)) {
            (Ok(x), Ok(y)) => Some(leaf(assign, x, y)),
            (Err(var), _) | (_, Err(var)) => {
                let cells = self
                    .cube
                    .get(&var)
                    .cloned()
                    .unwrap_or_else(|| self.domains.cells_of(&var));
                for cell in cells {
                    assign.insert(var.clone(), cell);
                    if !self.split(assign, &a, &b, leaf)? {
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

    /// Every assignment of `vars` over their cells.
    fn assignments(vars: &[Var], domains: &Domains) -> Vec<Witness> {
        let mut out = vec![Witness::new()];
        for var in vars {
            out = out
                .into_iter()
                .flat_map(|w| {
                    domains.cells_of(var).into_iter().map(move |c| {
                        let mut w = w.clone();
                        w.insert(var.clone(), c);
                        w
                    })
                })
                .collect();
        }
        out
    }

    #[test]
    fn the_solver_agrees_with_enumeration_and_its_witnesses_hold() {
        // "rule i matches and no earlier rule does" over overlapping flag
        // rules: the shape every first-match question has.
        let flag = |i: usize| Formula::Is(Var::Tag(format!("t{i}")));
        let mut seed = 11_u64;
        let mut next = |n: u64| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (seed >> 33) % n
        };
        let rules: Vec<Formula> = (0..24)
            .map(|_| {
                let a = flag(next(7) as usize);
                let b = flag(next(7) as usize);
                if next(2) == 0 {
                    Formula::and(vec![a, Formula::not(b)])
                } else {
                    Formula::or(vec![a, b])
                }
            })
            .collect();
        let vars: Vec<Var> = (0..7).map(|i| Var::Tag(format!("t{i}"))).collect();
        for i in 0..rules.len() {
            let mut parts = vec![rules[i].clone()];
            parts.extend(rules.iter().take(i).map(|r| Formula::not(r.clone())));
            let f = Formula::and(parts);
            let domains = Domains::new(&[&f], &[], &[], &[], &[]);
            let exists = assignments(&vars, &domains)
                .iter()
                .any(|w| matches!(simplify(&f, w), Formula::Const(true)));
            match solve(&f, &domains, 1_000_000) {
                Sat::Yes(w) => {
                    assert!(exists, "rule {i}: a witness where none exists");
                    assert!(
                        matches!(simplify(&f, &w), Formula::Const(true)),
                        "rule {i}: {w:?}"
                    );
                }
                Sat::No => assert!(!exists, "rule {i}: missed a witness"),
                Sat::Unknown => panic!("rule {i}: undecided"),
            }
        }
    }

    #[test]
    fn a_budget_bounds_every_question_and_the_whole_run() {
        let f = Formula::and(
            (0..40)
                .map(|i| {
                    Formula::or(vec![
                        Formula::Is(Var::Tag(format!("a{i}"))),
                        Formula::Is(Var::Keyword(format!("b{i}"))),
                    ])
                })
                .collect(),
        );
        let domains = Domains::new(&[&f], &[], &[], &[], &[]);
        let budget = Budget::new(500);
        assert!(matches!(budget.solve(&f, &domains), Sat::Unknown));
        // Spent: every later question is undecided at once, even an easy one.
        let easy = Formula::Is(Var::Vip);
        assert!(matches!(budget.solve(&easy, &domains), Sat::Unknown));
        assert!(matches!(Budget::default().solve(&f, &domains), Sat::Yes(_)));
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

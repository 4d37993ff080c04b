//! `lint::shadowed-rule`

use slate_policy::Severity;
use slate_policy::model::TriggerOn;
use slate_policy::source::Loc;

use crate::context::Ctx;
use crate::rule::{Finding, Rule};
use crate::sat::{self, Formula, Sat, Var};

pub const RULE: Rule = Rule {
    name: "shadowed-rule",
    severity: Severity::Error,
    summary: "a rule that can never match — earlier rules cover it, or its condition holds for no ticket — or a trigger that can never fire",
    doc: "## What it does\n\nFor classification rules, SLA target entries and escalation entry rules (all first-match), proves whether a rule can ever be the first to match: its condition must hold for some ticket (the first rule included), and minus everything earlier rules match must still be satisfiable. Intervals and sets are compared exactly over the finite domains; the first covering rules are named. Triggers whose `when` holds for no ticket, or that wait for a sentiment below -1, can never fire and are reported too.\n\n## Why is this bad?\n\nA shadowed rule is dead policy: it reads as if it applied, reviewers trust it, and it never decides anything.\n\n## Example\n\n```yaml\nrules:\n  - {id: big-accounts, when: {account_value: {gte: 50000}}, priority: high, ...}\n  - {id: huge-accounts, when: {account_value: {gte: 100000}}, priority: critical, ...}\n```\n\n## Use instead\n\n```yaml\nrules:\n  - {id: huge-accounts, when: {account_value: {gte: 100000}}, priority: critical, ...}\n  - {id: big-accounts, when: {account_value: {gte: 50000}}, priority: high, ...}\n```\n",
    check,
};

/// How many of the covering rules a finding names.
const COVERING_NAMED: usize = 5;

fn shadowed(
    ctx: &Ctx<'_>,
    rules: &[(String, Loc, Formula)],
    open: &[Var],
    what: &str,
    out: &mut Vec<Finding>,
) {
    for (i, (id, loc, f)) in rules.iter().enumerate() {
        // A condition no ticket satisfies, first rule included.
        let own = ctx.domains(&[f], open);
        if let Sat::No = ctx.solve(f, &own) {
            out.push(Finding::new(
                loc,
                format!("{what} `{id}` can never match: its condition holds for no ticket"),
                "impossible condition",
                "fix the condition (a test and its negation, an empty range), or delete the rule",
            ));
            continue;
        }
        let earlier: Vec<&(String, Loc, Formula)> = rules.iter().take(i).collect();
        if earlier.is_empty() {
            continue;
        }
        let formula = Formula::and(vec![
            f.clone(),
            Formula::not(Formula::or(
                earlier.iter().map(|(_, _, g)| g.clone()).collect(),
            )),
        ]);
        let mut all: Vec<&Formula> = vec![&formula];
        all.extend(earlier.iter().map(|(_, _, g)| g));
        let domains = ctx.domains(&all, open);
        let sat = ctx.solve(&formula, &domains);
        if let Sat::Unknown = sat {
            out.push(super::undecided(
                loc,
                format_args!("{what} `{id}` can ever be the first match"),
            ));
        }
        if let Sat::No = sat {
            let mut finding = Finding::new(
                loc,
                format!(
                    "{what} `{id}` can never match: earlier rules cover every ticket it matches"
                ),
                "never the first match",
                "move it above the rules that cover it, narrow them, or delete it",
            );
            // The first few covering rules are named; more would bury the
            // finding.
            let mut named = 0;
            for (other, other_loc, g) in earlier.iter().rev() {
                if named == COVERING_NAMED {
                    break;
                }
                let both = Formula::and(vec![f.clone(), g.clone()]);
                if let Sat::Yes(_) = ctx.solve(&both, &domains) {
                    finding = finding.related(other_loc, format!("covered by `{other}`"));
                    named += 1;
                }
            }
            out.push(finding);
        }
    }
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let open = [Var::Priority, Var::Segment, Var::Channel];
    if let Some((c, _)) = ctx.classification {
        let rules: Vec<_> = c
            .rules
            .iter()
            .map(|r| (r.id.clone(), r.loc.clone(), sat::compile(&r.when)))
            .collect();
        shadowed(ctx, &rules, &open, "classification rule", out);
    }
    // SLA entries name priorities from the classification's catalogue; a
    // file linted without it cannot tell them apart.
    if let (Some((sla, _)), Some(_)) = (ctx.sla, ctx.classification) {
        let rules: Vec<_> = sla
            .entries
            .iter()
            .map(|e| {
                (
                    e.id.clone(),
                    e.loc.clone(),
                    super::sla_entry_formula(ctx, e),
                )
            })
            .collect();
        shadowed(ctx, &rules, &[Var::Segment], "SLA entry", out);
    }
    if let Some((m, _)) = ctx.matrix {
        let rules: Vec<_> = m
            .entry
            .iter()
            .map(|e| (e.id.clone(), e.loc.clone(), sat::compile(&e.when)))
            .collect();
        shadowed(
            ctx,
            &rules,
            &[Var::Segment, Var::Channel],
            "entry rule",
            out,
        );
        // Triggers are not first-match, but one that cannot fire is dead too.
        for t in &m.triggers {
            if let TriggerOn::SentimentBelow(x) = t.on
                && x <= -1.0
            {
                out.push(Finding::new(
                    &t.loc,
                    format!(
                        "trigger `{}` can never fire: sentiment is never below {x}",
                        t.id
                    ),
                    "impossible signal",
                    "sentiment runs from -1 to 1; use a threshold above -1 (e.g. -0.5)",
                ));
            }
            let Some(when) = &t.when else { continue };
            let f = sat::compile(when);
            let domains = ctx.domains(&[&f], &[Var::Segment, Var::Channel]);
            match ctx.solve(&f, &domains) {
                Sat::No => out.push(Finding::new(
                    &t.loc,
                    format!(
                        "trigger `{}` can never fire: its `when` holds for no ticket",
                        t.id
                    ),
                    "impossible condition",
                    "fix the condition, or delete the trigger",
                )),
                Sat::Unknown => out.push(super::undecided(
                    &t.loc,
                    format_args!("trigger `{}` can ever fire", t.id),
                )),
                Sat::Yes(_) => {}
            }
        }
    }
}

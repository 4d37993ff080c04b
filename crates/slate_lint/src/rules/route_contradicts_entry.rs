//! `lint::route-contradicts-entry`

use slate_policy::Severity;
use slate_policy::model::{Action, Classification, EscalationMatrix};
use slate_policy::source::Loc;

use crate::context::Ctx;
use crate::rule::{Finding, Rule};
use crate::sat::{self, Cell, Formula, Sat, Var};

pub const RULE: Rule = Rule {
    name: "route-contradicts-entry",
    severity: Severity::Error,
    summary: "a classification `route_to` that an escalation entry rule overrides for some of the same tickets",
    doc: "## What it does\n\nFor each classification rule (and the default), proves whether a ticket it decides can also be the first match of an escalation entry rule whose level belongs to another team. At creation the entry rule decides the level, and the team is that level's (DESIGN §4.14), so for those tickets the rule's `route_to` is never followed. The finding names the entry rule and an example ticket.\n\n## Why is this bad?\n\nThe policy says two different things about the same tickets. A reviewer reads `route_to: frontline` and the step \"Triage at frontline\", while the tickets go to senior engineering; or the reverse, a critical ticket the classification sends to tier 3 starts at L1 because an entry rule says so.\n\n## Example\n\n```yaml\n# classification\nrules:\n  - {id: recorded-critical, when: {priority: critical}, priority: critical, action: {route_to: frontline}}\n# escalation matrix\nentry:\n  - {id: critical-skips-frontline, when: {priority: critical}, level: L3}   # L3 is senior-engineering\n```\n\n## Use instead\n\n```yaml\n# classification: route where the entry rule sends the tickets\nrules:\n  - {id: recorded-critical, when: {priority: critical}, priority: critical, action: {route_to: senior-engineering}}\n```\n\nor narrow the entry rule so that it matches only tickets the classification routes to that level's team.\n",
    check,
};

/// One decider at creation: a classification rule or the default.
struct Decider<'a> {
    id: &'a str,
    loc: &'a Loc,
    /// The tickets it is the first to decide (in recorded values).
    first: Formula,
    priority: usize,
    action: &'a Action,
}

fn deciders(c: &Classification) -> Vec<Decider<'_>> {
    let mut earlier: Vec<Formula> = Vec::new();
    let mut out = Vec::new();
    for r in &c.rules {
        let when = sat::compile(&r.when);
        out.push(Decider {
            id: &r.id,
            loc: &r.loc,
            first: Formula::and(vec![
                when.clone(),
                Formula::not(Formula::or(earlier.clone())),
            ]),
            priority: r.priority,
            action: &r.action,
        });
        earlier.push(when);
    }
    out.push(Decider {
        id: "default",
        loc: &c.default_loc,
        first: Formula::not(Formula::or(earlier)),
        priority: c.default_priority,
        action: &c.default_action,
    });
    out
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let (Some((c, _)), Some((m, _))) = (ctx.classification, ctx.matrix) else {
        return;
    };
    check_pair(ctx, c, m, out);
}

fn check_pair(ctx: &Ctx<'_>, c: &Classification, m: &EscalationMatrix, out: &mut Vec<Finding>) {
    // Entry rules see the classified priority, classification rules the
    // recorded one: the entry formulas get the decider's priority fixed.
    let mut earlier: Vec<Formula> = Vec::new();
    let mut entries = Vec::new();
    for e in &m.entry {
        let when = sat::compile(&e.when);
        entries.push((
            e,
            Formula::and(vec![
                when.clone(),
                Formula::not(Formula::or(earlier.clone())),
            ]),
        ));
        earlier.push(when);
    }
    let open = [Var::Priority, Var::Segment, Var::Channel];
    for d in deciders(c) {
        let classified = Cell::Text(ctx.priority_name(d.priority));
        for (e, first_entry) in &entries {
            let Some(level) = m.levels.get(e.level) else {
                continue;
            };
            if level.team == d.action.route_to {
                continue;
            }
            let both = Formula::and(vec![
                d.first.clone(),
                first_entry.fix(&Var::Priority, &classified),
            ]);
            let domains = ctx.domains(&[&both], &open);
            let sat = ctx.solve(&both, &domains);
            if let Sat::Unknown = sat {
                out.push(super::undecided(
                    d.loc,
                    format_args!("entry rule `{}` overrides where `{}` routes", e.id, d.id),
                ));
            }
            if let Sat::Yes(witness) = sat {
                let what = if d.id == "default" {
                    "the classification default".to_owned()
                } else {
                    format!("classification rule `{}`", d.id)
                };
                out.push(
                    Finding::new(
                        d.loc,
                        format!(
                            "{what} routes to `{}`, but entry rule `{}` sends some of the same tickets to {} (`{}`), e.g. {}",
                            d.action.route_to,
                            e.id,
                            level.id,
                            level.team,
                            sat::describe(&sat::minimal(&both, witness))
                        ),
                        "route_to overridden at creation",
                        format!(
                            "route to `{}`, or narrow entry rule `{}` to tickets routed to `{}`",
                            level.team, e.id, level.team
                        ),
                    )
                    .related(&e.loc, format!("sends them to {}", level.id)),
                );
            }
        }
    }
}

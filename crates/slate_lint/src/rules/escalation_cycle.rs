//! `lint::escalation-cycle`

use slate_policy::Severity;

use crate::context::Ctx;
use crate::rule::{Finding, Rule};

pub const RULE: Rule = Rule {
    name: "escalation-cycle",
    severity: Severity::Error,
    summary: "levels whose `escalates_to` chain loops back on itself",
    doc: "## What it does\n\nFollows every level's `escalates_to` and reports chains that come back to a level already on the chain.\n\n## Why is this bad?\n\nA ticket escalated along a cycle goes round and round between teams; nobody at the top ever owns it.\n\n## Example\n\n```yaml\n- {id: L2, escalates_to: L3, ...}\n- {id: L3, escalates_to: L2, ...}\n```\n\n## Use instead\n\n```yaml\n- {id: L2, escalates_to: L3, ...}\n- {id: L3, escalates_to: L4, ...}\n- {id: L4, ...}\n```\n",
    check,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some((m, _)) = ctx.matrix else { return };
    let mut reported = std::collections::BTreeSet::new();
    for start in 0..m.levels.len() {
        let mut path = vec![start];
        let mut current = start;
        while let Some(next) = m.levels.get(current).and_then(|l| l.escalates_to) {
            if let Some(pos) = path.iter().position(|&p| p == next) {
                let cycle: Vec<usize> = path.get(pos..).map(<[usize]>::to_vec).unwrap_or_default();
                let key = cycle.iter().min().copied().unwrap_or(0);
                if reported.insert(key) {
                    let names: Vec<String> = cycle
                        .iter()
                        .chain(std::iter::once(&next))
                        .filter_map(|i| m.levels.get(*i).map(|l| l.id.clone()))
                        .collect();
                    let (Some(from), Some(to)) = (m.levels.get(current), m.levels.get(next)) else {
                        break;
                    };
                    out.push(
                        Finding::new(
                            &from.loc,
                            format!("escalation cycle: {}", names.join(" → ")),
                            format!("`{}` escalates back to `{}`", from.id, to.id),
                            "make the chain end at a top level with no `escalates_to`",
                        )
                        .related(&to.loc, "the cycle closes here"),
                    );
                }
                break;
            }
            path.push(next);
            current = next;
        }
    }
}

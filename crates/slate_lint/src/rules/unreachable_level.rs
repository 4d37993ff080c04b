//! `lint::unreachable-level`

use slate_policy::Severity;
use slate_policy::model::EscalateTo;

use crate::context::Ctx;
use crate::rule::{Finding, Rule};

pub const RULE: Rule = Rule {
    name: "unreachable-level",
    severity: Severity::Warning,
    summary: "a level no ticket can reach: not an entry, not escalated to",
    doc: "## What it does\n\nComputes the levels tickets can reach: `start_at`, the entry rules' levels, the levels triggers send tickets to, and everything above them along `escalates_to`. Levels outside that set are reported.\n\n## Why is this bad?\n\nAn unreachable level has owners, response times and alert channels that never apply. Often an `escalates_to` link is missing.\n\n## Example\n\n```yaml\n- {id: L1, escalates_to: L2, ...}\n- {id: L2, ...}\n- {id: L3, ...}   # nothing leads here\n```\n\n## Use instead\n\n```yaml\n- {id: L1, escalates_to: L2, ...}\n- {id: L2, escalates_to: L3, ...}\n- {id: L3, ...}\n```\n",
    check,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some((m, _)) = ctx.matrix else { return };
    let mut reached = vec![false; m.levels.len()];
    let mut stack: Vec<usize> = vec![m.start_at];
    stack.extend(m.entry.iter().map(|e| e.level));
    stack.extend(m.triggers.iter().filter_map(|t| match t.to {
        EscalateTo::Level(l) => Some(l),
        _ => None,
    }));
    while let Some(l) = stack.pop() {
        match reached.get_mut(l) {
            Some(seen) if !*seen => *seen = true,
            _ => continue,
        }
        if let Some(next) = m.levels.get(l).and_then(|x| x.escalates_to) {
            stack.push(next);
        }
    }
    for (level, seen) in m.levels.iter().zip(&reached) {
        if !seen {
            out.push(Finding::new(
                &level.loc,
                format!("no ticket can reach level `{}`", level.id),
                "unreachable",
                "link it from a lower level's `escalates_to`, an entry rule or a trigger, or remove it",
            ));
        }
    }
}

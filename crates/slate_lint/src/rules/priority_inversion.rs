//! `lint::priority-inversion`

use std::collections::BTreeSet;

use slate_policy::Severity;

use crate::context::Ctx;
use crate::rule::{Finding, Rule};
use crate::sat::Var;

pub const RULE: Rule = Rule {
    name: "priority-inversion",
    severity: Severity::Error,
    summary: "a higher priority with a looser SLA target than a lower priority, for the same segment",
    doc: "## What it does\n\nCompares the effective targets of the priorities in catalogue order (most urgent first): the same ticket at a more urgent priority must not get a longer target for any metric. Effective means as replay decides it: first match, `when` conditions and the `default` included; a cell that falls to the default is compared with the default's targets. Each finding names the example ticket.\n\n## Why is this bad?\n\nA critical ticket that may wait longer than a medium one inverts the whole point of the priority matrix; usually two rows were swapped or a unit mistyped.\n\n## Example\n\n```yaml\n- {id: high-smb, priority: high, segments: [smb], targets: {first_response: 4h}}\n- {id: medium-smb, priority: medium, segments: [smb], targets: {first_response: 2h}}\n```\n\n## Use instead\n\n```yaml\n- {id: high-smb, priority: high, segments: [smb], targets: {first_response: 2h}}\n- {id: medium-smb, priority: medium, segments: [smb], targets: {first_response: 4h}}\n```\n",
    check,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some((sla, _)) = ctx.sla else { return };
    if ctx.classification.is_none() {
        return;
    }
    let priorities = ctx.priorities();
    let mut reported = BTreeSet::new();
    // Every more urgent priority against every calmer one: the same ticket
    // raised in priority must never be given longer.
    for (p, urgent) in priorities.iter().enumerate() {
        for calm in priorities.iter().skip(p + 1) {
            for inv in super::inversions(ctx, sla, &Var::Priority, urgent, calm) {
                if !reported.insert((inv.urgent.id.clone(), inv.calm.id.clone(), inv.metric)) {
                    continue;
                }
                let Some(example) = &inv.example else {
                    out.push(super::undecided(
                        &inv.urgent.loc,
                        format_args!(
                            "a `{urgent}` ticket `{}` decides can be decided by `{}` as `{calm}`",
                            inv.urgent.id, inv.calm.id
                        ),
                    ));
                    continue;
                };
                out.push(
                    Finding::new(
                        &inv.urgent.loc,
                        format!(
                            "a `{urgent}` ticket with {} gets {} target {} from `{}`, looser than the {} it gets as `{calm}` from `{}`",
                            example,
                            inv.metric.name(),
                            inv.target,
                            inv.urgent.id,
                            inv.other,
                            inv.calm.id,
                        ),
                        "looser than a lower priority",
                        "give the more urgent priority a target at most as long as the less urgent one",
                    )
                    .related(&inv.calm.loc, format!("{calm} {}: {}", inv.metric.name(), inv.other)),
                );
            }
        }
    }
}

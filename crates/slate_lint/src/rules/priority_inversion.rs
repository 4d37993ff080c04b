//! `lint::priority-inversion`

use std::collections::BTreeMap;

use slate_policy::Severity;

use crate::context::Ctx;
use crate::rule::{Finding, Rule};

pub const RULE: Rule = Rule {
    name: "priority-inversion",
    severity: Severity::Warning,
    summary: "a higher priority with a looser SLA target than a lower priority, for the same segment",
    doc: "## What it does\n\nFor each segment and SLA metric, compares the targets of the priorities in catalogue order (most urgent first): a more urgent priority must not get a longer target.\n\n## Why is this bad?\n\nA critical ticket that may wait longer than a medium one inverts the whole point of the priority matrix; usually two rows were swapped or a unit mistyped.\n\n## Example\n\n```yaml\n- {id: high-smb, priority: high, segments: [smb], targets: {first_response: 4h}}\n- {id: medium-smb, priority: medium, segments: [smb], targets: {first_response: 2h}}\n```\n\n## Use instead\n\n```yaml\n- {id: high-smb, priority: high, segments: [smb], targets: {first_response: 2h}}\n- {id: medium-smb, priority: medium, segments: [smb], targets: {first_response: 4h}}\n```\n",
    check,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some((sla, _)) = ctx.sla else { return };
    // First entry per (priority, segment) wins, as in replay.
    let mut cells: BTreeMap<(String, usize), &slate_policy::model::SlaEntry> = BTreeMap::new();
    for entry in &sla.entries {
        if entry.when.is_some() {
            continue;
        }
        for (p, s) in super::entry_cells(ctx, entry) {
            cells.entry((s, p)).or_insert(entry);
        }
    }
    let mut reported = std::collections::BTreeSet::new();
    for ((segment, p), urgent) in &cells {
        for ((segment2, q), calm) in &cells {
            if segment != segment2 || q <= p {
                continue;
            }
            for (metric, target) in &urgent.targets {
                let Some(other) = calm.targets.get(metric) else {
                    continue;
                };
                if target > other && reported.insert((urgent.id.clone(), calm.id.clone(), *metric))
                {
                    out.push(
                        Finding::new(
                            &urgent.loc,
                            format!(
                                "`{}` {} target {target} for `{segment}` is looser than {} priority `{}` ({other})",
                                ctx.priority_name(*p),
                                metric.name(),
                                "the lower",
                                ctx.priority_name(*q)
                            ),
                            "looser than a lower priority",
                            "give the more urgent priority a target at most as long as the less urgent one",
                        )
                        .related(&calm.loc, format!("{} {}: {other}", ctx.priority_name(*q), metric.name())),
                    );
                }
            }
        }
    }
}

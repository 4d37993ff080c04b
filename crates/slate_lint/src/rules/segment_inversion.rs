//! `lint::segment-inversion`

use std::collections::BTreeMap;

use slate_policy::Severity;

use crate::context::Ctx;
use crate::rule::{Finding, Rule};

pub const RULE: Rule = Rule {
    name: "segment-inversion",
    severity: Severity::Warning,
    summary: "a more valuable segment with a looser SLA target than a smaller one, at the same priority",
    doc: "## What it does\n\nSegments are listed in the classification most valuable first (e.g. enterprise, mid-market, smb). For each priority and metric, a segment listed earlier must not get a longer target than one listed later.\n\n## Why is this bad?\n\nTiered SLAs exist to protect high-value accounts (\"enterprise accounts might get a 30-minute response guarantee, while smaller accounts might have a two-hour window\"). An enterprise target looser than a small account's is almost always a mistake.\n\n## Example\n\n```yaml\n- {id: high-enterprise, priority: high, segments: [enterprise], targets: {first_response: 2h}}\n- {id: high-smb, priority: high, segments: [smb], targets: {first_response: 30m}}\n```\n\n## Use instead\n\n```yaml\n- {id: high-enterprise, priority: high, segments: [enterprise], targets: {first_response: 30m}}\n- {id: high-smb, priority: high, segments: [smb], targets: {first_response: 2h}}\n```\n",
    check,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some((sla, _)) = ctx.sla else { return };
    let order = ctx.segments();
    let rank = |s: &str| order.iter().position(|x| x == s).unwrap_or(usize::MAX);
    let mut cells: BTreeMap<(usize, usize), &slate_policy::model::SlaEntry> = BTreeMap::new();
    for entry in &sla.entries {
        if entry.when.is_some() {
            continue;
        }
        for (p, s) in super::entry_cells(ctx, entry) {
            cells.entry((p, rank(&s))).or_insert(entry);
        }
    }
    let mut reported = std::collections::BTreeSet::new();
    for ((p, a), valuable) in &cells {
        for ((q, b), smaller) in &cells {
            if p != q || b <= a || valuable.id == smaller.id {
                continue;
            }
            for (metric, target) in &valuable.targets {
                let Some(other) = smaller.targets.get(metric) else {
                    continue;
                };
                if target > other
                    && reported.insert((valuable.id.clone(), smaller.id.clone(), *metric))
                {
                    let seg = |i: &usize| order.get(*i).cloned().unwrap_or_default();
                    out.push(
                        Finding::new(
                            &valuable.loc,
                            format!(
                                "`{}` gets a looser {} target ({target}) than `{}` ({other}) at priority `{}`",
                                seg(a),
                                metric.name(),
                                seg(b),
                                ctx.priority_name(*p)
                            ),
                            "looser than a smaller segment",
                            "give the more valuable segment a target at most as long as the smaller one's",
                        )
                        .related(&smaller.loc, format!("{}: {other}", seg(b))),
                    );
                }
            }
        }
    }
}

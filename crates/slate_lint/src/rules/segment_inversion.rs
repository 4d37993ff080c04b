//! `lint::segment-inversion`

use slate_policy::Severity;

use crate::context::Ctx;
use crate::rule::{Finding, Rule};
use crate::sat::Var;

pub const RULE: Rule = Rule {
    name: "segment-inversion",
    severity: Severity::Error,
    summary: "a more valuable segment with a looser SLA target than a smaller one, at the same priority",
    doc: "## What it does\n\nSegments are listed in the classification most valuable first (e.g. enterprise, mid-market, smb). For each priority and metric, the same ticket from a segment listed earlier must not get a longer effective target than from one listed later. Effective means as replay decides it: first match, `when` conditions and the `default` included, each finding with the example ticket.\n\n## Why is this bad?\n\nTiered SLAs exist to protect high-value accounts (\"enterprise accounts might get a 30-minute response guarantee, while smaller accounts might have a two-hour window\"). An enterprise target looser than a small account's is almost always a mistake.\n\n## Example\n\n```yaml\n- {id: high-enterprise, priority: high, segments: [enterprise], targets: {first_response: 2h}}\n- {id: high-smb, priority: high, segments: [smb], targets: {first_response: 30m}}\n```\n\n## Use instead\n\n```yaml\n- {id: high-enterprise, priority: high, segments: [enterprise], targets: {first_response: 30m}}\n- {id: high-smb, priority: high, segments: [smb], targets: {first_response: 2h}}\n```\n",
    check,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    super::report_inversions(
        ctx,
        &Var::Segment,
        &ctx.segments(),
        (
            "looser than a smaller segment",
            "give the more valuable segment a target at most as long as the smaller one's",
        ),
        out,
    );
}

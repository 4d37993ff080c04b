//! `lint::priority-inversion`

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
    super::report_inversions(
        ctx,
        &Var::Priority,
        &ctx.priorities(),
        (
            "looser than a lower priority",
            "give the more urgent priority a target at most as long as the less urgent one",
        ),
        out,
    );
}

//! `lint::priority-without-route`

use slate_policy::Severity;

use crate::context::Ctx;
use crate::rule::{Finding, Rule};

pub const RULE: Rule = Rule {
    name: "priority-without-route",
    severity: Severity::Warning,
    summary: "a priority that no classification rule or default assigns: it has no route or owner",
    doc: "## What it does\n\nReports priorities in the catalogue that no classification rule and not the default produce.\n\n## Why is this bad?\n\nThe route (team, owner, notifications) comes with the rule that assigns a priority. A priority that only arrives by a later `priority_changed` has no prescribed action and nobody designated to own it.\n\n## Example\n\n```yaml\npriorities: [{id: critical}, {id: high}, {id: low}]\nrules:\n  - {id: outage, when: {keywords: [outage]}, priority: critical, action: {route_to: senior-engineering}}\ndefault: {priority: high, action: {route_to: frontline}}\n# nothing assigns `low`\n```\n\n## Use instead\n\n```yaml\nrules:\n  - {id: outage, when: {keywords: [outage]}, priority: critical, action: {route_to: senior-engineering}}\n  - {id: feature-request, when: {tags: [feature-request]}, priority: low, action: {route_to: frontline}}\n```\n",
    check,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some((c, meta)) = ctx.classification else {
        return;
    };
    for (i, p) in c.priorities.iter().enumerate() {
        let assigned = c.default_priority == i || c.rules.iter().any(|r| r.priority == i);
        if !assigned {
            out.push(Finding::new(
                &meta.loc,
                format!("no classification rule assigns priority `{}`", p.id),
                "priority without a route",
                format!(
                    "add a rule with `priority: {}` and an `action`, or remove the priority",
                    p.id
                ),
            ));
        }
    }
}

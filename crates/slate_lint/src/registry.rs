//! The rule registry: one line per rule, sorted by name.

use crate::rule::Rule;
use crate::rules;

pub const RULES: &[&Rule] = &[
    &rules::ambiguous_day::RULE,
    &rules::band_alert_inside::RULE,
    &rules::band_empty::RULE,
    &rules::band_inversion::RULE,
    &rules::band_percent_range::RULE,
    &rules::calendar_hours_swapped::RULE,
    &rules::calendar_never_open::RULE,
    &rules::conflicting_triggers::RULE,
    &rules::critical_business_hours::RULE,
    &rules::critical_not_24x7::RULE,
    &rules::effective_from_past::RULE,
    &rules::escalation_after_breach::RULE,
    &rules::escalation_cycle::RULE,
    &rules::escalation_dead_end::RULE,
    &rules::escalation_downward::RULE,
    &rules::escalation_inversion::RULE,
    &rules::expired_suppression::RULE,
    &rules::gate_weakened::RULE,
    &rules::implausible_holiday::RULE,
    &rules::invalid_suppression::RULE,
    &rules::level_same_team::RULE,
    &rules::level_without_backup::RULE,
    &rules::mixed_currencies::RULE,
    &rules::notify_without_address::RULE,
    &rules::pause_stops_first_response::RULE,
    &rules::policy_removed::RULE,
    &rules::priority_inversion::RULE,
    &rules::priority_never_escalates::RULE,
    &rules::priority_without_route::RULE,
    &rules::recorded_priority_lowered::RULE,
    &rules::refund_not_increasing::RULE,
    &rules::refund_without_approver::RULE,
    &rules::response_exceeds_timeout::RULE,
    &rules::response_target_above_max::RULE,
    &rules::route_contradicts_entry::RULE,
    &rules::segment_inversion::RULE,
    &rules::shadowed_rule::RULE,
    &rules::sla_missing_default::RULE,
    &rules::sla_no_target::RULE,
    &rules::suppression_added::RULE,
    &rules::unreachable_level::RULE,
    &rules::unused_calendar::RULE,
    &rules::unused_team::RULE,
    &rules::unused_tier::RULE,
    &rules::version_lowered::RULE,
    &rules::version_not_bumped::RULE,
    &rules::warnings_not_ascending::RULE,
];

/// The rule with this name or code (`lint::name`).
pub fn find(name: &str) -> Option<&'static Rule> {
    let name = name.strip_prefix("lint::").unwrap_or(name);
    RULES.iter().copied().find(|r| r.name == name)
}

//! A ticket's creation: classification (first matching rule, else the
//! default), the entry level and team, and the SLA entry its targets follow.

use super::*;

impl<'e, 'p> Replay<'e, 'p> {
    /// A ticket value outside the catalogue: said in the trace, counted in
    /// the summary; the field falls to its default.
    pub(super) fn unknown_value(&mut self, why: Why, field: &'static str, value: &'e str) {
        self.unknown.push((field, value));
        self.record(why, |_| {
            let decision = Decision::UnknownValue {
                field: field.to_owned(),
                value: value.to_owned(),
            };
            (decision, None)
        });
    }

    pub(super) fn create(&mut self) {
        let why = Why::Created;
        if self.tracing {
            let created = self.created;
            self.entries
                .extend(self.engine.missing.iter().map(|m| m.entry(created)));
        }
        let (classification, meta) = self.engine.classification;
        let ticket = self.ticket;
        let recorded = ticket.priority.as_deref().and_then(|p| {
            let index = classification.priority_index(p);
            if index.is_none() {
                self.unknown_value(why, "priority", p);
            }
            index
        });
        if let Some(s) = ticket.requester.segment.as_deref() {
            self.segment = classification.segment_id(s);
            if self.segment.is_none() {
                self.unknown_value(why, "segment", s);
            }
        }
        if let Some(c) = ticket.channel.as_deref() {
            self.channel = classification.channel_id(c);
            if self.channel.is_none() {
                self.unknown_value(why, "channel", c);
            }
        }
        // Rules see the recorded priority; without one, the default's.
        self.priority = recorded.unwrap_or(classification.default_priority);
        self.facts_changed();
        let facts = self.facts();
        let rule = classification
            .rules
            .iter()
            .zip(&self.engine.conditions.rules)
            .find(|(_, when)| when.holds(&facts, &self.present))
            .map(|(r, _)| r);
        let (priority, action, rule_id, loc) = match rule {
            Some(r) => (r.priority, &r.action, Some(r.id.as_str()), &r.loc),
            None => (
                classification.default_priority,
                &classification.default_action,
                None,
                &classification.default_loc,
            ),
        };
        self.priority = priority;
        self.facts_changed();
        let origin = Origin::new(meta, rule_id.or(Some("default")), loc);
        self.record(why, |r| {
            let decision = Decision::Classified {
                priority: r.priority_id().to_owned(),
                rule: rule_id.map(str::to_owned),
                description: rule.and_then(|r| r.description.clone()),
                steps: action.steps.clone(),
            };
            (decision, Some(origin))
        });

        // An entry rule decides the level (and the team is that level's);
        // otherwise `route_to` decides the team and the level follows (§4.14).
        let mut team = action.route_to.as_str();
        self.hand_to_team(Some(team));
        match self.engine.matrix {
            Some((matrix, mmeta)) => {
                let facts = self.facts();
                let entry = matrix
                    .entry
                    .iter()
                    .zip(&self.engine.conditions.entries)
                    .find(|(_, when)| when.holds(&facts, &self.present))
                    .map(|(e, _)| e);
                if let Some(e) = entry
                    && let Some(l) = matrix.levels.get(e.level)
                {
                    team = l.team.as_str();
                    self.set_team(Some(team));
                    self.level = Some(e.level);
                }
                let level = self.level;
                self.entry_level = level;
                self.record(why, |r| {
                    // Skipped: the levels below the one the ticket starts at.
                    let skipped = matrix
                        .levels
                        .iter()
                        .take(level.unwrap_or(0))
                        .map(|l| l.id.clone())
                        .collect();
                    let (team_name, tier_name) = r.team_names(team);
                    let decision = Decision::Routed {
                        team: team.to_owned(),
                        team_name,
                        tier: r.team_tier(team).unwrap_or(1),
                        tier_name,
                        owner: r.recipient(team).0,
                        level: r.level_id(level),
                        responsibility: r.responsibility(level),
                        skipped,
                    };
                    let routed_by = entry.map(|e| Origin::new(mmeta, Some(&e.id), &e.loc));
                    (decision, Some(routed_by.unwrap_or(origin)))
                });
            }
            None => self.record(why, |r| {
                let (team_name, tier_name) = r.team_names(team);
                let decision = Decision::Routed {
                    team: team.to_owned(),
                    team_name,
                    tier: r.team_tier(team).unwrap_or(1),
                    tier_name,
                    owner: r.recipient(team).0,
                    level: None,
                    responsibility: None,
                    skipped: Vec::new(),
                };
                (decision, Some(origin))
            }),
        }
        if self.tracing {
            let reason = format!("classified by {}", rule_id.unwrap_or("default"));
            self.notify_all(why, &action.notify, &reason, Some(origin));
        }

        self.select_sla(why);
        self.start_metric(why, SlaMetric::FirstResponse, self.created);
        self.start_metric(why, SlaMetric::Resolution, self.created);
        self.event_triggers(why, |on| {
            matches!(on, TriggerOn::Created | TriggerOn::Keywords(_))
        });
    }

    pub(super) fn select_sla(&mut self, why: Why) {
        let Some((sla, meta)) = self.engine.sla else {
            self.set_sla_entry(None);
            self.record(why, |_| {
                let reason = "the policy set has no SlaPolicy".to_owned();
                (Decision::NoSla { reason }, None)
            });
            return;
        };
        let segment = self.segment;
        let facts = self.facts();
        let entry = sla
            .entries
            .iter()
            .zip(&self.engine.conditions.sla)
            .find(|(e, when)| {
                e.priority == self.priority
                    && (e.segments.is_empty()
                        || segment.is_some_and(|s| e.segments.iter().any(|x| x == s)))
                    && when.as_ref().is_none_or(|w| w.holds(&facts, &self.present))
            })
            .map(|(e, _)| e)
            .or(sla.default.as_ref());
        self.set_sla_entry(entry);
        self.record(why, |r| match entry {
            Some(e) => (
                Decision::SlaSelected {
                    entry: e.id.clone(),
                    description: e.description.clone(),
                },
                Some(Origin::new(meta, Some(&e.id), &e.loc)),
            ),
            None => (
                Decision::NoSla {
                    reason: format!(
                        "no target entry matches priority `{}` and segment `{}`, and there is no default",
                        r.priority_id(),
                        segment.unwrap_or("-")
                    ),
                },
                Some(Origin::new(meta, None, &meta.loc)),
            ),
        });
    }
}

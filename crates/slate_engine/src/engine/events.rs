//! Recorded events: what each event type of the timeline does to the replay.

use super::*;

impl<'e, 'p> Replay<'e, 'p> {
    /// Agent activity (or a move): inactivity counts afresh from now.
    pub(super) fn activity(&mut self) {
        self.activity += 1;
        self.restart_idle();
    }

    pub(super) fn restart_idle(&mut self) {
        self.idle_consumed = 0;
        self.idle_since = self.waits_on_support().then_some(self.now);
    }

    /// Whether the ticket waits on the support side: inactivity counts only
    /// then (DESIGN §4.18).
    pub(super) fn waits_on_support(&self) -> bool {
        !self.solved && matches!(self.status, Status::New | Status::Open)
    }

    /// The status changed: the inactivity clock stops or runs on.
    fn update_idle(&mut self) {
        match (self.idle_since, self.waits_on_support()) {
            (Some(start), false) => {
                let counted = self
                    .team_clock()
                    .map_or(0, |c| c.elapsed_seconds(start, self.now));
                self.idle_consumed += counted;
                self.idle_since = None;
            }
            (None, true) => self.idle_since = Some(self.now),
            _ => {}
        }
    }

    pub(super) fn event(&mut self, index: usize, at: i64) {
        let Some(event) = self.ticket.events.get(index) else {
            return;
        };
        self.now = self.now.max(at);
        let why = Why::Event(index);
        match &event.body {
            EventBody::CustomerMessage { text, sentiment } => {
                // Messages at creation were read with the subject when the
                // ticket was created; their keywords have been judged.
                let mut message = Phrases::default();
                if at > self.created
                    && let Some(text) = text
                {
                    let keywords = &self.engine.conditions.keywords;
                    let fresh = matcher::Words::new(text);
                    keywords.scan(&fresh, &mut message);
                    keywords.scan_appended(&self.words, &fresh, &message, &mut self.present);
                    self.words.append(&fresh);
                    self.facts_changed();
                }
                if self.first_reply && self.unanswered.is_none() && !self.solved {
                    self.unanswered = Some(self.now);
                    self.start_metric(why, SlaMetric::NextResponse, self.now);
                }
                let sentiment = *sentiment;
                let Some((matrix, _)) = self.engine.matrix else {
                    return;
                };
                for (i, trigger) in matrix.triggers.iter().enumerate() {
                    let fires = match (&trigger.on, self.engine.conditions.trigger_on.get(i)) {
                        (_, Some(Some(phrases))) => phrases.meets(&message),
                        (TriggerOn::SentimentBelow(limit), _) => {
                            sentiment.is_some_and(|s| s < *limit)
                        }
                        _ => false,
                    };
                    if fires && self.armed(i, trigger) {
                        self.fire_trigger(why, i);
                    }
                }
            }
            EventBody::AgentReply { public, .. } => {
                self.activity();
                if *public {
                    self.first_reply = true;
                    self.unanswered = None;
                    self.meet(why, SlaMetric::FirstResponse);
                    self.meet(why, SlaMetric::NextResponse);
                    // Each public reply owes the next update (DESIGN §4.15).
                    self.meet(why, SlaMetric::PeriodicUpdate);
                    if !self.solved {
                        self.start_metric(why, SlaMetric::PeriodicUpdate, self.now);
                    }
                }
            }
            EventBody::InternalNote {} | EventBody::ContextRequested {} => self.activity(),
            EventBody::Assigned { team, tier, .. } => {
                self.activity();
                // An assignment to a team sets the team, and so the level.
                let before = self.level;
                if let Some(team) = team {
                    self.hand_to_team(Some(team));
                } else if let Some(tier) = tier
                    && self.team.and_then(|t| self.team_tier(t)) != Some(*tier)
                {
                    self.hand_to_team(self.team_of_tier(*tier));
                }
                if self.level != before {
                    self.after_move();
                }
            }
            EventBody::Escalated { to_tier, reason } => {
                self.recorded_escalation(why, *to_tier, *reason)
            }
            EventBody::Returned { to_tier } => {
                let from = self.place(self.level);
                let to = self.lowest_level_with_tier(*to_tier);
                if let Some(t) = to {
                    self.move_to_level(t);
                }
                self.record(why, |r| {
                    let decision = Decision::Returned {
                        from: from.map(str::to_owned),
                        to: r.level_id(to).unwrap_or_else(|| format!("tier {to_tier}")),
                        responsibility: r.responsibility(to),
                    };
                    (decision, None)
                });
                self.visit += 1;
                self.activity();
            }
            EventBody::StatusChanged { status } => match status {
                Status::Solved => self.solve(why),
                Status::Closed => self.close(why),
                other => {
                    // Solved, then back to work: a reopen (DESIGN §4.16).
                    if self.status == Status::Solved {
                        self.reopen(why);
                    }
                    self.status = *other;
                    self.apply_pauses(why);
                    self.update_idle();
                }
            },
            EventBody::PriorityChanged { priority } => self.change_priority(why, priority),
            EventBody::RefundRequested { amount, currency } => self.refund(why, *amount, currency),
            EventBody::Solved {} => self.solve(why),
            EventBody::Reopened {} => {
                self.reopen(why);
                self.apply_pauses(why);
                self.update_idle();
            }
            EventBody::Closed {} => self.close(why),
            EventBody::RefundDecided { approved, tier } => {
                if *approved && let Some(tier) = *tier {
                    self.refund_approved(why, tier);
                }
            }
            EventBody::Csat { .. } | EventBody::Other => {}
        }
    }

    pub(super) fn solve(&mut self, why: Why) {
        if self.solved {
            return;
        }
        self.solved = true;
        self.status = Status::Solved;
        self.unanswered = None;
        self.update_idle();
        self.meet(why, SlaMetric::Resolution);
        self.stop(why, SlaMetric::FirstResponse, "solved before a first reply");
        self.stop(why, SlaMetric::NextResponse, "solved");
        self.stop(why, SlaMetric::PeriodicUpdate, "solved");
    }

    /// A new resolution cycle; the next customer message starts next
    /// response.
    fn reopen(&mut self, why: Why) {
        self.solved = false;
        self.status = Status::Open;
        self.first_reply = true;
        self.cycle += 1;
        let cycle = self.cycle;
        self.record(why, |_| (Decision::CycleStarted { cycle }, None));
        self.start_metric(why, SlaMetric::Resolution, self.now);
        self.event_triggers(why, |on| matches!(on, TriggerOn::Reopened));
    }

    pub(super) fn close(&mut self, why: Why) {
        self.solve(why);
        self.status = Status::Closed;
    }
}

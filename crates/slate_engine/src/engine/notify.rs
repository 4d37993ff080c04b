//! Notifications: who is alerted for a team now, and on which channels.

use super::*;

impl<'e, 'p> Replay<'e, 'p> {
    /// The person alerted for `team` now: the owner, or the first backup
    /// when the team's calendar is closed. Returns (name, role, person).
    pub(super) fn recipient(
        &self,
        team: &str,
    ) -> (String, String, Option<&'p slate_policy::model::Contact>) {
        let Some((tiers, _)) = self.engine.tiers else {
            return (team.to_owned(), "team".to_owned(), None);
        };
        let Some(t) = tiers.teams.get(team) else {
            return (team.to_owned(), "team".to_owned(), None);
        };
        let open = self
            .engine
            .clocks
            .get(&t.calendar)
            .is_none_or(|c| c.is_open(self.now));
        match (open, t.backups.first()) {
            (false, Some(backup)) => (backup.name.clone(), "backup".to_owned(), Some(backup)),
            _ => (t.owner.name.clone(), "owner".to_owned(), Some(&t.owner)),
        }
    }

    /// Writes the notifications of `notify` to the trace; they decide nothing
    /// else, so replays without a trace skip them.
    pub(super) fn notify_all(
        &mut self,
        why: Why,
        notify: &[Notify],
        reason: &str,
        origin: Option<Origin<'p>>,
    ) {
        for n in notify {
            let (recipient, role, person) = self.recipient(&n.team);
            let alerts = self
                .engine
                .tiers
                .and_then(|(t, _)| t.teams.get(&n.team))
                .map(|t| &t.alerts);
            for channel in &n.via {
                let address = alerts.and_then(|a| a.get(*channel).cloned());
                let decision = Decision::Notified {
                    team: n.team.clone(),
                    recipient: recipient.clone(),
                    role: role.clone(),
                    position: person.map(|p| p.role.clone()),
                    contact: person.map(|p| p.contact.clone()),
                    channel: channel.name().to_owned(),
                    address,
                    reason: reason.to_owned(),
                };
                self.record(why, |_| (decision, origin));
            }
        }
    }
}

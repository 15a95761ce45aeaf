//! The outbox of opted-in reports that could not be delivered at once, as a pure state machine:
//! events in, effects out; the shell (src/services/submit.rs) carries the effects out — storage,
//! sends with a deadline, telling the visitor — and feeds the outcomes back as events.
//!
//! Storage is shared by every tab of the app, so the outbox never writes a whole list it read
//! earlier: each [`Effect::Store`] is one change by report id, applied by the shell to what is
//! stored *at that moment* ([`apply_change`]). A report queued in another tab meanwhile is kept.
//! A report being sent is claimed (`claimed_until_ms`), so another tab does not send it too;
//! a claim lapses after the send's deadline, so a tab closed mid-send loses nothing.

use serde::{Deserialize, Serialize};

/// First retry after this long; doubled per attempt up to `MAX_BACKOFF_MS`.
pub const FIRST_BACKOFF_MS: f64 = 30_000.0;
pub const MAX_BACKOFF_MS: f64 = 6.0 * 3_600_000.0;
/// After this many failed attempts a report is given up, and the visitor is told.
pub const MAX_ATTEMPTS: u32 = 12;
/// A send that has not answered by then counts as failed (a collector that silently drops
/// packets must not hold a retry for minutes).
pub const SEND_DEADLINE_MS: f64 = 15_000.0;
/// How long a claim outlives its send's deadline.
const CLAIM_MARGIN_MS: f64 = 5_000.0;

/// A report waiting in storage.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Pending {
    pub report_id: String,
    pub endpoint: String,
    pub body: String,
    /// Failed attempts so far.
    pub attempts: u32,
    /// Not retried before this time (ms since the epoch) unless a retry is forced.
    pub next_attempt_ms: f64,
    /// A tab is sending it until then; other tabs leave it alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claimed_until_ms: Option<f64>,
}

/// How a send ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SendResult {
    Delivered,
    /// No answer by the deadline, a network error, or a collector that is down or busy.
    Unreachable,
    /// The collector refused the report: retrying would not help.
    Refused(String),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    /// A report could not be delivered now: keep it for a retry.
    Queue { report_id: String, endpoint: String, body: String, now_ms: f64 },
    /// The moment to retry (a page load, or a run that finished); `force` ignores the backoff,
    /// since a new visit is when the visitor expects it. `stored` is what storage holds now.
    Retry { stored: Vec<Pending>, now_ms: f64, force: bool },
    /// A send of a queued report ended. `stored` is what storage holds now.
    Sent { report_id: String, result: SendResult, stored: Vec<Pending>, now_ms: f64 },
}

/// One change to the stored outbox, by report id.
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    /// Adds the report, or replaces the one with its id.
    Upsert(Pending),
    Remove(String),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    /// Apply this change to what storage holds now, and write the result.
    Store(Change),
    /// Send a queued report; abort it at `deadline_ms` and report [`Event::Sent`].
    Send { report_id: String, endpoint: String, body: String, deadline_ms: f64 },
    /// Tell the visitor what became of queued reports in this page so far.
    Notify(Notice),
}

/// What the visitor is told about queued reports.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Notice {
    pub delivered: usize,
    /// Still waiting in storage (in any tab).
    pub waiting: usize,
    /// Dropped after `MAX_ATTEMPTS` failures or a refusal.
    pub given_up: usize,
}

/// The outbox as one page sees it: what it has sent and given up since it loaded, and which
/// sends it is waiting for.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Outbox {
    notice: Notice,
    sending: Vec<String>,
}

impl Outbox {
    pub fn update(&mut self, event: Event) -> Vec<Effect> {
        match event {
            Event::Queue { report_id, endpoint, body, now_ms } => {
                let pending = Pending {
                    report_id,
                    endpoint,
                    body,
                    attempts: 1,
                    next_attempt_ms: now_ms + backoff_ms(1),
                    claimed_until_ms: None,
                };
                vec![Effect::Store(Change::Upsert(pending))]
            }
            Event::Retry { stored, now_ms, force } => self.retry(stored, now_ms, force),
            Event::Sent { report_id, result, stored, now_ms } => {
                self.sent(&report_id, result, stored, now_ms)
            }
        }
    }

    /// Whether a retry round of this page is still waiting for sends.
    pub fn is_sending(&self) -> bool {
        !self.sending.is_empty()
    }

    fn retry(&mut self, stored: Vec<Pending>, now_ms: f64, force: bool) -> Vec<Effect> {
        let mut effects = Vec::new();
        for mut pending in stored {
            let claimed = pending.claimed_until_ms.is_some_and(|until| until > now_ms);
            let due = force || pending.next_attempt_ms <= now_ms;
            if claimed || !due || self.sending.contains(&pending.report_id) {
                continue;
            }
            let deadline_ms = now_ms + SEND_DEADLINE_MS;
            pending.claimed_until_ms = Some(deadline_ms + CLAIM_MARGIN_MS);
            self.sending.push(pending.report_id.clone());
            effects.push(Effect::Send {
                report_id: pending.report_id.clone(),
                endpoint: pending.endpoint.clone(),
                body: pending.body.clone(),
                deadline_ms,
            });
            effects.insert(0, Effect::Store(Change::Upsert(pending)));
        }
        effects
    }

    fn sent(
        &mut self,
        report_id: &str,
        result: SendResult,
        stored: Vec<Pending>,
        now_ms: f64,
    ) -> Vec<Effect> {
        self.sending.retain(|id| id != report_id);
        // Gone already: another tab delivered or dropped it. Nothing to change or count.
        let Some(mut pending) = stored.iter().find(|p| p.report_id == report_id).cloned() else {
            return vec![self.notify(&stored, None)];
        };
        let change = match result {
            SendResult::Delivered => {
                self.notice.delivered += 1;
                Change::Remove(pending.report_id)
            }
            SendResult::Refused(_) => {
                self.notice.given_up += 1;
                Change::Remove(pending.report_id)
            }
            SendResult::Unreachable if pending.attempts + 1 >= MAX_ATTEMPTS => {
                self.notice.given_up += 1;
                Change::Remove(pending.report_id)
            }
            SendResult::Unreachable => {
                pending.attempts += 1;
                pending.next_attempt_ms = now_ms + backoff_ms(pending.attempts);
                pending.claimed_until_ms = None;
                Change::Upsert(pending)
            }
        };
        let notice = self.notify(&stored, Some(&change));
        vec![Effect::Store(change), notice]
    }

    /// The notice after `change` is applied to `stored`.
    fn notify(&self, stored: &[Pending], change: Option<&Change>) -> Effect {
        let mut after = stored.to_vec();
        if let Some(change) = change {
            apply_change(&mut after, change.clone());
        }
        Effect::Notify(Notice { waiting: after.len(), ..self.notice })
    }
}

/// Applies one change to the stored list (merging by report id).
pub fn apply_change(stored: &mut Vec<Pending>, change: Change) {
    match change {
        Change::Upsert(pending) => match stored.iter_mut().find(|p| p.report_id == pending.report_id) {
            Some(existing) => *existing = pending,
            None => stored.push(pending),
        },
        Change::Remove(report_id) => stored.retain(|p| p.report_id != report_id),
    }
}

/// Reads a stored outbox; anything unreadable is an empty one (a damaged entry must not stop
/// the app), but entries that parse are kept.
pub fn parse_stored(text: &str) -> Vec<Pending> {
    crate::json::array_entries(text)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|entry| serde_json::from_str(entry.get()).ok())
        .collect()
}

pub fn backoff_ms(attempts: u32) -> f64 {
    (FIRST_BACKOFF_MS * 2f64.powi(attempts.min(20) as i32)).min(MAX_BACKOFF_MS)
}

#[cfg(test)]
mod tests;

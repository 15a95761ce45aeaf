//! Every transition of the outbox, and tabs interleaving on one shared storage.

use super::*;

/// localStorage shared by the tabs of one browser.
#[derive(Default)]
struct Storage(Vec<Pending>);

impl Storage {
    /// Carries out a page's effects as the shell does; returns its sends and notices.
    fn carry_out(&mut self, effects: Vec<Effect>) -> (Vec<(String, f64)>, Vec<Notice>) {
        let (mut sends, mut notices) = (Vec::new(), Vec::new());
        for effect in effects {
            match effect {
                Effect::Store(change) => apply_change(&mut self.0, change),
                Effect::Send { report_id, deadline_ms, .. } => sends.push((report_id, deadline_ms)),
                Effect::Notify(notice) => notices.push(notice),
            }
        }
        (sends, notices)
    }

    fn ids(&self) -> Vec<&str> {
        self.0.iter().map(|p| p.report_id.as_str()).collect()
    }
}

fn queue(id: &str, now_ms: f64) -> Event {
    Event::Queue {
        report_id: id.into(),
        endpoint: "https://c.example/v1/reports".into(),
        body: "{}".into(),
        now_ms,
    }
}

fn retry(storage: &Storage, now_ms: f64, force: bool) -> Event {
    Event::Retry { stored: storage.0.clone(), now_ms, force }
}

fn sent(storage: &Storage, id: &str, result: SendResult, now_ms: f64) -> Event {
    Event::Sent { report_id: id.into(), result, stored: storage.0.clone(), now_ms }
}

#[test]
fn a_queued_report_waits_for_its_backoff_unless_forced() {
    let (mut tab, mut storage) = (Outbox::default(), Storage::default());
    storage.carry_out(tab.update(queue("r1", 0.0)));
    assert_eq!(storage.0[0].attempts, 1);
    assert_eq!(storage.0[0].next_attempt_ms, backoff_ms(1));
    let (sends, _) = storage.carry_out(tab.update(retry(&storage, 1_000.0, false)));
    assert!(sends.is_empty(), "not due yet");
    let (sends, _) = storage.carry_out(tab.update(retry(&storage, 1_000.0, true)));
    assert_eq!(
        sends,
        [("r1".to_owned(), 1_000.0 + SEND_DEADLINE_MS)],
        "a page load retries at once, with a deadline"
    );
    assert!(tab.is_sending());
    assert!(storage.0[0].claimed_until_ms.unwrap() > 1_000.0 + SEND_DEADLINE_MS);
}

#[test]
fn delivered_once_and_then_gone() {
    let (mut tab, mut storage) = (Outbox::default(), Storage::default());
    storage.carry_out(tab.update(queue("r1", 0.0)));
    storage.carry_out(tab.update(retry(&storage, 0.0, true)));
    let (_, notices) = storage.carry_out(tab.update(sent(&storage, "r1", SendResult::Delivered, 10.0)));
    assert!(storage.0.is_empty());
    assert_eq!(notices, [Notice { delivered: 1, waiting: 0, given_up: 0 }]);
    let (sends, _) = storage.carry_out(tab.update(retry(&storage, 20.0, true)));
    assert!(sends.is_empty(), "nothing is sent twice");
    assert!(!tab.is_sending());
}

#[test]
fn failures_back_off_and_are_given_up_after_the_last_attempt_with_a_notice() {
    let (mut tab, mut storage) = (Outbox::default(), Storage::default());
    storage.carry_out(tab.update(queue("r1", 0.0)));
    let mut now = 0.0;
    for attempt in 2..MAX_ATTEMPTS {
        storage.carry_out(tab.update(retry(&storage, now, true)));
        let (_, notices) = storage.carry_out(tab.update(sent(&storage, "r1", SendResult::Unreachable, now)));
        assert_eq!(storage.0[0].attempts, attempt);
        assert_eq!(storage.0[0].next_attempt_ms, now + backoff_ms(attempt));
        assert_eq!(storage.0[0].claimed_until_ms, None, "the claim ends with the send");
        assert_eq!(notices, [Notice { delivered: 0, waiting: 1, given_up: 0 }]);
        now += 1.0;
    }
    storage.carry_out(tab.update(retry(&storage, now, true)));
    let (_, notices) = storage.carry_out(tab.update(sent(&storage, "r1", SendResult::Unreachable, now)));
    assert!(storage.0.is_empty());
    assert_eq!(notices, [Notice { delivered: 0, waiting: 0, given_up: 1 }], "the visitor is told");
}

#[test]
fn a_refusal_is_given_up_at_once() {
    let (mut tab, mut storage) = (Outbox::default(), Storage::default());
    storage.carry_out(tab.update(queue("r1", 0.0)));
    storage.carry_out(tab.update(retry(&storage, 0.0, true)));
    let (_, notices) =
        storage.carry_out(tab.update(sent(&storage, "r1", SendResult::Refused("413".into()), 1.0)));
    assert!(storage.0.is_empty());
    assert_eq!(notices[0].given_up, 1);
}

#[test]
fn backoff_doubles_up_to_a_cap() {
    assert_eq!(backoff_ms(1), 60_000.0);
    assert_eq!(backoff_ms(2), 120_000.0);
    assert_eq!(backoff_ms(30), MAX_BACKOFF_MS);
}

/// The loss of the old shell: tab A retried (read the list, awaited its sends, then wrote the
/// list it had read), so a report that tab B queued meanwhile was overwritten.
#[test]
fn a_report_queued_in_another_tab_during_a_retry_is_kept() {
    let mut storage = Storage::default();
    let (mut a, mut b) = (Outbox::default(), Outbox::default());
    storage.carry_out(a.update(queue("r1", 0.0)));
    let (sends, _) = storage.carry_out(a.update(retry(&storage, 100.0, true)));
    assert_eq!(sends.len(), 1);
    // While A's send is in flight, B queues its own report.
    storage.carry_out(b.update(queue("r2", 150.0)));
    // A's send ends; its change applies to what storage holds now.
    storage.carry_out(a.update(sent(&storage, "r1", SendResult::Delivered, 200.0)));
    assert_eq!(storage.ids(), ["r2"], "r2 is kept, r1 is gone");
    // And a failed send keeps both.
    storage.carry_out(b.update(queue("r3", 250.0)));
    storage.carry_out(a.update(retry(&storage, 300.0, true)));
    storage.carry_out(b.update(queue("r4", 310.0)));
    storage.carry_out(a.update(sent(&storage, "r2", SendResult::Unreachable, 320.0)));
    let mut ids = storage.ids();
    ids.sort_unstable();
    assert_eq!(ids, ["r2", "r3", "r4"]);
}

#[test]
fn two_tabs_retrying_at_once_send_each_report_once() {
    let mut storage = Storage::default();
    let (mut a, mut b) = (Outbox::default(), Outbox::default());
    storage.carry_out(a.update(queue("r1", 0.0)));
    let (sends_a, _) = storage.carry_out(a.update(retry(&storage, 100.0, true)));
    let (sends_b, _) = storage.carry_out(b.update(retry(&storage, 101.0, true)));
    assert_eq!((sends_a.len(), sends_b.len()), (1, 0), "B sees A's claim");
    storage.carry_out(a.update(sent(&storage, "r1", SendResult::Delivered, 150.0)));
    // B learns of a send it did not make: nothing to change, nothing counted.
    let (_, notices) = storage.carry_out(b.update(sent(&storage, "r1", SendResult::Delivered, 160.0)));
    assert_eq!(notices, [Notice::default()]);
    assert!(storage.0.is_empty());
}

#[test]
fn a_send_that_never_answers_ends_at_its_deadline_and_a_dead_tabs_claim_lapses() {
    let mut storage = Storage::default();
    let (mut a, mut b) = (Outbox::default(), Outbox::default());
    storage.carry_out(a.update(queue("r1", 0.0)));
    let (sends, _) = storage.carry_out(a.update(retry(&storage, 0.0, true)));
    let deadline = sends[0].1;
    assert_eq!(deadline, SEND_DEADLINE_MS, "the shell aborts the send then and reports Unreachable");
    // Tab A is closed mid-send. Before the claim lapses B leaves the report alone; after, B sends.
    let claimed_until = storage.0[0].claimed_until_ms.unwrap();
    assert!(storage.carry_out(b.update(retry(&storage, claimed_until - 1.0, true))).0.is_empty());
    let (sends, _) = storage.carry_out(b.update(retry(&storage, claimed_until + 1.0, true)));
    assert_eq!(sends.len(), 1, "the report was not lost with the tab");
    // The same page does not start a second send of a report it is already sending.
    assert!(storage.carry_out(b.update(retry(&storage, claimed_until + 2.0, true))).0.is_empty());
}

#[test]
fn damaged_storage_keeps_what_it_can() {
    assert!(parse_stored("not json").is_empty());
    assert!(parse_stored("{}").is_empty());
    let good = serde_json::to_string(&Pending {
        report_id: "r1".into(),
        endpoint: "e".into(),
        body: "{}".into(),
        attempts: 1,
        next_attempt_ms: 5.0,
        claimed_until_ms: None,
    })
    .unwrap();
    // The stored shape of the old shell (no claim) still reads.
    let stored = parse_stored(&format!("[{good}, {{\"report_id\": 3}}]"));
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].report_id, "r1");
}

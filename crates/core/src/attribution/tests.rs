//! When a failure is not the network's: a change of network, a content blocker, a baseline.

use std::collections::HashMap;

use super::*;
use crate::catalog::{Catalog, PageContext, ProbeKind};
use crate::evaluate::Evaluation;
use crate::measurement::Sample;
use crate::verdict::{ServiceStatus, Verdict};

const CATALOG: &str = r#"{
  "catalog_format": 2, "id": "t", "version": "1",
  "controls": [
    { "scope": "global", "id": "g", "kind": "fetch", "url": "https://g.example/", "timeout_ms": 5000, "source": "t" }
  ],
  "canaries": [
    { "id": "canary", "kind": "fetch", "url": "https://tracker.example/ads.js?v=1", "timeout_ms": 5000, "source": "t" }
  ],
  "services": [
    { "id": "social", "name": "Social", "category": "x", "homepage": "https://social.example/", "endpoints": [
      { "id": "social1", "kind": "fetch", "url": "https://social1.example/", "timeout_ms": 5000, "filter_listed": true, "source": "t" } ] },
    { "id": "chat", "name": "Chat", "category": "x", "homepage": "https://chat.example/", "endpoints": [
      { "id": "chat1", "kind": "fetch", "url": "https://chat1.example/", "timeout_ms": 5000, "source": "t" },
      { "id": "chat2", "kind": "fetch", "url": "https://chat2.example/", "timeout_ms": 5000, "source": "t" },
      { "id": "chat3", "kind": "fetch", "url": "https://chat3.example/", "timeout_ms": 5000, "source": "t" } ] }
  ]
}"#;

fn catalog() -> Catalog {
    Catalog::load(CATALOG, PageContext::SECURE).unwrap()
}

/// A one-sample measurement that started `at` ms into the run and ended after `elapsed`.
fn attempt(id: &str, outcome: Outcome, at: f64, elapsed: f64) -> (String, Measurement) {
    let sample = Sample { at_ms: Some(at), ..Sample::new(outcome, elapsed) };
    let m = Measurement {
        endpoint_id: id.into(),
        kind: ProbeKind::Fetch,
        timeout_ms: 5000,
        obstacle: None,
        samples: vec![sample],
        transfer: None,
        ice: None,
    };
    (id.into(), m)
}

fn verdicts(evaluation: &Evaluation) -> Vec<(&str, Verdict, Option<Reason>)> {
    let mut all: Vec<_> =
        evaluation.endpoints.iter().map(|(id, v)| (id.as_str(), v.verdict, v.reason)).collect();
    all.sort_by_key(|v| v.0);
    all
}

#[test]
fn many_long_pending_requests_failing_at_one_instant_are_a_network_change() {
    // Three requests to different hosts, pending ~570 ms, all fail within a few ms.
    let measured: HashMap<_, _> = [
        attempt("g", Outcome::Ok, 0.0, 40.0),
        attempt("canary", Outcome::Ok, 0.0, 40.0),
        attempt("social1", Outcome::Ok, 0.0, 30.0),
        attempt("chat1", Outcome::Error, 0.0, 570.0),
        attempt("chat2", Outcome::Error, 100.0, 472.0),
        attempt("chat3", Outcome::Error, 300.0, 271.0),
    ]
    .into();
    let evaluation = Evaluation::of(&catalog(), &measured);
    assert_eq!(evaluation.network_changes_ms, vec![570.0]);
    for id in ["chat1", "chat2", "chat3"] {
        assert_eq!(evaluation.endpoints[id].verdict, Verdict::Inconclusive, "{id}");
        assert_eq!(evaluation.endpoints[id].reason, Some(Reason::NetworkChanged), "{id}");
    }
    assert_eq!(evaluation.services["chat"].status, ServiceStatus::Inconclusive);
}

#[test]
fn resets_a_round_trip_after_their_requests_are_blocks_even_together() {
    // A censor resets every blocked request ~60 ms after it left: a burst, but of fresh requests.
    let measured: HashMap<_, _> = [
        attempt("g", Outcome::Ok, 0.0, 40.0),
        attempt("chat1", Outcome::Error, 0.0, 60.0),
        attempt("chat2", Outcome::Error, 0.0, 61.0),
        attempt("chat3", Outcome::Error, 0.0, 62.0),
    ]
    .into();
    let evaluation = Evaluation::of(&catalog(), &measured);
    assert!(evaluation.network_changes_ms.is_empty());
    assert_eq!(evaluation.services["chat"].status, ServiceStatus::Blocked);
}

#[test]
fn the_burst_needs_distinct_hosts_and_one_instant() {
    let reference = ControlReference { median_ms: Some(40.0), ..Default::default() };
    let failure = |host, end_ms| FailedAttempt { host, end_ms, elapsed_ms: 600.0 };
    // Same host three times: one server going away, not the network.
    assert!(burst_instants(vec![failure("a", 600.0), failure("a", 601.0), failure("a", 602.0)], &reference)
        .is_empty());
    // Spread over 100 ms: unrelated failures.
    assert!(burst_instants(vec![failure("a", 600.0), failure("b", 650.0), failure("c", 700.0)], &reference)
        .is_empty());
    assert_eq!(
        burst_instants(vec![failure("c", 629.0), failure("a", 600.0), failure("b", 610.0)], &reference),
        vec![600.0]
    );
    // Slow controls raise the pending threshold (3 × 250 ms).
    let slow = ControlReference { median_ms: Some(250.0), ..Default::default() };
    assert!(
        burst_instants(vec![failure("a", 600.0), failure("b", 601.0), failure("c", 602.0)], &slow).is_empty()
    );
}

#[test]
fn a_reported_change_explains_what_was_in_flight_then_only() {
    let measured: HashMap<_, _> = [
        attempt("g", Outcome::Ok, 0.0, 40.0),
        // In flight at 1000 ms (a timeout that began before it).
        attempt("chat1", Outcome::Timeout, 200.0, 5000.0),
        // Began just after the change, failed at once.
        attempt("chat2", Outcome::Error, 1500.0, 5.0),
        // Failed long before it.
        attempt("chat3", Outcome::Error, 0.0, 5.0),
    ]
    .into();
    let circumstances =
        Circumstances { network_changes_ms: &[1000.0], baseline: None, ..Circumstances::default() };
    let evaluation = Evaluation::judged(&catalog(), &measured, circumstances);
    assert_eq!(evaluation.endpoints["chat1"].reason, Some(Reason::NetworkChanged));
    assert_eq!(evaluation.endpoints["chat2"].reason, Some(Reason::NetworkChanged));
    assert_eq!(evaluation.endpoints["chat3"].verdict, Verdict::Blocked);
    assert_eq!(evaluation.services["chat"].status, ServiceStatus::Blocked);
}

#[test]
fn a_blocked_canary_makes_filter_listed_failures_inconclusive() {
    let run = |canary: Outcome| {
        let measured: HashMap<_, _> = [
            attempt("g", Outcome::Ok, 0.0, 40.0),
            attempt("canary", canary, 0.0, 4.0),
            attempt("social1", Outcome::Error, 0.0, 5.0),
            attempt("chat1", Outcome::Error, 0.0, 5.0),
        ]
        .into();
        Evaluation::of(&catalog(), &measured)
    };
    let blocked = run(Outcome::Error);
    assert!(blocked.content_blocker);
    assert_eq!(blocked.endpoints["social1"].reason, Some(Reason::ContentBlocker));
    assert_eq!(blocked.endpoints["social1"].verdict, Verdict::Inconclusive);
    // Not on the lists: still blocked.
    assert_eq!(blocked.endpoints["chat1"].verdict, Verdict::Blocked);
    // Without the blocker nothing changes.
    let clean = run(Outcome::Ok);
    assert!(!clean.content_blocker);
    assert_eq!(clean.endpoints["social1"].verdict, Verdict::Blocked);
    // A canary that got no answer is no evidence of a blocker in the browser.
    assert!(!run(Outcome::Timeout).content_blocker);
}

#[test]
fn a_canary_proves_nothing_when_the_controls_failed() {
    let measured: HashMap<_, _> = [
        attempt("g", Outcome::Timeout, 0.0, 5000.0),
        attempt("canary", Outcome::Error, 0.0, 4.0),
        attempt("social1", Outcome::Error, 0.0, 5.0),
    ]
    .into();
    let evaluation = Evaluation::of(&catalog(), &measured);
    assert!(!evaluation.content_blocker);
    assert_eq!(verdicts(&evaluation)[2], ("social1", Verdict::Inconclusive, Some(Reason::ControlsFailed)));
}

#[test]
fn a_failure_the_baseline_saw_too_is_a_broken_endpoint() {
    let baseline = Baseline::parse(
        r#"{ "baseline_format": 1, "catalog_id": "t", "catalog_version": "1", "date": "2026-11-30",
             "browser": "Chrome 156", "endpoints": {
               "chat1": { "works": false, "verdict": "blocked", "failure": "fast_fail" },
               "chat2": { "works": true, "verdict": "ok" } } }"#,
    )
    .unwrap();
    let measured: HashMap<_, _> = [
        attempt("g", Outcome::Ok, 0.0, 40.0),
        attempt("chat1", Outcome::Error, 0.0, 5.0),
        attempt("chat2", Outcome::Error, 0.0, 5.0),
        attempt("chat3", Outcome::Ok, 0.0, 30.0),
    ]
    .into();
    let circumstances =
        Circumstances { network_changes_ms: &[], baseline: Some(&baseline), ..Circumstances::default() };
    let evaluation = Evaluation::judged(&catalog(), &measured, circumstances);
    assert_eq!(evaluation.endpoints["chat1"].reason, Some(Reason::EndpointBroken));
    assert_eq!(evaluation.endpoints["chat2"].verdict, Verdict::Blocked, "worked in the baseline");
    assert_eq!(evaluation.services["chat"].status, ServiceStatus::Partial);
    assert_eq!(evaluation.baseline.as_ref().map(|b| b.date.as_str()), Some("2026-11-30"));
    // A baseline of another catalog is not used.
    let other = Baseline { catalog_id: "other".into(), ..baseline };
    let circumstances =
        Circumstances { network_changes_ms: &[], baseline: Some(&other), ..Circumstances::default() };
    let evaluation = Evaluation::judged(&catalog(), &measured, circumstances);
    assert_eq!(evaluation.endpoints["chat1"].verdict, Verdict::Blocked);
    assert!(evaluation.baseline.is_none());
}

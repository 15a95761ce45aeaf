//! The measurement engine against reachcheck-lab in headless Chromium: every lab condition gets
//! its expected verdict, dead controls never yield "blocked", and the scheduler keeps a large run
//! within one timeout and within its caps. See tests/browser.rs for how the lab is found.
#![cfg(target_arch = "wasm32")]

mod support;

use std::collections::HashMap;

use futures::channel::oneshot;
use reachcheck::probe::diagnose::diagnose;
use reachcheck::probe::now_ms;
use reachcheck::probe::run::{run, RunEvent, RunStats};
use reachcheck_core::attribution::Circumstances;
use reachcheck_core::catalog::{Catalog, PageContext};
use reachcheck_core::diagnosis::{Method, Plan, MAX_SUSPECTS};
use reachcheck_core::evaluate::Evaluation;
use reachcheck_core::measurement::Measurement;
use reachcheck_core::schedule::{MAX_IN_FLIGHT, MAX_PER_HOST};
use reachcheck_core::verdict::{Failure, Reason, ServiceStatus, Verdict};
use serde_json::{json, Value};
use support::{lab_base, lab_delete, lab_json};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const TIMEOUT_MS: u32 = 2000;

async fn run_catalog(catalog: &Catalog) -> (HashMap<String, Measurement>, RunStats) {
    let mut measurements = HashMap::new();
    let (_keep_running, cancel) = oneshot::channel::<()>();
    let stats = run(
        catalog,
        |event| {
            if let RunEvent::Finished(m) = event {
                measurements.insert(m.endpoint_id.clone(), m);
            }
        },
        cancel,
    )
    .await;
    (measurements, stats)
}

fn load(value: &Value) -> Catalog {
    Catalog::load(&value.to_string(), PageContext { secure: false }).expect("a valid test catalog")
}

fn lab_host_url(host: &str, path: &str) -> String {
    lab_base().replacen("127.0.0.1", &format!("{host}.localhost"), 1) + path
}

fn fetch_endpoint(id: &str, url: String) -> Value {
    json!({ "id": id, "kind": "fetch", "url": url, "timeout_ms": TIMEOUT_MS, "samples": 1, "source": "test" })
}

fn catalog_of(controls: Vec<Value>, endpoints: Vec<Value>) -> Catalog {
    let controls: Vec<Value> = controls
        .into_iter()
        .map(|mut c| {
            c["scope"] = json!("global");
            c
        })
        .collect();
    load(&json!({
        "catalog_format": 1, "id": "test", "version": "1", "controls": controls,
        "services": [{ "id": "svc", "name": "Service", "category": "test", "homepage": "https://svc.example/",
                       "endpoints": endpoints }]
    }))
}

#[wasm_bindgen_test]
async fn every_lab_condition_gets_its_expected_verdict() {
    let catalog_json = lab_json(&format!("/_lab/catalog.json?timeout_ms={TIMEOUT_MS}")).await;
    let expected = lab_json(&format!("/_lab/expected.json?timeout_ms={TIMEOUT_MS}")).await;
    let catalog = load(&catalog_json);
    let (measurements, _) = run_catalog(&catalog).await;
    let evaluation = Evaluation::of(&catalog, &measurements);
    // Then, as the app does, how each blocked host is blocked.
    let diagnoses = match Plan::of(&catalog, &evaluation, &[], MAX_SUSPECTS) {
        Some(plan) => diagnose(&plan, oneshot::channel().1).await,
        None => Vec::new(),
    };
    let circumstances = Circumstances { diagnoses: &diagnoses, ..Circumstances::default() };
    let evaluation = Evaluation::judged(&catalog, &measurements, circumstances);

    let mut mismatches = Vec::new();
    for (id, want) in expected["endpoints"].as_object().unwrap() {
        let got = &evaluation.endpoints[id];
        let got_json = json!({ "verdict": got.verdict, "failure": got.failure, "reason": got.reason, "method": got.method });
        if &got_json != want {
            mismatches.push(format!("{id}: expected {want}, got {got_json} from {:?}", measurements[id]));
        }
    }
    for (id, want) in expected["services"].as_object().unwrap() {
        let got = json!(evaluation.services[id].status);
        if &got != want {
            mismatches.push(format!("service {id}: expected {want}, got {got}"));
        }
    }
    assert!(mismatches.is_empty(), "{} mismatches:\n{}", mismatches.len(), mismatches.join("\n"));
    // Every control answered, so nothing above was inconclusive for lack of a reference.
    assert_eq!(evaluation.reference.global_reached, evaluation.reference.global_total);
}

#[wasm_bindgen_test]
async fn delay_300_is_reachable_never_blocked() {
    let catalog = catalog_of(
        vec![fetch_endpoint("control", lab_host_url("ctl-delay", "/c/ok"))],
        vec![fetch_endpoint("delayed", lab_host_url("delay300", "/c/delay=300"))],
    );
    let (measurements, _) = run_catalog(&catalog).await;
    let evaluation = Evaluation::of(&catalog, &measurements);
    let delayed = &evaluation.endpoints["delayed"];
    assert_eq!(delayed.verdict, Verdict::Ok, "{delayed:?}");
    assert!(delayed.median_ms.unwrap() >= 300.0, "{delayed:?}");
}

#[wasm_bindgen_test]
async fn with_every_control_down_failures_are_inconclusive_not_blocked() {
    let info = lab_json("/_lab/info").await;
    let refused = format!("http://127.0.0.1:{}/", info["refused_port"]);
    let catalog = catalog_of(
        vec![
            fetch_endpoint("control-refused", refused.clone()),
            fetch_endpoint("control-blackholed", lab_host_url("ctl-bh", "/c/blackhole")),
        ],
        vec![
            fetch_endpoint("blackholed", lab_host_url("svc-bh", "/c/blackhole")),
            fetch_endpoint("reset", lab_host_url("svc-reset", "/c/reset")),
            fetch_endpoint("answers", lab_host_url("svc-ok", "/c/ok")),
        ],
    );
    let (measurements, _) = run_catalog(&catalog).await;
    let evaluation = Evaluation::of(&catalog, &measurements);
    for id in ["blackholed", "reset"] {
        let v = &evaluation.endpoints[id];
        assert_eq!(
            (v.verdict, v.reason),
            (Verdict::Inconclusive, Some(Reason::ControlsFailed)),
            "{id}: {v:?}"
        );
    }
    assert_eq!(evaluation.endpoints["answers"].verdict, Verdict::Ok, "an answer is an answer");
    assert_eq!(evaluation.services["svc"].status, ServiceStatus::Reachable);
}

#[wasm_bindgen_test]
async fn forty_endpoints_with_a_third_blackholed_finish_in_about_one_timeout_within_the_caps() {
    let endpoints: Vec<Value> = (0..40)
        .map(|i| {
            let (host, path) =
                if i % 3 == 0 { (format!("bh{i}"), "/c/blackhole") } else { (format!("ok{i}"), "/c/ok") };
            fetch_endpoint(&format!("e{i}"), lab_host_url(&host, path))
        })
        .collect();
    let catalog = catalog_of(vec![fetch_endpoint("control", lab_host_url("ctl-forty", "/c/ok"))], endpoints);
    lab_delete("/_lab/stats").await;
    let started = now_ms();
    let (measurements, stats) = run_catalog(&catalog).await;
    let elapsed = now_ms() - started;
    let lab_stats = lab_json("/_lab/stats").await;

    assert_eq!(measurements.len(), 41);
    assert!(elapsed < 2.0 * f64::from(TIMEOUT_MS), "the run took {elapsed:.0} ms (timeout {TIMEOUT_MS} ms)");
    assert!(stats.peak_in_flight <= MAX_IN_FLIGHT && stats.peak_per_host <= MAX_PER_HOST, "{stats:?}");
    let lab_peak = lab_stats["peak_in_flight"].as_u64().unwrap() as usize;
    assert!(lab_peak <= MAX_IN_FLIGHT, "the lab saw {lab_peak} requests at once");
    let evaluation = Evaluation::of(&catalog, &measurements);
    let blackholed = (0..40).step_by(3).map(|i| &evaluation.endpoints[&format!("e{i}")]);
    assert!(blackholed.clone().count() == 14);
    for v in blackholed {
        assert_eq!((v.verdict, v.failure), (Verdict::Blocked, Some(Failure::Timeout)), "{v:?}");
    }
    assert_eq!(evaluation.services["svc"].status, ServiceStatus::Partial);
}

#[wasm_bindgen_test]
async fn cancelling_a_run_stops_it_and_aborts_hanging_probes() {
    let endpoints = (0..4)
        .map(|i| fetch_endpoint(&format!("hang{i}"), lab_host_url(&format!("hang{i}"), "/c/blackhole")));
    let catalog =
        catalog_of(vec![fetch_endpoint("control", lab_host_url("ctl-cancel", "/c/ok"))], endpoints.collect());
    let (cancel_handle, cancel) = oneshot::channel::<()>();
    let started = now_ms();
    let run = run(&catalog, |_| {}, cancel);
    let cancel_soon = async move {
        reachcheck::probe::sleep_ms(300.0).await;
        let _ = cancel_handle.send(());
    };
    let (stats, ()) = futures::join!(run, cancel_soon);
    assert!(stats.cancelled);
    assert!(now_ms() - started < f64::from(TIMEOUT_MS), "cancel returns before the timeout");
    support::sleep_ms(200).await;
    let lab_stats = lab_json("/_lab/stats").await;
    assert_eq!(lab_stats["in_flight"], 0, "aborted probes closed their connections: {lab_stats}");
}

fn single_endpoint(endpoint: Value) -> reachcheck_core::catalog::Endpoint {
    let catalog =
        catalog_of(vec![fetch_endpoint("control", lab_host_url("ctl-single", "/c/ok"))], vec![endpoint]);
    catalog.services[0].endpoints[0].clone()
}

#[wasm_bindgen_test]
async fn resource_timing_phases_are_recorded_when_the_target_allows_them() {
    let mut timed = fetch_endpoint("timed", lab_host_url("tao", "/c/delay=150?tao=1"));
    timed["success"] = json!("ok_status");
    let measured = reachcheck::probe::measure(&single_endpoint(timed), now_ms()).await;
    let sample = &measured.samples[0];
    assert_eq!(sample.status, Some(200));
    let phases = sample.phases.as_ref().expect("Timing-Allow-Origin exposes the phases");
    assert!(phases.wait_ms >= 140.0, "{phases:?}");

    let mut hidden = fetch_endpoint("hidden", lab_host_url("no-tao", "/c/ok"));
    hidden["success"] = json!("ok_status");
    let measured = reachcheck::probe::measure(&single_endpoint(hidden), now_ms()).await;
    assert_eq!(measured.samples[0].phases, None, "without Timing-Allow-Origin the phases stay hidden");
}

#[wasm_bindgen_test]
async fn error_statuses_are_seen_and_never_called_blocked() {
    let mut strict = fetch_endpoint("strict", lab_host_url("status-strict", "/c/status=500"));
    strict["success"] = json!("ok_status");
    let stream = |id: &str, status: u16| {
        json!({ "id": id, "kind": "stream", "url": lab_host_url(id, &format!("/c/status={status}")),
                "timeout_ms": TIMEOUT_MS, "expected_bytes": 262144, "source": "test" })
    };
    let catalog = catalog_of(
        vec![fetch_endpoint("control", lab_host_url("ctl-status", "/c/ok"))],
        vec![strict, stream("stream-503", 503), stream("stream-404", 404)],
    );
    let (measurements, _) = run_catalog(&catalog).await;
    assert_eq!(measurements["strict"].samples[0].status, Some(500), "CORS shows the status");
    let evaluation = Evaluation::of(&catalog, &measurements);
    let strict = &evaluation.endpoints["strict"];
    assert_eq!((strict.verdict, strict.status), (Verdict::Ok, Some(500)), "{strict:?}");
    for (id, status) in [("stream-503", 503), ("stream-404", 404)] {
        let v = &evaluation.endpoints[id];
        assert_eq!(
            (v.verdict, v.reason, v.status),
            (Verdict::Inconclusive, Some(Reason::ServerError), Some(status))
        );
    }
    assert_eq!(evaluation.services["svc"].status, ServiceStatus::Reachable);
}

/// Runs a catalog while `during` acts on the page or the lab `after_ms` into the run.
async fn run_with(
    catalog: &Catalog,
    after_ms: f64,
    during: impl std::future::Future<Output = ()>,
) -> Evaluation {
    let mut measurements = HashMap::new();
    let mut changes = Vec::new();
    let (_keep_running, cancel) = oneshot::channel::<()>();
    let probes = run(
        catalog,
        |event| match event {
            RunEvent::Finished(m) => {
                measurements.insert(m.endpoint_id.clone(), m);
            }
            RunEvent::NetworkChanged(at) => changes.push(at),
            RunEvent::Started(_) => {}
        },
        cancel,
    );
    let act = async {
        reachcheck::probe::sleep_ms(after_ms).await;
        during.await;
    };
    futures::join!(probes, act);
    let circumstances =
        Circumstances { network_changes_ms: &changes, baseline: None, ..Circumstances::default() };
    Evaluation::judged(catalog, &measurements, circumstances)
}

/// Requests that hang until the lab's network changes, on hosts of their own, plus a reset that
/// happened before: the reset stays blocked.
fn network_change_catalog(prefix: &str) -> Catalog {
    let mut endpoints: Vec<Value> = (0..4)
        .map(|i| fetch_endpoint(&format!("hang{i}"), lab_host_url(&format!("{prefix}-hang{i}"), "/c/hang")))
        .collect();
    endpoints.push(fetch_endpoint("reset", lab_host_url(&format!("{prefix}-reset"), "/c/reset")));
    catalog_of(vec![fetch_endpoint("control", lab_host_url(&format!("{prefix}-ctl"), "/c/ok"))], endpoints)
}

fn assert_network_changed(evaluation: &Evaluation) {
    for i in 0..4 {
        let v = &evaluation.endpoints[&format!("hang{i}")];
        assert_eq!(
            (v.verdict, v.reason),
            (Verdict::Inconclusive, Some(Reason::NetworkChanged)),
            "hang{i}: {v:?}"
        );
    }
    let reset = &evaluation.endpoints["reset"];
    assert_eq!((reset.verdict, reset.failure), (Verdict::Blocked, Some(Failure::FastFail)), "{reset:?}");
    assert!(!evaluation.network_changes_ms.is_empty());
}

#[wasm_bindgen_test]
async fn everything_in_flight_failing_at_once_is_a_network_change_not_a_block() {
    let catalog = network_change_catalog("burst");
    let evaluation = run_with(&catalog, 600.0, support::lab_post("/_lab/network-change")).await;
    assert_network_changed(&evaluation);
    let at = evaluation.network_changes_ms[0];
    assert!((550.0..1500.0).contains(&at), "the burst was seen at {at} ms");
}

#[wasm_bindgen_test]
async fn an_offline_event_during_the_run_explains_what_was_in_flight() {
    let catalog = network_change_catalog("offline");
    // The page sees `offline` (as when a phone leaves Wi-Fi) while requests hang; they time out
    // later, one by one: only the event ties them to the change.
    let change = async {
        let event = web_sys::Event::new("offline").unwrap();
        web_sys::window().unwrap().dispatch_event(&event).unwrap();
    };
    let evaluation = run_with(&catalog, 400.0, change).await;
    assert_eq!(evaluation.endpoints["hang0"].failure, Some(Failure::Timeout));
    assert_network_changed(&evaluation);
}

#[wasm_bindgen_test]
async fn failed_websockets_carry_their_close_code_and_non_images_fail_to_load() {
    let rejected = json!({ "id": "rejected", "kind": "websocket", "url": lab_host_url("wsr", "/c/ws-reject").replacen("http", "ws", 1),
                           "timeout_ms": TIMEOUT_MS, "source": "test" });
    let measured = reachcheck::probe::measure(&single_endpoint(rejected), now_ms()).await;
    assert_eq!(measured.samples[0].close_code, Some(1006));
    let not_an_image = json!({ "id": "text", "kind": "image", "url": lab_host_url("img-text", "/c/ok"),
                               "timeout_ms": TIMEOUT_MS, "source": "test" });
    let measured = reachcheck::probe::measure(&single_endpoint(not_an_image), now_ms()).await;
    assert_eq!(measured.samples.len(), 3);
    assert!(!measured.reached());
}

#[wasm_bindgen_test]
async fn resolvers_that_cannot_be_reached_leave_the_method_unknown() {
    // A host filtered by name, as in the lab catalog, but asked of resolvers that reset or never
    // answer (themselves blocked): nothing tells how, so the method is unknown, never a guess.
    let mut catalog = catalog_of(
        vec![fetch_endpoint("control", lab_host_url("ctl-doh", "/c/ok"))],
        vec![fetch_endpoint("filtered", lab_host_url("svc-sniblock", "/c/ok"))],
    );
    catalog.resolvers = vec![
        lab_host_url("doh-reset", "/c/reset?name="),
        lab_host_url("doh-blackholed", "/c/blackhole?name="),
    ];
    let (measurements, _) = run_catalog(&catalog).await;
    let plan = Plan::of(&catalog, &Evaluation::of(&catalog, &measurements), &[], MAX_SUSPECTS)
        .expect("a blocked host");
    let diagnoses = diagnose(&plan, oneshot::channel().1).await;
    let circumstances = Circumstances { diagnoses: &diagnoses, ..Circumstances::default() };
    let evaluation = Evaluation::judged(&catalog, &measurements, circumstances);
    let filtered = &evaluation.endpoints["filtered"];
    assert_eq!(
        (filtered.verdict, filtered.method),
        (Verdict::Blocked, Some(Method::Unknown)),
        "{diagnoses:?}"
    );
    assert!(diagnoses[0].addresses.is_empty(), "no address to try: {diagnoses:?}");
}

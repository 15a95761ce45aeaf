//! The call-path probe (WebRTC ICE against the lab's STUN and TURN servers) in headless Chromium.
//! See tests/browser.rs for how the lab is found.
#![cfg(target_arch = "wasm32")]

mod support;

use reachcheck_core::catalog::{Catalog, Endpoint, PageContext};
use reachcheck_core::evaluate::Evaluation;
use reachcheck_core::measurement::Measurement;
use reachcheck_core::verdict::{judge, ControlReference, Failure, Reason, Verdict};
use serde_json::json;
use support::lab_json;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const DEADLINE_MS: u32 = 3000;

/// A webrtc endpoint for `server` (a `stun:` or `turn:` URL), with TURN credentials if given.
fn call_endpoint(server: String, credentials: Option<(&str, &str)>) -> Endpoint {
    let mut endpoint =
        json!({ "id": "call", "kind": "webrtc", "url": server, "timeout_ms": DEADLINE_MS, "source": "t" });
    if let Some((username, credential)) = credentials {
        endpoint["username"] = username.into();
        endpoint["credential"] = credential.into();
    }
    let catalog = json!({
        "catalog_format": 1, "id": "calls", "version": "1",
        "controls": [ { "scope": "global", "id": "c", "kind": "fetch", "url": "https://c.example/", "timeout_ms": 1000, "source": "t" } ],
        "services": [ { "id": "calls", "name": "Calls", "category": "calls", "homepage": "https://calls.example/",
          "endpoints": [ endpoint ] } ]
    });
    Catalog::load(&catalog.to_string(), PageContext { secure: false }).unwrap().services[0].endpoints[0]
        .clone()
}

/// Controls that answered in 5 ms: the network is up.
fn network_up() -> ControlReference {
    ControlReference { global_reached: 1, global_total: 1, median_ms: Some(5.0), ..Default::default() }
}

async fn probe(condition: &str) -> (Measurement, f64) {
    let info = lab_json("/_lab/info").await;
    let port = info["stun"][condition].as_u64().unwrap();
    measure(call_endpoint(format!("stun:127.0.0.1:{port}"), None)).await
}

async fn measure(endpoint: Endpoint) -> (Measurement, f64) {
    let started = reachcheck::probe::now_ms();
    let measurement = reachcheck::probe::measure(&endpoint, reachcheck::probe::now_ms()).await;
    (measurement, reachcheck::probe::now_ms() - started)
}

#[wasm_bindgen_test]
async fn an_answering_stun_server_means_udp_works() {
    let (measurement, _) = probe("ok").await;
    let ice = measurement.ice.as_ref().unwrap();
    // The probe stops at the first srflx, which on loopback can precede the host candidates.
    assert!(ice.srflx_ms.is_some(), "a srflx candidate: {ice:?}");
    assert_eq!(judge(&measurement, &network_up()).verdict, Verdict::Ok);
}

#[wasm_bindgen_test]
async fn a_late_stun_answer_shows_as_the_round_trip() {
    let info = lab_json("/_lab/info").await;
    let delay = info["stun"]["delay_ms"].as_f64().unwrap();
    let (measurement, _) = probe("delay").await;
    let srflx = measurement.ice.as_ref().unwrap().srflx_ms.expect("srflx after the delay");
    assert!(srflx >= delay && srflx < delay + 1000.0, "srflx after {srflx} ms for a {delay} ms delay");
    let verdict = judge(&measurement, &network_up());
    assert_eq!(verdict.verdict, Verdict::Ok);
    assert!(verdict.median_ms.unwrap() >= delay);
}

#[wasm_bindgen_test]
async fn dropped_stun_is_blocked_by_the_probe_deadline_not_the_browsers() {
    let (measurement, took) = probe("drop").await;
    assert!(
        took < f64::from(DEADLINE_MS) + 1500.0,
        "decided in {took:.0} ms (Chromium alone would wait ~40 s)"
    );
    let verdict = judge(&measurement, &network_up());
    assert_eq!(
        (verdict.verdict, verdict.failure),
        (Verdict::Blocked, Some(Failure::Timeout)),
        "{measurement:?}"
    );
}

#[wasm_bindgen_test]
async fn a_closed_udp_port_is_not_ok() {
    let (measurement, _) = probe("closed").await;
    assert_ne!(judge(&measurement, &network_up()).verdict, Verdict::Ok, "{measurement:?}");
}

#[wasm_bindgen_test]
async fn a_turn_relay_over_tcp_without_udp_is_relay_only() {
    let info = lab_json("/_lab/info").await;
    let stun = &info["stun"];
    let server = format!("turn:127.0.0.1:{}?transport=tcp", stun["turn_tcp"]);
    let credentials = (stun["turn_username"].as_str().unwrap(), stun["turn_credential"].as_str().unwrap());
    let (measurement, _) = measure(call_endpoint(server.clone(), Some(credentials))).await;
    let ice = measurement.ice.as_ref().unwrap();
    assert!(ice.relay_ms.is_some() && ice.srflx_ms.is_none(), "a relay candidate only: {ice:?}");
    assert_eq!(judge(&measurement, &network_up()).verdict, Verdict::RelayOnly);

    // Wrong credentials: the relay is refused (401), so no relay candidate.
    let (measurement, _) = measure(call_endpoint(server, Some((credentials.0, "wrong")))).await;
    let ice = measurement.ice.as_ref().unwrap();
    assert!(ice.relay_ms.is_none() && ice.error_codes.contains(&401), "{ice:?}");
    assert_ne!(judge(&measurement, &network_up()).verdict, Verdict::RelayOnly);
}

#[wasm_bindgen_test]
async fn a_dropped_domestic_stun_control_makes_dropped_calls_inconclusive() {
    let info = lab_json("/_lab/info").await;
    let stun = |condition: &str| format!("stun:127.0.0.1:{}", info["stun"][condition]);
    let catalog = |control: &str| {
        let catalog = json!({
            "catalog_format": 2, "id": "calls", "version": "1",
            "controls": [
                { "scope": "global", "id": "web", "kind": "fetch", "url": support::lab_url("/c/ok"), "timeout_ms": 2000, "source": "t" },
                { "scope": "domestic", "country": "RU", "id": "udp", "kind": "webrtc", "url": stun(control), "timeout_ms": DEADLINE_MS, "source": "t" }
            ],
            "services": [ { "id": "calls", "name": "Calls", "category": "calls", "homepage": "https://calls.example/",
              "endpoints": [ { "id": "call", "kind": "webrtc", "url": stun("drop"), "timeout_ms": DEADLINE_MS, "source": "t" } ] } ]
        });
        Catalog::load(&catalog.to_string(), PageContext { secure: false }).unwrap()
    };
    for (control, verdict, reason) in
        [("ok", Verdict::Blocked, None), ("drop", Verdict::Inconclusive, Some(Reason::UdpDown))]
    {
        let catalog = catalog(control);
        let mut measurements = std::collections::HashMap::new();
        for endpoint in catalog.probe_order() {
            let (measurement, _) = measure(endpoint.clone()).await;
            measurements.insert(endpoint.id.clone(), measurement);
        }
        let evaluation = Evaluation::of(&catalog, &measurements);
        let call = &evaluation.endpoints["call"];
        assert_eq!((call.verdict, call.reason), (verdict, reason), "STUN control {control}: {call:?}");
        assert_eq!(evaluation.reference.global_reached, 1, "the web control answered either way");
    }
}

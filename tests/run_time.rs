//! Benchmark (run by `./x bench`, not by `./x test`): how long a whole run of the built-in
//! catalog takes in headless Chromium, with every endpoint mirrored onto the lab as a visitor in
//! Russia met it in 2026 (crates/lab/src/mirror.rs), against the catalog's largest timeout.
#![cfg(not(target_arch = "wasm32"))]

mod e2e_support;

use std::time::Instant;

use e2e_support::{serve_files, start, Look};
use fantoccini::Locator;
use reachcheck_core::catalog::{Catalog, Endpoint, PageContext};
use reachcheck_lab::mirror::{mirror, ALLOW_LIST, DEAD_NETWORK, RUSSIA_2026};

/// The goal: a whole run ends within this many times its largest endpoint timeout (and on a
/// dead network, its controls' timeout).
const GOAL_RATIO: f64 = 1.2;

#[tokio::test(flavor = "multi_thread")]
#[ignore = "benchmark: ./x bench runs it (needs dist/ and chromedriver)"]
async fn whole_builtin_catalog_runs_against_the_lab() {
    let h = start(Look::Desktop).await;
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/static/catalog.json");
    let builtin = Catalog::load(&std::fs::read_to_string(path).unwrap(), PageContext::SECURE).unwrap();
    for profile in [RUSSIA_2026, DEAD_NETWORK, ALLOW_LIST] {
        let mirrored = mirror(&builtin, &h.lab.ports, profile);
        let timeout_s = |endpoints: &mut dyn Iterator<Item = &Endpoint>| {
            endpoints.map(|e| e.timeout_ms).max().unwrap_or(0) as f64 / 1000.0
        };
        let largest_s = timeout_s(&mut mirrored.endpoints().map(|(_, e)| e));
        let controls_s = timeout_s(&mut mirrored.controls.iter());
        let files = serve_files(vec![("/catalog.json", "application/json", mirrored.to_json())]).await;
        let catalog = format!("http://{files}/catalog.json");
        h.client.goto("about:blank").await.unwrap();
        h.client.goto(&h.app_url(&[("lang", "en"), ("catalog", &catalog)])).await.unwrap();
        h.wait_for("[data-action=start]:not([disabled])", 20).await;
        let started = Instant::now();
        h.consent_and_start().await;
        h.wait_for("[data-run-state=done]", (largest_s * 4.0) as u64).await;
        let run_s = started.elapsed().as_secs_f64();
        println!(
            "bench: built-in catalog ({} endpoints) on the lab, {}: run {run_s:.1} s = {:.2} x the largest \
             endpoint timeout ({largest_s:.0} s), {:.2} x the controls' ({controls_s:.0} s) (goal <= {GOAL_RATIO}); \
             services: {}; how blocked: {}",
            mirrored.endpoints().count(),
            profile.name,
            run_s / largest_s,
            run_s / controls_s,
            statuses(&h, "data-verdict").await,
            statuses(&h, "data-method").await,
        );
    }
    h.close().await;
}

/// "blocked 11, reachable 3, …": how many services got each value of `attribute` (their
/// status, or how they are blocked).
async fn statuses(h: &e2e_support::Harness, attribute: &str) -> String {
    let mut statuses: Vec<(String, usize)> = Vec::new();
    for service in h.client.find_all(Locator::Css(&format!("li[{attribute}]"))).await.unwrap() {
        let status = service.attr(attribute).await.unwrap().unwrap_or_default();
        match statuses.iter_mut().find(|(s, _)| *s == status) {
            Some((_, n)) => *n += 1,
            None => statuses.push((status, 1)),
        }
    }
    if statuses.is_empty() {
        return "none shown".into();
    }
    statuses.iter().map(|(s, n)| format!("{s} {n}")).collect::<Vec<_>>().join(", ")
}

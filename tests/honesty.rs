//! End-to-end: causes in the browser or the catalog are never called blocked — a content blocker
//! (a real MV3 extension), a change of network during the run, an endpoint the catalog's
//! baseline saw fail. See tests/e2e_support for what these tests need.
#![cfg(not(target_arch = "wasm32"))]

mod e2e_support;

use std::collections::BTreeMap;
use std::path::PathBuf;

use e2e_support::{serve_files, start, start_with, Browser, Harness, Look};
use fantoccini::Locator;
use reachcheck::i18n::Lang;

const TIMEOUT_MS: u32 = 2000;

fn lab_catalog(h: &Harness) -> String {
    h.lab_url(&format!("/_lab/catalog.json?timeout_ms={TIMEOUT_MS}"))
}

/// `(verdict, reason)` of every endpoint row on the page.
async fn endpoint_rows(h: &Harness) -> BTreeMap<String, (String, String)> {
    let mut found = BTreeMap::new();
    for row in h.client.find_all(Locator::Css("tr[data-endpoint-id]")).await.unwrap() {
        let attr = |name| {
            let row = row.clone();
            async move { row.attr(name).await.unwrap().unwrap_or_default() }
        };
        found.insert(attr("data-endpoint-id").await, (attr("data-verdict").await, attr("data-reason").await));
    }
    found
}

async fn has(h: &Harness, css: &str) -> bool {
    h.client.find(Locator::Css(css)).await.is_ok()
}

fn blocker_extension() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/blocker")
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "end-to-end: needs dist/ (./x build) and chromedriver; ./x test runs it"]
async fn a_content_blocker_makes_listed_endpoints_inconclusive_and_says_so() {
    let browser = Browser { extension: Some(blocker_extension()), ..Look::Desktop.into() };
    let h = start_with(browser).await;
    h.client.goto(&h.app_url(&[("lang", "en"), ("catalog", &lab_catalog(&h))])).await.unwrap();
    h.wait_for("[data-action=start]:not([disabled])", 20).await;
    h.consent_and_run().await;

    let hint = h.wait_for("[data-content-blocker]", 5).await.text().await.unwrap();
    assert_eq!(hint, Lang::En.strings().hint_content_blocker);
    let rows = endpoint_rows(&h).await;
    assert_eq!(rows["lab-tracker-fetch"], ("inconclusive".into(), "content_blocker".into()));
    let tracker = h.attr("li[data-service-id=lab-tracker]", "data-verdict").await;
    assert_eq!(tracker.as_deref(), Some("inconclusive"));
    // Everything else keeps the verdict the lab expects: the blocker changes only its own hosts.
    let expected = reachcheck_lab::catalog::expected_verdicts(TIMEOUT_MS);
    for (id, want) in expected["endpoints"].as_object().unwrap() {
        if id != "lab-tracker-fetch" {
            assert_eq!(rows[id].0, want["verdict"].as_str().unwrap(), "endpoint {id}");
        }
    }
    // The exported report says why.
    let href = h.attr("[data-action=export]", "href").await.unwrap();
    assert!(
        href.contains("%22content_blocker%22%3Atrue") || href.contains("\"content_blocker\":true"),
        "{href}"
    );
    h.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "end-to-end: needs dist/ (./x build) and chromedriver; ./x test runs it"]
async fn without_a_blocker_nothing_is_flagged() {
    let h = start(Look::Desktop).await;
    h.client.goto(&h.app_url(&[("lang", "en"), ("catalog", &lab_catalog(&h))])).await.unwrap();
    h.consent_and_run().await;
    assert!(!has(&h, "[data-content-blocker]").await, "no hint without a blocker");
    assert_eq!(endpoint_rows(&h).await["lab-tracker-fetch"], ("ok".into(), String::new()));
    h.close().await;
}

/// A catalog of requests that hang until the lab's network changes, plus one answering service.
fn network_change_catalog(h: &Harness) -> String {
    let endpoint = |id: &str, path: &str| {
        let url = format!("http://{id}.localhost:{}{path}", h.lab.addr.port());
        serde_json::json!({ "id": id, "kind": "fetch", "url": url, "timeout_ms": 8000, "samples": 1, "source": "test" })
    };
    let mut control = endpoint("nc-control", "/c/ok");
    control["scope"] = "global".into();
    serde_json::json!({
        "catalog_format": 2, "id": "network-change", "version": "1",
        "controls": [control],
        "services": [
            { "id": "hanging", "name": "Hanging", "category": "test", "homepage": "https://hanging.example/",
              "endpoints": [endpoint("nc-hang-a", "/c/hang"), endpoint("nc-hang-b", "/c/hang"), endpoint("nc-hang-c", "/c/hang")] },
            { "id": "answering", "name": "Answering", "category": "test", "homepage": "https://answering.example/",
              "endpoints": [endpoint("nc-ok", "/c/ok")] }
        ]
    })
    .to_string()
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "end-to-end: needs dist/ (./x build) and chromedriver; ./x test runs it"]
async fn a_network_change_during_the_run_is_not_a_block_and_offers_a_new_run() {
    let h = start(Look::Mobile).await;
    let files = serve_files(vec![("/catalog.json", "application/json", network_change_catalog(&h))]).await;
    let catalog = format!("http://{files}/catalog.json");
    h.client.goto(&h.app_url(&[("lang", "en"), ("catalog", &catalog)])).await.unwrap();
    h.consent_and_start().await;
    // Once the hanging requests are in flight, the "network" changes under them.
    for _ in 0..100 {
        if h.lab
            .hits
            .snapshot()
            .iter()
            .filter(|(path, _)| path.as_str() == "/c/hang")
            .map(|(_, n)| n)
            .sum::<u64>()
            >= 3
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    h.lab.network_change.notify_waiters();
    h.wait_for("[data-run-state=done]", 20).await;

    let rows = endpoint_rows(&h).await;
    for id in ["nc-hang-a", "nc-hang-b", "nc-hang-c"] {
        assert_eq!(rows[id], ("inconclusive".into(), "network_changed".into()), "{id}");
    }
    assert_eq!(rows["nc-ok"].0, "ok");
    let hint = h.wait_for("[data-network-changed] p", 5).await.text().await.unwrap();
    assert_eq!(hint, Lang::En.strings().hint_network_changed);
    let summary = h.wait_for("[data-summary]", 5).await.text().await.unwrap();
    assert!(summary.starts_with("0 of 2 services look blocked"), "{summary}");
    // The offer to run again starts a new run at once (consent was given in this visit).
    h.click("[data-action=run-again]").await;
    h.wait_for("[data-run-state=running]", 5).await;
    h.close().await;
}

/// The lab catalog cut down to an answering service and three that fail for everyone: a
/// `CORP: same-origin` target, an image that answers 404, a WebSocket that rejects foreign origins.
fn broken_endpoints_catalog(h: &Harness) -> String {
    let lab = &h.lab;
    let mut catalog = reachcheck_lab::catalog::lab_catalog(&lab.ports, TIMEOUT_MS);
    catalog.select_services(&["lab-ok", "lab-corp", "lab-image-404", "lab-ws-origin"]).unwrap();
    catalog.to_json()
}

const BROKEN: [&str; 3] = ["lab-corp-fetch", "lab-image-404-image", "lab-ws-origin-ws"];

#[tokio::test(flavor = "multi_thread")]
#[ignore = "end-to-end: needs dist/ (./x build) and chromedriver; ./x test runs it"]
async fn a_baseline_from_an_https_page_keeps_broken_endpoints_from_being_called_blocked() {
    let h = start(Look::Desktop).await;
    let catalog = broken_endpoints_catalog(&h);
    // Without a baseline the three look blocked (the lab's expected verdicts say so too).
    let expected = reachcheck_lab::catalog::expected_verdicts(TIMEOUT_MS);
    for id in BROKEN {
        assert_eq!(expected["endpoints"][id]["verdict"], "blocked", "{id}");
    }

    // The baseline: the built app, from an https page, in its own headless Chromium.
    let run = reachcheck_catalog::baseline::BaselineRun {
        catalog_json: catalog.clone(),
        dist: e2e_support::dist(),
        chromedriver: reachcheck_catalog::chromium::chromedriver_path().unwrap(),
        network: "reachcheck-lab (loopback)".into(),
        browser: Default::default(),
    };
    let baseline = reachcheck_catalog::baseline::record(run).await.expect("a baseline");
    assert_eq!(baseline.broken_ids(), BROKEN, "{baseline:?}");
    assert!(baseline.browser.starts_with("Chrome "), "{}", baseline.browser);
    assert!(!baseline.broken("lab-ok-fetch") && baseline.endpoints.contains_key("lab-ok-ws"));

    // The next run, with the baseline published beside the catalog: broken, not blocked.
    let files = serve_files(vec![
        ("/catalog.json", "application/json", catalog),
        ("/baseline.json", "application/json", baseline.to_json()),
    ])
    .await;
    let url = h.app_url(&[("lang", "en"), ("catalog", &format!("http://{files}/catalog.json"))]);
    h.client.goto(&url).await.unwrap();
    h.consent_and_run().await;
    let rows = endpoint_rows(&h).await;
    for id in BROKEN {
        assert_eq!(rows[id], ("inconclusive".into(), "endpoint_broken".into()), "{id}");
    }
    assert_eq!(rows["lab-ok-fetch"].0, "ok");
    let note = h.wait_for("[data-baseline-date]", 5).await;
    assert_eq!(note.attr("data-baseline-date").await.unwrap().as_deref(), Some(baseline.date.as_str()));
    let summary = h.wait_for("[data-summary]", 5).await.text().await.unwrap();
    assert!(summary.starts_with("0 of 4 services look blocked"), "{summary}");
    h.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "end-to-end: needs dist/ (./x build) and chromedriver; ./x test runs it"]
async fn a_damaged_baseline_is_reported_and_changes_nothing() {
    let h = start(Look::Desktop).await;
    let files = serve_files(vec![
        ("/catalog.json", "application/json", broken_endpoints_catalog(&h)),
        ("/baseline.json", "application/json", "{\"baseline_format\": 1".into()),
    ])
    .await;
    let url = h.app_url(&[("lang", "en"), ("catalog", &format!("http://{files}/catalog.json"))]);
    h.client.goto(&url).await.unwrap();
    h.consent_and_run().await;
    let problem = h.wait_for("[data-baseline-problem]", 5).await.text().await.unwrap();
    assert!(problem.contains("baseline.json"), "{problem}");
    assert_eq!(endpoint_rows(&h).await["lab-corp-fetch"].0, "blocked");
    h.close().await;
}

/// The lab catalog cut to an answering and a blackholed service, with the controls moved to
/// `control_path` except those of `open_scope`, and the services' timeouts longer than the
/// controls': a run that waits for them takes seconds longer than one that stops when settled.
fn dead_network_catalog(h: &Harness, open_scope: Option<reachcheck_core::catalog::ControlScope>) -> String {
    let mut catalog = reachcheck_lab::catalog::lab_catalog(&h.lab.ports, TIMEOUT_MS);
    for control in &mut catalog.controls {
        if control.scope != open_scope {
            let host = control.url.split('/').nth(2).unwrap().to_owned();
            control.url = format!("http://{host}/c/blackhole");
        }
    }
    catalog.services.retain(|s| s.id == "lab-ok" || s.id == "lab-blackhole");
    // The answering service is domestic: under an allow-list it is all a run waits for.
    catalog.services.iter_mut().filter(|s| s.id == "lab-ok").for_each(|s| s.country = Some("RU".into()));
    for endpoint in catalog.services.iter_mut().flat_map(|s| &mut s.endpoints) {
        endpoint.timeout_ms = 4 * TIMEOUT_MS;
    }
    catalog.to_json()
}

/// The services' timeout in [`dead_network_catalog`], in seconds.
fn services_timeout_s() -> f64 {
    4.0 * f64::from(TIMEOUT_MS) / 1000.0
}

/// Opens the catalog served at `files` in `lang`, runs it and returns how long the run took (s).
async fn run_settled_catalog(h: &Harness, lang: &str, files: std::net::SocketAddr) -> f64 {
    let catalog = format!("http://{files}/catalog.json");
    h.client.goto(&h.app_url(&[("lang", lang), ("catalog", &catalog)])).await.unwrap();
    h.wait_for("[data-action=start]:not([disabled])", 20).await;
    let started = std::time::Instant::now();
    h.consent_and_start().await;
    h.wait_for("[data-run-state=done]", 20).await;
    started.elapsed().as_secs_f64()
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "end-to-end: needs dist/ (./x build) and chromedriver; ./x test runs it"]
async fn with_every_control_down_the_run_ends_early_and_says_the_connection_is_down() {
    let h = start(Look::Mobile).await;
    let files =
        serve_files(vec![("/catalog.json", "application/json", dead_network_catalog(&h, None))]).await;
    // Settled when the controls have failed (their timeout, 2 s), not after the services' 8 s
    // (a behaviour, not a speed goal: the figure is in ./x bench).
    let took = run_settled_catalog(&h, "en", files).await;
    assert!(took < 0.75 * services_timeout_s(), "the run took {took:.1} s: it waited for the services");
    let summary = h.wait_for("[data-summary]", 5).await.text().await.unwrap();
    assert_eq!(summary, Lang::En.strings().connection_down);
    let line = h.wait_for("[data-connection=down]", 5).await.text().await.unwrap();
    assert!(line.starts_with("2 services could not be judged"), "{line}");
    assert!(!has(&h, "li[data-service-id]").await, "no per-service cards on a dead connection");
    assert!(!summary.contains("Cancelled"), "stopping a settled run is not a cancel");
    h.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "end-to-end: needs dist/ (./x build) and chromedriver; ./x test runs it"]
async fn with_only_domestic_controls_answering_the_page_names_an_allow_list() {
    let h = start(Look::Mobile).await;
    let catalog = dead_network_catalog(&h, Some(reachcheck_core::catalog::ControlScope::Domestic));
    let files = serve_files(vec![("/catalog.json", "application/json", catalog)]).await;
    // Settled once the controls and the domestic service are in, not after the blackholed
    // foreign service's 8 s.
    let took = run_settled_catalog(&h, "ru", files).await;
    assert!(took < 0.75 * services_timeout_s(), "the run took {took:.1} s: it waited for a foreign service");
    let note = h.wait_for("[data-connection=international_down]", 5).await.text().await.unwrap();
    assert_eq!(note, Lang::Ru.strings().connection_allow_list);
    assert!(has(&h, "li[data-service-id=lab-ok]").await, "services are still shown and judged");
    // The verdicts of a run that waited: the domestic service judged, the foreign one
    // inconclusive for the allow-list.
    assert_eq!(h.attr("li[data-service-id=lab-ok]", "data-verdict").await.as_deref(), Some("reachable"));
    assert_eq!(
        h.attr("li[data-service-id=lab-blackhole]", "data-verdict").await.as_deref(),
        Some("inconclusive")
    );
    let reasons: Vec<String> = endpoint_rows(&h)
        .await
        .into_iter()
        .filter(|(id, _)| id.starts_with("lab-blackhole"))
        .map(|(_, row)| row.1)
        .collect();
    assert!(!reasons.is_empty() && reasons.iter().all(|r| r == "international_down"), "{reasons:?}");
    h.close().await;
}

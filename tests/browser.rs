//! Browser tests: run in headless Chromium by `./x test`, `cargo test --target
//! wasm32-unknown-unknown` or `wasm-pack test --headless --chrome`. They need a running
//! reachcheck-lab: `./x test` starts one and passes its address in `REACHCHECK_LAB`;
//! otherwise they expect it at the lab's default address (`cargo run -p reachcheck-lab`).
#![cfg(target_arch = "wasm32")]

mod support;

use support::{lab_url, mount_fresh, next_render};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn app_shell_renders_title_explanation_and_start() {
    let host = mount_fresh();
    next_render().await;
    let title = host.query_selector("h1").unwrap().expect("an <h1>");
    assert_eq!(title.text_content().unwrap(), "reachcheck");
    let app = host.query_selector("[data-run-state]").unwrap().expect("the app root");
    assert_eq!(app.get_attribute("data-run-state").as_deref(), Some("idle"));
    let start = host.query_selector("[data-action=start]").unwrap().expect("a start button");
    assert!(start.has_attribute("disabled"), "start waits for the catalog");
    let footer = host.query_selector("footer .version").unwrap().expect("a version in the footer");
    assert_eq!(footer.text_content().unwrap(), format!("v{}", reachcheck::VERSION));
}

#[wasm_bindgen_test]
async fn fetch_reaches_the_lab_and_reads_its_body() {
    let response = gloo_net::http::Request::get(&lab_url("/ok")).send().await.expect("lab answers");
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.unwrap(), "reachcheck-lab: ok\n");
}

#[wasm_bindgen_test]
async fn websocket_to_the_lab_opens_and_echoes() {
    let reply = support::websocket_echo(&support::lab_ws_url("/ws/echo"), "ping from the browser").await;
    assert_eq!(reply, Ok("ping from the browser".to_owned()));
}

#[wasm_bindgen_test]
async fn the_app_runs_a_lab_catalog_and_lists_verdicts_only_after_start() {
    support::lab_delete("/_lab/hits").await;
    let host = support::mount_fresh_with_catalog(&lab_url("/_lab/catalog.json?timeout_ms=1500"));
    let start = support::wait_for(&host, "[data-action=start]:not([disabled])", 5000.0).await;
    assert!(host.query_selector(".catalog-info").unwrap().is_some(), "the lab catalog loaded");
    support::sleep_ms(300).await;
    assert_eq!(support::condition_hits().await, 0, "nothing is probed before Start");

    click(&start);
    support::wait_for(&host, "[data-run-state=consent]", 2000.0).await;
    assert_eq!(support::condition_hits().await, 0, "nor after Start, before consent");
    let consent = host.query_selector("[data-action=consent]").unwrap().unwrap();
    assert!(consent.has_attribute("disabled"), "consent needs both statements confirmed");
    for checkbox in ["operator", "publish"] {
        click(&host.query_selector(&format!("input[name={checkbox}]")).unwrap().unwrap());
    }
    support::next_render().await;
    click(&consent);
    support::wait_for(&host, "[data-run-state=running]", 2000.0).await;
    support::wait_for(&host, "[data-run-state=done]", 20_000.0).await;
    for (id, verdict, failure) in [
        ("lab-ok-fetch", "ok", ""),
        ("lab-blackhole-fetch", "blocked", "timeout"),
        ("lab-reset-fetch", "blocked", "fast_fail"),
        ("lab-bad-port-fetch", "inconclusive", "bad_port"),
    ] {
        let row = host.query_selector(&format!("tr[data-endpoint-id={id}]")).unwrap().unwrap();
        assert_eq!(row.get_attribute("data-verdict").as_deref(), Some(verdict), "{id}");
        assert_eq!(row.get_attribute("data-failure").as_deref(), Some(failure), "{id}");
    }
    let service = host.query_selector("[data-service-id=lab-freeze]").unwrap().unwrap();
    assert_eq!(service.get_attribute("data-verdict").as_deref(), Some("throttled"));
    assert!(support::condition_hits().await > 0);
}

#[wasm_bindgen_test]
async fn a_broken_catalog_is_explained_to_the_visitor() {
    let host = support::mount_fresh_with_catalog(&lab_url("/c/ok"));
    let notice = support::wait_for(&host, "[data-catalog-error]", 5000.0).await;
    let message = notice.text_content().unwrap();
    assert!(message.contains("/c/ok") && message.contains("is not a valid list"), "{message}");
    let start = host.query_selector("[data-action=start]").unwrap().unwrap();
    assert!(start.has_attribute("disabled"));
}

fn click(element: &web_sys::Element) {
    element.unchecked_ref::<web_sys::HtmlElement>().click();
}

//! Browser tests: run in headless Chromium by `./x test`, `cargo test --target
//! wasm32-unknown-unknown` or `wasm-pack test --headless --chrome`. They need a running
//! reachcheck-lab: `./x test` starts one and passes its address in `REACHCHECK_LAB`;
//! otherwise they expect it at the lab's default address (`cargo run -p reachcheck-lab`).
#![cfg(target_arch = "wasm32")]

mod support;

use support::{lab_url, mount_fresh, next_render};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn app_shell_renders_title_explanation_and_disabled_start() {
    let host = mount_fresh();
    next_render().await;
    let title = host.query_selector("h1").unwrap().expect("an <h1>");
    assert_eq!(title.text_content().unwrap(), "reachcheck");
    let app = host.query_selector("[data-run-state]").unwrap().expect("the app root");
    assert_eq!(app.get_attribute("data-run-state").as_deref(), Some("idle"));
    let start = host.query_selector("[data-action=start]").unwrap().expect("a start button");
    assert!(start.has_attribute("disabled"), "start stays disabled until the engine exists");
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

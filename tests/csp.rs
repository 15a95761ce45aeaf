//! A page whose Content-Security-Policy forbids a target: the probe must say "inconclusive"
//! (the page stopped it), never "blocked". Its own test binary, because the policy it installs
//! stays on the page. See tests/browser.rs for how the lab is found.
#![cfg(target_arch = "wasm32")]

mod support;

use futures::channel::oneshot;
use reachcheck::probe::run::{run, RunEvent};
use reachcheck_core::catalog::{Catalog, PageContext};
use reachcheck_core::evaluate::Evaluation;
use reachcheck_core::verdict::{Reason, Verdict};
use serde_json::json;
use support::lab_base;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn a_probe_stopped_by_the_page_csp_is_inconclusive() {
    let document = web_sys::window().unwrap().document().unwrap();
    let port = lab_base().rsplit(':').next().unwrap().to_owned();
    let meta = document.create_element("meta").unwrap();
    meta.set_attribute("http-equiv", "Content-Security-Policy").unwrap();
    meta.set_attribute("content", &format!("connect-src 'self' http://127.0.0.1:{port}")).unwrap();
    document.head().unwrap().append_child(&meta).unwrap();

    let endpoint = |id: &str, url: String| json!({ "id": id, "kind": "fetch", "url": url, "timeout_ms": 2000, "samples": 1, "source": "test" });
    let catalog = json!({
        "catalog_format": 1, "id": "csp", "version": "1",
        "controls": [ { "scope": "global", "id": "control", "kind": "fetch", "url": format!("http://127.0.0.1:{port}/c/ok"),
                        "timeout_ms": 2000, "source": "test" } ],
        "services": [ { "id": "svc", "name": "S", "category": "test", "homepage": "https://svc.example/",
                        "endpoints": [ endpoint("forbidden", format!("http://csp-forbidden.localhost:{port}/c/ok")) ] } ]
    });
    let catalog = Catalog::load(&catalog.to_string(), PageContext { secure: false }).unwrap();
    let mut measurements = std::collections::HashMap::new();
    let (_keep, cancel) = oneshot::channel::<()>();
    run(
        &catalog,
        |event| {
            if let RunEvent::Finished(m) = event {
                measurements.insert(m.endpoint_id.clone(), m);
            }
        },
        cancel,
    )
    .await;
    let evaluation = Evaluation::of(&catalog, &measurements);
    assert_eq!(evaluation.endpoints["control"].verdict, Verdict::Ok);
    let forbidden = &evaluation.endpoints["forbidden"];
    assert_eq!(
        (forbidden.verdict, forbidden.reason),
        (Verdict::Inconclusive, Some(Reason::ContentSecurityPolicy))
    );
}

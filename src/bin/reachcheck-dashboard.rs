//! The researchers' dashboard (`dashboard.html`): its own wasm, so the visitor's app does not
//! carry it. Reads the published aggregates from `?data=` (default `v1/aggregates.json` beside
//! the page) and nothing else.

use reachcheck::components::dashboard::{Dashboard, DashboardProps};
use reachcheck::services::{aggregates_source, page};

fn main() {
    let document = web_sys::window().and_then(|w| w.document()).expect("a browser document");
    if let Some(root) = document.get_element_by_id("reachcheck-dashboard") {
        let data_url = page::query_param("data").unwrap_or_else(|| aggregates_source::DEFAULT_URL.to_owned());
        yew::Renderer::<Dashboard>::with_root_and_props(root, DashboardProps { data_url: data_url.into() })
            .render();
    }
}

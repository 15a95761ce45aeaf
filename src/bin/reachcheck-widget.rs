//! The widget's own wasm (a separate binary, so only what the widget uses is linked in).
//!
//! - Script mode: `widget.js` loads this module and calls [`mount_all`] for every
//!   `<div data-reachcheck>` of the host page.
//! - Iframe mode: `embed.html` loads it; `main` finds `#reachcheck-embed` and mounts there with
//!   the configuration from the query string.

use wasm_bindgen::prelude::*;

fn main() {
    let document = web_sys::window().and_then(|w| w.document()).expect("a browser document");
    if let Some(host) = document.get_element_by_id("reachcheck-embed") {
        let base = document.base_uri().ok().flatten().unwrap_or_default();
        let base = base.rsplit_once('/').map_or(base.clone(), |(dir, _)| format!("{dir}/"));
        let _ = reachcheck::widget::mount(&host, &base, reachcheck::widget::config_from_query());
        reachcheck::widget::report_height_to_parent();
    }
}

/// Mounts a widget into every `[data-reachcheck]` element not mounted yet; returns how many.
/// `base_url` is where the app's files are (the folder of widget.js), ending in `/`.
#[wasm_bindgen]
pub fn mount_all(base_url: &str) -> u32 {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return 0 };
    let Ok(hosts) = document.query_selector_all("[data-reachcheck]:not([data-reachcheck-mounted])") else {
        return 0;
    };
    let mut mounted = 0;
    for index in 0..hosts.length() {
        let Some(host) = hosts.item(index).and_then(|n| n.dyn_into::<web_sys::Element>().ok()) else {
            continue;
        };
        let _ = host.set_attribute("data-reachcheck-mounted", "");
        let config = reachcheck::widget::config_from_element(&host);
        if reachcheck::widget::mount(&host, base_url, config).is_ok() {
            mounted += 1;
        }
    }
    mounted
}

//! The offline start (static/sw.js, docs/mirrors.md): registering the service worker that keeps a
//! copy of the app, knowing a page was started from that copy, and removing every trace of it
//! (private mode, "delete everything"). Through `Reflect`, not web-sys' service worker and cache
//! bindings, which would cost the app more than these few calls.

use js_sys::{Array, Function, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// The worker's file, beside the page.
const WORKER: &str = "sw.js";
/// Every cache the worker names starts with this.
const CACHE_PREFIX: &str = "reachcheck-";

fn get(target: &JsValue, name: &str) -> Option<JsValue> {
    Reflect::get(target, &name.into()).ok().filter(|v| !v.is_undefined() && !v.is_null())
}

fn call(target: &JsValue, name: &str, args: &[JsValue]) -> Option<JsValue> {
    let function: Function = get(target, name)?.dyn_into().ok()?;
    function.apply(target, &args.iter().collect::<Array>()).ok()
}

/// Awaits a method that returns a promise; `None` if there is none or it failed.
async fn awaited(target: &JsValue, name: &str, args: &[JsValue]) -> Option<JsValue> {
    let promise: js_sys::Promise = call(target, name, args)?.dyn_into().ok()?;
    JsFuture::from(promise).await.ok()
}

fn container() -> Option<JsValue> {
    get(&web_sys::window()?.navigator(), "serviceWorker")
}

/// Registers the worker, so the next visit starts even when the host does not answer. (Where
/// the browser has none — `file://`, an insecure origin — nothing happens.)
pub fn keep_a_copy() {
    if let Some(container) = container() {
        let _ = call(&container, "register", &[WORKER.into()]);
    }
}

fn page_marked(attribute: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
        .is_some_and(|root| root.has_attribute(attribute))
}

/// Whether this page was started from the saved copy (the worker marks it when the host did not
/// answer).
pub fn started_from_copy() -> bool {
    page_marked("data-offline")
}

/// Whether this page is the one-file app (`reachcheck.html`, docs/mirrors.md), opened from disk
/// or any host.
pub fn single_file() -> bool {
    page_marked("data-single-file")
}

/// The page has no host of its own to reach: started from the copy, or the one-file app.
pub fn without_its_host() -> bool {
    started_from_copy() || single_file()
}

/// The start page's meta naming its wasm's digest (written by the release build; the footer
/// shows it).
pub const DIGEST_META: &str = "reachcheck-wasm-sha256";

/// How often, and how long, a page started from the copy looks for a newer one.
const CHECK_EVERY_MS: f64 = 3000.0;
const CHECKS: u32 = 200;

/// Looks, every few seconds for a while, whether the saved copy's start page names another wasm
/// digest than this page: true once it does. The worker replaces a release as a whole, the start
/// page last (static/sw.js), so the new version has then arrived, complete.
pub async fn newer_version_saved() -> bool {
    let Some(own) = super::page::meta_content(DIGEST_META) else { return false };
    for _ in 0..CHECKS {
        crate::probe::clock::sleep_ms(CHECK_EVERY_MS).await;
        if saved_release_digest().await.is_some_and(|saved| saved != own) {
            return true;
        }
    }
    false
}

/// The wasm digest of the start page the saved copy holds now.
async fn saved_release_digest() -> Option<String> {
    let caches = web_sys::window().and_then(|w| get(&w, "caches"))?;
    let start_page = super::page::absolute_url("index.html")?;
    let response = awaited(&caches, "match", &[start_page.into()]).await?;
    let html = awaited(&response, "text", &[]).await?.as_string()?;
    meta_in(&html, DIGEST_META)
}

/// The `content` of `<meta name="NAME" content="…">` in HTML text (as the release build writes
/// it: name, then content).
fn meta_in(html: &str, name: &str) -> Option<String> {
    let after_name = &html[html.find(&format!("name=\"{name}\""))?..];
    let value = &after_name[after_name.find("content=\"")? + "content=\"".len()..];
    Some(value[..value.find('"')?].to_owned())
}

/// Removes the saved copy: every reachcheck cache and the worker's registration.
pub async fn remove_copy() {
    if let Some(caches) = web_sys::window().and_then(|w| get(&w, "caches")) {
        if let Some(keys) = awaited(&caches, "keys", &[]).await {
            for key in Array::from(&keys).iter() {
                if key.as_string().is_some_and(|k| k.starts_with(CACHE_PREFIX)) {
                    let _ = awaited(&caches, "delete", &[key]).await;
                }
            }
        }
    }
    let Some(container) = container() else { return };
    if let Some(registrations) = awaited(&container, "getRegistrations", &[]).await {
        for registration in Array::from(&registrations).iter() {
            let _ = awaited(&registration, "unregister", &[]).await;
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_the_digest_meta_of_a_start_page() {
        let html = r##"<head><meta name="theme-color" content="#0b57d0"><meta name="reachcheck-wasm-sha256" content="1edb"></head>"##;
        assert_eq!(super::meta_in(html, super::DIGEST_META).as_deref(), Some("1edb"));
        assert_eq!(super::meta_in("<head></head>", super::DIGEST_META), None);
        assert_eq!(
            super::meta_in(r#"<meta name="reachcheck-wasm-sha256" content="x"#, super::DIGEST_META),
            None
        );
    }
}

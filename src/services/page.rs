//! What the page's own URL, origin and browser say: query parameters, the fragment, languages.

use reachcheck_core::catalog::PageContext;

/// The value of `?name=` in the page URL, if present.
pub fn query_param(name: &str) -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    web_sys::UrlSearchParams::new_with_str(&search).ok()?.get(name)
}

/// Replaces the page's query with `pairs` (the page does not reload, history gains no entry)
/// and returns the new address: links that keep what is shown.
pub fn replace_query(pairs: &[(&str, String)]) -> Option<String> {
    let window = web_sys::window()?;
    let params = web_sys::UrlSearchParams::new().ok()?;
    for (key, value) in pairs {
        params.append(key, value);
    }
    let query = String::from(params.to_string());
    let path = window.location().pathname().ok()?;
    let url = if query.is_empty() { path } else { format!("{path}?{query}") };
    window.history().ok()?.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url)).ok()?;
    window.location().href().ok()
}

/// The page's context for catalog validation: https pages cannot reach http/ws targets.
pub fn context() -> PageContext {
    let secure = web_sys::window().and_then(|w| w.location().protocol().ok()).is_some_and(|p| p == "https:");
    PageContext { secure }
}

/// Resolves `url` against the page (so `?catalog=lab.json` works relative to it).
pub fn absolute_url(url: &str) -> Option<String> {
    let base = web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default();
    web_sys::Url::new_with_base(url, &base).map(|u| u.href()).ok()
}

/// The `content` of `<meta name="NAME">` in the page, if there is one.
pub fn meta_content(name: &str) -> Option<String> {
    let document = web_sys::window()?.document()?;
    document.query_selector(&format!("meta[name=\"{name}\"]")).ok()??.get_attribute("content")
}

/// The fragment without `#` (empty when there is none).
pub fn fragment() -> String {
    let hash = web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default();
    hash.strip_prefix('#').unwrap_or(&hash).to_owned()
}

/// This page's address with `fragment` (query kept, so `?catalog=` and `?lang=` survive).
pub fn url_with_fragment(fragment: &str) -> String {
    let href = web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default();
    format!("{}#{fragment}", href.split('#').next().unwrap_or(&href))
}

/// `navigator.languages`, most preferred first.
pub fn preferred_languages() -> Vec<String> {
    let Some(navigator) = web_sys::window().map(|w| w.navigator()) else { return Vec::new() };
    navigator.languages().iter().filter_map(|l| l.as_string()).collect()
}

/// Sets `<html lang dir>` so screen readers and layout follow the chosen language.
pub fn set_document_language(code: &str, dir: &str) {
    if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        let _ = root.set_attribute("lang", code);
        let _ = root.set_attribute("dir", dir);
    }
}

/// Calls `handler` on every `hashchange` until the returned listener is dropped.
pub fn on_hash_change(handler: impl Fn() + 'static) -> Option<HashChangeListener> {
    use wasm_bindgen::JsCast;
    let window = web_sys::window()?;
    let closure = wasm_bindgen::closure::Closure::<dyn Fn()>::new(handler);
    window.add_event_listener_with_callback("hashchange", closure.as_ref().unchecked_ref()).ok()?;
    Some(HashChangeListener(closure))
}

pub struct HashChangeListener(wasm_bindgen::closure::Closure<dyn Fn()>);

impl Drop for HashChangeListener {
    fn drop(&mut self) {
        use wasm_bindgen::JsCast;
        if let Some(window) = web_sys::window() {
            let _ = window.remove_event_listener_with_callback("hashchange", self.0.as_ref().unchecked_ref());
        }
    }
}

/// The page was opened from a file on this device (`file://`): links to it open only here.
pub fn from_disk() -> bool {
    web_sys::window().and_then(|w| w.location().protocol().ok()).is_some_and(|p| p == "file:")
}

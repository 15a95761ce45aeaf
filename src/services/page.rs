//! What the page's own URL and origin say: query parameters and whether it is https.

use reachcheck_core::catalog::PageContext;

/// The value of `?name=` in the page URL, if present.
pub fn query_param(name: &str) -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    web_sys::UrlSearchParams::new_with_str(&search).ok()?.get(name)
}

/// The page's context for catalog validation: https pages cannot reach http/ws targets.
pub fn context() -> PageContext {
    let secure = web_sys::window().and_then(|w| w.location().protocol().ok()).is_some_and(|p| p == "https:");
    PageContext { secure }
}

/// Resolves `url` against the page (so `?catalog=lab.json` works relative to it).
pub fn absolute_url(url: &str) -> Result<String, String> {
    let base = web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default();
    web_sys::Url::new_with_base(url, &base).map(|u| u.href()).map_err(|_| format!("{url:?} is not a URL"))
}

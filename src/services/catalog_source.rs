//! Loads the catalog to run: the built-in one shipped beside the app, or `?catalog=<url>`,
//! narrowed by `?services=a,b`. Every failure becomes a message for the visitor.

use gloo_net::http::Request;
use reachcheck_core::catalog::{Catalog, PageContext};
use web_sys::{RequestCache, RequestCredentials};

use super::page;

/// The built-in catalog, copied into the app's output by Trunk.
pub const BUILTIN_CATALOG: &str = "catalog.json";

/// The catalog URL the page asks for.
pub fn requested_url() -> String {
    page::query_param("catalog")
        .filter(|u| !u.trim().is_empty())
        .unwrap_or_else(|| BUILTIN_CATALOG.to_owned())
}

/// Fetches, validates and narrows a catalog. Nothing is probed here: only the catalog file is
/// fetched (from the app's own host unless `?catalog=` names another).
pub async fn load(url: &str, services: Option<&str>, page: PageContext) -> Result<Catalog, String> {
    let absolute = page::absolute_url(url)?;
    let text = fetch_text(&absolute).await.map_err(|why| format!("the catalog {absolute} {why}"))?;
    // Catalog::load refuses oversized files itself.
    let mut catalog = Catalog::load(&text, page).map_err(|err| format!("{absolute}: {err}"))?;
    if let Some(ids) = services.filter(|s| !s.trim().is_empty()) {
        let ids: Vec<&str> = ids.split(',').map(str::trim).filter(|s| !s.is_empty()).collect();
        catalog.select_services(&ids).map_err(|err| format!("?services=: {err}"))?;
    }
    Ok(catalog)
}

/// The app's own configuration, `config.json` beside `index.html` (written by `./x serve` or a
/// site's deployment): `{"submit_url": "..."}`. Absent or unreadable means no default collector.
pub async fn app_config_submit_url() -> Option<String> {
    #[derive(serde::Deserialize)]
    struct AppConfig {
        submit_url: String,
    }
    let text = fetch_text(&page::absolute_url("config.json").ok()?).await.ok()?;
    let config: AppConfig = serde_json::from_str(&text).ok()?;
    page::absolute_url(&config.submit_url).ok()
}

/// GETs one of the app's own files (no cookies, revalidated); the error completes
/// "the catalog <url> …".
async fn fetch_text(url: &str) -> Result<String, String> {
    let response = Request::get(url)
        .cache(RequestCache::NoCache)
        .credentials(RequestCredentials::Omit)
        .send()
        .await
        .map_err(|_| "could not be fetched (network error or CORS)".to_owned())?;
    if !response.ok() {
        return Err(format!("answered HTTP {}", response.status()));
    }
    response.text().await.map_err(|_| "could not be read".to_owned())
}

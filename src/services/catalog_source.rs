//! Loads the catalog to run: the built-in one shipped beside the app, or `?catalog=<url>`,
//! narrowed by `?services=a,b`. Every failure is a [`LoadError`], worded for the visitor when
//! shown.

use gloo_net::http::Request;
use reachcheck_core::baseline::Baseline;
use reachcheck_core::catalog::{Catalog, Endpoint, PageContext, ProbeKind, MIN_TIMEOUT_MS};
use reachcheck_core::problem::{FetchFailure, LoadError};
use reachcheck_core::run::CatalogFiles;
use web_sys::{RequestCache, RequestCredentials};

use super::page;
use crate::probe::within;

/// The built-in catalog, copied into the app's output by Trunk.
pub const BUILTIN_CATALOG: &str = "catalog.json";

/// The catalog URL the page asks for.
pub fn requested_url() -> String {
    page::query_param("catalog")
        .filter(|u| !u.trim().is_empty())
        .unwrap_or_else(|| BUILTIN_CATALOG.to_owned())
}

/// The app's own canary (docs/catalog.md, "Canaries"), beside `index.html`: a path that
/// EasyList's generic rules `/pagead/js/*` and `/adsbygoogle.` block, which no censor has a
/// reason to. A site without the file answers 404, which counts as reached: never a false alarm.
pub const OWN_CANARY_PATH: &str = "canary/pagead/js/adsbygoogle.js";
pub const OWN_CANARY_ID: &str = "reachcheck-own-canary";
/// A baseline that has not arrived by then is left out (its absence changes nothing).
const BASELINE_TIMEOUT_MS: f64 = 3000.0;

/// Fetches, validates and narrows a catalog, adds the app's own canary (served from
/// `app_base`, the directory of the app's files) and fetches the catalog's baseline
/// (`baseline.json` beside it, or `?baseline=`). Nothing is probed here: only those files are
/// fetched (from the app's own host unless `?catalog=` names another).
pub async fn load(
    url: &str,
    services: Option<&str>,
    page: PageContext,
    app_base: &str,
) -> Result<CatalogFiles, LoadError> {
    let absolute = resolve(url)?;
    // The one-file app (docs/mirrors.md) carries the built-in catalog inside the page.
    let text = match inline_catalog().filter(|_| url == BUILTIN_CATALOG) {
        Some(text) => text,
        None => fetch_text(&absolute).await?,
    };
    // Catalog::load refuses oversized files itself.
    let mut catalog = Catalog::load(&text, page)
        .map_err(|err| LoadError::Invalid { url: absolute.clone(), problems: err.problems })?;
    if let Some(ids) = services.filter(|s| !s.trim().is_empty()) {
        let ids: Vec<&str> = ids.split(',').map(str::trim).filter(|s| !s.is_empty()).collect();
        catalog.select_services(&ids).map_err(LoadError::UnknownServices)?;
    }
    // A page started from its saved copy cannot reach its own host: its canary there would
    // fail for that reason, not for a content blocker's.
    let own = own_canary(app_base, &catalog).filter(|_| !crate::services::offline::without_its_host());
    if let Some(canary) = own {
        catalog.canaries.push(canary);
    }
    let baseline = load_baseline(&absolute).await;
    Ok(CatalogFiles { catalog, baseline })
}

/// The catalog inlined in the page (`<script type="application/json" id="reachcheck-catalog">`).
fn inline_catalog() -> Option<String> {
    web_sys::window()?.document()?.get_element_by_id("reachcheck-catalog")?.text_content()
}

fn own_canary(app_base: &str, catalog: &Catalog) -> Option<Endpoint> {
    let url = web_sys::Url::new_with_base(OWN_CANARY_PATH, app_base).ok()?.href();
    let timeout_ms = catalog.controls.iter().map(|c| c.timeout_ms).max().unwrap_or(MIN_TIMEOUT_MS);
    Some(Endpoint {
        scope: None,
        country: None,
        id: OWN_CANARY_ID.into(),
        name: None,
        kind: ProbeKind::Fetch,
        url,
        timeout_ms,
        success: None,
        expected_bytes: None,
        upload_bytes: None,
        network: None,
        samples: Some(1),
        username: None,
        credential: None,
        protocols: Vec::new(),
        filter_listed: false,
        browser_notes: String::new(),
        source: "reachcheck: EasyList generic rules /pagead/js/* and /adsbygoogle.".into(),
    })
}

/// The baseline beside the catalog (`?baseline=` overrides): `Ok(None)` when there is none,
/// `Err` with the reason when there is one that cannot be read.
async fn load_baseline(catalog_url: &str) -> Result<Option<Baseline>, LoadError> {
    let requested = page::query_param("baseline").filter(|u| !u.trim().is_empty());
    let url = match &requested {
        Some(url) => resolve(url)?,
        None => web_sys::Url::new_with_base("baseline.json", catalog_url)
            .map(|u| u.href())
            .map_err(|_| LoadError::BadUrl(catalog_url.to_owned()))?,
    };
    let text = match within(BASELINE_TIMEOUT_MS, fetch_text(&url)).await {
        Some(Ok(text)) => text,
        // Absent (a 404, or unreachable) means no baseline, unless the page asked for one.
        _ if requested.is_none() => return Ok(None),
        Some(Err(error)) => return Err(error),
        None => return Err(LoadError::Fetch { url, failure: FetchFailure::NoAnswer }),
    };
    Baseline::parse(&text).map(Some).map_err(|problem| LoadError::Invalid { url, problems: vec![problem] })
}

fn resolve(url: &str) -> Result<String, LoadError> {
    page::absolute_url(url).ok_or_else(|| LoadError::BadUrl(url.to_owned()))
}

/// The app's own configuration, `config.json` beside `index.html` (written by `./x serve` or a
/// site's deployment): `{"submit_url": "..."}`. Absent or unreadable means no default collector.
pub async fn app_config_submit_url() -> Option<String> {
    #[derive(serde::Deserialize)]
    struct AppConfig {
        submit_url: String,
    }
    let text = fetch_text(&resolve("config.json").ok()?).await.ok()?;
    let config: AppConfig = serde_json::from_str(&text).ok()?;
    page::absolute_url(&config.submit_url)
}

/// GETs one of the app's own files (no cookies, revalidated).
pub(crate) async fn fetch_text(url: &str) -> Result<String, LoadError> {
    let fail = |failure| LoadError::Fetch { url: url.to_owned(), failure };
    let response = Request::get(url)
        .cache(RequestCache::NoCache)
        .credentials(RequestCredentials::Omit)
        .send()
        .await
        .map_err(|_| fail(FetchFailure::Network))?;
    if !response.ok() {
        return Err(fail(FetchFailure::Status(response.status())));
    }
    response.text().await.map_err(|_| fail(FetchFailure::Unreadable))
}

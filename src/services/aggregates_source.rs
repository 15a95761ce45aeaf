//! The dashboard's data: the published aggregates (docs/aggregates.md), fetched from wherever
//! they are hosted (`?data=`, by default `v1/aggregates.json` beside the page). No collector is
//! asked anything.

use reachcheck_core::aggregates::Document;
use reachcheck_core::problem::LoadError;

use super::catalog_source::fetch_text;
use super::page;

/// Where the dashboard reads by default: the collector's `--publish-dir` layout.
pub const DEFAULT_URL: &str = "v1/aggregates.json";

/// Why the data could not be shown.
#[derive(Clone, Debug, PartialEq)]
pub enum AggregatesError {
    /// Not fetched (network, HTTP status, unreadable body).
    Fetch(LoadError),
    /// Fetched, but not aggregates this dashboard reads: where and why.
    Invalid(String),
}

/// Service names by id from the catalog beside the page (`catalog.json`, the built-in one in a
/// build), so charts say "WhatsApp", not `whatsapp`. Optional: without it, the ids.
pub async fn service_names() -> ServiceNames {
    let Some(url) = page::absolute_url("catalog.json") else { return ServiceNames::default() };
    let Ok(text) = fetch_text(&url).await else { return ServiceNames::default() };
    // Read by the browser's own JSON parser into a list: two fields need no deserializer, and a
    // few dozen names no sorted map (serde and a BTreeMap cost the page 4.6 KB, this 1.7 KB).
    let field = |value: &wasm_bindgen::JsValue, name: &str| js_sys::Reflect::get(value, &name.into()).ok();
    let services = js_sys::JSON::parse(&text).ok().and_then(|catalog| field(&catalog, "services"));
    let services = services.map(|list| js_sys::Array::from(&list)).unwrap_or_default();
    services
        .iter()
        .filter_map(|service| {
            Some((field(&service, "id")?.as_string()?, field(&service, "name")?.as_string()?))
        })
        .collect::<Vec<_>>()
        .into()
}

/// Service names by id.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ServiceNames(Vec<(String, String)>);

impl From<Vec<(String, String)>> for ServiceNames {
    fn from(names: Vec<(String, String)>) -> ServiceNames {
        ServiceNames(names)
    }
}

impl ServiceNames {
    /// The service's name, or its id when the catalog does not name it.
    pub fn of<'a>(&'a self, id: &'a str) -> &'a str {
        self.0.iter().find(|(known, _)| known == id).map_or(id, |(_, name)| name.as_str())
    }
}

pub async fn load(url: &str) -> Result<Document, AggregatesError> {
    let absolute =
        page::absolute_url(url).ok_or_else(|| AggregatesError::Fetch(LoadError::BadUrl(url.to_owned())))?;
    let text = fetch_text(&absolute).await.map_err(AggregatesError::Fetch)?;
    Document::parse(&text).map_err(AggregatesError::Invalid)
}

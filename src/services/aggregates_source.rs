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

pub async fn load(url: &str) -> Result<Document, AggregatesError> {
    let absolute =
        page::absolute_url(url).ok_or_else(|| AggregatesError::Fetch(LoadError::BadUrl(url.to_owned())))?;
    let text = fetch_text(&absolute).await.map_err(AggregatesError::Fetch)?;
    Document::parse(&text).map_err(AggregatesError::Invalid)
}

//! Publishes the aggregates as static JSON and CSV (`<dir>/v1/aggregates.json` and `.csv`, the
//! same paths as the API; docs/aggregates.md), so any static host can serve them. Files are
//! replaced atomically (write, then rename).

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::AppState;

/// The format name of the JSON document; it changes when a field changes meaning.
pub const FORMAT: &str = "reachcheck-aggregates-2";

fn rows(state: &AppState) -> Result<Vec<crate::store::AggregateRow>, String> {
    state.store().aggregates(state.min_cell)
}

/// The aggregates as CSV: a header, then one line per published cell.
pub fn csv(state: &AppState) -> Result<String, String> {
    let mut text = crate::store::AggregateRow::csv_header();
    text.push('\n');
    for row in rows(state)? {
        text.push_str(&row.csv_line());
        text.push('\n');
    }
    Ok(text)
}

/// The aggregates document served at `GET /v1/aggregates` and published to files.
pub fn document(state: &AppState) -> Result<serde_json::Value, String> {
    let rows = rows(state)?;
    // Names of the networks the published cells show, not of every network ever seen.
    let mut networks = state.store().network_names()?;
    networks.retain(|asn, _| rows.iter().any(|row| &row.probe_asn == asn));
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_millis() as f64);
    Ok(serde_json::json!({
        "format": FORMAT,
        "generated_at": reachcheck_core::anonymize::utc_hour(now_ms),
        "min_cell": state.min_cell,
        "networks": networks,
        "rows": rows,
    }))
}

/// Writes `v1/aggregates.json` and `v1/aggregates.csv` under `dir`; returns the JSON's path.
pub fn write(state: &AppState, dir: &Path) -> Result<PathBuf, String> {
    let json = serde_json::to_string_pretty(&document(state)?).map_err(|err| err.to_string())?;
    let target_dir = dir.join("v1");
    std::fs::create_dir_all(&target_dir).map_err(|err| format!("{}: {err}", target_dir.display()))?;
    replace(&target_dir.join("aggregates.csv"), &csv(state)?)?;
    let target = target_dir.join("aggregates.json");
    replace(&target, &json)?;
    Ok(target)
}

/// Writes a file beside its target, then renames it over: readers see the old or the new one.
fn replace(target: &Path, text: &str) -> Result<(), String> {
    let name = target.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let temporary = target.with_file_name(format!(".{name}.tmp"));
    std::fs::write(&temporary, text).map_err(|err| format!("{}: {err}", temporary.display()))?;
    std::fs::rename(&temporary, target).map_err(|err| format!("{}: {err}", target.display()))
}

/// Publishes now and then every `interval` until shutdown, and once more at shutdown.
pub async fn every(
    state: AppState,
    dir: PathBuf,
    interval: Duration,
    mut stopped: tokio::sync::watch::Receiver<bool>,
) {
    loop {
        let publish_state = state.clone();
        let publish_dir = dir.clone();
        let written = tokio::task::spawn_blocking(move || write(&publish_state, &publish_dir)).await;
        match written {
            Ok(Ok(path)) => crate::log::event("published", &[("path", path.display().to_string().into())]),
            Ok(Err(err)) => crate::log::event("publish_failed", &[("error", err.into())]),
            Err(err) => crate::log::event("publish_failed", &[("error", err.to_string().into())]),
        }
        if *stopped.borrow() {
            return;
        }
        tokio::select! {
            _ = tokio::time::sleep(interval) => {}
            // Shutting down (or the collector is gone): publish a last time, then stop.
            _ = stopped.changed() => {}
        }
        if stopped.has_changed().is_err() {
            return;
        }
    }
}

//! Publishes the aggregates as static JSON (`<dir>/v1/aggregates.json`, the same path as the
//! API), so any static host can serve them. Files are replaced atomically (write, then rename).

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::AppState;

/// The aggregates document served at `GET /v1/aggregates` and published to files.
pub fn document(state: &AppState) -> Result<serde_json::Value, String> {
    let store = state.store.lock().unwrap_or_else(|p| p.into_inner());
    let rows = store.aggregates().map_err(|err| err.to_string())?;
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_millis() as f64);
    Ok(serde_json::json!({
        "format": "reachcheck-aggregates-1",
        "generated_at": reachcheck_core::anonymize::utc_hour(now_ms),
        "rows": rows,
    }))
}

pub fn write(state: &AppState, dir: &Path) -> Result<PathBuf, String> {
    let document = document(state)?;
    let target_dir = dir.join("v1");
    std::fs::create_dir_all(&target_dir).map_err(|err| format!("{}: {err}", target_dir.display()))?;
    let target = target_dir.join("aggregates.json");
    let temporary = target_dir.join(".aggregates.json.tmp");
    let text = serde_json::to_string_pretty(&document).map_err(|err| err.to_string())?;
    std::fs::write(&temporary, text).map_err(|err| format!("{}: {err}", temporary.display()))?;
    std::fs::rename(&temporary, &target).map_err(|err| format!("{}: {err}", target.display()))?;
    Ok(target)
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

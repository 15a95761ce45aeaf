//! The run history in localStorage: the last runs as reports (the same format as exports;
//! read and written by core's `history`). Unreadable or old-format storage is ignored with a
//! notice, never a crash.

use reachcheck_core::history::{self, Entry};

use crate::state::HISTORY_LIMIT;

/// Bump the suffix when the stored shape changes; other keys are left alone.
const HISTORY_KEY: &str = "reachcheck.history.v1";

/// Every key reachcheck writes starts with this (history, outbox, and any later settings).
pub const KEY_PREFIX: &str = "reachcheck.";

/// The page's localStorage, when the browser allows it (private modes and policies may not).
pub fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Removes every key reachcheck ever wrote, from localStorage and sessionStorage; returns how
/// many were removed. Other sites' and pages' keys on the same origin are left alone.
pub fn delete_everything() -> usize {
    let window = web_sys::window();
    let session = window.as_ref().and_then(|w| w.session_storage().ok().flatten());
    [local_storage(), session].into_iter().flatten().map(|storage| remove_ours(&storage)).sum()
}

fn remove_ours(storage: &web_sys::Storage) -> usize {
    let count = storage.length().unwrap_or(0);
    let ours: Vec<String> = (0..count)
        .filter_map(|i| storage.key(i).ok().flatten())
        .filter(|k| k.starts_with(KEY_PREFIX))
        .collect();
    ours.iter().filter(|key| storage.remove_item(key).is_ok()).count()
}

/// The saved runs (newest first), and whether anything had to be ignored.
pub fn load_history() -> (Vec<Entry>, bool) {
    let Some(text) = local_storage().and_then(|s| s.get_item(HISTORY_KEY).ok().flatten()) else {
        return (Vec::new(), false);
    };
    history::parse_stored(&text, HISTORY_LIMIT)
}

/// Saves the history (an empty one removes the key); a full or forbidden storage only loses the
/// history, not the run.
pub fn save_history(runs: &[Entry]) {
    let Some(storage) = local_storage() else { return };
    if runs.is_empty() {
        let _ = storage.remove_item(HISTORY_KEY);
    } else {
        let _ = storage.set_item(HISTORY_KEY, &history::to_stored(runs));
    }
}

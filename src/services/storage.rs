//! The run history in localStorage: the last runs as reports (the same format as exports).
//! Unreadable or old-format storage is ignored with a notice, never a crash.

use reachcheck_core::report::Report;

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
pub fn load_history() -> (Vec<Report>, bool) {
    let Some(text) = local_storage().and_then(|s| s.get_item(HISTORY_KEY).ok().flatten()) else {
        return (Vec::new(), false);
    };
    parse_history(&text)
}

/// Parses stored history, keeping every entry that is a valid report.
pub fn parse_history(text: &str) -> (Vec<Report>, bool) {
    let Some(entries) = reachcheck_core::json::array_entries(text) else {
        return (Vec::new(), true);
    };
    let total = entries.len();
    let runs: Vec<Report> =
        entries.into_iter().filter_map(|entry| Report::parse(entry.get()).ok()).take(HISTORY_LIMIT).collect();
    let ignored = runs.len() < total.min(HISTORY_LIMIT);
    (runs, ignored)
}

/// Saves the history (an empty one removes the key); a full or forbidden storage only loses the
/// history, not the run.
pub fn save_history(runs: &[Report]) {
    let Some(storage) = local_storage() else { return };
    if runs.is_empty() {
        let _ = storage.remove_item(HISTORY_KEY);
    } else if let Ok(json) = serde_json::to_string(runs) {
        let _ = storage.set_item(HISTORY_KEY, &json);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unreadable_history_is_ignored_with_a_notice() {
        assert_eq!(parse_history("not json").0.len(), 0);
        assert!(parse_history("not json").1);
        assert!(parse_history("{\"old\": \"format\"}").1);
        let (runs, ignored) = parse_history("[{\"data_format_version\": \"0\"}]");
        assert!(runs.is_empty() && ignored);
        assert_eq!(parse_history("[]"), (Vec::new(), false));
    }
}

//! Per-path request counters, so tests can prove what the browser did (and did not) request.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

#[derive(Clone, Default)]
pub struct HitCounter(Arc<Mutex<BTreeMap<String, u64>>>);

impl HitCounter {
    pub fn record(&self, path: &str) {
        *self.lock().entry(path.to_owned()).or_default() += 1;
    }

    pub fn get(&self, path: &str) -> u64 {
        self.lock().get(path).copied().unwrap_or(0)
    }

    pub fn total(&self) -> u64 {
        self.lock().values().sum()
    }

    pub fn snapshot(&self) -> BTreeMap<String, u64> {
        self.lock().clone()
    }

    pub fn clear(&self) {
        self.lock().clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, u64>> {
        // A panic while holding the lock cannot leave the map half-written: recover it.
        self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

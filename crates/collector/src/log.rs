//! Structured logs: one JSON object per line on stderr. Nothing here ever receives an address:
//! callers pass report ids, countries, networks and reasons only.

use serde_json::{Map, Value};

pub fn event(name: &str, fields: &[(&str, Value)]) {
    let mut line = Map::new();
    line.insert("ts".into(), now().into());
    line.insert("event".into(), name.into());
    for (key, value) in fields {
        line.insert((*key).into(), value.clone());
    }
    eprintln!("{}", Value::Object(line));
}

/// Seconds since the Unix epoch.
fn now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

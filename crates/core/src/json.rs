//! JSON parsing whose errors say where the problem is. On the host (tools, the collector) every
//! structural error carries its full path (`services[3].endpoints[1].kind`); in the browser the
//! path tracker is left out to keep the wasm small (docs/embedding.md's size budget), and errors
//! carry serde's own wording with the line and column instead.

use serde::de::DeserializeOwned;

/// `(path, problem)`; the path is `.` for the document itself.
pub type PathError = (String, String);

#[cfg(not(target_arch = "wasm32"))]
pub fn from_str_with_path<T: DeserializeOwned>(json: &str) -> Result<T, PathError> {
    // Valid input (a collector's every report) is parsed once, without tracking the path, which
    // costs as much again; only a failure is parsed a second time to say where.
    if let Ok(value) = serde_json::from_str(json) {
        return Ok(value);
    }
    let deserializer = &mut serde_json::Deserializer::from_str(json);
    serde_path_to_error::deserialize(deserializer)
        .map_err(|err| (err.path().to_string(), err.inner().to_string()))
}

#[cfg(target_arch = "wasm32")]
pub fn from_str_with_path<T: DeserializeOwned>(json: &str) -> Result<T, PathError> {
    serde_json::from_str(json).map_err(|err| (".".to_owned(), err.to_string()))
}

/// The entries of a JSON array, each left unparsed, so that one damaged entry (of a stored
/// history or outbox) can be skipped while the rest are read; `None` when `json` is no array.
/// (Cheaper than a `serde_json::Value` tree, which the browser build would otherwise link.)
pub fn array_entries(json: &str) -> Option<Vec<&serde_json::value::RawValue>> {
    serde_json::from_str(json).ok()
}

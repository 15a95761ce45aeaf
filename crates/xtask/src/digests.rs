//! Digests of a release: `SHA256SUMS` beside the files (the format `sha256sum -c` checks), so a
//! mirror's copy can be compared with the project's, and the app's wasm digest in index.html,
//! which the page shows in its footer (docs/mirrors.md says what that can and cannot prove).

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

pub const SUMS_FILE: &str = "SHA256SUMS";
/// The `<meta>` index.html carries the app's wasm digest in, for the footer.
pub const META_NAME: &str = "reachcheck-wasm-sha256";
const APP_WASM: &str = "reachcheck_bg.wasm";

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Every file under `dir` (relative paths, `/`-separated, sorted), `SHA256SUMS` itself left out.
fn files(dir: &Path) -> Result<Vec<String>, String> {
    let mut found = Vec::new();
    let mut pending = vec![PathBuf::new()];
    while let Some(relative) = pending.pop() {
        let entries =
            std::fs::read_dir(dir.join(&relative)).map_err(|err| format!("{}: {err}", dir.display()))?;
        for entry in entries.flatten() {
            let path = relative.join(entry.file_name());
            if entry.file_type().map_err(|err| err.to_string())?.is_dir() {
                pending.push(path);
            } else {
                found.push(path.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    found.retain(|f| f != SUMS_FILE);
    found.sort();
    Ok(found)
}

/// `<hex>  <path>` lines for every file of `dir`.
pub fn sums(dir: &Path) -> Result<String, String> {
    let mut lines = String::new();
    for file in files(dir)? {
        let bytes = std::fs::read(dir.join(&file)).map_err(|err| format!("{file}: {err}"))?;
        lines.push_str(&format!("{}  {file}\n", sha256_hex(&bytes)));
    }
    Ok(lines)
}

/// `html` with the `<meta name="reachcheck-wasm-sha256">` set to `digest` (added in `<head>` if
/// missing, replaced if present).
pub fn with_wasm_digest(html: &str, digest: &str) -> Result<String, String> {
    let meta = format!("<meta name=\"{META_NAME}\" content=\"{digest}\">");
    if let Some(start) = html.find(&format!("<meta name=\"{META_NAME}\"")) {
        let end = html[start..].find('>').ok_or("an unclosed <meta>")? + start + 1;
        return Ok(format!("{}{meta}{}", &html[..start], &html[end..]));
    }
    let head = html.find("<head>").ok_or("no <head> in index.html")? + "<head>".len();
    Ok(format!("{}{meta}{}", &html[..head], &html[head..]))
}

/// Writes the wasm digest into `dist/index.html`, then `dist/SHA256SUMS` (so it covers the
/// final index.html), and prints the sums.
pub fn write(dist: &Path) -> Result<(), String> {
    set_meta(dist)?;
    write_sums(dist)
}

/// The app's wasm digest into `dist/index.html`.
pub fn set_meta(dist: &Path) -> Result<(), String> {
    let wasm = std::fs::read(dist.join(APP_WASM)).map_err(|err| format!("{APP_WASM}: {err}"))?;
    let index = dist.join("index.html");
    let html = std::fs::read_to_string(&index).map_err(|err| format!("index.html: {err}"))?;
    std::fs::write(&index, with_wasm_digest(&html, &sha256_hex(&wasm))?).map_err(|err| err.to_string())
}

/// `dist/SHA256SUMS` of every file as it is now, printed too.
pub fn write_sums(dist: &Path) -> Result<(), String> {
    let sums = sums(dist)?;
    std::fs::write(dist.join(SUMS_FILE), &sums).map_err(|err| err.to_string())?;
    eprint!("release digests (dist/{SUMS_FILE}, check a copy with `sha256sum -c {SUMS_FILE}`):\n{sums}");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_every_file_as_sha256sum_does() {
        let dir = std::env::temp_dir().join(format!("reachcheck-digests-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("canary")).unwrap();
        std::fs::write(dir.join("index.html"), "<html><head><title>t</title></head></html>").unwrap();
        std::fs::write(dir.join(APP_WASM), b"abc").unwrap();
        std::fs::write(dir.join("canary/x.js"), b"").unwrap();
        write(&dir).unwrap();
        let sums = std::fs::read_to_string(dir.join(SUMS_FILE)).unwrap();
        let lines: Vec<&str> = sums.lines().collect();
        assert_eq!(lines.len(), 3, "{sums}");
        // SHA-256 test vectors (FIPS 180-2): "abc" and the empty string.
        assert!(lines.contains(
            &"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  reachcheck_bg.wasm"
        ));
        assert!(
            lines.contains(&"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  canary/x.js")
        );
        let html = std::fs::read_to_string(dir.join("index.html")).unwrap();
        assert!(html.contains("content=\"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\""));
        let index_line = lines.iter().find(|l| l.ends_with("  index.html")).unwrap();
        assert_eq!(&index_line[..64], sha256_hex(html.as_bytes()), "the sums cover the final index.html");
        // Run again (a rebuild): the meta is replaced, not added twice.
        write(&dir).unwrap();
        let html = std::fs::read_to_string(dir.join("index.html")).unwrap();
        assert_eq!(html.matches(META_NAME).count(), 1);
        std::fs::remove_dir_all(dir).unwrap();
    }
}

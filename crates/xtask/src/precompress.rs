//! `NAME.gz` and `NAME.br` beside every page, script, stylesheet, wasm and JSON file of a
//! release, compressed harder than a server does on the fly (zopfli's gzip, brotli at its top
//! quality), for hosts that serve such files as they are (nginx `gzip_static`/`brotli_static`,
//! Caddy `precompressed`; docs/mirrors.md). On a throttled link each KB is a second's sixteenth.

use std::path::Path;

/// Files worth compressing (the rest, e.g. PNGs, are compressed already).
const COMPRESSED_KINDS: [&str; 6] = ["html", "js", "css", "wasm", "json", "webmanifest"];

/// The encodings written, with their file suffix, as `Content-Encoding` names them.
pub const ENCODINGS: [(&str, &str); 2] = [("br", ".br"), ("gzip", ".gz")];

/// Gzip by zopfli, which searches longer for matches than zlib's best level: the same format
/// (any browser and `DecompressionStream("gzip")` read it), 4–5 % smaller, ~1 s per wasm.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    // Reading from a slice and writing to a Vec cannot fail.
    let _ = zopfli::compress(zopfli::Options::default(), zopfli::Format::Gzip, bytes, &mut out);
    out
}

/// Brotli at quality 11 with a 16 MB window (every release file fits in it).
pub fn brotli(bytes: &[u8]) -> Vec<u8> {
    let params = brotli::enc::BrotliEncoderParams { quality: 11, lgwin: 24, ..Default::default() };
    let mut out = Vec::new();
    let _ = brotli::BrotliCompress(&mut &bytes[..], &mut out, &params);
    out
}

/// Writes the `.gz` and `.br` of every file of `dist` (not of its subdirectories) that is worth
/// compressing; an older `.gz` or `.br` is replaced.
pub fn write(dist: &Path) -> Result<(), String> {
    let entries = std::fs::read_dir(dist).map_err(|err| format!("{}: {err}", dist.display()))?;
    for path in entries.flatten().map(|entry| entry.path()) {
        let kind = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !path.is_file() || !COMPRESSED_KINDS.contains(&kind) {
            continue;
        }
        let bytes = std::fs::read(&path).map_err(|err| format!("{}: {err}", path.display()))?;
        for (suffix, encoded) in [(".gz", gzip(&bytes)), (".br", brotli(&bytes))] {
            let target = format!("{}{suffix}", path.display());
            std::fs::write(&target, encoded).map_err(|err| format!("{target}: {err}"))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    const TEXT: &[u8] = b"reachcheck tells people which services they can still reach. \
        reachcheck tells people which services they can still reach.";

    #[test]
    fn both_encodings_decode_to_the_file() {
        let mut unzipped = Vec::new();
        flate2::read::GzDecoder::new(&gzip(TEXT)[..]).read_to_end(&mut unzipped).unwrap();
        assert_eq!(unzipped, TEXT);
        let mut unbrotlied = Vec::new();
        brotli::Decompressor::new(&brotli(TEXT)[..], 4096).read_to_end(&mut unbrotlied).unwrap();
        assert_eq!(unbrotlied, TEXT);
        assert!(gzip(TEXT).len() < TEXT.len() && brotli(TEXT).len() < TEXT.len());
    }

    #[test]
    fn only_files_worth_it_are_compressed() {
        let dist = std::env::temp_dir().join(format!("reachcheck-precompress-{}", std::process::id()));
        std::fs::create_dir_all(dist.join("icons")).unwrap();
        for name in ["index.html", "app_bg.wasm", "icon.png", "icons/a.svg"] {
            std::fs::write(dist.join(name), TEXT).unwrap();
        }
        write(&dist).unwrap();
        // Written twice (a rebuild), the second replaces the first.
        write(&dist).unwrap();
        let mut names: Vec<String> = std::fs::read_dir(&dist)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(
            names,
            [
                "app_bg.wasm",
                "app_bg.wasm.br",
                "app_bg.wasm.gz",
                "icon.png",
                "icons",
                "index.html",
                "index.html.br",
                "index.html.gz"
            ]
        );
        std::fs::remove_dir_all(&dist).unwrap();
    }
}

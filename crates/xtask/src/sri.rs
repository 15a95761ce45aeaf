//! Terser and the short names (short_names.rs) rewrite wasm-bindgen's glue and wasm after Trunk
//! wrote the page, so the page's subresource-integrity hashes of them must be rewritten too (the
//! browser refuses a file whose hash differs).

use std::path::Path;

use base64::Engine;
use sha2::{Digest, Sha384};

pub fn rewrite_file(html: &Path, file: &Path) -> Result<(), String> {
    let page = std::fs::read_to_string(html).map_err(|err| format!("{}: {err}", html.display()))?;
    let bytes = std::fs::read(file).map_err(|err| format!("{}: {err}", file.display()))?;
    let name = file.file_name().and_then(|n| n.to_str()).ok_or("the file has no name")?;
    let page = rewrite(&page, name, &bytes).map_err(|why| format!("{}: {why}", html.display()))?;
    std::fs::write(html, page).map_err(|err| format!("{}: {err}", html.display()))
}

/// `sha384-<base64>` of `bytes`, as `integrity` attributes carry it.
pub fn integrity(bytes: &[u8]) -> String {
    format!("sha384-{}", base64::engine::general_purpose::STANDARD.encode(Sha384::digest(bytes)))
}

/// The page with the `integrity` of the one element whose `href` ends in `/<name>` set to the
/// hash of `bytes`; an error unless exactly one such element carries an integrity attribute.
pub fn rewrite(page: &str, name: &str, bytes: &[u8]) -> Result<String, String> {
    let href = format!("/{name}\"");
    let mut tags = page.match_indices('<').filter_map(|(start, _)| {
        let end = start + page[start..].find('>')?;
        let tag = &page[start..end];
        (tag.contains(&href) && tag.contains("integrity=\"sha384-")).then_some((start, end))
    });
    let (Some((start, end)), None) = (tags.next(), tags.next()) else {
        return Err(format!("expected exactly one element linking {name} with an integrity hash"));
    };
    let tag = &page[start..end];
    let value_start = start + tag.find("integrity=\"").expect("checked above") + "integrity=\"".len();
    let value_end =
        value_start + page[value_start..].find('"').ok_or("an unterminated integrity attribute")?;
    Ok(format!("{}{}{}", &page[..value_start], integrity(bytes), &page[value_end..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<head><link rel="modulepreload" href="/reachcheck.js" crossorigin=anonymous integrity="sha384-OLD">
<link rel="preload" href="/reachcheck_bg.wasm" crossorigin=anonymous integrity="sha384-WASM" as="fetch"></head>"#;

    #[test]
    fn rewrites_the_hash_of_that_script_only() {
        let page = rewrite(PAGE, "reachcheck.js", b"minified").unwrap();
        assert!(page.contains(&format!(
            "href=\"/reachcheck.js\" crossorigin=anonymous integrity=\"{}\"",
            integrity(b"minified")
        )));
        assert!(page.contains("integrity=\"sha384-WASM\""), "other elements untouched");
        assert!(!page.contains("sha384-OLD"));
        // The known value of an empty input (SHA-384 of "").
        assert_eq!(integrity(b""), "sha384-OLBgp1GsljhM2TJ+sbHjaiH9txEUvgdDTAzHv2P24donTt6/529l+9Ua0vFImLlb");
    }

    #[test]
    fn refuses_pages_without_exactly_one_match() {
        assert!(rewrite(PAGE, "other.js", b"x").unwrap_err().contains("exactly one"));
        let twice = format!("{PAGE}{PAGE}");
        assert!(rewrite(&twice, "reachcheck.js", b"x").unwrap_err().contains("exactly one"));
        assert!(rewrite("<link href=\"/reachcheck.js\">", "reachcheck.js", b"x").is_err(), "no integrity");
    }
}

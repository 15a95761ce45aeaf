//! `xtask single DIST`: `DIST/reachcheck.html`, the whole app in one file — its wasm and JS glue
//! gzip-compressed and base64-encoded (unpacked in the page with `DecompressionStream`), its
//! stylesheet and the built-in catalog inlined — so it can be sent as a messenger attachment or
//! put on any mirror, and runs opened from disk (docs/mirrors.md, "One file").

use std::path::Path;

use base64::Engine;

/// The file may be at most this large (issue 16).
pub const BUDGET_BYTES: usize = 450 * 1024;
pub const FILE: &str = "reachcheck.html";

/// Unpacks the glue and the wasm, imports the glue from a blob URL (a module cannot be inlined
/// with its exports) and starts the app with the wasm bytes.
const LOADER: &str = r#"const unpack = (b64) => new Response(new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))])
  .stream().pipeThrough(new DecompressionStream("gzip")));
const glue = URL.createObjectURL(new Blob([await unpack("@JS@").text()], { type: "text/javascript" }));
const { default: init } = await import(glue);
await init({ module_or_path: await unpack("@WASM@").arrayBuffer() });"#;

pub fn write(dist: &Path) -> Result<(), String> {
    let read = |name: &str| {
        std::fs::read(dist.join(name)).map_err(|err| format!("{}: {err}", dist.join(name).display()))
    };
    let html = String::from_utf8(read("index.html")?).map_err(|_| "index.html is not UTF-8".to_owned())?;
    let css = String::from_utf8(read("style.css")?).map_err(|_| "style.css is not UTF-8".to_owned())?;
    let catalog =
        String::from_utf8(read("catalog.json")?).map_err(|_| "catalog.json is not UTF-8".to_owned())?;
    let page = single_page(&html, &read("reachcheck.js")?, &read("reachcheck_bg.wasm")?, &css, &catalog)?;
    let target = dist.join(FILE);
    std::fs::write(&target, &page).map_err(|err| format!("{}: {err}", target.display()))?;
    let kb = |bytes: usize| bytes as f64 / 1024.0;
    println!("one file: {FILE} {:.1} KB (budget {:.1} KB)", kb(page.len()), kb(BUDGET_BYTES));
    if page.len() > BUDGET_BYTES {
        return Err(format!("{FILE} is {:.1} KB over its budget", kb(page.len() - BUDGET_BYTES)));
    }
    Ok(())
}

/// Gzip (zopfli's: the same format, smaller), then base64.
fn packed(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(crate::precompress::gzip(bytes))
}

/// The element of `html` that starts with `start` (up to its `>`), if there is one.
fn element<'a>(html: &'a str, start: &str) -> Option<&'a str> {
    let at = html.find(start)?;
    let end = html[at..].find('>')? + at + 1;
    Some(&html[at..end])
}

/// The one-file page: the built page's meta tags (the code digest among them) and title, the
/// stylesheet, the catalog as inline JSON, and the loader with the packed glue and wasm.
pub fn single_page(html: &str, js: &[u8], wasm: &[u8], css: &str, catalog: &str) -> Result<String, String> {
    let title = html
        .find("<title>")
        .and_then(|at| Some(&html[at..at + html[at..].find("</title>")? + "</title>".len()]))
        .ok_or("index.html has no <title>")?;
    let metas: Vec<&str> = [
        "<meta name=\"reachcheck-wasm-sha256\"",
        "<meta name=\"viewport\"",
        "<meta name=\"referrer\"",
        "<meta name=\"color-scheme\"",
    ]
    .iter()
    .filter_map(|start| element(html, start))
    .collect();
    if !metas.first().is_some_and(|m| m.starts_with("<meta name=\"reachcheck-wasm-sha256\"")) {
        return Err("index.html has no code digest (run xtask digests first)".into());
    }
    // Inside <script> only "</" could end the element early; JSON allows "<\/" for it.
    let catalog = catalog.replace("</", "<\\/");
    let loader = LOADER.replace("@JS@", &packed(js)).replace("@WASM@", &packed(wasm));
    Ok(format!(
        "<!doctype html>\n<html lang=\"en\" data-single-file=\"\">\n<head>\n<meta charset=\"utf-8\">\n{}\n{title}\n\
         <style>{css}</style>\n<script type=\"application/json\" id=\"reachcheck-catalog\">{catalog}</script>\n\
         <script type=\"module\">\n{loader}\n</script>\n</head>\n<body>\n<div id=\"reachcheck-app\">\
         <noscript>reachcheck runs in your browser and needs JavaScript and WebAssembly.</noscript></div>\n</body>\n</html>\n",
        metas.join("\n")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HTML: &str = r#"<html><head><meta name="reachcheck-wasm-sha256" content="ab12">
<meta name="viewport" content="width=device-width"><title>reachcheck</title>
<link rel="stylesheet" href="/style.css"><script type="module">import init from '/reachcheck.js';</script></head></html>"#;

    #[test]
    fn everything_is_inlined_and_nothing_is_fetched() {
        let page =
            single_page(HTML, b"export{a as default}", &[0, 97, 115, 109], "body{}", r#"{"a":"</script>"}"#)
                .unwrap();
        assert!(page.contains(r#"<meta name="reachcheck-wasm-sha256" content="ab12">"#));
        assert!(page.contains("<title>reachcheck</title>") && page.contains("<style>body{}</style>"));
        assert!(page.contains(r#"{"a":"<\/script>"}"#), "the catalog cannot close its element");
        assert!(!page.contains("/style.css") && !page.contains("/reachcheck.js"), "no file is fetched");
        // The packed glue unpacks to the glue.
        let packed_js = page.split("unpack(\"").nth(1).unwrap().split('"').next().unwrap();
        let gz = base64::engine::general_purpose::STANDARD.decode(packed_js).unwrap();
        let mut js = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&gz[..]), &mut js).unwrap();
        assert_eq!(js, "export{a as default}");
    }

    #[test]
    fn a_page_without_its_digest_is_refused() {
        let html = HTML.replace("reachcheck-wasm-sha256", "other");
        assert!(single_page(&html, b"", b"", "", "{}").unwrap_err().contains("digest"));
    }
}

//! `reachcheck-catalog baseline`: runs a catalog in headless Chromium exactly as a visitor would —
//! the built app, from an **https** page (so mixed-content and CORP rules are a visitor's), with
//! informed consent clicked through — and turns the exported report into `baseline.json`
//! (docs/catalog.md, "Keeping a catalog honest").

use std::path::PathBuf;
use std::time::Duration;

use fantoccini::Locator;
use reachcheck_core::anonymize::utc_hour;
use reachcheck_core::baseline::Baseline;
use reachcheck_core::catalog::{Catalog, PageContext};
use reachcheck_core::report::Report;

use crate::chromium::{BrowserOptions, Session};
use crate::serve::{self_signed_tls, serve, ExtraFile, Site};

/// Where the catalog under test is served beside the app.
const CATALOG_PATH: &str = "/catalog-under-test.json";

pub struct BaselineRun {
    pub catalog_json: String,
    /// The built app (`./x build` writes `dist/`).
    pub dist: PathBuf,
    pub chromedriver: PathBuf,
    /// Where the run happens, in the maintainer's words (recorded in the file).
    pub network: String,
    /// Extra Chromium switches' worth of make-up; the baseline itself needs none.
    pub browser: BrowserOptions,
}

/// Runs the catalog once and returns its baseline, or why there is none.
pub async fn record(run: BaselineRun) -> Result<Baseline, String> {
    let catalog = Catalog::load(&run.catalog_json, PageContext::SECURE)
        .map_err(|err| format!("the catalog is not valid from an https page: {err}"))?;
    if !run.dist.join("index.html").is_file() {
        return Err(format!("{} holds no built app (run ./x build)", run.dist.display()));
    }
    let site = Site {
        dir: Some(run.dist.clone()),
        extra: vec![ExtraFile {
            path: CATALOG_PATH.into(),
            content_type: "application/json",
            body: run.catalog_json.clone().into_bytes(),
        }],
        ..Site::default()
    };
    let addr =
        serve(site, Some(self_signed_tls()?)).await.map_err(|err| format!("cannot serve the app: {err}"))?;
    let browser = BrowserOptions { ignore_certificate_errors: true, ..run.browser };
    let session = Session::start(&run.chromedriver, &browser).await?;
    let outcome = run_once(
        &session,
        &format!("https://127.0.0.1:{}/?lang=en&catalog={CATALOG_PATH}", addr.port()),
        &catalog,
    )
    .await;
    session.close().await;
    let report = outcome?;
    let day = utc_hour(now_ms());
    Baseline::from_report(&report, &day[..10], &run.network)
}

/// Consents, runs and reads the exported report.
async fn run_once(session: &Session, url: &str, catalog: &Catalog) -> Result<Report, String> {
    let client = &session.client;
    let step = |what: &'static str| move |err: fantoccini::error::CmdError| format!("{what}: {err}");
    client.goto(url).await.map_err(step("opening the app"))?;
    let wait = |css: &'static str, seconds: u64| async move {
        client
            .wait()
            .at_most(Duration::from_secs(seconds))
            .for_element(Locator::Css(css))
            .await
            .map_err(|err| format!("waiting for {css}: {err}"))
    };
    if let Ok(error) = client.find(Locator::Css("[data-catalog-error]")).await {
        return Err(format!("the app refused the catalog: {}", error.text().await.unwrap_or_default()));
    }
    wait("[data-action=start]:not([disabled])", 30).await?.click().await.map_err(step("start"))?;
    wait("input[name=operator]", 10).await?.click().await.map_err(step("consent"))?;
    wait("input[name=publish]", 10).await?.click().await.map_err(step("consent"))?;
    wait("[data-action=consent]:not([disabled])", 10).await?.click().await.map_err(step("consent"))?;
    // Every endpoint runs within its own timeout; the scheduler runs them in waves.
    let longest = catalog.probe_order().iter().map(|e| u64::from(e.timeout_ms)).max().unwrap_or(0);
    let waves = catalog.probe_order().len() as u64 / reachcheck_core::schedule::MAX_IN_FLIGHT as u64 + 1;
    wait(
        "[data-run-state=done]",
        30 + waves * longest * u64::from(reachcheck_core::catalog::MAX_SAMPLES) / 1000,
    )
    .await?;
    let export = wait("[data-action=export]", 10).await?;
    let href = export.attr("href").await.map_err(step("export"))?.ok_or("the export link has no href")?;
    let encoded = href
        .strip_prefix("data:application/json;charset=utf-8,")
        .ok_or("the export is not a JSON data: URL")?;
    Report::parse(&percent_decode(encoded)?)
}

fn now_ms() -> f64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0.0, |d| d.as_millis() as f64)
}

/// Decodes `%XX` escapes (the export is a percent-encoded `data:` URL).
pub fn percent_decode(text: &str) -> Result<String, String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3).ok_or("a truncated %-escape")?;
            out.push(u8::from_str_radix(hex, 16).map_err(|_| format!("a bad %-escape %{hex}"))?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| "the export is not UTF-8".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("%7B%22a%22%3A1%7D").unwrap(), "{\"a\":1}");
        assert_eq!(percent_decode("plain").unwrap(), "plain");
        assert!(percent_decode("%7").is_err());
        assert!(percent_decode("%zz").is_err());
        assert!(percent_decode("%ff").is_err());
    }
}

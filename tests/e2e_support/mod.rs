//! The end-to-end harness: the built app (`dist/`) served on a free port, reachcheck-lab in
//! process, and headless Chromium driven through Debian's chromedriver (WebDriver).
//!
//! The tests need `dist/` (`./x build`) and chromedriver, so they are `#[ignore]`d in a plain
//! `cargo test` (listed as ignored, with that reason). `./x test` runs them with
//! `--include-ignored` right after building `dist/`; run by hand, a missing `dist/` or
//! chromedriver fails them with a clear message, never a silent pass. When
//! `REACHCHECK_DIST_STAMP` is set (by `./x test`), `dist/` must carry that stamp: the tests then
//! cannot run against a `dist/` left from another commit or run.

#![allow(dead_code, unused_imports)] // each end-to-end test binary uses its own subset

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use fantoccini::{Client, Locator};
pub use reachcheck_catalog::chromium::TempDir;
use reachcheck_catalog::chromium::{chromedriver_path, BrowserOptions, Session, SessionGuard};
use reachcheck_catalog::serve::{serve, ExtraFile, Site};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

pub struct Harness {
    pub lab: reachcheck_lab::Lab,
    pub app: SocketAddr,
    pub client: Client,
    _session: SessionGuard,
}

/// Browser window sizes and looks the tests (and screenshots) use.
#[derive(Clone, Copy)]
pub enum Look {
    Desktop,
    /// 360 px wide, like a small phone.
    Mobile,
    /// prefers-color-scheme: dark.
    Dark,
}

/// How the browser is started.
#[derive(Clone)]
pub struct Browser {
    pub look: Look,
    /// An unpacked extension to load (tests/fixtures/blocker).
    pub extension: Option<PathBuf>,
}

impl From<Look> for Browser {
    fn from(look: Look) -> Browser {
        Browser { look, extension: None }
    }
}

impl Browser {
    fn options(&self) -> BrowserOptions {
        let desktop = Some((1200, 1000));
        let (window, mobile_width, dark) = match self.look {
            Look::Desktop => (desktop, None, false),
            Look::Mobile => (None, Some(360), false),
            Look::Dark => (desktop, None, true),
        };
        BrowserOptions { window, mobile_width, dark, extension: self.extension.clone(), ..Default::default() }
    }
}

pub fn dist() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("dist")
}

/// Fails with the reason when the end-to-end tests cannot run here.
pub fn check_prerequisites() {
    assert!(
        dist().join("index.html").is_file(),
        "end-to-end tests cannot run: dist/ is not built (run ./x build)"
    );
    assert!(
        chromedriver_path().is_some(),
        "end-to-end tests cannot run: chromedriver is not on PATH (./x setup installs it)"
    );
    if let Ok(expected) = std::env::var("REACHCHECK_DIST_STAMP") {
        let stamp = std::fs::read_to_string(dist().join(DIST_STAMP)).unwrap_or_default();
        assert_eq!(
            stamp.trim(),
            expected.trim(),
            "dist/ was not built by this run of ./x test (a stale build?)"
        );
    }
}

/// Written by `./x build` into dist/: the commit and time of the build.
const DIST_STAMP: &str = "build-stamp.txt";

/// Starts everything, or fails saying why the end-to-end tests cannot run here.
pub async fn start(look: Look) -> Harness {
    start_with(look.into()).await
}

/// [`start`] with a browser of a given make-up.
pub async fn start_with(browser: Browser) -> Harness {
    check_prerequisites();
    let (lab, _) = reachcheck_lab::start("127.0.0.1:0").await.expect("the lab starts");
    let app = serve(Site { dir: Some(dist()), ..Site::default() }, None).await.expect("dist/ is served");
    let session =
        Session::start(&chromedriver_path().unwrap(), &browser.options()).await.expect("a browser session");
    Harness { lab, app, client: session.client, _session: session.guard }
}

/// Serves files (path → content type, body) from their own origin with CORS, 404 for any other
/// path: a catalog and its baseline on a host of their own.
pub async fn serve_files(files: Vec<(&'static str, &'static str, String)>) -> SocketAddr {
    let extra = extra_files(files);
    serve(Site { dir: None, extra, ..Site::default() }, None).await.expect("the files are served")
}

/// Serves `dist/` with extra files beside it (path → content type, body): published aggregates
/// next to the dashboard, as a static host would.
pub async fn serve_dist_with(files: Vec<(&'static str, &'static str, String)>) -> SocketAddr {
    let extra = extra_files(files);
    serve(Site { dir: Some(dist()), extra, ..Site::default() }, None).await.expect("dist/ is served")
}

fn extra_files(files: Vec<(&'static str, &'static str, String)>) -> Vec<ExtraFile> {
    let file = |(path, content_type, body): (&str, _, String)| ExtraFile {
        path: path.into(),
        content_type,
        body: body.into_bytes(),
    };
    files.into_iter().map(file).collect()
}

/// Serves one HTML page at every path, from its own origin (a site embedding the widget).
pub async fn serve_page(html: String) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let html = html.clone();
            tokio::spawn(async move {
                let mut buffer = vec![0u8; 8192];
                let _ = stream.read(&mut buffer).await;
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    html.len()
                );
                let _ = stream.write_all(head.as_bytes()).await;
                let _ = stream.write_all(html.as_bytes()).await;
            });
        }
    });
    addr
}

impl Harness {
    pub fn lab_url(&self, path: &str) -> String {
        format!("http://{}{path}", self.lab.addr)
    }

    /// The app's URL with a query (values are URL-encoded here).
    pub fn app_url(&self, query: &[(&str, &str)]) -> String {
        let query: Vec<String> = query.iter().map(|(k, v)| format!("{k}={}", encode(v))).collect();
        format!("http://{}/?{}", self.app, query.join("&"))
    }

    pub async fn wait_for(&self, css: &str, seconds: u64) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(Duration::from_secs(seconds))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|err| panic!("nothing matched {css} within {seconds} s: {err}"))
    }

    pub async fn click(&self, css: &str) {
        self.wait_for(css, 10).await.click().await.unwrap_or_else(|err| panic!("cannot click {css}: {err}"));
    }

    pub async fn attr(&self, css: &str, name: &str) -> Option<String> {
        self.wait_for(css, 10).await.attr(name).await.unwrap()
    }

    /// Runs JavaScript in the page and returns its value.
    pub async fn script(&self, code: &str) -> serde_json::Value {
        self.client.execute(code, vec![]).await.unwrap_or_else(|err| panic!("script failed: {err}"))
    }

    /// Probe hits on the lab's condition paths (the catalog file itself is not one).
    pub fn probe_hits(&self) -> u64 {
        self.lab.hits.snapshot().iter().filter(|(path, _)| path.starts_with("/c/")).map(|(_, n)| n).sum()
    }

    /// Presses Start and gives consent; returns once the run is going.
    pub async fn consent_and_start(&self) {
        self.click("[data-action=start]:not([disabled])").await;
        self.wait_for("[data-run-state=consent]", 5).await;
        self.click("input[name=operator]").await;
        self.click("input[name=publish]").await;
        self.click("[data-action=consent]:not([disabled])").await;
        self.wait_for("[data-run-state=running], [data-run-state=done]", 5).await;
    }

    /// Consents and runs, then waits until the run is done.
    pub async fn consent_and_run(&self) {
        self.consent_and_start().await;
        self.wait_for("[data-run-state=done]", 60).await;
    }

    pub async fn close(self) {
        let _ = self.client.close().await;
    }
}

/// Percent-encodes a query value.
pub fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

//! The end-to-end harness: the built app (`dist/`) served on a free port, reachcheck-lab in
//! process, and headless Chromium driven through Debian's chromedriver (WebDriver).
//!
//! The tests need `dist/` (`./x build`) and chromedriver. When either is missing they are
//! skipped with a message — unless `REACHCHECK_E2E=required` (set by `./x test`), where that is a
//! failure.

#![allow(dead_code)] // each end-to-end test binary uses its own subset

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::process::{Child, Command};

pub struct Harness {
    pub lab: reachcheck_lab::Lab,
    pub app: SocketAddr,
    pub client: Client,
    _chromedriver: Child,
    _profile: TempDir,
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

pub fn dist() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("dist")
}

fn chromedriver() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("CHROMEDRIVER") {
        return Some(path.into());
    }
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(|dir| PathBuf::from(dir).join("chromedriver"))
        .find(|p| p.is_file())
}

/// Starts everything, or explains why the end-to-end tests cannot run here.
pub async fn start(look: Look) -> Option<Harness> {
    let required = std::env::var("REACHCHECK_E2E").is_ok_and(|v| v == "required");
    let missing = if !dist().join("index.html").is_file() {
        Some("dist/ is not built (run ./x build)")
    } else if chromedriver().is_none() {
        Some("chromedriver is not on PATH (./x setup installs it)")
    } else {
        None
    };
    if let Some(why) = missing {
        assert!(!required, "end-to-end tests cannot run: {why}");
        eprintln!("skipped: {why}");
        return None;
    }
    let (lab, _) = reachcheck_lab::start("127.0.0.1:0").await.expect("the lab starts");
    let app = serve_dist().await;
    let port = free_port().await;
    let chromedriver = Command::new(chromedriver().unwrap())
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("chromedriver starts");
    let profile = TempDir::new();
    let client = connect(port, look, &profile).await;
    Some(Harness { lab, app, client, _chromedriver: chromedriver, _profile: profile })
}

async fn connect(port: u16, look: Look, profile: &TempDir) -> Client {
    let mut args = vec![
        "--headless=new".to_owned(),
        "--no-sandbox".into(),
        "--disable-gpu".into(),
        "--disable-dev-shm-usage".into(),
        "--disable-background-networking".into(),
        "--disable-component-update".into(),
        "--disable-sync".into(),
        "--no-first-run".into(),
        "--lang=en-US".into(),
        format!("--user-data-dir={}", profile.0.display()),
    ];
    let mut options = serde_json::json!({});
    match look {
        Look::Desktop => args.push("--window-size=1200,1000".into()),
        Look::Dark => {
            args.push("--window-size=1200,1000".into());
            args.push("--force-dark-mode".into());
            args.push("--blink-settings=preferredColorScheme=0".into());
        }
        Look::Mobile => {
            options["mobileEmulation"] =
                serde_json::json!({ "deviceMetrics": { "width": 360, "height": 780, "pixelRatio": 2.0 } });
        }
    }
    options["args"] = serde_json::json!(args);
    if std::path::Path::new("/usr/bin/chromium").is_file() {
        options["binary"] = "/usr/bin/chromium".into();
    }
    let mut capabilities = serde_json::Map::new();
    capabilities.insert("goog:chromeOptions".into(), options);
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    let url = format!("http://127.0.0.1:{port}");
    for attempt in 0.. {
        match ClientBuilder::new(connector.clone()).capabilities(capabilities.clone()).connect(&url).await {
            Ok(client) => return client,
            Err(err) if attempt < 50 => {
                let _ = err;
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(err) => panic!("cannot open a WebDriver session: {err}"),
        }
    }
    unreachable!()
}

async fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").await.unwrap().local_addr().unwrap().port()
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

/// Serves `dist/` as a static host would (correct MIME types; `/` is index.html).
async fn serve_dist() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buffer = vec![0u8; 8192];
                let Ok(n) = stream.read(&mut buffer).await else { return };
                let request = String::from_utf8_lossy(&buffer[..n]);
                let path = request
                    .split(' ')
                    .nth(1)
                    .unwrap_or("/")
                    .split(['?', '#'])
                    .next()
                    .unwrap_or("/")
                    .to_owned();
                let file = if path == "/" {
                    "index.html".to_owned()
                } else {
                    path.trim_start_matches('/').to_owned()
                };
                let (status, body, kind) = match (file.contains(".."), std::fs::read(dist().join(&file))) {
                    (false, Ok(body)) => ("200 OK", body, mime(&file)),
                    _ => ("404 Not Found", b"not found".to_vec(), "text/plain"),
                };
                // CORS, as a CDN serving the widget must send: module scripts and the wasm are
                // fetched cross-origin by the pages that embed it.
                let head = format!(
                    "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\n\
                     Access-Control-Allow-Origin: *\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(head.as_bytes()).await;
                let _ = stream.write_all(&body).await;
            });
        }
    });
    addr
}

fn mime(file: &str) -> &'static str {
    match file.rsplit('.').next() {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css",
        Some("json") => "application/json",
        _ => "application/octet-stream",
    }
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

    /// Consents and runs, then waits until the run is done.
    pub async fn consent_and_run(&self) {
        self.click("[data-action=start]:not([disabled])").await;
        self.wait_for("[data-run-state=consent]", 5).await;
        self.click("input[name=operator]").await;
        self.click("input[name=publish]").await;
        self.click("[data-action=consent]:not([disabled])").await;
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

/// A fresh browser profile directory, removed afterwards.
pub struct TempDir(pub PathBuf);

/// A fresh directory under the system's temp dir, removed when dropped (even on a failure).
impl TempDir {
    pub fn new() -> TempDir {
        let unique = format!("reachcheck-e2e-{}-{}", std::process::id(), rand_suffix());
        let path = std::env::temp_dir().join(unique);
        std::fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos())
}

//! Headless Chromium driven through Debian's chromedriver (WebDriver): the baseline runs a catalog
//! in it, and the end-to-end tests use the same session code.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use fantoccini::{Client, ClientBuilder};
use tokio::net::TcpListener;
use tokio::process::{Child, Command};

/// The chromedriver to use: `$CHROMEDRIVER`, else the first on `PATH`.
pub fn chromedriver_path() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("CHROMEDRIVER") {
        return Some(path.into());
    }
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(|dir| PathBuf::from(dir).join("chromedriver"))
        .find(|p| p.is_file())
}

/// What the browser looks like to the page.
#[derive(Clone, Debug, Default)]
pub struct BrowserOptions {
    /// `--window-size=W,H` (desktop) unless `mobile` is set.
    pub window: Option<(u32, u32)>,
    /// Emulates a phone of this CSS width (height 780, pixel ratio 2).
    pub mobile_width: Option<u32>,
    /// `prefers-color-scheme: dark`.
    pub dark: bool,
    /// An unpacked extension to load.
    pub extension: Option<PathBuf>,
    /// Accept the throwaway certificate of a local https page (the baseline's).
    pub ignore_certificate_errors: bool,
    /// `--lang=…`; `en-US` by default.
    pub lang: Option<String>,
}

/// A WebDriver session; chromedriver and the profile directory go away with it.
pub struct Session {
    pub client: Client,
    pub guard: SessionGuard,
}

/// Keeps chromedriver running and the browser profile on disk while it lives.
pub struct SessionGuard {
    _chromedriver: Child,
    _profile: TempDir,
}

impl Drop for SessionGuard {
    /// Ends chromedriver and every browser process it started: killing chromedriver alone
    /// leaves its browser running, and a test that fails before it closes its session left one
    /// behind, using CPU for the rest of the run (seen: one at 68 % of a core).
    fn drop(&mut self) {
        if let Some(pid) = self._chromedriver.id() {
            let group = format!("-{pid}");
            let _ = std::process::Command::new("kill").args(["-KILL", "--", &group]).status();
        }
    }
}

/// Starts with an extension that hung on their first navigation are given up after this long
/// and made again (measured with Chromium 156.0.8078.114: one start in a full test run hung even
/// on about:blank, for the session's whole 300 s).
const FIRST_NAVIGATION_WAIT: std::time::Duration = std::time::Duration::from_secs(20);
const STARTS: usize = 3;

impl Session {
    pub async fn start(chromedriver: &Path, options: &BrowserOptions) -> Result<Session, String> {
        let mut problem = String::new();
        for _ in 0..STARTS {
            match Session::start_once(chromedriver, options).await {
                Ok(session) => return Ok(session),
                // Dropping the failed session's guard ends its chromedriver and browser.
                Err(err) => problem = err,
            }
        }
        Err(format!("{STARTS} starts failed, the last: {problem}"))
    }

    async fn start_once(chromedriver: &Path, options: &BrowserOptions) -> Result<Session, String> {
        let port = free_port().await;
        let driver = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            // A process group of its own, which the browser it starts joins: the guard ends
            // them together.
            .process_group(0)
            .spawn()
            .map_err(|err| format!("cannot start {}: {err}", chromedriver.display()))?;
        let profile = TempDir::new("reachcheck-chromium");
        let client = connect(port, options, &profile).await?;
        if options.extension.is_some() {
            // With an extension, Chromium's first navigation sometimes hangs for good; a first
            // navigation to about:blank avoids it (measured: 21 of 255 starts hung without).
            match tokio::time::timeout(FIRST_NAVIGATION_WAIT, client.goto("about:blank")).await {
                Ok(Ok(())) => {}
                Ok(Err(err)) => return Err(format!("about:blank: {err}")),
                Err(_) => return Err(format!("about:blank: no answer in {FIRST_NAVIGATION_WAIT:?}")),
            }
        }
        Ok(Session { client, guard: SessionGuard { _chromedriver: driver, _profile: profile } })
    }

    pub async fn close(self) {
        let _ = self.client.close().await;
    }
}

fn capabilities(options: &BrowserOptions, profile: &TempDir) -> serde_json::Map<String, serde_json::Value> {
    let mut args = vec![
        "--headless=new".to_owned(),
        "--no-sandbox".into(),
        "--disable-gpu".into(),
        "--disable-dev-shm-usage".into(),
        "--disable-background-networking".into(),
        "--disable-component-update".into(),
        "--disable-sync".into(),
        "--no-first-run".into(),
        format!("--lang={}", options.lang.as_deref().unwrap_or("en-US")),
        format!("--user-data-dir={}", profile.0.display()),
    ];
    let mut chrome = serde_json::json!({});
    if let Some(extension) = &options.extension {
        args.push(format!("--load-extension={}", extension.display()));
        args.push(format!("--disable-extensions-except={}", extension.display()));
        // chromedriver itself starts Chromium with extensions disabled.
        chrome["excludeSwitches"] = serde_json::json!(["disable-extensions"]);
    }
    if options.ignore_certificate_errors {
        args.push("--ignore-certificate-errors".into());
    }
    if options.dark {
        args.push("--force-dark-mode".into());
        args.push("--blink-settings=preferredColorScheme=0".into());
    }
    match (options.mobile_width, options.window) {
        (Some(width), _) => {
            chrome["mobileEmulation"] =
                serde_json::json!({ "deviceMetrics": { "width": width, "height": 780, "pixelRatio": 2.0 } })
        }
        (None, Some((width, height))) => args.push(format!("--window-size={width},{height}")),
        (None, None) => {}
    }
    chrome["args"] = serde_json::json!(args);
    if Path::new("/usr/bin/chromium").is_file() {
        chrome["binary"] = "/usr/bin/chromium".into();
    }
    let mut capabilities = serde_json::Map::new();
    capabilities.insert("goog:chromeOptions".into(), chrome);
    capabilities
}

async fn connect(port: u16, options: &BrowserOptions, profile: &TempDir) -> Result<Client, String> {
    let capabilities = capabilities(options, profile);
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    let url = format!("http://127.0.0.1:{port}");
    let mut last_error = String::new();
    // chromedriver takes a moment to listen.
    for _ in 0..50 {
        match ClientBuilder::new(connector.clone()).capabilities(capabilities.clone()).connect(&url).await {
            Ok(client) => return Ok(client),
            Err(err) => last_error = err.to_string(),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Err(format!("cannot open a WebDriver session: {last_error}"))
}

pub async fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a free loopback port");
    listener.local_addr().map_or(0, |a| a.port())
}

/// A fresh directory under the system's temp dir, removed when dropped (even on a failure).
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(prefix: &str) -> TempDir {
        let nanos =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        let path = std::env::temp_dir().join(format!("{prefix}-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&path).expect("a temp dir");
        TempDir(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

//! The collector as a process: what it accepts and refuses, that it forgets addresses, that a
//! `kill -9` loses no acknowledged report, and that it publishes aggregates.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use reachcheck_collector::throwaway::Cluster;
use reachcheck_core::catalog::{Catalog, PageContext, ProbeKind};
use reachcheck_core::measurement::{Measurement, Outcome, Sample};
use reachcheck_core::report::{Report, ReportContext};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpSocket;

const CATALOG: &str = r#"{ "catalog_format": 1, "id": "t", "version": "1",
  "controls": [ { "scope": "global", "id": "c", "kind": "fetch", "url": "https://c.example/", "timeout_ms": 1000, "source": "t" } ],
  "services": [ { "id": "chat", "name": "Chat", "category": "x", "homepage": "https://s.example/", "endpoints": [
    { "id": "e", "kind": "fetch", "url": "https://e.example/", "timeout_ms": 1000, "source": "t" } ] } ] }"#;

fn report(n: u32) -> Report {
    let catalog = Catalog::load(CATALOG, PageContext::SECURE).unwrap();
    let measured = |id: &str, outcome| Measurement {
        endpoint_id: id.into(),
        kind: ProbeKind::Fetch,
        timeout_ms: 1000,
        obstacle: None,
        samples: vec![Sample::new(outcome, 20.0)],
        transfer: None,
        ice: None,
    };
    let measurements: HashMap<String, Measurement> =
        [("c".into(), measured("c", Outcome::Ok)), ("e".into(), measured("e", Outcome::Timeout))].into();
    let context = ReportContext {
        report_id: format!("{n:032x}"),
        software_version: "0.1.0",
        measurement_start_time: "2026-11-26 12:00:00".into(),
        browser: "Chrome 156".into(),
        cancelled: false,
        circumstances: Default::default(),
    };
    Report::of_run(&catalog, &measurements, context)
}

struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let stamp = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
        let path =
            std::env::temp_dir().join(format!("reachcheck-collector-{name}-{}-{stamp}", std::process::id()));
        std::fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Where a test's collector keeps its reports: a SQLite file in the test's directory, or a
/// database of its own on a throwaway PostgreSQL cluster (src/throwaway.rs).
struct Setup {
    dir: TempDir,
    db: String,
    cluster: Option<Cluster>,
}

impl Setup {
    fn sqlite(name: &str) -> Setup {
        let dir = TempDir::new(name);
        let db = dir.0.join("reports.sqlite").display().to_string();
        Setup { dir, db, cluster: None }
    }

    /// None when PostgreSQL is not installed here: the test says it is skipped, unless
    /// `REACHCHECK_REQUIRE_POSTGRES` is set (./x test sets it once `./x setup` installed it).
    fn postgres(name: &str) -> Option<Setup> {
        let cluster = match Cluster::start(name) {
            Ok(cluster) => cluster,
            Err(why) if std::env::var_os("REACHCHECK_REQUIRE_POSTGRES").is_none() => {
                eprintln!("skipped {name} on PostgreSQL: {why}");
                return None;
            }
            Err(why) => panic!("PostgreSQL is required here: {why}"),
        };
        let db = cluster.create_database("reports").unwrap();
        Some(Setup { dir: TempDir::new(name), db, cluster: Some(cluster) })
    }

    /// Every file the collector's data can end up in: the SQLite file and its journal, or all
    /// of the cluster's files (tables, write-ahead log, server log).
    fn data_files(&self) -> Vec<PathBuf> {
        match &self.cluster {
            None => vec![self.dir.0.join("reports.sqlite"), self.dir.0.join("reports.sqlite-wal")],
            Some(cluster) => files_under(cluster.dir()),
        }
    }
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(files_under(&path));
        } else {
            files.push(path);
        }
    }
    files
}

/// Runs each behaviour test against both backends: `sqlite::name` and `postgres::name`.
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $( #[tokio::test] async fn $name() { super::$name(super::Setup::sqlite(stringify!($name))).await } )*
        }
        mod postgres {
            $( #[tokio::test] async fn $name() {
                if let Some(setup) = super::Setup::postgres(stringify!($name)) { super::$name(setup).await }
            } )*
        }
    };
}

on_both_backends!(
    stores_a_valid_report_once_and_acknowledges_duplicates,
    refuses_bad_input_with_clear_4xx_and_stores_nothing,
    hostile_strings_are_stored_and_returned_as_data,
    derives_country_and_network_then_forgets_the_address,
    limits_reports_per_address,
    kill_9_during_a_burst_loses_no_acknowledged_report,
    publishes_aggregates_as_static_files_on_an_interval,
    cells_under_the_minimum_size_are_not_published_and_the_csv_follows_its_schema,
    a_page_learns_what_others_on_its_network_saw_today_and_the_address_is_kept_nowhere,
    instances_opening_a_new_database_at_once_migrate_it_once_to_the_latest_schema,
);

struct Collector {
    child: Child,
    addr: SocketAddr,
    log: PathBuf,
}

impl Collector {
    fn start(setup: &Setup, extra: &[&str]) -> Collector {
        let dir = &setup.dir.0;
        // Several collectors may share a setup (and a database): each has its own files.
        static STARTED: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = STARTED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let addr_file = dir.join(format!("addr-{n}"));
        let log = dir.join(format!("collector-{n}.log"));
        let log_file = std::fs::OpenOptions::new().create(true).append(true).open(&log).unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_reachcheck-collector"))
            .args(["--addr", "127.0.0.1:0", "--db", &setup.db])
            .arg("--addr-file")
            .arg(&addr_file)
            .args(extra)
            .stdout(Stdio::null())
            .stderr(log_file)
            .spawn()
            .expect("the collector starts");
        let deadline = Instant::now() + Duration::from_secs(20);
        while !addr_file.exists() || std::fs::read_to_string(&addr_file).unwrap().is_empty() {
            assert!(
                Instant::now() < deadline,
                "the collector did not start: {}",
                std::fs::read_to_string(&log).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        let addr = std::fs::read_to_string(&addr_file).unwrap().parse().unwrap();
        Collector { child, addr, log }
    }

    fn terminate(mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "no graceful exit within 10 s");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn kill_9(mut self) {
        self.child.kill().unwrap(); // SIGKILL
        self.child.wait().unwrap();
    }
}

impl Drop for Collector {
    /// A test that fails midway must not leave its collector running.
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Response {
    status: u16,
    body: String,
}

/// One HTTP/1.1 request from `source` (a loopback address of our choosing).
async fn request(
    addr: SocketAddr,
    source: &str,
    method: &str,
    path: &str,
    content_type: &str,
    body: &[u8],
) -> Response {
    let socket = TcpSocket::new_v4().unwrap();
    socket.bind(format!("{source}:0").parse().unwrap()).unwrap();
    let Ok(mut stream) = socket.connect(addr).await else {
        return Response { status: 0, body: "connection refused".into() };
    };
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let _ = stream.write_all(body).await;
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw).await;
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let status = raw.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let body = raw.split_once("\r\n\r\n").map(|(_, b)| b.to_owned()).unwrap_or_default();
    Response { status, body }
}

async fn post(addr: SocketAddr, body: &str) -> Response {
    request(addr, "127.0.0.1", "POST", "/v1/reports", "text/plain;charset=UTF-8", body.as_bytes()).await
}

async fn get(addr: SocketAddr, path: &str) -> Response {
    request(addr, "127.0.0.1", "GET", path, "text/plain", b"").await
}

fn count_in(path: &Path, needle: &str) -> usize {
    std::fs::read(path)
        .map_or(0, |bytes| bytes.windows(needle.len()).filter(|w| *w == needle.as_bytes()).count())
}

async fn stores_a_valid_report_once_and_acknowledges_duplicates(setup: Setup) {
    let collector = Collector::start(&setup, &[]);
    let first = post(collector.addr, &report(1).to_json()).await;
    assert_eq!(first.status, 201, "{}", first.body);
    assert!(first.body.contains("\"stored\""));
    let again = post(collector.addr, &report(1).to_json()).await;
    assert_eq!((again.status, again.body.contains("\"duplicate\"")), (200, true), "{}", again.body);
    let json = request(
        collector.addr,
        "127.0.0.1",
        "POST",
        "/v1/reports",
        "application/json",
        report(2).to_json().as_bytes(),
    )
    .await;
    assert_eq!(json.status, 201);
    let health = get(collector.addr, "/healthz").await;
    assert!(health.body.contains("\"reports\":2"), "{}", health.body);
    let stored = get(collector.addr, &format!("/v1/reports/{}", report(1).report_id)).await;
    let stored = Report::parse(&stored.body).unwrap();
    assert_eq!(
        (stored.probe_cc.as_str(), stored.probe_asn.as_str()),
        ("ZZ", "AS0"),
        "no geoip database: unknown"
    );
    let preflight = request(collector.addr, "127.0.0.1", "OPTIONS", "/v1/reports", "text/plain", b"").await;
    assert_eq!(preflight.status, 204);
    assert_eq!(collector.terminate().code(), Some(0));
}

async fn refuses_bad_input_with_clear_4xx_and_stores_nothing(setup: Setup) {
    let collector = Collector::start(&setup, &[]);
    let valid: serde_json::Value = serde_json::from_str(&report(3).to_json()).unwrap();
    let with = |key: &str, value: serde_json::Value| {
        let mut v = valid.clone();
        v[key] = value;
        v.to_string()
    };
    for (body, status, message) in [
        ("{\"data_format_version\": ".to_owned(), 400, "not JSON"),
        (with("data_format_version", "9".into()), 400, "data_format_version: \\\"9\\\" is not supported"),
        (with("probe_ip", "198.51.100.7".into()), 400, "probe_ip: unknown field"),
        (with("measurement_start_time", "2026-11-26 12:34:56".into()), 400, "rounded to the hour"),
        ("x".repeat(70 * 1024), 413, ""),
    ] {
        let response = post(collector.addr, &body).await;
        assert_eq!(response.status, status, "{body:.60}: {}", response.body);
        assert!(response.body.contains(message), "{}", response.body);
    }
    let mut nul = report(6);
    nul.test_keys.services[0].name = "chat\u{0}".into();
    let response = post(collector.addr, &nul.to_json()).await;
    assert_eq!(response.status, 400, "{}", response.body);
    assert!(response.body.contains("NUL character"), "{}", response.body);
    let form = request(
        collector.addr,
        "127.0.0.1",
        "POST",
        "/v1/reports",
        "application/x-www-form-urlencoded",
        report(4).to_json().as_bytes(),
    )
    .await;
    assert_eq!(form.status, 415);
    assert!(form.body.contains("text/plain or application/json"), "{}", form.body);
    assert!(get(collector.addr, "/healthz").await.body.contains("\"reports\":0"));
    collector.terminate();
}

async fn hostile_strings_are_stored_and_returned_as_data(setup: Setup) {
    let collector = Collector::start(&setup, &["--min-cell", "1"]);
    let mut hostile = report(5);
    let nasty = "<script>alert(1)</script>'); DROP TABLE reports; --\u{1}\u{7}\"";
    hostile.test_keys.services[0].name = nasty.into();
    hostile.test_keys.services[0].service_id = nasty.into();
    assert_eq!(post(collector.addr, &hostile.to_json()).await.status, 201);
    let stored =
        Report::parse(&get(collector.addr, &format!("/v1/reports/{}", hostile.report_id)).await.body)
            .unwrap();
    assert_eq!(stored.test_keys.services[0].name, nasty);
    let aggregates: serde_json::Value =
        serde_json::from_str(&get(collector.addr, "/v1/aggregates").await.body).unwrap();
    assert_eq!(aggregates["rows"][0]["service_id"], nasty);
    assert!(get(collector.addr, "/healthz").await.body.contains("\"reports\":1"), "the table is still there");
    collector.terminate();
}

/// A MaxMind-format database mapping 127.0.0.0/8 to `value`.
fn mmdb(path: &Path, kind: &str, value: serde_json::Value) {
    let mut writer = mmdb_writer::Writer::new(kind);
    let network: mmdb_writer::ipnet::IpNet = "127.0.0.0/8".parse().unwrap();
    writer.insert(network, &value).unwrap();
    std::fs::write(path, writer.to_bytes().unwrap()).unwrap();
}

async fn derives_country_and_network_then_forgets_the_address(setup: Setup) {
    let (country, asn) = (setup.dir.0.join("country.mmdb"), setup.dir.0.join("asn.mmdb"));
    mmdb(&country, "GeoLite2-Country", serde_json::json!({ "country": { "iso_code": "RU" } }));
    mmdb(
        &asn,
        "GeoLite2-ASN",
        serde_json::json!({ "autonomous_system_number": 12389, "autonomous_system_organization": "Rostelecom" }),
    );
    let publish = setup.dir.0.join("public");
    let collector = Collector::start(
        &setup,
        &[
            "--min-cell",
            "1",
            "--geoip",
            country.to_str().unwrap(),
            "--geoip-asn",
            asn.to_str().unwrap(),
            "--publish-dir",
            publish.to_str().unwrap(),
        ],
    );
    let visitor = "127.0.0.77";
    for n in 10..13 {
        let sent = request(
            collector.addr,
            visitor,
            "POST",
            "/v1/reports",
            "text/plain",
            report(n).to_json().as_bytes(),
        )
        .await;
        assert_eq!(sent.status, 201, "{}", sent.body);
    }
    let rejected = request(collector.addr, visitor, "POST", "/v1/reports", "text/plain", b"{").await;
    assert_eq!(rejected.status, 400);
    let stored =
        Report::parse(&get(collector.addr, &format!("/v1/reports/{}", report(10).report_id)).await.body)
            .unwrap();
    assert_eq!((stored.probe_cc.as_str(), stored.probe_asn.as_str()), ("RU", "AS12389"));
    let log = collector.log.clone();
    assert_eq!(collector.terminate().code(), Some(0));

    assert_address_kept_nowhere(&setup, visitor, &[log.clone(), publish.join("v1/aggregates.json")]);
    assert!(count_in(&log, "\"event\":\"stored\"") == 3, "the log records what happened, without addresses");
    let published: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(publish.join("v1/aggregates.json")).unwrap()).unwrap();
    assert_eq!(published["rows"][0]["probe_cc"], "RU", "published at shutdown");
    assert_eq!(published["networks"], serde_json::json!({ "AS12389": "Rostelecom" }), "networks are named");
}

async fn limits_reports_per_address(setup: Setup) {
    let collector = Collector::start(&setup, &["--rate-per-minute", "2"]);
    let statuses: Vec<u16> = {
        let mut statuses = Vec::new();
        for n in 20..23 {
            statuses.push(post(collector.addr, &report(n).to_json()).await.status);
        }
        statuses
    };
    assert_eq!(statuses, [201, 201, 429]);
    let other = request(
        collector.addr,
        "127.0.0.9",
        "POST",
        "/v1/reports",
        "text/plain",
        report(23).to_json().as_bytes(),
    )
    .await;
    assert_eq!(other.status, 201, "another address has its own limit");
    collector.terminate();
}

async fn kill_9_during_a_burst_loses_no_acknowledged_report(setup: Setup) {
    // 32 concurrent clients: the writer commits many reports per batch (src/writer.rs), so the
    // kill lands in the middle of batches.
    const CLIENTS: u32 = 32;
    const EACH: u32 = 20;
    let collector = Collector::start(&setup, &["--rate-per-minute", "1000000"]);
    let addr = collector.addr;
    let senders: Vec<_> = (0..CLIENTS)
        .map(|worker| {
            tokio::spawn(async move {
                let mut acknowledged = Vec::new();
                for i in 0..EACH {
                    let n = 1000 + worker * 100 + i;
                    let response = post(addr, &report(n).to_json()).await;
                    if response.status == 201 {
                        acknowledged.push(n);
                    }
                }
                acknowledged
            })
        })
        .collect();
    // Once the burst is well under way, kill the collector without warning.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let health = get(addr, "/healthz").await.body;
        let stored = serde_json::from_str::<serde_json::Value>(&health)
            .ok()
            .and_then(|h| h["reports"].as_u64())
            .unwrap_or(0);
        if stored >= 60 {
            break;
        }
        assert!(Instant::now() < deadline, "the burst did not start: {health}");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    collector.kill_9();
    let mut acknowledged = Vec::new();
    for sender in senders {
        acknowledged.extend(sender.await.unwrap());
    }
    assert!(!acknowledged.is_empty(), "some reports were acknowledged before the kill");
    assert!(acknowledged.len() < (CLIENTS * EACH) as usize, "the kill happened during the burst");
    let restarted = Collector::start(&setup, &["--rate-per-minute", "1000000"]);
    for n in &acknowledged {
        let found = get(restarted.addr, &format!("/v1/reports/{}", report(*n).report_id)).await;
        assert_eq!(found.status, 200, "acknowledged report {n} was lost");
        // Stored once: sending it again is a duplicate, never a second report.
        assert_eq!(post(restarted.addr, &report(*n).to_json()).await.status, 200, "report {n} stored twice");
    }
    let health: serde_json::Value =
        serde_json::from_str(&get(restarted.addr, "/healthz").await.body).unwrap();
    let stored = health["reports"].as_u64().unwrap() as usize;
    // Reports committed in the batch the kill cut off may be stored unacknowledged, never more
    // than were sent.
    assert!(stored >= acknowledged.len() && stored <= (CLIENTS * EACH) as usize, "{stored} stored");
    restarted.terminate();
}

async fn publishes_aggregates_as_static_files_on_an_interval(setup: Setup) {
    let publish = setup.dir.0.join("public");
    let collector = Collector::start(
        &setup,
        &["--publish-dir", publish.to_str().unwrap(), "--publish-interval", "1", "--min-cell", "1"],
    );
    for n in 30..33 {
        assert_eq!(post(collector.addr, &report(n).to_json()).await.status, 201);
    }
    let file = publish.join("v1/aggregates.json");
    let deadline = Instant::now() + Duration::from_secs(5);
    let published = loop {
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        if text.contains("\"blocked\": 3") {
            break text;
        }
        assert!(Instant::now() < deadline, "not published within 5 s: {text}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    // What the dashboard reads (crates/core/src/aggregates.rs) is what the collector writes.
    let read = reachcheck_core::aggregates::Document::parse(&published).unwrap();
    assert_eq!((read.rows.len(), read.rows[0].reports()), (1, 3));
    let published: serde_json::Value = serde_json::from_str(&published).unwrap();
    let served: serde_json::Value =
        serde_json::from_str(&get(collector.addr, "/v1/aggregates").await.body).unwrap();
    assert_eq!(published["rows"], served["rows"]);
    assert_eq!(
        served["rows"][0],
        serde_json::json!({ "service_id": "chat", "probe_cc": "ZZ", "probe_asn": "AS0", "day": "2026-11-26",
                            "reports": 3, "counts": { "blocked": 3 }, "methods": {} })
    );
    let csv = std::fs::read_to_string(publish.join("v1/aggregates.csv")).unwrap();
    assert_eq!(csv, get(collector.addr, "/v1/aggregates.csv").await.body, "the file is what the API serves");
    collector.terminate();
}

/// A report of `n` whose service got `status` on `day`, blocked by `method` when blocked.
fn report_on(n: u32, day: &str, blocked_by: Option<reachcheck_core::diagnosis::Method>) -> Report {
    let mut report = report(n);
    report.measurement_start_time = format!("{day} 12:00:00");
    let endpoint = report.test_keys.endpoints.iter_mut().find(|e| e.endpoint_id == "e").unwrap();
    endpoint.verdict.method = blocked_by;
    report
}

async fn cells_under_the_minimum_size_are_not_published_and_the_csv_follows_its_schema(setup: Setup) {
    use reachcheck_core::diagnosis::Method;
    let collector = Collector::start(&setup, &["--rate-per-minute", "1000000"]);
    // 9 reports on one day (under the default k = 10), 10 on the next, 7 of them diagnosed dns.
    for n in 0..9 {
        assert_eq!(post(collector.addr, &report_on(100 + n, "2026-11-26", None).to_json()).await.status, 201);
    }
    for n in 0..10 {
        let method = (n < 7).then_some(Method::Dns).or(Some(Method::Unknown));
        assert_eq!(
            post(collector.addr, &report_on(200 + n, "2026-11-27", method).to_json()).await.status,
            201
        );
    }
    let json: serde_json::Value =
        serde_json::from_str(&get(collector.addr, "/v1/aggregates.json").await.body).unwrap();
    assert_eq!(
        (json["format"].as_str(), json["min_cell"].as_u64()),
        (Some("reachcheck-aggregates-2"), Some(10))
    );
    let rows = json["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 1, "the day with 9 reports is not published: {rows:?}");
    assert_eq!(rows[0]["day"], "2026-11-27");
    assert_eq!(rows[0]["reports"], 10);
    assert_eq!(rows[0]["methods"], serde_json::json!({ "dns": 7, "unknown": 3 }));
    let csv = get(collector.addr, "/v1/aggregates.csv").await.body;
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines,
        [
            "service_id,probe_cc,probe_asn,day,reports,reachable,slow,throttled,partial,blocked,relay_only,inconclusive,method_dns,method_name,method_address,method_unknown",
            "chat,ZZ,AS0,2026-11-27,10,0,0,0,0,10,0,0,7,0,0,3",
        ]
    );
    collector.terminate();
}

async fn a_page_learns_what_others_on_its_network_saw_today_and_the_address_is_kept_nowhere(setup: Setup) {
    let (country, asn) = (setup.dir.0.join("country.mmdb"), setup.dir.0.join("asn.mmdb"));
    mmdb(&country, "GeoLite2-Country", serde_json::json!({ "country": { "iso_code": "RU" } }));
    mmdb(&asn, "GeoLite2-ASN", serde_json::json!({ "autonomous_system_number": 12389 }));
    let collector = Collector::start(
        &setup,
        &[
            "--rate-per-minute",
            "1000",
            "--geoip",
            country.to_str().unwrap(),
            "--geoip-asn",
            asn.to_str().unwrap(),
        ],
    );
    let visitor = "127.0.0.88";
    let now_ms =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as f64;
    let today = reachcheck_core::anonymize::utc_hour(now_ms)[..10].to_owned();
    let send = |n: u32| {
        let body = report_on(n, &today, None).to_json();
        async move {
            request(collector.addr, visitor, "POST", "/v1/reports", "text/plain", body.as_bytes())
                .await
                .status
        }
    };
    let ask = || async {
        let answer =
            request(collector.addr, visitor, "GET", "/v1/network?services=chat,other", "text/plain", b"")
                .await;
        assert_eq!(answer.status, 200, "{}", answer.body);
        serde_json::from_str::<serde_json::Value>(&answer.body).unwrap()
    };
    for n in 0..9 {
        assert_eq!(send(300 + n).await, 201);
    }
    let answer = ask().await;
    assert_eq!((answer["probe_cc"].as_str(), answer["probe_asn"].as_str()), (Some("RU"), Some("AS12389")));
    assert_eq!(answer["services"], serde_json::json!([]), "9 reports are under the minimum cell size");
    assert_eq!(send(309).await, 201);
    let answer = ask().await;
    assert_eq!(answer["services"][0]["service_id"], "chat");
    assert_eq!(answer["services"][0]["reports"], 10);
    assert_eq!(answer["services"][0]["counts"], serde_json::json!({ "blocked": 10 }));
    let bad = request(collector.addr, visitor, "GET", "/v1/network?services=a%20b", "text/plain", b"").await;
    assert_eq!(bad.status, 400);
    let health: serde_json::Value =
        serde_json::from_str(&get(collector.addr, "/healthz").await.body).unwrap();
    assert_eq!(health["network_lookups"], 2, "a count of questions, nothing about who asked");
    let log = collector.log.clone();
    collector.terminate();
    assert_address_kept_nowhere(&setup, visitor, &[log]);
}

/// `address` is in none of the database's files nor in `others`.
fn assert_address_kept_nowhere(setup: &Setup, address: &str, others: &[PathBuf]) {
    let files = setup.data_files();
    assert!(files.iter().any(|f| f.exists()), "the database's files are where the test looks");
    for file in files.iter().chain(others) {
        assert_eq!(count_in(file, address), 0, "{} contains the visitor's address", file.display());
    }
}

/// Two stateless instances on one PostgreSQL database: a report that reaches both (an outbox
/// retrying through a load balancer) is stored once, and each serves what the other stored.
#[tokio::test]
async fn two_collectors_on_one_postgres_database_store_a_report_once() {
    let Some(setup) = Setup::postgres("two_collectors_on_one_postgres_database") else { return };
    let (one, two) = (Collector::start(&setup, &[]), Collector::start(&setup, &[]));
    let same = report(40).to_json();
    for round in 0..5 {
        let body = report(41 + round).to_json();
        let (a, b) = tokio::join!(post(one.addr, &body), post(two.addr, &body));
        let mut statuses = [a.status, b.status];
        statuses.sort();
        assert_eq!(statuses, [200, 201], "round {round}: one stored, one duplicate: {} / {}", a.body, b.body);
    }
    assert_eq!(post(one.addr, &same).await.status, 201);
    assert_eq!(post(two.addr, &same).await.status, 200, "the other instance knows it");
    let found = get(two.addr, &format!("/v1/reports/{}", report(40).report_id)).await;
    assert_eq!(found.status, 200);
    for collector in [&one, &two] {
        let health = get(collector.addr, "/healthz").await.body;
        assert!(health.contains("\"reports\":6"), "{health}");
    }
    one.terminate();
    two.terminate();
}

/// The database restarts under a running collector (an upgrade, a failover): the batch it cut
/// off is refused with 503 (so its clients send again), never acknowledged and lost, and the
/// collector reconnects by itself.
#[tokio::test]
async fn a_collector_reconnects_after_postgres_restarts_and_loses_no_acknowledged_report() {
    let Some(setup) = Setup::postgres("postgres_restarts") else { return };
    let collector = Collector::start(&setup, &[]);
    for n in 50..53 {
        assert_eq!(post(collector.addr, &report(n).to_json()).await.status, 201);
    }
    setup.cluster.as_ref().unwrap().restart().unwrap();
    let mut refused = 0;
    for n in 53..56 {
        // Each report is sent until it is acknowledged, as the app's outbox does.
        loop {
            match post(collector.addr, &report(n).to_json()).await.status {
                201 => break,
                503 => refused += 1,
                other => panic!("report {n}: status {other}"),
            }
            assert!(refused <= 3, "the collector did not reconnect");
        }
    }
    for n in 50..56 {
        let found = get(collector.addr, &format!("/v1/reports/{}", report(n).report_id)).await;
        assert_eq!(found.status, 200, "report {n}: {}", found.body);
    }
    assert!(get(collector.addr, "/healthz").await.body.contains("\"reports\":6"));
    assert_eq!(collector.terminate().code(), Some(0));
}

async fn instances_opening_a_new_database_at_once_migrate_it_once_to_the_latest_schema(setup: Setup) {
    use reachcheck_collector::store::{Location, Store, SCHEMA_VERSION};
    let location = Location::parse(&setup.db);
    let open = || Store::open(&location).and_then(|mut store| store.schema_version());
    // On threads of their own (the blocking PostgreSQL client must not run on the test's
    // runtime): four at once, as collectors starting together, each with two connections.
    let open_at_once = |n: usize| -> Vec<Result<usize, String>> {
        std::thread::scope(|scope| {
            let opening: Vec<_> = (0..n).map(|_| scope.spawn(open)).collect();
            opening.into_iter().map(|thread| thread.join().unwrap()).collect()
        })
    };
    assert_eq!(open_at_once(4), vec![Ok(SCHEMA_VERSION); 4]);
    assert_eq!(SCHEMA_VERSION, 3);
    assert_eq!(open_at_once(1), [Ok(SCHEMA_VERSION)], "opened again: nothing to migrate");
    // The migrated database works: a collector on it stores and finds a report.
    let collector = Collector::start(&setup, &[]);
    assert_eq!(post(collector.addr, &report(60).to_json()).await.status, 201);
    collector.terminate();
}

//! `./x bench`: how many reports one collector process stores per second (each acknowledged only
//! after the commit of its group, SQLite `synchronous = FULL`), the latency clients see, the
//! collector's peak memory, and this machine's own fsync rate to judge them by — on SQLite (with
//! a connection per report, then with connections kept open), then on PostgreSQL through one
//! and two instances. Prints figures;
//! asserts nothing (speed goals are read here, not enforced by tests). Goal (issue): ≥ 5 000
//! reports/s from 32 clients on 2 cores, p99 ≤ 20 ms, peak RSS ≤ 64 MB.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use reachcheck_collector::throwaway::Cluster;
use reachcheck_core::catalog::{Catalog, PageContext};
use reachcheck_core::measurement::{Measurement, Outcome, Sample};
use reachcheck_core::report::{Report, ReportContext};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

const REPORTS: u32 = 8000;
const CLIENTS: u32 = 32;

fn builtin() -> Catalog {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../static/catalog.json")).unwrap();
    Catalog::load(&text, PageContext::SECURE).unwrap()
}

/// A report of the built-in catalog with every endpoint measured: the realistic size.
fn report(catalog: &Catalog, measurements: &HashMap<String, Measurement>, n: u32) -> String {
    let context = ReportContext {
        report_id: format!("{n:032x}"),
        software_version: "bench",
        measurement_start_time: "2026-11-26 12:00:00".into(),
        browser: "Chrome 156".into(),
        cancelled: false,
        circumstances: Default::default(),
    };
    Report::of_run(catalog, measurements, context).to_json()
}

/// How the clients connect: a connection per report (visitors' browsers, each sending one), or
/// connections kept open (a reverse proxy in front of the collector, reusing its upstream
/// connections, e.g. nginx `keepalive`).
#[derive(Clone, Copy, PartialEq)]
enum Connections {
    PerReport,
    KeptOpen,
}

/// POSTs one report on `connection` (opened first if there is none) and reads the answer.
async fn post(
    connection: &mut Option<BufReader<TcpStream>>,
    addr: std::net::SocketAddr,
    body: &str,
    connections: Connections,
) -> u16 {
    if connection.is_none() {
        let stream = TcpStream::connect(addr).await.unwrap();
        stream.set_nodelay(true).unwrap();
        *connection = Some(BufReader::new(stream));
    }
    let Some(stream) = connection.as_mut() else { return 0 };
    let close = if connections == Connections::PerReport { "Connection: close\r\n" } else { "" };
    let head = format!(
        "POST /v1/reports HTTP/1.1\r\nHost: {addr}\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n{close}\r\n",
        body.len()
    );
    // One write: a head and a body written apart wait for each other's ACK on a kept-open
    // connection (Nagle's algorithm and delayed ACKs, ~40 ms).
    stream.get_mut().write_all(&[head.as_bytes(), body.as_bytes()].concat()).await.unwrap();
    let (mut status, mut length) = (0, 0);
    loop {
        let mut line = String::new();
        if stream.read_line(&mut line).await.unwrap() == 0 || line == "\r\n" {
            break;
        }
        if line.starts_with("HTTP/") {
            status = line.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        } else if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            length = value.trim().parse().unwrap_or(0);
        }
    }
    let mut answer = vec![0; length];
    stream.read_exact(&mut answer).await.unwrap();
    if connections == Connections::PerReport {
        *connection = None;
    }
    status
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

#[tokio::main]
async fn main() {
    let catalog = builtin();
    let measurements: HashMap<String, Measurement> = catalog
        .endpoints()
        .map(|(_, e)| {
            let sample = Sample::new(Outcome::Ok, 42.0);
            let m = Measurement {
                endpoint_id: e.id.clone(),
                kind: e.kind,
                timeout_ms: e.timeout_ms,
                obstacle: None,
                samples: vec![sample.clone(), sample.clone(), sample],
                transfer: None,
                ice: None,
            };
            (e.id.clone(), m)
        })
        .collect();

    let started = Instant::now();
    let rounds = 200;
    for _ in 0..rounds {
        std::hint::black_box(reachcheck_core::evaluate::Evaluation::of(&catalog, &measurements));
    }
    let per_evaluation = started.elapsed() / rounds;
    let sample_report = report(&catalog, &measurements, 0);
    println!(
        "evaluate: built-in catalog ({} endpoints) judged in {:.1} µs; its report is {} bytes",
        measurements.len(),
        per_evaluation.as_secs_f64() * 1e6,
        sample_report.len()
    );

    let dir = std::env::temp_dir().join(format!("reachcheck-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    println!(
        "fsync: this machine commits {:.0} small writes/s to {} (write + fsync, one at a time)",
        fsync_rate(&dir),
        dir.display()
    );
    let bodies: Vec<String> = (1..=REPORTS).map(|n| report(&catalog, &measurements, n)).collect();
    let bodies = std::sync::Arc::new(bodies);
    let sqlite = dir.join("reports.sqlite").display().to_string();
    ingest("SQLite", &[Collector::start(&dir, "sqlite", &sqlite)], &bodies, Connections::PerReport).await;
    let proxied = dir.join("proxied.sqlite").display().to_string();
    let collector = [Collector::start(&dir, "proxied", &proxied)];
    ingest("SQLite, connections kept open as by a reverse proxy", &collector, &bodies, Connections::KeptOpen)
        .await;
    // The same load on PostgreSQL (a throwaway cluster on this machine, sharing its 2 cores),
    // through one instance and then through two behind a client-side balancer.
    match Cluster::start("bench") {
        Ok(cluster) => {
            for instances in [1, 2] {
                let db = cluster.create_database(&format!("reports_{instances}")).unwrap();
                let collectors: Vec<Collector> = (0..instances)
                    .map(|n| Collector::start(&dir, &format!("pg{instances}-{n}"), &db))
                    .collect();
                let label = format!("PostgreSQL, {instances} instance(s)");
                ingest(&label, &collectors, &bodies, Connections::PerReport).await;
            }
        }
        Err(why) => println!("ingest on PostgreSQL: not measured: {why}"),
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Sends every report once from `CLIENTS` concurrent clients, spread over `collectors`, and
/// prints throughput, latency, the instances' peak memory and how long the aggregates take.
async fn ingest(
    label: &str,
    collectors: &[Collector],
    bodies: &std::sync::Arc<Vec<String>>,
    connections: Connections,
) {
    let addrs: Vec<_> = collectors.iter().map(|c| c.addr).collect();
    let started = Instant::now();
    let workers: Vec<_> = (0..CLIENTS)
        .map(|worker| {
            let bodies = bodies.clone();
            let addr = addrs[worker as usize % addrs.len()];
            tokio::spawn(async move {
                let (mut latencies, mut connection) = (Vec::new(), None);
                for i in (worker..REPORTS).step_by(CLIENTS as usize) {
                    let sent = Instant::now();
                    assert_eq!(post(&mut connection, addr, &bodies[i as usize], connections).await, 201);
                    latencies.push(sent.elapsed());
                }
                latencies
            })
        })
        .collect();
    let mut latencies = Vec::new();
    for worker in workers {
        latencies.extend(worker.await.unwrap());
    }
    let elapsed = started.elapsed();
    latencies.sort();
    println!(
        "ingest ({label}): {REPORTS} reports from {CLIENTS} clients in {:.2} s = {:.0} reports/s; latency p50 {:.1} ms, p99 {:.1} ms (group commit, durable before acknowledged)",
        elapsed.as_secs_f64(),
        f64::from(REPORTS) / elapsed.as_secs_f64(),
        percentile(&latencies, 0.5).as_secs_f64() * 1e3,
        percentile(&latencies, 0.99).as_secs_f64() * 1e3,
    );
    let peaks: Vec<String> =
        collectors.iter().map(|c| format!("{:.1} MB", c.peak_rss_kb() as f64 / 1024.0)).collect();
    println!("collector ({label}): peak RSS {} (VmHWM of each process)", peaks.join(", "));
    let started = Instant::now();
    let body = get(addrs[0], "/v1/aggregates").await;
    println!(
        "aggregates ({label}): {} bytes from {REPORTS} reports in {:.1} ms",
        body.len(),
        started.elapsed().as_secs_f64() * 1e3
    );
}

/// Small write + fsync, one after another for a second: the rate a commit per report would get.
fn fsync_rate(dir: &std::path::Path) -> f64 {
    use std::io::Write;
    let path = dir.join("fsync-probe");
    let mut file = std::fs::File::create(&path).unwrap();
    let started = Instant::now();
    let mut n = 0u32;
    while started.elapsed() < Duration::from_secs(1) {
        file.write_all(b"reachcheck").unwrap();
        file.sync_all().unwrap();
        n += 1;
    }
    let _ = std::fs::remove_file(&path);
    f64::from(n) / started.elapsed().as_secs_f64()
}

/// The collector as a process of its own, so its memory is its own.
struct Collector {
    child: std::process::Child,
    addr: std::net::SocketAddr,
}

impl Collector {
    fn start(dir: &std::path::Path, name: &str, db: &str) -> Collector {
        let addr_file = dir.join(format!("addr-{name}"));
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_reachcheck-collector"))
            .args(["--addr", "127.0.0.1:0", "--rate-per-minute", "4000000000", "--db", db])
            .arg("--addr-file")
            .arg(&addr_file)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("the collector starts");
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::fs::read_to_string(&addr_file).map_or(true, |a| a.is_empty()) {
            assert!(Instant::now() < deadline, "the collector did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
        Collector { child, addr: std::fs::read_to_string(&addr_file).unwrap().parse().unwrap() }
    }

    fn peak_rss_kb(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap_or_default();
        status
            .lines()
            .find_map(|line| line.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    }
}

impl Drop for Collector {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn get(addr: std::net::SocketAddr, path: &str) -> Vec<u8> {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let head = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.unwrap();
    response
}

//! `./x bench`: how many reports one collector stores per second (each acknowledged only after
//! SQLite's synchronous commit), and the latency clients see, on this machine. Prints figures;
//! asserts nothing (speed goals are read here, not enforced by tests).

use std::collections::HashMap;
use std::time::{Duration, Instant};

use reachcheck_core::catalog::{Catalog, PageContext};
use reachcheck_core::measurement::{Measurement, Outcome, Sample};
use reachcheck_core::report::{Report, ReportContext};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const REPORTS: u32 = 2000;
const CLIENTS: u32 = 8;

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

async fn post(addr: std::net::SocketAddr, body: &str) -> u16 {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST /v1/reports HTTP/1.1\r\nHost: {addr}\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(body.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.unwrap();
    String::from_utf8_lossy(&response).split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0)
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
    let mut config = reachcheck_collector::Config::new("127.0.0.1:0", dir.join("reports.sqlite"));
    config.rate_per_minute = u32::MAX;
    let collector = reachcheck_collector::start(config).await.unwrap();
    let addr = collector.addr;
    let bodies: Vec<String> = (1..=REPORTS).map(|n| report(&catalog, &measurements, n)).collect();
    let bodies = std::sync::Arc::new(bodies);
    let started = Instant::now();
    let workers: Vec<_> = (0..CLIENTS)
        .map(|worker| {
            let bodies = bodies.clone();
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                for i in (worker..REPORTS).step_by(CLIENTS as usize) {
                    let sent = Instant::now();
                    assert_eq!(post(addr, &bodies[i as usize]).await, 201);
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
        "ingest: {REPORTS} reports from {CLIENTS} clients in {:.2} s = {:.0} reports/s; latency p50 {:.1} ms, p99 {:.1} ms (synchronous=FULL)",
        elapsed.as_secs_f64(),
        f64::from(REPORTS) / elapsed.as_secs_f64(),
        percentile(&latencies, 0.5).as_secs_f64() * 1e3,
        percentile(&latencies, 0.99).as_secs_f64() * 1e3,
    );
    let started = Instant::now();
    let aggregates = reachcheck_collector::publish::document(&collector.state).unwrap();
    println!(
        "aggregates: {} rows from {REPORTS} reports in {:.1} ms",
        aggregates["rows"].as_array().map_or(0, Vec::len),
        started.elapsed().as_secs_f64() * 1e3
    );
    collector.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}

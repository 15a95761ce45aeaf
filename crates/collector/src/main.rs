//! `reachcheck-collector [--addr HOST:PORT] [--db FILE|postgres://…] [--geoip FILE] [--geoip-asn FILE]
//!                       [--publish-dir DIR] [--publish-interval SECONDS] [--rate-per-minute N]
//!                       [--min-cell K] [--addr-file FILE]`

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use reachcheck_collector::{log, start, Config};

/// Every report is parsed into a few thousand small allocations and written out again: a
/// faster allocator than the system's is measurable (docs/deploy.md, "Figures").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str =
    "usage: reachcheck-collector [--addr HOST:PORT] [--db FILE|postgres://…] [--geoip FILE] [--geoip-asn FILE] \
[--publish-dir DIR] [--publish-interval SECONDS] [--rate-per-minute N] [--min-cell K] [--addr-file FILE]";

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<(Config, Option<PathBuf>), String> {
    let mut config = Config::new("127.0.0.1:8081", "reachcheck-reports.sqlite");
    let mut addr_file = None;
    while let Some(flag) = args.next() {
        if flag == "-h" || flag == "--help" {
            return Err(String::new());
        }
        let value = args.next().ok_or(format!("{flag} needs a value"))?;
        let number =
            |name: &str| value.parse::<u64>().map_err(|_| format!("{name} {value:?} is not a number"));
        match flag.as_str() {
            "--addr" => config.addr = value.clone(),
            "--db" => config.db = reachcheck_collector::store::Location::parse(&value),
            "--geoip" => config.geoip = Some(value.clone().into()),
            "--geoip-asn" => config.geoip_asn = Some(value.clone().into()),
            "--publish-dir" => config.publish_dir = Some(value.clone().into()),
            "--publish-interval" => {
                config.publish_interval = Duration::from_secs(number("--publish-interval")?.max(1))
            }
            "--rate-per-minute" => config.rate_per_minute = number("--rate-per-minute")? as u32,
            "--min-cell" => config.min_cell = number("--min-cell")?.max(1),
            "--addr-file" => addr_file = Some(value.clone().into()),
            other => return Err(format!("unknown option {other:?}")),
        }
    }
    Ok((config, addr_file))
}

#[tokio::main]
async fn main() -> ExitCode {
    let (config, addr_file) = match parse_args(std::env::args().skip(1)) {
        Ok(parsed) => parsed,
        Err(message) => {
            if !message.is_empty() {
                eprintln!("reachcheck-collector: {message}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let running = match start(config.clone()).await {
        Ok(running) => running,
        Err(message) => {
            eprintln!("reachcheck-collector: {message}");
            return ExitCode::FAILURE;
        }
    };
    if let Some(path) = addr_file {
        if let Err(err) = std::fs::write(&path, running.addr.to_string()) {
            eprintln!("reachcheck-collector: {}: {err}", path.display());
            return ExitCode::FAILURE;
        }
    }
    log::event(
        "listening",
        &[("addr", running.addr.to_string().into()), ("db", config.db.describe().into())],
    );
    wait_for_signal().await;
    log::event("stopping", &[]);
    running.shutdown().await;
    ExitCode::SUCCESS
}

async fn wait_for_signal() {
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = async { match terminate.as_mut() { Some(s) => { s.recv().await; } None => std::future::pending().await } } => {}
    }
}

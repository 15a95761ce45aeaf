//! `reachcheck-lab [--addr HOST:PORT] [--addr-file PATH] [--write-catalog PATH] [--timeout-ms N]
//! [--mirror CATALOG]`
//!
//! Serves the lab on loopback. `--addr 127.0.0.1:0` picks a free port; `--addr-file` receives the
//! actual address once the lab is listening, so scripts can wait for it; `--write-catalog` writes
//! a catalog of the lab's conditions pointing at this lab (also served at /_lab/catalog.json), or
//! with `--mirror`, that catalog with every endpoint moved onto this lab as a network like
//! Russia's in 2026 treats it (src/mirror.rs).

use std::process::ExitCode;

use reachcheck_core::catalog::{Catalog, PageContext};
use reachcheck_lab::catalog::{lab_catalog, DEFAULT_TIMEOUT_MS};
use reachcheck_lab::mirror::{mirror, RUSSIA_2026};

const USAGE: &str = "usage: reachcheck-lab [--addr HOST:PORT] [--addr-file PATH] [--write-catalog PATH] \
                     [--timeout-ms N] [--mirror CATALOG]";

struct Options {
    addr: String,
    addr_file: Option<String>,
    catalog_file: Option<String>,
    timeout_ms: u32,
    mirror: Option<String>,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Options, String> {
    let mut options = Options {
        addr: reachcheck_lab::DEFAULT_ADDR.to_owned(),
        addr_file: None,
        catalog_file: None,
        timeout_ms: DEFAULT_TIMEOUT_MS,
        mirror: None,
    };
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--addr" => options.addr = value("--addr")?,
            "--addr-file" => options.addr_file = Some(value("--addr-file")?),
            "--write-catalog" => options.catalog_file = Some(value("--write-catalog")?),
            "--mirror" => options.mirror = Some(value("--mirror")?),
            "--timeout-ms" => {
                let text = value("--timeout-ms")?;
                options.timeout_ms =
                    text.parse().map_err(|_| format!("--timeout-ms {text:?} is not a number"))?;
            }
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(options)
}

/// The catalog at `path`, moved onto the lab.
fn mirrored(path: &str, ports: &reachcheck_lab::Ports) -> Result<Catalog, String> {
    let text = std::fs::read_to_string(path).map_err(|err| format!("cannot read {path}: {err}"))?;
    let catalog = Catalog::load(&text, PageContext::SECURE).map_err(|err| format!("{path}: {err}"))?;
    Ok(mirror(&catalog, ports, RUSSIA_2026))
}

fn write(path: &str, contents: &str) -> Result<(), String> {
    std::fs::write(path, contents).map_err(|err| format!("cannot write {path}: {err}"))
}

#[tokio::main]
async fn main() -> ExitCode {
    let options = match parse_args(std::env::args().skip(1)) {
        Ok(options) => options,
        Err(message) => {
            if !message.is_empty() {
                eprintln!("reachcheck-lab: {message}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let (lab, task) = match reachcheck_lab::start(&options.addr).await {
        Ok(started) => started,
        Err(err) => {
            eprintln!("reachcheck-lab: cannot listen on {}: {err}", options.addr);
            return ExitCode::FAILURE;
        }
    };
    let catalog = match &options.mirror {
        None => lab_catalog(&lab.ports, options.timeout_ms),
        Some(path) => match mirrored(path, &lab.ports) {
            Ok(catalog) => catalog,
            Err(message) => {
                eprintln!("reachcheck-lab: {message}");
                return ExitCode::FAILURE;
            }
        },
    };
    let written = options
        .catalog_file
        .iter()
        .map(|path| write(path, &catalog.to_json()))
        .chain(options.addr_file.iter().map(|path| write(path, &lab.addr.to_string())))
        .collect::<Result<Vec<()>, String>>();
    if let Err(message) = written {
        eprintln!("reachcheck-lab: {message}");
        return ExitCode::FAILURE;
    }
    println!("reachcheck-lab listening on http://{} (catalog: http://{0}/_lab/catalog.json)", lab.addr);
    tokio::select! {
        _ = task => ExitCode::FAILURE,
        _ = tokio::signal::ctrl_c() => ExitCode::SUCCESS,
    }
}

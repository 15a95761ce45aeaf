//! `reachcheck-lab [--addr HOST:PORT] [--addr-file PATH]`
//!
//! Serves the lab on loopback. `--addr 127.0.0.1:0` picks a free port; `--addr-file` receives the
//! actual address once the lab is listening, so scripts can wait for it.

use std::process::ExitCode;

struct Options {
    addr: String,
    addr_file: Option<String>,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Options, String> {
    let mut options = Options { addr: reachcheck_lab::DEFAULT_ADDR.to_owned(), addr_file: None };
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--addr" => options.addr = value("--addr")?,
            "--addr-file" => options.addr_file = Some(value("--addr-file")?),
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(options)
}

const USAGE: &str = "usage: reachcheck-lab [--addr HOST:PORT] [--addr-file PATH]";

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
    if let Some(path) = &options.addr_file {
        if let Err(err) = std::fs::write(path, lab.addr.to_string()) {
            eprintln!("reachcheck-lab: cannot write {path}: {err}");
            return ExitCode::FAILURE;
        }
    }
    println!("reachcheck-lab listening on http://{}", lab.addr);
    tokio::select! {
        _ = task => ExitCode::FAILURE,
        _ = tokio::signal::ctrl_c() => ExitCode::SUCCESS,
    }
}

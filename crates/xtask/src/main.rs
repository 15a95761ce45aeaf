//! `cargo run -p xtask -- <command>`: the build steps of `./x` that are logic rather than tool
//! calls, as tested Rust (the rust-analyzer `xtask` shape; `./x` stays the entry point).
//!
//!   xtask sri HTML FILE        give HTML's preload of FILE the integrity hash of FILE as it is now
//!   xtask short-names WASM JS  short names for the imports and exports joining WASM to its glue JS
//!   xtask sizes DIST           print the transfer sizes (gzip) and check them against the budgets
//!   xtask serve DIR PORT       serve DIR on 127.0.0.1:PORT as a static host would (Ctrl-C stops)
//!   xtask digests DIST         the app's wasm digest into index.html, then DIST/SHA256SUMS
//!   xtask release DIST         the digest, then DIST/reachcheck.html (the app in one file), the
//!                              .gz and .br of each file, then DIST/SHA256SUMS covering them all

mod digests;
mod precompress;
mod short_names;
mod single;
mod sizes;
mod sri;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str =
    "usage: xtask sri HTML FILE | xtask short-names WASM JS | xtask sizes DIST | xtask serve DIR PORT | xtask digests DIST | xtask release DIST";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["sri", html, js] => sri::rewrite_file(Path::new(html), Path::new(js)),
        ["short-names", wasm, js] => short_names::shorten_files(Path::new(wasm), Path::new(js)),
        ["sizes", dist] => sizes::report(Path::new(dist)),
        ["serve", dir, port] => serve(PathBuf::from(dir), port),
        ["digests", dist] => digests::write(Path::new(dist)),
        ["release", dist] => release(Path::new(dist)),
        _ => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The last steps of a release build: the code digest into index.html, the one-file app
/// (which carries that digest too), every file precompressed, then the sums of every file.
fn release(dist: &Path) -> Result<(), String> {
    digests::set_meta(dist)?;
    single::write(dist)?;
    precompress::write(dist)?;
    digests::write_sums(dist)
}

/// The one static server for dist/ (the end-to-end tests and the baseline use the same code).
fn serve(dir: PathBuf, port: &str) -> Result<(), String> {
    let port: u16 = port.parse().map_err(|_| format!("{port:?} is not a port"))?;
    let runtime = tokio::runtime::Runtime::new().map_err(|err| format!("no async runtime: {err}"))?;
    runtime.block_on(async move {
        let site = reachcheck_catalog::serve::Site { dir: Some(dir), ..Default::default() };
        let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
        reachcheck_catalog::serve::serve_on(addr, site, None)
            .await
            .map_err(|err| format!("{addr}: {err}"))?;
        let _ = tokio::signal::ctrl_c().await;
        Ok(())
    })
}

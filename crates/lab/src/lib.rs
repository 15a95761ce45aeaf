//! reachcheck-lab: a local server whose endpoints behave like the networks reachcheck has to judge.
//!
//! The browser tests point probes at it; people can point the app at it to see what each kind of
//! interference looks like. It only ever binds the address it is given (loopback by default).

mod hits;
pub mod routes;

use std::net::SocketAddr;

pub use hits::HitCounter;
use tokio::net::TcpListener;

/// The address the lab listens on when none is given; the browser tests use it when
/// `REACHCHECK_LAB` is unset (for example under a bare `wasm-pack test`).
pub const DEFAULT_ADDR: &str = "127.0.0.1:7357";

/// A running lab: its address and its request counters.
pub struct Lab {
    pub addr: SocketAddr,
    pub hits: HitCounter,
}

/// Binds `addr` and serves the lab until the returned task is dropped or the process ends.
pub async fn start(addr: &str) -> std::io::Result<(Lab, tokio::task::JoinHandle<()>)> {
    let listener = TcpListener::bind(addr).await?;
    let addr = listener.local_addr()?;
    let hits = HitCounter::default();
    let app = routes::router(hits.clone());
    let task = tokio::spawn(async move {
        if let Err(err) = axum::serve(listener, app).await {
            eprintln!("reachcheck-lab: server stopped: {err}");
        }
    });
    Ok((Lab { addr, hits }, task))
}

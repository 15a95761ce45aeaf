//! The accept loop. Conditions that a real censor applies below HTTP — a blackhole, a reset —
//! are handled here on the socket; everything else goes to the HTTP router. On the main ports
//! every response says `Connection: close`, so each connection carries one request and its
//! path is always visible; the freezing ports keep connections alive (src/middlebox.rs).

use std::time::Duration;

use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use tokio::io::AsyncReadExt;
use tokio::net::{TcpListener, TcpStream};

use crate::condition::{condition_of_path, Condition};
use crate::middlebox::{Counted, Freezing, FREEZE_BYTES};
use crate::routes::KeepAlive;
use crate::LabState;

/// How long the lab waits for a request line before handing the connection to HTTP anyway.
const REQUEST_LINE_WAIT: Duration = Duration::from_secs(2);

pub async fn accept_loop(listener: TcpListener, state: LabState) {
    let router = crate::routes::router(state.clone(), KeepAlive::No);
    loop {
        let stream = accept(&listener).await;
        let state = state.clone();
        let router = router.clone();
        tokio::spawn(async move {
            match raw_condition(&stream).await {
                Some((path, condition)) => {
                    state.hits.record(&path);
                    let _in_flight = state.gauge.enter();
                    apply_raw(stream, condition, &state).await;
                }
                None => serve_http(stream, router).await,
            }
        });
    }
}

/// The request path, if the request's host name or its path names a condition that is applied
/// on the raw socket.
async fn raw_condition(stream: &TcpStream) -> Option<(String, Condition)> {
    let (path, host) = tokio::time::timeout(REQUEST_LINE_WAIT, peek_head(stream)).await.ok()??;
    let condition = match host.as_deref().and_then(name_filter) {
        Some(condition) => condition,
        None => Condition::parse(condition_of_path(&path)?).ok()?,
    };
    condition.is_raw().then(|| (path.split('?').next().unwrap_or(&path).to_owned(), condition))
}

/// Filtering by name, as a censor does it, whatever the path: a host whose first label has
/// `dnsblock` or `nxdomain` fails at once (to a page exactly what a name that does not resolve
/// looks like; the lab's own resolver also says `nxdomain` names do not exist),
/// one with `sniblock` never gets an answer (DPI dropping what it sees the name in). The same
/// server asked by its address answers (docs/lab.md, "How it is blocked").
pub fn name_filter(host: &str) -> Option<Condition> {
    let label = host.split(['.', ':']).next().unwrap_or_default();
    if label.contains("dnsblock") || label.contains("nxdomain") {
        Some(Condition::Reset)
    } else if label.contains("sniblock") {
        Some(Condition::Blackhole)
    } else {
        None
    }
}

/// Peeks (without consuming) until the request head is complete (or the buffer is full);
/// returns its path and `Host`.
async fn peek_head(stream: &TcpStream) -> Option<(String, Option<String>)> {
    let mut buffer = vec![0u8; 4096];
    loop {
        let read = stream.peek(&mut buffer).await.ok()?;
        if read == 0 {
            return None;
        }
        let head = &buffer[..read];
        let complete = head.windows(4).any(|w| w == b"\r\n\r\n") || read == buffer.len();
        if complete {
            let text = String::from_utf8_lossy(head);
            let mut lines = text.split("\r\n");
            let path = lines.next()?.split(' ').nth(1)?.to_owned();
            let host = lines
                .filter_map(|line| line.split_once(':'))
                .find(|(name, _)| name.eq_ignore_ascii_case("host"))
                .map(|(_, value)| value.trim().to_ascii_lowercase());
            return Some((path, host));
        }
        // Only part of the head has arrived; wait for more.
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

async fn apply_raw(mut stream: TcpStream, condition: Condition, state: &LabState) {
    match condition {
        Condition::Reset => {
            // Read the request first, as a censor's DPI does, then answer with RST.
            let mut buffer = [0u8; 4096];
            let _ = tokio::time::timeout(Duration::from_millis(200), stream.read(&mut buffer)).await;
            reset(stream);
        }
        Condition::Hang => {
            // Registered before anything is awaited, so a change that comes while the request is
            // being read is not missed.
            let changed = state.network_change.notified();
            let mut buffer = [0u8; 4096];
            let drain = async { while matches!(stream.read(&mut buffer).await, Ok(n) if n > 0) {} };
            // If the client gives up first, there is nothing to reset.
            let network_changed = tokio::select! { _ = changed => true, _ = drain => false };
            if network_changed {
                reset(stream);
            }
        }
        // Never answer; drain until the client gives up and closes.
        _ => {
            let mut buffer = [0u8; 4096];
            while matches!(stream.read(&mut buffer).await, Ok(n) if n > 0) {}
        }
    }
}

/// Closes with RST at once: a zero linger makes close() send it. (The deprecation is about
/// non-zero lingers blocking the thread, which a zero linger never does.)
fn reset(stream: TcpStream) {
    #[allow(deprecated)]
    let _ = stream.set_linger(Some(Duration::ZERO));
    drop(stream);
}

/// A port where every connection is accepted and never answered: an address that is cut.
pub async fn blackhole_accept_loop(listener: TcpListener, state: LabState) {
    loop {
        let stream = accept(&listener).await;
        let state = state.clone();
        tokio::spawn(async move {
            let _in_flight = state.gauge.enter();
            apply_raw(stream, Condition::Blackhole, &state).await;
        });
    }
}

/// The accept loop of a freezing port: every connection goes through the middlebox, and
/// connections are kept alive, so the count carries over from one request to the next.
pub async fn freezing_accept_loop(listener: TcpListener, state: LabState, counted: Counted) {
    let router = crate::routes::router(state, KeepAlive::Yes);
    loop {
        let stream = accept(&listener).await;
        let router = router.clone();
        tokio::spawn(serve_http(Freezing::new(stream, counted, FREEZE_BYTES), router));
    }
}

async fn accept(listener: &TcpListener) -> TcpStream {
    loop {
        match listener.accept().await {
            Ok((stream, _peer)) => return stream,
            Err(err) => {
                eprintln!("reachcheck-lab: accept failed: {err}");
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    }
}

async fn serve_http<S>(stream: S, router: axum::Router)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let service = TowerToHyperService::new(router);
    let connection = hyper::server::conn::http1::Builder::new()
        .serve_connection(TokioIo::new(stream), service)
        .with_upgrades();
    // Clients that give up (the probes' timeouts) end connections midway: not an error.
    let _ = connection.await;
}

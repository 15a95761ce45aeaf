//! The lab's HTTP and WebSocket endpoints: `/c/<condition>` plus a few control routes.

use std::convert::Infallible;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, Query, RawQuery, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use futures_util::stream;

use crate::condition::{Condition, Options, DEFAULT_BODY_BYTES};
use crate::LabState;

/// Body of `GET /ok` and of short `/c/...` answers: tests compare it byte for byte.
pub const OK_BODY: &str = "reachcheck-lab: ok\n";

/// Paths under this prefix control the lab and are not counted as probe hits.
const CONTROL_PREFIX: &str = "/_lab/";

/// A 1×1 transparent PNG, for image probes.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00,
    0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00,
    0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x00, 0x01, 0x00, 0x00, 0x05, 0x00, 0x01,
    0x0d, 0x0a, 0x2d, 0xb4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

/// Transfer conditions send their body in slices this often.
const TICK: Duration = Duration::from_millis(50);

/// Whether connections outlive their first request (only on the freezing ports: elsewhere the
/// raw accept loop must see every request's path).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum KeepAlive {
    Yes,
    No,
}

pub fn router(state: LabState, keep_alive: KeepAlive) -> Router {
    Router::new()
        .route("/", get(index))
        .route("/ok", get(|| async { OK_BODY }))
        .route("/ws/echo", get(|upgrade: WebSocketUpgrade| async { upgrade.on_upgrade(echo) }))
        .route("/c/{condition}", get(condition).post(upload))
        .route("/dns-query", get(dns_query))
        .route("/_lab/hits", get(hit_counts).delete(clear_hits))
        .route("/_lab/stats", get(stats).delete(reset_stats))
        .route("/_lab/info", get(info))
        .route("/_lab/network-change", axum::routing::post(network_change))
        .route("/_lab/catalog.json", get(catalog))
        .route("/_lab/expected.json", get(expected))
        .layer(middleware::from_fn_with_state(state.clone(), count_and_gauge))
        .layer(middleware::from_fn_with_state(keep_alive, response_headers))
        .with_state(state)
}

async fn index() -> String {
    format!(
        "reachcheck-lab: endpoints that behave like interfered networks (docs/lab.md)\n\n{}\n",
        [
            "GET /c/ok                      200 at once (?bytes=N for a body of N bytes, ?type=png for an image)",
            "GET /c/delay=<ms>              200 after <ms>",
            "GET /c/blackhole               accepts, reads the request, never answers",
            "GET /c/reset                   accepts, reads the request, resets the connection (RST)",
            "GET /c/hang                    accepts, reads the request, resets at POST /_lab/network-change",
            "GET /c/throttle=<bytes/s>      body (?bytes=N, default 256 KiB) at <bytes/s>",
            "GET /c/freeze-after=<bytes>    sends <bytes> of the body, then stalls with the connection open",
            "GET /c/status=<code>           answers with that status",
            "GET /c/ws-ok                   WebSocket that echoes",
            "GET /c/ws-blackhole            WebSocket upgrade never answered",
            "GET /c/ws-reject               WebSocket upgrade refused with 403",
            "GET /c/ws-origin-check         WebSocket that opens only for its own origin (403 otherwise)",
            "    options: ?cors=0 (no Access-Control-Allow-Origin), ?corp=none|same-origin|same-site,",
            "             ?tao=1 (Timing-Allow-Origin: *)",
            "refused: the port in GET /_lab/info (bound, never listening); NXDOMAIN: a *.localhost name with nxdomain in its first label",
            "STUN (UDP): ports in GET /_lab/info under stun: ok, delay, drop, closed;",
            "    TURN over TCP: stun.turn_tcp with stun.turn_username / stun.turn_credential",
            "GET /_lab/hits  /_lab/stats  /_lab/info  /_lab/catalog.json  /_lab/expected.json",
            "POST /_lab/network-change  resets every /c/hang connection at once",
            "    (?timeout_ms=N for the catalog; DELETE /_lab/hits or /_lab/stats resets them)",
        ]
        .join("\n")
    )
}

async fn condition(
    Path(name): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    upgrade: Result<WebSocketUpgrade, axum::extract::ws::rejection::WebSocketUpgradeRejection>,
) -> Response {
    let (condition, options) = match (Condition::parse(&name), Options::parse(query.as_deref().unwrap_or("")))
    {
        (Ok(condition), Ok(options)) => (condition, options),
        (Err(problem), _) | (_, Err(problem)) => {
            return (StatusCode::BAD_REQUEST, problem + "\n").into_response()
        }
    };
    match condition {
        Condition::Ok => body(&options, options.bytes),
        Condition::Delay(delay) => {
            tokio::time::sleep(delay).await;
            body(&options, options.bytes)
        }
        Condition::Status(code) => {
            let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            (status, OK_BODY).into_response()
        }
        Condition::Throttle(bytes_per_second) => {
            let total = options.bytes.unwrap_or(DEFAULT_BODY_BYTES);
            let slice = (bytes_per_second * TICK.as_millis() as u64 / 1000).max(1);
            paced_body(total, slice, total)
        }
        Condition::FreezeAfter(sent) => {
            let total = options.bytes.unwrap_or(DEFAULT_BODY_BYTES).max(sent + 1);
            paced_body(total, 16 * 1024, sent)
        }
        Condition::WsOk => match upgrade {
            Ok(upgrade) => upgrade.on_upgrade(echo),
            Err(rejection) => rejection.into_response(),
        },
        Condition::WsReject => (StatusCode::FORBIDDEN, "WebSocket refused by the lab\n").into_response(),
        Condition::WsOriginCheck => match upgrade {
            Ok(upgrade) if same_origin(&headers) => upgrade.on_upgrade(echo),
            Ok(_) => (StatusCode::FORBIDDEN, "WebSocket refused: foreign origin\n").into_response(),
            Err(rejection) => rejection.into_response(),
        },
        // Normally handled on the raw socket; if one gets here, it still never answers.
        Condition::Blackhole | Condition::Reset | Condition::Hang | Condition::WsBlackhole => {
            std::future::pending::<()>().await;
            unreachable!("a pending future never completes")
        }
    }
}

/// An upload (the `upload` probe's POST): read to its end, then answered with a short text.
async fn upload(body: Bytes) -> String {
    format!("{OK_BODY}received {} bytes\n", body.len())
}

/// Whether the `Origin` of a request names the host it was sent to (a page of the server's own
/// site): `Origin: http://a.localhost:7357` with `Host: a.localhost:7357`.
fn same_origin(headers: &HeaderMap) -> bool {
    let value = |name| headers.get(name).and_then(|v| v.to_str().ok());
    let origin_host = value(header::ORIGIN).and_then(|o| o.split_once("://")).map(|(_, host)| host);
    origin_host.is_some_and(|host| Some(host) == value(header::HOST))
}

/// A body of `bytes` bytes (a short text without), or a PNG for `type=png`.
fn body(options: &Options, bytes: Option<u64>) -> Response {
    if options.png {
        return ([(header::CONTENT_TYPE, "image/png")], PNG).into_response();
    }
    match bytes {
        None => OK_BODY.into_response(),
        Some(n) => {
            ([(header::CONTENT_TYPE, "application/octet-stream")], pattern(n as usize)).into_response()
        }
    }
}

/// A `total`-byte body announced in full (Content-Length), sent `slice` bytes per tick, of which
/// only the first `sent` bytes ever leave; after them the connection stays open and silent.
fn paced_body(total: u64, slice: u64, sent: u64) -> Response {
    let chunks = stream::unfold(0u64, move |done| async move {
        if done >= total {
            return None;
        }
        if done >= sent {
            std::future::pending::<()>().await;
        }
        if done > 0 {
            tokio::time::sleep(TICK).await;
        }
        let size = slice.min(sent - done);
        Some((Ok::<Bytes, Infallible>(Bytes::from(pattern(size as usize))), done + size))
    });
    let mut response = Response::new(Body::from_stream(chunks));
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(total));
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/octet-stream"));
    response
}

fn pattern(len: usize) -> Vec<u8> {
    (0..len).map(|i| b'a' + (i % 26) as u8).collect()
}

async fn echo(mut socket: WebSocket) {
    while let Some(Ok(message)) = socket.recv().await {
        let reply = match message {
            Message::Text(_) | Message::Binary(_) => message,
            Message::Close(_) => break,
            Message::Ping(_) | Message::Pong(_) => continue,
        };
        if socket.send(reply).await.is_err() {
            break;
        }
    }
}

/// The lab's "network" changes: every `hang` connection is reset at this instant, as Chromium
/// fails every request in flight when the visitor's network changes.
async fn network_change(State(state): State<LabState>) -> impl IntoResponse {
    state.network_change.notify_waiters();
    Json(serde_json::json!({ "changed": true }))
}

async fn hit_counts(State(state): State<LabState>) -> impl IntoResponse {
    Json(state.hits.snapshot())
}

async fn clear_hits(State(state): State<LabState>) -> impl IntoResponse {
    state.hits.clear();
    Json(state.hits.snapshot())
}

async fn stats(State(state): State<LabState>) -> impl IntoResponse {
    Json(serde_json::json!({ "in_flight": state.gauge.current(), "peak_in_flight": state.gauge.peak() }))
}

async fn reset_stats(State(state): State<LabState>) -> impl IntoResponse {
    state.gauge.reset_peak();
    stats(State(state)).await
}

async fn info(State(state): State<LabState>) -> impl IntoResponse {
    Json(serde_json::json!({
        "addr": state.addr.to_string(),
        "refused_port": state.refused_port,
        "alt_port": state.alt_port,
        "freeze_port": state.freeze_port,
        "upload_freeze_port": state.upload_freeze_port,
        "blackhole_port": state.blackhole_port,
        "freeze_bytes": crate::middlebox::FREEZE_BYTES,
        "stun": {
            "ok": state.stun.ok, "delay": state.stun.delay, "drop": state.stun.drop,
            "closed": state.stun.closed, "delay_ms": state.stun.delay_ms,
            "turn_tcp": state.stun.turn_tcp, "turn_username": crate::turn::USERNAME,
            "turn_credential": crate::turn::PASSWORD,
        },
    }))
}

#[derive(serde::Deserialize)]
struct DnsQuery {
    name: String,
}

/// A DNS-over-HTTPS resolver with the JSON API of Google's and Cloudflare's: every
/// `*.localhost` name is the lab's own address, except those whose first label has `nxdomain`;
/// they and any other name do not exist (NXDOMAIN).
async fn dns_query(State(state): State<LabState>, Query(query): Query<DnsQuery>) -> Response {
    let name = query.name.trim_end_matches('.').to_ascii_lowercase();
    let question = serde_json::json!([{ "name": format!("{name}."), "type": 1 }]);
    let nxdomain = name.split('.').next().is_some_and(|label| label.contains("nxdomain"));
    let answer = if name.ends_with(".localhost") && !nxdomain {
        let record = serde_json::json!({ "name": format!("{name}."), "type": 1, "TTL": 60, "data": state.addr.ip().to_string() });
        serde_json::json!({ "Status": 0, "Question": question, "Answer": [record] })
    } else {
        serde_json::json!({ "Status": 3, "Question": question })
    };
    ([(header::CONTENT_TYPE, "application/dns-json")], answer.to_string()).into_response()
}

#[derive(serde::Deserialize)]
struct CatalogQuery {
    timeout_ms: Option<u32>,
}

async fn catalog(State(state): State<LabState>, Query(query): Query<CatalogQuery>) -> Response {
    let timeout_ms = query.timeout_ms.unwrap_or(crate::catalog::DEFAULT_TIMEOUT_MS);
    let catalog = crate::catalog::lab_catalog(&state.ports(), timeout_ms);
    ([(header::CONTENT_TYPE, "application/json")], catalog.to_json()).into_response()
}

/// The verdict every lab endpoint and service must get (the browser tests compare against it).
async fn expected(Query(query): Query<CatalogQuery>) -> impl IntoResponse {
    let timeout_ms = query.timeout_ms.unwrap_or(crate::catalog::DEFAULT_TIMEOUT_MS);
    Json(crate::catalog::expected_verdicts(timeout_ms))
}

/// Counts probe hits and requests in progress (control routes excluded).
async fn count_and_gauge(State(state): State<LabState>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    if path.starts_with(CONTROL_PREFIX) {
        return next.run(request).await;
    }
    state.hits.record(&path);
    let _in_flight = state.gauge.enter();
    next.run(request).await
}

/// CORS, CORP and Timing-Allow-Origin as the request's options ask (open by default), and
/// one request per connection so the raw accept loop sees every request's path.
async fn response_headers(State(keep_alive): State<KeepAlive>, request: Request, next: Next) -> Response {
    let options = Options::parse(request.uri().query().unwrap_or("")).unwrap_or_default();
    let preflight = request.method() == Method::OPTIONS;
    let mut response =
        if preflight { StatusCode::NO_CONTENT.into_response() } else { next.run(request).await };
    let headers: &mut HeaderMap = response.headers_mut();
    if options.cors {
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
        if preflight {
            headers
                .insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("GET, POST, DELETE"));
            headers.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, HeaderValue::from_static("*"));
        }
    }
    if let Some(corp) = options.corp.as_deref().and_then(|v| HeaderValue::from_str(v).ok()) {
        headers.insert("cross-origin-resource-policy", corp);
    }
    if options.tao {
        headers.insert("timing-allow-origin", HeaderValue::from_static("*"));
    }
    if response.status() != StatusCode::SWITCHING_PROTOCOLS && keep_alive == KeepAlive::No {
        response.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    response
}

//! The lab's HTTP and WebSocket endpoints.

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use tower_http::cors::CorsLayer;

use crate::HitCounter;

/// Body of `GET /ok`: tests compare it byte for byte.
pub const OK_BODY: &str = "reachcheck-lab: ok\n";

/// Paths under this prefix control the lab and are not counted as probe hits.
const CONTROL_PREFIX: &str = "/_lab/";

pub fn router(hits: HitCounter) -> Router {
    Router::new()
        .route("/", get(index))
        .route("/ok", get(ok))
        .route("/ws/echo", get(ws_echo))
        .route("/_lab/hits", get(hit_counts).delete(clear_hits))
        .layer(middleware::from_fn_with_state(hits.clone(), count_hit))
        .layer(middleware::from_fn(cross_origin_headers))
        .layer(CorsLayer::permissive())
        .with_state(hits)
}

async fn index() -> &'static str {
    "reachcheck-lab\n\
     GET /ok          200 with a short text body\n\
     GET /ws/echo     WebSocket that echoes every message\n\
     GET /_lab/hits   request counts per path (DELETE clears them)\n\
     See docs/lab.md.\n"
}

async fn ok() -> &'static str {
    OK_BODY
}

async fn ws_echo(upgrade: WebSocketUpgrade) -> Response {
    upgrade.on_upgrade(echo)
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

async fn hit_counts(State(hits): State<HitCounter>) -> impl IntoResponse {
    Json(hits.snapshot())
}

async fn clear_hits(State(hits): State<HitCounter>) -> impl IntoResponse {
    hits.clear();
    Json(hits.snapshot())
}

async fn count_hit(State(hits): State<HitCounter>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if !path.starts_with(CONTROL_PREFIX) {
        hits.record(path);
    }
    next.run(request).await
}

/// Lets a cross-origin-isolated page (the wasm-bindgen test runner's) load lab responses even in
/// `no-cors` mode; conditions that test a missing header override it.
async fn cross_origin_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    response.headers_mut().insert(
        header::HeaderName::from_static("cross-origin-resource-policy"),
        HeaderValue::from_static("cross-origin"),
    );
    response
}

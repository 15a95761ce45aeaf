//! HTTP API: `POST /v1/reports`, `GET /v1/reports/{id}`, `GET /v1/aggregates[.json|.csv]`,
//! `GET /healthz`.
//! CORS is open: reports arrive from pages on any origin as CORS-simple `text/plain` POSTs.

use std::net::SocketAddr;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Path, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use reachcheck_core::report::{Report, MAX_REPORT_BYTES};
use serde_json::json;

use crate::log;
use crate::store::{Stored, Submission};
use crate::AppState;

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/v1/reports", post(submit))
        .route("/v1/reports/{report_id}", get(report))
        .route("/v1/aggregates", get(aggregates))
        .route("/v1/aggregates.json", get(aggregates))
        .route("/v1/aggregates.csv", get(aggregates_csv))
        .route("/v1/network", get(network))
        .route("/healthz", get(health))
        .layer(DefaultBodyLimit::max(MAX_REPORT_BYTES))
        .layer(middleware::from_fn(open_cors))
        .with_state(state)
}

fn error(status: StatusCode, message: impl Into<String>) -> Response {
    let message = message.into();
    log::event("rejected", &[("status", status.as_u16().into()), ("reason", message.clone().into())]);
    (status, Json(json!({ "error": message }))).into_response()
}

async fn submit(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let media_type = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if media_type != "text/plain" && media_type != "application/json" {
        return error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!("Content-Type {content_type:?}: send the report as text/plain or application/json"),
        );
    }
    // The address is used here, for the limit and the location, and never stored or logged.
    let address = peer.ip();
    if !state.limiter.allow(address) {
        return error(StatusCode::TOO_MANY_REQUESTS, "too many reports from this network; try again later");
    }
    let Ok(text) = std::str::from_utf8(&body) else {
        return error(StatusCode::BAD_REQUEST, "the body is not UTF-8 text");
    };
    let mut report = match Report::parse(text) {
        Ok(report) => report,
        Err(problem) => return error(StatusCode::BAD_REQUEST, problem),
    };
    let place = state.geo.place(address);
    (report.probe_cc, report.probe_asn) = (place.cc, place.asn);
    let (report_id, probe_cc, probe_asn) =
        (report.report_id.clone(), report.probe_cc.clone(), report.probe_asn.clone());
    // Serialised here, in parallel, not by the one writer; acknowledged only once the writer's
    // batch holding it is committed (src/writer.rs).
    let submission = Submission::new(report, place.network_name);
    match state.writer.store(submission).await {
        Ok(outcome) => {
            let (status, word) = match outcome {
                Stored::New => (StatusCode::CREATED, "stored"),
                Stored::Duplicate => (StatusCode::OK, "duplicate"),
            };
            log::event(
                word,
                &[
                    ("report_id", report_id.clone().into()),
                    ("probe_cc", probe_cc.into()),
                    ("probe_asn", probe_asn.into()),
                ],
            );
            (status, Json(json!({ "status": word, "report_id": report_id }))).into_response()
        }
        Err(err) => error(StatusCode::SERVICE_UNAVAILABLE, format!("storage failed: {err}")),
    }
}

async fn report(State(state): State<AppState>, Path(report_id): Path<String>) -> Response {
    match state.blocking(move |state| state.store().get(&report_id)).await {
        Ok(Some(body)) => ([(header::CONTENT_TYPE, "application/json")], body).into_response(),
        Ok(None) => (StatusCode::NOT_FOUND, Json(json!({ "error": "no such report" }))).into_response(),
        Err(err) => error(StatusCode::SERVICE_UNAVAILABLE, err),
    }
}

async fn aggregates(State(state): State<AppState>) -> Response {
    match state.blocking(crate::publish::document).await {
        Ok(document) => Json(document).into_response(),
        Err(err) => error(StatusCode::SERVICE_UNAVAILABLE, err),
    }
}

async fn aggregates_csv(State(state): State<AppState>) -> Response {
    match state.blocking(crate::publish::csv).await {
        Ok(csv) => ([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], csv).into_response(),
        Err(err) => error(StatusCode::SERVICE_UNAVAILABLE, err),
    }
}

/// At most this many services per question (a catalog run has a few dozen).
const MAX_CONTEXT_SERVICES: usize = 100;

#[derive(serde::Deserialize)]
struct NetworkQuery {
    services: String,
}

/// "Others on your network saw…": today's published cells (same minimum size as the
/// aggregates) of the asker's country and network, derived from the connection's address, for
/// the services asked about. The address is used for the lookup and the rate limit only: it is
/// neither stored nor logged, and the answer names only the country and the network.
async fn network(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    axum::extract::Query(query): axum::extract::Query<NetworkQuery>,
) -> Response {
    if !state.limiter.allow(peer.ip()) {
        return error(StatusCode::TOO_MANY_REQUESTS, "too many questions from this network; try again later");
    }
    let services: Vec<&str> = query.services.split(',').filter(|s| !s.is_empty()).collect();
    if services.is_empty()
        || services.len() > MAX_CONTEXT_SERVICES
        || !services.iter().all(|s| reachcheck_core::catalog::is_id(s))
    {
        return error(
            StatusCode::BAD_REQUEST,
            format!("services: 1 to {MAX_CONTEXT_SERVICES} service ids, comma-separated"),
        );
    }
    state.network_lookups.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let (cc, asn) = state.geo.locate(peer.ip());
    let day = today();
    let (asked_cc, asked_asn, asked_day) = (cc.clone(), asn.clone(), day.clone());
    let cells = state
        .blocking(move |state| state.store().network_cells(state.min_cell, &asked_cc, &asked_asn, &asked_day))
        .await;
    match cells {
        Ok(cells) => {
            let cells: Vec<_> =
                cells.into_iter().filter(|c| services.contains(&c.service_id.as_str())).collect();
            Json(json!({ "probe_cc": cc, "probe_asn": asn, "day": day, "min_cell": state.min_cell, "services": cells }))
                .into_response()
        }
        Err(err) => error(StatusCode::SERVICE_UNAVAILABLE, err),
    }
}

/// Today (UTC), `YYYY-MM-DD`.
fn today() -> String {
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_millis() as f64);
    reachcheck_core::anonymize::utc_hour(now_ms)[..10].to_owned()
}

async fn health(State(state): State<AppState>) -> Response {
    let lookups = state.network_lookups.load(std::sync::atomic::Ordering::Relaxed);
    match state.blocking(|state| state.store().count()).await {
        Ok(reports) => {
            Json(json!({ "status": "ok", "reports": reports, "network_lookups": lookups })).into_response()
        }
        Err(err) => error(StatusCode::SERVICE_UNAVAILABLE, err),
    }
}

async fn open_cors(request: Request, next: Next) -> Response {
    let preflight = request.method() == Method::OPTIONS;
    let mut response =
        if preflight { StatusCode::NO_CONTENT.into_response() } else { next.run(request).await };
    let headers = response.headers_mut();
    headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    if preflight {
        headers.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("GET, POST, OPTIONS"));
        headers.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, HeaderValue::from_static("content-type"));
        headers.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("86400"));
    }
    response
}

//! Opt-in submission of reports: a CORS-simple `POST` (text/plain JSON body) with fetch
//! `keepalive`, `navigator.sendBeacon` where that cannot be used, and an outbox in localStorage
//! for reports that could not be delivered, retried with backoff on later page loads and runs.
//! Collectors deduplicate by `report_id`, so a retry never counts twice.

use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast;

use super::storage::local_storage;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ReferrerPolicy, RequestCredentials, RequestInit, RequestMode, Response};

const OUTBOX_KEY: &str = "reachcheck.outbox.v1";
/// First retry after this long; doubled per attempt up to `MAX_BACKOFF_MS`.
const FIRST_BACKOFF_MS: f64 = 30_000.0;
const MAX_BACKOFF_MS: f64 = 6.0 * 3_600_000.0;
/// After this many failed attempts a report is given up (and the visitor told).
const MAX_ATTEMPTS: u32 = 12;
/// Browsers refuse keepalive bodies above 64 KiB in flight.
const KEEPALIVE_LIMIT: usize = 64 * 1024;

/// What became of a submission.
#[derive(Clone, Debug, PartialEq)]
pub enum Delivery {
    Sent,
    /// Not delivered now (network error, collector down or busy): kept for a retry.
    Queued,
    /// Not delivered now and not kept (the widget keeps nothing in other sites' storage): the
    /// visitor may try again.
    Unreachable,
    /// The collector refused the report; retrying would not help.
    Refused(String),
}

/// A collector's refusal: `{"error": "..."}`.
#[derive(Deserialize)]
struct ErrorBody {
    error: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct Pending {
    report_id: String,
    endpoint: String,
    body: String,
    attempts: u32,
    next_attempt_ms: f64,
}

/// How a submission is delivered: the app queues failures ([`submit`]); the widget, which
/// lives on other sites, sends once ([`send_once`]) so nothing lingers in their storage.
pub type Deliver = fn(String, String, String) -> futures::future::LocalBoxFuture<'static, Delivery>;

pub fn submit_or_queue(
    report_id: String,
    endpoint: String,
    body: String,
) -> futures::future::LocalBoxFuture<'static, Delivery> {
    Box::pin(async move { submit(&report_id, &endpoint, &body).await })
}

pub fn send_once(
    _report_id: String,
    endpoint: String,
    body: String,
) -> futures::future::LocalBoxFuture<'static, Delivery> {
    Box::pin(async move { send(&endpoint, &body).await })
}

/// Sends `body` (a report's JSON) now; queues it when that fails for a reason a retry may fix.
pub async fn submit(report_id: &str, endpoint: &str, body: &str) -> Delivery {
    let delivery = send(endpoint, body).await;
    if delivery != Delivery::Unreachable {
        return delivery;
    }
    let mut outbox = load_outbox();
    outbox.retain(|p| p.report_id != report_id);
    outbox.push(Pending {
        report_id: report_id.to_owned(),
        endpoint: endpoint.to_owned(),
        body: body.to_owned(),
        attempts: 1,
        next_attempt_ms: js_sys::Date::now() + FIRST_BACKOFF_MS,
    });
    save_outbox(&outbox);
    Delivery::Queued
}

/// Retries queued reports. `force` ignores the backoff (a new page load or run is the moment
/// the visitor expects a retry). Returns (delivered, still waiting, given up).
pub async fn retry_queued(force: bool) -> (usize, usize, usize) {
    let now = js_sys::Date::now();
    let mut outbox = load_outbox();
    let (mut delivered, mut given_up) = (0, 0);
    let mut waiting = Vec::new();
    for mut pending in outbox.drain(..) {
        if !force && pending.next_attempt_ms > now {
            waiting.push(pending);
            continue;
        }
        match send(&pending.endpoint, &pending.body).await {
            Delivery::Sent => delivered += 1,
            Delivery::Refused(_) => given_up += 1,
            Delivery::Unreachable | Delivery::Queued if pending.attempts + 1 >= MAX_ATTEMPTS => given_up += 1,
            Delivery::Unreachable | Delivery::Queued => {
                pending.attempts += 1;
                pending.next_attempt_ms = now + backoff_ms(pending.attempts);
                waiting.push(pending);
            }
        }
    }
    save_outbox(&waiting);
    (delivered, waiting.len(), given_up)
}

pub fn queued_count() -> usize {
    load_outbox().len()
}

fn backoff_ms(attempts: u32) -> f64 {
    (FIRST_BACKOFF_MS * 2f64.powi(attempts.min(20) as i32)).min(MAX_BACKOFF_MS)
}

async fn send(endpoint: &str, body: &str) -> Delivery {
    let Some(window) = web_sys::window() else { return Delivery::Unreachable };
    if body.len() >= KEEPALIVE_LIMIT {
        return beacon(endpoint, body);
    }
    let init = RequestInit::new();
    init.set_method("POST");
    // A string body is sent as text/plain: a CORS-simple request, no preflight.
    init.set_body(&body.into());
    // web-sys has no setter for keepalive: it lets the request outlive the page.
    let _ = js_sys::Reflect::set(&init, &"keepalive".into(), &true.into());
    init.set_mode(RequestMode::Cors);
    init.set_credentials(RequestCredentials::Omit);
    init.set_referrer_policy(ReferrerPolicy::NoReferrer);
    let promise = window.fetch_with_str_and_init(endpoint, &init);
    let response = match JsFuture::from(promise).await {
        Ok(value) => value.dyn_into::<Response>().ok(),
        Err(_) => return Delivery::Unreachable,
    };
    match response.map(|r| (r.status(), r)) {
        Some((200..=299, _)) => Delivery::Sent,
        Some((408 | 429 | 500..=599, _)) | None => Delivery::Unreachable,
        Some((status, response)) => {
            let text = match response.text() {
                Ok(promise) => {
                    JsFuture::from(promise).await.ok().and_then(|t| t.as_string()).unwrap_or_default()
                }
                Err(_) => String::new(),
            };
            let why = serde_json::from_str::<ErrorBody>(&text).map_or(text, |body| body.error);
            Delivery::Refused(format!("HTTP {status}: {why}"))
        }
    }
}

/// `sendBeacon` gives no answer, only whether the browser took the data: taken counts as sent.
fn beacon(endpoint: &str, body: &str) -> Delivery {
    let taken =
        web_sys::window().and_then(|w| w.navigator().send_beacon_with_opt_str(endpoint, Some(body)).ok());
    if taken == Some(true) {
        Delivery::Sent
    } else {
        Delivery::Unreachable
    }
}

fn load_outbox() -> Vec<Pending> {
    local_storage()
        .and_then(|s| s.get_item(OUTBOX_KEY).ok().flatten())
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

fn save_outbox(outbox: &[Pending]) {
    if let (Some(storage), Ok(json)) = (local_storage(), serde_json::to_string(outbox)) {
        let _ = if outbox.is_empty() {
            storage.remove_item(OUTBOX_KEY)
        } else {
            storage.set_item(OUTBOX_KEY, &json)
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_a_cap() {
        assert_eq!(backoff_ms(1), 60_000.0);
        assert_eq!(backoff_ms(2), 120_000.0);
        assert_eq!(backoff_ms(30), MAX_BACKOFF_MS);
    }
}

//! Opt-in submission of reports: a CORS-simple `POST` (text/plain JSON body) with fetch
//! `keepalive` and a deadline, `navigator.sendBeacon` where that cannot be used, and an outbox in
//! localStorage for reports that could not be delivered, retried with backoff on later page loads
//! and after runs. The outbox's rules (merge by report id, claims across tabs, backoff, giving
//! up) are core's pure state machine (`reachcheck_core::outbox`); this file carries out its
//! effects. Collectors deduplicate by `report_id` as well.

use std::cell::RefCell;
use std::rc::Rc;

use reachcheck_core::outbox::{
    apply_change, parse_stored, Effect, Event, Notice, Outbox, Pending, SendResult, SEND_DEADLINE_MS,
};
use serde::Deserialize;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ReferrerPolicy, RequestCredentials, RequestInit, RequestMode, Response};

use super::storage::local_storage;
use crate::probe::{within, AbortOnDrop};

const OUTBOX_KEY: &str = "reachcheck.outbox.v1";
/// Browsers refuse keepalive bodies above 64 KiB in flight.
const KEEPALIVE_LIMIT: usize = 64 * 1024;

/// What became of a submission.
#[derive(Clone, Debug, PartialEq)]
pub enum Delivery {
    Sent,
    /// Not delivered now (network error, no answer by the deadline, collector down or busy):
    /// kept for a retry.
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
    Box::pin(async move { send(&endpoint, &body, now() + SEND_DEADLINE_MS).await })
}

/// Sends `body` (a report's JSON) now; queues it when that fails for a reason a retry may fix.
pub async fn submit(report_id: &str, endpoint: &str, body: &str) -> Delivery {
    let delivery = send(endpoint, body, now() + SEND_DEADLINE_MS).await;
    if delivery != Delivery::Unreachable {
        return delivery;
    }
    let event = Event::Queue {
        report_id: report_id.into(),
        endpoint: endpoint.into(),
        body: body.into(),
        now_ms: now(),
    };
    carry_out(OUTBOX.with(|o| o.borrow_mut().update(event)), None);
    Delivery::Queued
}

thread_local! {
    /// This page's outbox state machine.
    static OUTBOX: RefCell<Outbox> = RefCell::new(Outbox::default());
}

/// Retries queued reports: on page load (`force`: a new visit is when the visitor expects it)
/// and when a run has finished, never during probes. `on_notice` hears what became of them.
pub fn retry_queued(force: bool, on_notice: Rc<dyn Fn(Notice)>) {
    let stored = load_outbox();
    if stored.is_empty() {
        return;
    }
    let event = Event::Retry { stored, now_ms: now(), force };
    carry_out(OUTBOX.with(|o| o.borrow_mut().update(event)), Some(on_notice));
}

/// Carries out the outbox's effects: a storage change at once (merged into what is stored
/// now), sends in the background with their deadline, whose outcomes go back to the outbox.
fn carry_out(effects: Vec<Effect>, on_notice: Option<Rc<dyn Fn(Notice)>>) {
    for effect in effects {
        match effect {
            Effect::Store(change) => {
                let mut stored = load_outbox();
                apply_change(&mut stored, change);
                save_outbox(&stored);
            }
            Effect::Send { report_id, endpoint, body, deadline_ms } => {
                let on_notice = on_notice.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let result = match send(&endpoint, &body, deadline_ms).await {
                        Delivery::Sent => SendResult::Delivered,
                        Delivery::Refused(why) => SendResult::Refused(why),
                        Delivery::Queued | Delivery::Unreachable => SendResult::Unreachable,
                    };
                    let event = Event::Sent { report_id, result, stored: load_outbox(), now_ms: now() };
                    carry_out(OUTBOX.with(|o| o.borrow_mut().update(event)), on_notice);
                });
            }
            Effect::Notify(notice) => {
                if let Some(on_notice) = &on_notice {
                    on_notice(notice);
                }
            }
        }
    }
}

fn now() -> f64 {
    js_sys::Date::now()
}

/// Sends once; no answer by `deadline_ms` (ms since the epoch) is [`Delivery::Unreachable`], and
/// the request is aborted.
async fn send(endpoint: &str, body: &str, deadline_ms: f64) -> Delivery {
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
    let Some(abort) = AbortOnDrop::new() else { return Delivery::Unreachable };
    init.set_signal(Some(&abort.signal()));
    let promise = window.fetch_with_str_and_init(endpoint, &init);
    let response = match within(deadline_ms - now(), JsFuture::from(promise)).await {
        Some(Ok(value)) => value.dyn_into::<Response>().ok(),
        Some(Err(_)) | None => return Delivery::Unreachable,
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
        .map_or_else(Vec::new, |t| parse_stored(&t))
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

//! `fetch` probe: a `no-cors` GET (any answer, even opaque, means the server was reached), or a
//! `cors` GET when the endpoint needs a 2xx status. No cookies, no referrer, no cache.

use gloo_net::http::{Request, RequestBuilder};
use reachcheck_core::catalog::Success;
use reachcheck_core::measurement::{Obstacle, Outcome, Phases, Sample};
use wasm_bindgen::JsCast;
use web_sys::{PerformanceResourceTiming, ReferrerPolicy, RequestCache, RequestCredentials, RequestMode};

use super::clock::{now_ms, within, AbortOnDrop};
use super::sample;

/// How long a CORS probe waits for the body to end, so its Resource Timing entry exists.
const PHASES_WAIT_MS: f64 = 1000.0;

/// A probe request: no cookies, no referrer, no cache, aborted with `signal` — the same for
/// every kind, so none of them can tell a server more about the visitor than another.
pub fn request(builder: RequestBuilder, mode: RequestMode, signal: &web_sys::AbortSignal) -> RequestBuilder {
    builder
        .mode(mode)
        .cache(RequestCache::NoStore)
        .credentials(RequestCredentials::Omit)
        .referrer_policy(ReferrerPolicy::NoReferrer)
        .abort_signal(Some(signal))
}

pub async fn attempt(url: &str, success: Success, timeout_ms: u32) -> Result<Sample, Obstacle> {
    let cors = success == Success::OkStatus;
    let abort = AbortOnDrop::new().ok_or(Obstacle::BrowserRefused)?;
    let signal = abort.signal();
    let mode = if cors { RequestMode::Cors } else { RequestMode::NoCors };
    let request = request(Request::get(url), mode, &signal);
    let start = now_ms();
    let sample = match within(f64::from(timeout_ms), request.send()).await {
        None => sample(Outcome::Timeout, start),
        Some(Err(_)) => failed(url, start),
        // Any status the page can see proves the path to the server works: an error status is
        // recorded and judged by the rules, never taken for a network failure.
        Some(Ok(response)) if cors => {
            let answered = Sample { status: Some(response.status()), ..sample(Outcome::Ok, start) };
            // The Resource Timing entry appears only once the body has ended.
            let _ = within(PHASES_WAIT_MS, response.binary()).await;
            Sample { phases: phases(url), ..answered }
        }
        Some(Ok(_opaque)) => Sample { phases: phases(url), ..sample(Outcome::Ok, start) },
    };
    Ok(sample)
}

/// A failed attempt, timed by the network stack when it can be: the entry a failed fetch leaves
/// in Resource Timing has its duration even without `Timing-Allow-Origin`. The page's own clock
/// reads late when the main thread is busy (rendering the previous result), which would spread
/// failures that happened together — the signature of a change of network — over tens of ms.
pub fn failed(url: &str, start: f64) -> Sample {
    let entry = web_sys::window()
        .and_then(|w| w.performance())
        .and_then(|p| p.get_entries_by_name(url).pop().dyn_into::<PerformanceResourceTiming>().ok());
    match entry.map(|e| e.duration()).filter(|ms| *ms > 0.0) {
        Some(elapsed_ms) => Sample::new(Outcome::Error, elapsed_ms),
        None => sample(Outcome::Error, start),
    }
}

/// Connection phases from Resource Timing; all zero (so `None`) unless the target sent
/// `Timing-Allow-Origin`.
pub fn phases(url: &str) -> Option<Phases> {
    let performance = web_sys::window()?.performance()?;
    let entry = performance.get_entries_by_name(url).pop().dyn_into::<PerformanceResourceTiming>().ok()?;
    if entry.request_start() <= 0.0 {
        return None;
    }
    let secure = entry.secure_connection_start();
    Some(Phases {
        dns_ms: entry.domain_lookup_end() - entry.domain_lookup_start(),
        connect_ms: entry.connect_end() - entry.connect_start(),
        tls_ms: (secure > 0.0).then(|| entry.connect_end() - secure),
        wait_ms: entry.response_start() - entry.request_start(),
    })
}

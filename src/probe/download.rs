//! `download` probe: a `no-cors` GET of a sizeable asset, from any host, CORS or not. The fetch
//! resolves at the headers; the browser keeps downloading the opaque body, and the request's
//! Resource Timing entry appears — with `responseEnd`, even without `Timing-Allow-Origin` —
//! only once the last byte has arrived (measured in Chromium 156, ../shared/BROWSER-FACTS.md).
//! No entry by the deadline: the body froze, or crawled slower than its size over the timeout.

use gloo_net::http::Request;
use reachcheck_core::measurement::{Obstacle, Outcome, Sample, Transfer, TransferEnd};
use wasm_bindgen::JsCast;
use web_sys::{PerformanceResourceTiming, RequestMode};

use super::clock::{now_ms, sleep_ms, within, AbortOnDrop};
use super::fetch::failed;
use super::sample;

/// How often the probe looks for the finished entry (its time comes from the entry itself).
const POLL_MS: f64 = 50.0;

/// `expected_bytes`: the asset's size from the catalog, used when the target does not expose
/// sizes (`Timing-Allow-Origin`); without either the rate is unknown and only a freeze shows.
pub async fn attempt(
    url: &str,
    expected_bytes: Option<u64>,
    timeout_ms: u32,
) -> Result<(Sample, Option<Transfer>), Obstacle> {
    // Dropped at the end: a frozen body must not hold its connection after the deadline.
    let abort = AbortOnDrop::new().ok_or(Obstacle::BrowserRefused)?;
    let signal = abort.signal();
    let request = super::fetch::request(Request::get(url), RequestMode::NoCors, &signal);
    let start = now_ms();
    let deadline = start + f64::from(timeout_ms);
    let headers = match within(f64::from(timeout_ms), request.send()).await {
        None => return Ok((sample(Outcome::Timeout, start), None)),
        Some(Err(_)) => return Ok((failed(url, start), None)),
        Some(Ok(_opaque)) => sample(Outcome::Ok, start),
    };
    let (end, last) = loop {
        if let Some(entry) = finished_entry(url) {
            let bytes = Some(entry.encoded_body_size() as u64).filter(|b| *b > 0).or(expected_bytes);
            break (TransferEnd::Complete, Some((entry.response_end() - start, bytes.unwrap_or(0))));
        }
        if now_ms() >= deadline {
            break (TransferEnd::Stalled, None);
        }
        sleep_ms(POLL_MS.min(deadline - now_ms())).await;
    };
    let mut points = vec![(headers.elapsed_ms, 0)];
    points.extend(last);
    let expected_bytes = last.map_or(expected_bytes.unwrap_or(0), |(_, bytes)| bytes);
    Ok((headers, Some(Transfer { points, expected_bytes, end })))
}

/// The request's Resource Timing entry, once its body has ended.
fn finished_entry(url: &str) -> Option<PerformanceResourceTiming> {
    let performance = web_sys::window()?.performance()?;
    let entry = performance.get_entries_by_name(url).pop().dyn_into::<PerformanceResourceTiming>().ok()?;
    (entry.response_end() > 0.0).then_some(entry)
}

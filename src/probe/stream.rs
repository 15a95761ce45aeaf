//! `stream` probe: a CORS GET whose body is read chunk by chunk, recording (time, bytes) points,
//! so throughput, slow starts and "stalled after N bytes" (the 16 KB freeze) can be judged.

use gloo_net::http::Request;
use js_sys::{Reflect, Uint8Array};
use reachcheck_core::measurement::{thin_points, Obstacle, Outcome, Sample, Transfer, TransferEnd};
use reachcheck_core::verdict::stall_window_ms;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ReadableStreamDefaultReader, RequestMode};

use super::clock::{now_ms, within, AbortOnDrop};
use super::sample;

/// Points kept per transfer: enough to draw it, small enough for a report.
const MAX_POINTS: usize = 48;

pub async fn attempt(
    url: &str,
    expected_bytes: u64,
    timeout_ms: u32,
) -> Result<(Sample, Option<Transfer>), Obstacle> {
    let abort = AbortOnDrop::new().ok_or(Obstacle::BrowserRefused)?;
    let signal = abort.signal();
    let request = super::fetch::request(Request::get(url), RequestMode::Cors, &signal);
    let start = now_ms();
    let deadline = start + f64::from(timeout_ms);
    let response = match within(f64::from(timeout_ms), request.send()).await {
        None => return Ok((sample(Outcome::Timeout, start), None)),
        Some(Err(_)) => return Ok((sample(Outcome::Error, start), None)),
        Some(Ok(response)) => response,
    };
    let status = Some(response.status());
    if !response.ok() {
        // The server answered (reached), but with no body worth timing: no transfer.
        return Ok((Sample { status, ..sample(Outcome::Ok, start) }, None));
    }
    let headers = Sample { status, ..sample(Outcome::Ok, start) };
    let mut points = vec![(headers.elapsed_ms, 0u64)];
    let end = match response
        .body()
        .and_then(|body| body.get_reader().dyn_into::<ReadableStreamDefaultReader>().ok())
    {
        Some(reader) => {
            read_body(&reader, start, deadline, expected_bytes, stall_window_ms(timeout_ms), &mut points)
                .await
        }
        None => TransferEnd::Complete,
    };
    let transfer = Transfer { points: thin_points(&points, MAX_POINTS), expected_bytes, end };
    // Phases exist only for bodies that ended (and targets that send Timing-Allow-Origin).
    let phases = if end == TransferEnd::Complete { super::fetch::phases(url) } else { None };
    Ok((Sample { phases, ..headers }, Some(transfer)))
}

async fn read_body(
    reader: &ReadableStreamDefaultReader,
    start: f64,
    deadline: f64,
    expected_bytes: u64,
    stall_ms: u32,
    points: &mut Vec<(f64, u64)>,
) -> TransferEnd {
    let mut bytes = 0u64;
    loop {
        let remaining = deadline - now_ms();
        if remaining <= 0.0 {
            return TransferEnd::Deadline;
        }
        let wait = remaining.min(f64::from(stall_ms));
        let chunk = match within(wait, JsFuture::from(reader.read())).await {
            None if wait < remaining => return TransferEnd::Stalled,
            None => return TransferEnd::Deadline,
            Some(Err(_)) => return TransferEnd::Error,
            Some(Ok(chunk)) => chunk,
        };
        if Reflect::get(&chunk, &"done".into()).ok().and_then(|d| d.as_bool()).unwrap_or(true) {
            return TransferEnd::Complete;
        }
        let length = Reflect::get(&chunk, &"value".into())
            .ok()
            .and_then(|v| v.dyn_into::<Uint8Array>().ok())
            .map_or(0, |v| u64::from(v.length()));
        bytes += length;
        points.push((now_ms() - start, bytes));
        if bytes >= expected_bytes {
            let _ = reader.cancel();
            return TransferEnd::Complete;
        }
    }
}

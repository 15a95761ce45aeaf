//! `upload` probe: a small `no-cors` GET shows the host answers, then a `no-cors` POST of
//! `upload_bytes` random bytes goes to the same host (on the connection the GET used, when the
//! browser keeps it). Any answer, even an opaque error page, means the upload got through; no
//! answer within the stall window is a freeze upstream — the count a censor keeps per connection, in
//! both directions, is passed by the client's own bytes here, whatever the server sends.

use gloo_net::http::Request;
use reachcheck_core::catalog::Success;
use reachcheck_core::measurement::{Obstacle, Outcome, Sample, Transfer, TransferEnd};
use web_sys::RequestMode;

use super::clock::{now_ms, within, AbortOnDrop};
use reachcheck_core::verdict::stall_window_ms;

pub async fn attempt(
    url: &str,
    upload_bytes: u32,
    timeout_ms: u32,
) -> Result<(Sample, Option<Transfer>), Obstacle> {
    let alive = super::fetch::attempt(url, Success::AnyResponse, timeout_ms).await?;
    if alive.outcome != Outcome::Ok {
        return Ok((alive, None));
    }
    let abort = AbortOnDrop::new().ok_or(Obstacle::BrowserRefused)?;
    let signal = abort.signal();
    let body = js_sys::Uint8Array::from(random_bytes(upload_bytes as usize).as_slice());
    let request = super::fetch::request(Request::post(url), RequestMode::NoCors, &signal)
        .body(body)
        .map_err(|_| Obstacle::BrowserRefused)?;
    let start = now_ms();
    // An upload whose answer has not come for the stall window is frozen, as a stream whose
    // bytes stopped is (the window still lets 32 KiB through at 6.5 kB/s).
    let (end, answered) = match within(f64::from(stall_window_ms(timeout_ms)), request.send()).await {
        None => (TransferEnd::Stalled, None),
        Some(Err(_)) => (TransferEnd::Error, None),
        Some(Ok(_)) => (TransferEnd::Complete, Some((now_ms() - start, u64::from(upload_bytes)))),
    };
    let mut points = vec![(0.0, 0)];
    points.extend(answered);
    Ok((alive, Some(Transfer { points, expected_bytes: u64::from(upload_bytes), end })))
}

/// Random bytes (`crypto.getRandomValues` takes at most 64 KiB a call): nothing on the path
/// can compress or recognise them.
fn random_bytes(len: usize) -> Vec<u8> {
    let mut bytes = vec![0u8; len];
    let crypto = web_sys::window().and_then(|w| w.crypto().ok());
    if let Some(crypto) = crypto {
        for chunk in bytes.chunks_mut(65_536) {
            let _ = crypto.get_random_values_with_u8_array(chunk);
        }
    }
    bytes
}

//! Browser probes, one kind per file. Each measures one endpoint and returns plain
//! [`Measurement`] data; judging it is `reachcheck-core`'s job.

pub(crate) mod clock;
pub mod diagnose;
mod download;
mod fetch;
mod image;
pub mod run;
mod stream;
mod upload;
mod webrtc;
mod websocket;

pub use clock::{first_of, now_ms, sleep_ms, within, AbortOnDrop};
use reachcheck_core::catalog::{Endpoint, ProbeKind, DEFAULT_UPLOAD_BYTES};
use reachcheck_core::measurement::{Measurement, Obstacle, Outcome, Sample};

/// Measures one endpoint: up to its number of samples, one after another. A timed-out
/// endpoint is not tried again: the run would otherwise take samples × timeout. Each sample
/// records when it started relative to `run_start_ms` (a `performance.now()` reading).
pub async fn measure(endpoint: &Endpoint, run_start_ms: f64) -> Measurement {
    let mut measurement = Measurement {
        endpoint_id: endpoint.id.clone(),
        kind: endpoint.kind,
        timeout_ms: endpoint.timeout_ms,
        obstacle: None,
        samples: Vec::new(),
        transfer: None,
        ice: None,
    };
    if let Some(obstacle) = obstacle_before_probing(endpoint) {
        measurement.obstacle = Some(obstacle);
        return measurement;
    }
    for _ in 0..endpoint.samples() {
        let url = cache_busted(&endpoint.url);
        let at_ms = Some(now_ms() - run_start_ms);
        let attempt = match endpoint.kind {
            ProbeKind::Fetch => {
                fetch::attempt(&url, endpoint.success(), endpoint.timeout_ms).await.map(|s| (s, None))
            }
            ProbeKind::Image => image::attempt(&url, endpoint.timeout_ms).await.map(|s| (s, None)),
            ProbeKind::Websocket => websocket::attempt(endpoint).await.map(|s| (s, None)),
            ProbeKind::Webrtc => webrtc::attempt(endpoint).await.map(|(sample, ice)| {
                measurement.ice = Some(ice);
                (sample, None)
            }),
            ProbeKind::Stream => {
                let expected = endpoint.expected_bytes.unwrap_or(u64::MAX);
                stream::attempt(&url, expected, endpoint.timeout_ms).await
            }
            ProbeKind::Download => {
                download::attempt(&url, endpoint.expected_bytes, endpoint.timeout_ms).await
            }
            ProbeKind::Upload => {
                let bytes = endpoint.upload_bytes.unwrap_or(DEFAULT_UPLOAD_BYTES);
                upload::attempt(&url, bytes, endpoint.timeout_ms).await
            }
        };
        // Transfer kinds return their transfer beside the sample.
        let attempt = attempt.map(|(sample, transfer)| {
            if transfer.is_some() {
                measurement.transfer = transfer;
            }
            sample
        });
        match attempt {
            Ok(sample) => {
                let sample = Sample { at_ms, ..sample };
                let timed_out = sample.outcome == Outcome::Timeout;
                measurement.samples.push(sample);
                if timed_out {
                    break;
                }
            }
            Err(obstacle) => {
                measurement.obstacle = Some(obstacle);
                break;
            }
        }
    }
    measurement
}

/// What the browser would refuse anyway: say so instead of probing.
fn obstacle_before_probing(endpoint: &Endpoint) -> Option<Obstacle> {
    match endpoint.target() {
        Ok(target) if target.is_bad_port() => Some(Obstacle::BadPort),
        Ok(_) => None,
        Err(_) => Some(Obstacle::BrowserRefused),
    }
}

/// A unique query parameter, so no cache (the browser's or a proxy's) answers for the network.
fn cache_busted(url: &str) -> String {
    let nonce = (js_sys::Math::random() * 1e12) as u64;
    let (base, fragment) = url.split_once('#').map_or((url, ""), |(b, f)| (b, f));
    let separator = if base.contains('?') { '&' } else { '?' };
    let fragment = if fragment.is_empty() { String::new() } else { format!("#{fragment}") };
    format!("{base}{separator}rc={nonce:x}{fragment}")
}

/// A sample that started at `start_ms` and ends now with `outcome`.
fn sample(outcome: Outcome, start_ms: f64) -> Sample {
    sample_after(outcome, now_ms() - start_ms)
}

/// A sample with `outcome` after `elapsed_ms`.
fn sample_after(outcome: Outcome, elapsed_ms: f64) -> Sample {
    Sample::new(outcome, elapsed_ms)
}

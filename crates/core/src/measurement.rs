//! What a browser probe observed, in plain data: the input of the verdict rules.

use serde::{Deserialize, Serialize};

use crate::catalog::ProbeKind;

/// One attempt of a probe.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sample {
    pub outcome: Outcome,
    /// Milliseconds from the start of the attempt to its outcome (response headers, `load`,
    /// `open`, the error event, or the deadline).
    pub elapsed_ms: f64,
    /// HTTP status, when the target let the page see it (CORS); opaque answers have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// Connection phases from Resource Timing, when the target allows it (`Timing-Allow-Origin`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phases: Option<Phases>,
    /// WebSocket close code of a failed opening (1006: closed without a handshake).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub close_code: Option<u16>,
    /// When the attempt started, in milliseconds since the run began: lets the rules see which
    /// attempts were in flight together (a change of network fails them all at one instant).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_ms: Option<f64>,
}

impl Sample {
    pub fn new(outcome: Outcome, elapsed_ms: f64) -> Sample {
        Sample { outcome, elapsed_ms, status: None, phases: None, close_code: None, at_ms: None }
    }

    /// When the attempt ended, in milliseconds since the run began (if its start is known).
    pub fn end_ms(&self) -> Option<f64> {
        self.at_ms.map(|at| at + self.elapsed_ms)
    }

    /// An HTTP status outside 2xx: the server answered, but with an error.
    pub fn error_status(&self) -> Option<u16> {
        self.status.filter(|s| !(200..300).contains(s))
    }
}

/// Where the time of a successful request went (milliseconds), from Resource Timing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Phases {
    pub dns_ms: f64,
    pub connect_ms: f64,
    /// Part of `connect_ms` spent on the TLS handshake; absent for plain http.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_ms: Option<f64>,
    /// From sending the request to the first byte of the response.
    pub wait_ms: f64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The target answered: any HTTP answer (with `status` when CORS lets the page see it, an
    /// error status included: the path to the server works), a loaded image, an open WebSocket.
    Ok,
    /// The browser reported a failure (fetch `TypeError`, image `error`, WebSocket close 1006).
    Error,
    /// Nothing happened before the deadline; the probe aborted the attempt.
    Timeout,
}

/// Transfers shorter than this cannot be timed meaningfully.
const MIN_TIMED_SECONDS: f64 = 0.005;

/// The data a transfer kind moved: how many bytes, when, and how the transfer ended. A
/// `stream` records points as its body arrives; a `download` only its headers and its last
/// byte (all a page sees of an opaque body); an `upload` its start and the answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Transfer {
    /// (milliseconds since the attempt started, bytes moved so far); the first point is at
    /// the response headers (an upload's at its start), the last at the end. Thinned to a few
    /// dozen points.
    pub points: Vec<(f64, u64)>,
    pub expected_bytes: u64,
    pub end: TransferEnd,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransferEnd {
    /// All expected bytes arrived (or the body ended normally).
    Complete,
    /// No byte arrived for the stall window while the body was unfinished.
    Stalled,
    /// The deadline came while bytes were still arriving.
    Deadline,
    /// The body broke off with an error (e.g. a reset in mid-transfer).
    Error,
}

impl Transfer {
    pub fn bytes(&self) -> u64 {
        self.points.last().map_or(0, |&(_, bytes)| bytes)
    }

    /// Body bytes per second, measured from the response headers to the last byte.
    pub fn throughput_bps(&self) -> Option<f64> {
        let (&(first_ms, first_bytes), &(last_ms, last_bytes)) = (self.points.first()?, self.points.last()?);
        let seconds = (last_ms - first_ms) / 1000.0;
        // Below a few ms the clock's coarseness (and loopback) makes the ratio meaningless.
        (seconds >= MIN_TIMED_SECONDS && last_bytes > first_bytes)
            .then(|| (last_bytes - first_bytes) as f64 / seconds)
    }

    /// A rate the transfer reached at least: its throughput, or for one too fast to time (a
    /// fast network moves a control's body in under a millisecond) its bytes over the shortest
    /// time that can be timed. A yardstick for others, never a figure to show.
    pub fn throughput_at_least_bps(&self) -> Option<f64> {
        self.throughput_bps().or_else(|| {
            let (first, last) = (self.points.first()?.1, self.points.last()?.1);
            (last > first).then(|| (last - first) as f64 / MIN_TIMED_SECONDS)
        })
    }
}

/// Why a probe could not measure at all: the browser or the page stopped it, not the network.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Obstacle {
    /// The port is a Fetch "bad port": the browser refuses it without sending anything.
    BadPort,
    /// A `securitypolicyviolation` event: the page's Content-Security-Policy blocked the request.
    ContentSecurityPolicy,
    /// An http/ws target from an https page.
    MixedContent,
    /// The browser refused the URL itself (e.g. `new WebSocket` threw).
    BrowserRefused,
}

crate::names::json_names! {
    Outcome { Ok => "ok", Error => "error", Timeout => "timeout" }
    TransferEnd { Complete => "complete", Stalled => "stalled", Deadline => "deadline", Error => "error" }
    Obstacle { BadPort => "bad_port", ContentSecurityPolicy => "content_security_policy",
               MixedContent => "mixed_content", BrowserRefused => "browser_refused" }
}

/// Everything measured for one endpoint in one run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Measurement {
    pub endpoint_id: String,
    pub kind: ProbeKind,
    pub timeout_ms: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub obstacle: Option<Obstacle>,
    pub samples: Vec<Sample>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transfer: Option<Transfer>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ice: Option<Ice>,
}

/// What ICE gathering showed a `webrtc` probe.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Ice {
    /// Local (`host`) candidates seen; none at all means the browser hides them (a privacy
    /// policy such as `disable_non_proxied_udp`), so nothing can be concluded.
    pub host_candidates: usize,
    /// Milliseconds from `setLocalDescription` to the first server-reflexive candidate: UDP
    /// reached the STUN server and back (a rough round trip plus 10–50 ms of browser overhead).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub srflx_ms: Option<f64>,
    /// Milliseconds to the first `relay` candidate (a TURN allocation succeeded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relay_ms: Option<f64>,
    /// `icecandidateerror` codes seen (701: no answer from the server).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub error_codes: Vec<u16>,
}

impl Measurement {
    pub fn ok_samples(&self) -> impl Iterator<Item = &Sample> {
        self.samples.iter().filter(|s| s.outcome == Outcome::Ok)
    }

    pub fn reached(&self) -> bool {
        self.ok_samples().next().is_some()
    }
}

/// Median of the values (NaNs ignored); `None` for none.
pub fn median(values: impl IntoIterator<Item = f64>) -> Option<f64> {
    let values = crate::sorting::sorted_by_key(values.into_iter().filter(|v| !v.is_nan()), |v| *v);
    if values.is_empty() {
        return None;
    }
    let mid = values.len() / 2;
    Some(if values.len().is_multiple_of(2) { (values[mid - 1] + values[mid]) / 2.0 } else { values[mid] })
}

/// Thins transfer points to at most `max` (keeping the first and the last), so a report stays
/// small whatever the chunking of the body was.
pub fn thin_points(points: &[(f64, u64)], max: usize) -> Vec<(f64, u64)> {
    if points.len() <= max || max < 2 {
        return points.to_vec();
    }
    let step = (points.len() - 1) as f64 / (max - 1) as f64;
    (0..max).map(|i| points[((i as f64 * step).round() as usize).min(points.len() - 1)]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_even_and_empty() {
        assert_eq!(median([3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median([4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(median([f64::NAN]), None);
        assert_eq!(median([]), None);
    }

    #[test]
    fn throughput_runs_from_headers_to_last_byte() {
        let transfer = Transfer {
            points: vec![(100.0, 0), (600.0, 50_000), (1100.0, 100_000)],
            expected_bytes: 100_000,
            end: TransferEnd::Complete,
        };
        assert_eq!(transfer.bytes(), 100_000);
        assert_eq!(transfer.throughput_bps(), Some(100_000.0));
        let instant = Transfer { points: vec![(5.0, 0), (5.0, 10)], ..transfer };
        assert_eq!(instant.throughput_bps(), None);
    }

    #[test]
    fn thinning_keeps_ends_and_bounds_size() {
        let points: Vec<(f64, u64)> = (0..1000).map(|i| (i as f64, i * 10)).collect();
        let thin = thin_points(&points, 32);
        assert_eq!(thin.len(), 32);
        assert_eq!((thin[0], thin[31]), (points[0], points[999]));
        assert_eq!(thin_points(&points[..5], 32).len(), 5);
    }
}

//! Verdict rules: from what probes observed to `ok` / `slow` / `throttled` / `stalled` /
//! `blocked` / `inconclusive`. `docs/verdicts.md` states every rule and why; keep them together.
//!
//! The rules are relative to the controls of the same run wherever they can be: a browser sees
//! only *how* a request failed (fast error or no answer), never *why*.

use serde::{Deserialize, Serialize};

use crate::catalog::{ControlScope, ProbeKind};
use crate::measurement::{median, Measurement, Obstacle, Outcome, Sample, Transfer, TransferEnd};

/// Slow: the median answer took more than `SLOW_FACTOR` × the controls' median …
pub const SLOW_FACTOR: f64 = 5.0;
/// … and more than the controls' median plus this margin (so fast networks are not judged on
/// a few milliseconds of jitter).
pub const SLOW_MARGIN_MS: f64 = 1000.0;
/// Fast failure: an error within `FAST_FAIL_FACTOR` × the controls' median …
pub const FAST_FAIL_FACTOR: f64 = 3.0;
/// … or within this many milliseconds, whichever is larger.
pub const FAST_FAIL_FLOOR_MS: f64 = 1000.0;
/// Throttled: throughput below this floor (640 kbit/s: above the 512 kbit/s at which Russia
/// capped YouTube over QUIC in August 2024 — 128 kbit/s over TCP — and below the ~1 Mbit/s a
/// 480p video needs; docs/verdicts.md, "Throughput") while the controls moved data at least
/// `FLOOR_CONTROL_FACTOR` times faster (or were not measured) …
pub const THROTTLE_FLOOR_BPS: f64 = 80_000.0;
pub const FLOOR_CONTROL_FACTOR: f64 = 2.0;
/// … or below the controls' throughput divided by this, when also below `THROTTLE_RATIO_CAP_BPS`.
pub const THROTTLE_RATIO: f64 = 10.0;
pub const THROTTLE_RATIO_CAP_BPS: f64 = 1_000_000.0;
/// Throughput is only judged on transfers of at least this many bytes (or cut by the deadline).
pub const MIN_THROUGHPUT_BYTES: u64 = 64 * 1024;

/// How long a stream probe waits without a new byte before it calls the transfer stalled.
pub fn stall_window_ms(timeout_ms: u32) -> u32 {
    (timeout_ms / 3).clamp(1000, 5000)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Verdict {
    Ok,
    Slow,
    Throttled,
    Stalled,
    Blocked,
    /// A call path: UDP to the STUN server fails, but a TURN relay (TCP/TLS) works.
    RelayOnly,
    Inconclusive,
}

/// How a probe failed, as far as a page can see.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Failure {
    /// No answer before the deadline: typical of DPI dropping packets.
    Timeout,
    /// An error about as fast as a round trip: a reset, a refused connection, NXDOMAIN.
    FastFail,
    /// An error, but slower than a round trip (e.g. a reset after a TLS handshake stalled).
    SlowFail,
}

/// Why a verdict is `inconclusive`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Reason {
    /// No control answered: the network itself looks down.
    ControlsFailed,
    /// Only domestic controls answered: all foreign traffic looks cut off, so a failure says
    /// nothing about this service in particular.
    InternationalDown,
    /// The probe did not run (the run was cancelled).
    NotRun,
    BadPort,
    ContentSecurityPolicy,
    MixedContent,
    BrowserRefused,
    /// The browser shows no ICE candidates at all (a WebRTC privacy policy): a call path cannot
    /// be judged, never "blocked".
    CandidatesHidden,
    /// The server answered with an HTTP error status, so what the probe exists to measure (a
    /// transfer) could not be measured; the path to the server works.
    ServerError,
    /// A canary failed while the controls answered: the visitor's browser or an extension blocks
    /// requests, and this endpoint's host is on the lists such blockers use.
    ContentBlocker,
    /// The network changed while the request was in flight (the browser fails every pending
    /// request at that instant): run again.
    NetworkChanged,
    /// The endpoint failed in the catalog's baseline too, from an uncensored network: it is
    /// broken for everyone, not blocked for this visitor.
    EndpointBroken,
    /// A call path failed, and so did every call-path (STUN) control: UDP does not get through
    /// on this network at all, so nothing singles out this service's servers.
    UdpDown,
    /// The host answered a small request, but the connection broke off during the upload: a
    /// server limit or a reset, which a page cannot tell apart (a freeze gets no answer at all).
    UploadRefused,
}

impl From<Obstacle> for Reason {
    fn from(obstacle: Obstacle) -> Reason {
        match obstacle {
            Obstacle::BadPort => Reason::BadPort,
            Obstacle::ContentSecurityPolicy => Reason::ContentSecurityPolicy,
            Obstacle::MixedContent => Reason::MixedContent,
            Obstacle::BrowserRefused => Reason::BrowserRefused,
        }
    }
}

crate::names::json_names! {
    Verdict { Ok => "ok", Slow => "slow", Throttled => "throttled", Stalled => "stalled",
              Blocked => "blocked", RelayOnly => "relay_only", Inconclusive => "inconclusive" }
    Failure { Timeout => "timeout", FastFail => "fast_fail", SlowFail => "slow_fail" }
    Reason { ControlsFailed => "controls_failed", InternationalDown => "international_down",
             NotRun => "not_run", BadPort => "bad_port", ContentSecurityPolicy => "content_security_policy",
             MixedContent => "mixed_content", BrowserRefused => "browser_refused",
             CandidatesHidden => "candidates_hidden", ServerError => "server_error",
             ContentBlocker => "content_blocker", NetworkChanged => "network_changed",
             EndpointBroken => "endpoint_broken", UdpDown => "udp_down",
             UploadRefused => "upload_refused" }
    ServiceStatus { Reachable => "reachable", Slow => "slow", Throttled => "throttled",
                    Partial => "partial", Blocked => "blocked", RelayOnly => "relay_only",
                    Inconclusive => "inconclusive" }
    Connection { Usable => "usable", InternationalDown => "international_down", Down => "down" }
}

/// What the controls of a run showed: the yardstick for every other endpoint.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ControlReference {
    pub global_reached: usize,
    pub global_total: usize,
    pub domestic_reached: usize,
    pub domestic_total: usize,
    /// Median time to an answer over every successful control sample.
    pub median_ms: Option<f64>,
    /// Best throughput of a control `stream` endpoint.
    pub throughput_bps: Option<f64>,
    /// Call-path (`webrtc`) controls answered / in all. They are a separate yardstick: UDP can be
    /// cut on a network where every web control answers (and the other way round).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub udp_reached: usize,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub udp_total: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// What the controls of a run say about the visitor's connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Connection {
    /// At least one global control answered (or there are only domestic ones and one answered).
    Usable,
    /// Only domestic controls answered: an allow-list, or all foreign traffic cut.
    InternationalDown,
    /// No control answered.
    Down,
}

impl ControlReference {
    pub fn from_controls<'a>(controls: impl IntoIterator<Item = (ControlScope, &'a Measurement)>) -> Self {
        let mut reference = ControlReference::default();
        let mut times = Vec::new();
        for (scope, measurement) in controls {
            let reached = measurement.reached();
            if measurement.kind == ProbeKind::Webrtc {
                reference.udp_total += 1;
                reference.udp_reached += usize::from(reached);
                continue;
            }
            let (done, total) = match scope {
                ControlScope::Global => (&mut reference.global_reached, &mut reference.global_total),
                ControlScope::Domestic => (&mut reference.domestic_reached, &mut reference.domestic_total),
            };
            *total += 1;
            *done += usize::from(reached);
            times.extend(measurement.ok_samples().map(|s| s.elapsed_ms));
            // Only whole downloads: a stalled one has a burst rate that says nothing (the 16 KB
            // freeze delivers its first bytes at full speed), and uplinks are often far slower
            // than downlinks by design.
            let complete = measurement
                .transfer
                .as_ref()
                .filter(|t| t.end == TransferEnd::Complete && measurement.kind != ProbeKind::Upload);
            if let Some(bps) = complete.and_then(Transfer::throughput_at_least_bps) {
                reference.throughput_bps = Some(reference.throughput_bps.map_or(bps, |best| best.max(bps)));
            }
        }
        reference.median_ms = median(times);
        reference
    }

    /// There are call-path controls and none of them answered.
    pub fn udp_down(&self) -> bool {
        self.udp_total > 0 && self.udp_reached == 0
    }

    /// Whether the controls show a usable network (so a failure elsewhere means something).
    pub fn network_usable(&self) -> bool {
        self.connection() == Connection::Usable
    }

    /// Why nothing can be judged on this connection: `None` when it is usable.
    pub fn unusable_reason(&self) -> Option<Reason> {
        match self.connection() {
            Connection::Usable => None,
            Connection::InternationalDown => Some(Reason::InternationalDown),
            Connection::Down => Some(Reason::ControlsFailed),
        }
    }

    pub fn connection(&self) -> Connection {
        if self.global_reached > 0 || (self.global_total == 0 && self.domestic_reached > 0) {
            Connection::Usable
        } else if self.domestic_reached > 0 {
            Connection::InternationalDown
        } else {
            Connection::Down
        }
    }

    fn slow_limit_ms(&self) -> Option<f64> {
        self.median_ms.map(|ms| (ms * SLOW_FACTOR).max(ms + SLOW_MARGIN_MS))
    }

    /// An error faster than this is a fast failure (about a round trip).
    pub fn fast_fail_limit_ms(&self) -> f64 {
        self.median_ms.map_or(FAST_FAIL_FLOOR_MS, |ms| (ms * FAST_FAIL_FACTOR).max(FAST_FAIL_FLOOR_MS))
    }
}

/// The verdict on one endpoint, with the evidence it rests on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EndpointVerdict {
    pub verdict: Verdict,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<Failure>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<Reason>,
    /// Median time to a successful answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub median_ms: Option<f64>,
    /// Slowest minus fastest successful answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spread_ms: Option<f64>,
    /// Median time to the failure, for failed endpoints.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failed_after_ms: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub throughput_bps: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bytes: Option<u64>,
    /// An HTTP error status the server answered with (CORS targets only): reached, not blocked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// How a `blocked` endpoint is blocked, when its host was diagnosed (crate::diagnosis).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<crate::diagnosis::Method>,
    pub samples: usize,
    pub failed_samples: usize,
}

impl EndpointVerdict {
    fn new(verdict: Verdict, measurement: &Measurement) -> Self {
        let ok_times: Vec<f64> = measurement.ok_samples().map(|s| s.elapsed_ms).collect();
        let failed_times =
            measurement.samples.iter().filter(|s| s.outcome != Outcome::Ok).map(|s| s.elapsed_ms);
        let spread = ok_times.iter().copied().fold(None, |acc: Option<(f64, f64)>, t| {
            Some(acc.map_or((t, t), |(lo, hi)| (lo.min(t), hi.max(t))))
        });
        EndpointVerdict {
            verdict,
            failure: None,
            reason: None,
            median_ms: median(ok_times.iter().copied()),
            spread_ms: spread.map(|(lo, hi)| hi - lo),
            failed_after_ms: median(failed_times),
            throughput_bps: measurement.transfer.as_ref().and_then(Transfer::throughput_bps),
            bytes: measurement.transfer.as_ref().map(Transfer::bytes),
            status: measurement.ok_samples().find_map(Sample::error_status),
            method: None,
            samples: measurement.samples.len(),
            failed_samples: measurement.samples.len() - ok_times.len(),
        }
    }

    /// An endpoint a settled run did not wait for: its verdict was decided by the controls
    /// alone (docs/verdicts.md, "runs that end when settled"); nothing was measured.
    pub fn unmeasured(reason: Reason) -> Self {
        EndpointVerdict {
            verdict: Verdict::Inconclusive,
            failure: None,
            reason: Some(reason),
            median_ms: None,
            spread_ms: None,
            failed_after_ms: None,
            throughput_bps: None,
            bytes: None,
            status: None,
            method: None,
            samples: 0,
            failed_samples: 0,
        }
    }

    fn with_failure(mut self, failure: Failure) -> Self {
        self.failure = Some(failure);
        self
    }

    fn with_reason(mut self, reason: Reason) -> Self {
        self.reason = Some(reason);
        self
    }

    /// A failure that is explained by something other than the network path (see
    /// `crate::attribution`): `inconclusive` with that reason, the failure class kept.
    pub fn explained_by(mut self, reason: Reason) -> Self {
        self.verdict = Verdict::Inconclusive;
        self.reason = Some(reason);
        self
    }

    /// The endpoint was not reached although it should have been: `blocked`, or a transfer that
    /// broke off (`stalled`).
    pub fn is_failure(&self) -> bool {
        matches!(self.verdict, Verdict::Blocked | Verdict::Stalled)
    }
}

/// Judges one endpoint against the run's controls.
pub fn judge(measurement: &Measurement, reference: &ControlReference) -> EndpointVerdict {
    let verdict = |v| EndpointVerdict::new(v, measurement);
    if let Some(obstacle) = measurement.obstacle {
        return verdict(Verdict::Inconclusive).with_reason(obstacle.into());
    }
    if measurement.samples.is_empty() {
        return verdict(Verdict::Inconclusive).with_reason(Reason::NotRun);
    }
    if let Some(ice) = measurement.ice.as_ref().filter(|_| measurement.kind == ProbeKind::Webrtc) {
        if ice.srflx_ms.is_some() {
            return verdict(Verdict::Ok);
        }
        if ice.relay_ms.is_some() {
            return verdict(Verdict::RelayOnly);
        }
        if ice.host_candidates == 0 {
            return verdict(Verdict::Inconclusive).with_reason(Reason::CandidatesHidden);
        }
    }
    if measurement.reached() {
        // A transfer kind that got an error status has no transfer to judge: the server was
        // reached, but the throughput it exists to measure is unknown.
        if measurement.kind.is_transfer() && measurement.transfer.is_none() {
            return verdict(Verdict::Inconclusive).with_reason(Reason::ServerError);
        }
        return reached_verdict(measurement, reference);
    }
    let failure = failure_class(measurement, reference);
    match reference.connection() {
        Connection::Usable if measurement.kind == ProbeKind::Webrtc && reference.udp_down() => {
            verdict(Verdict::Inconclusive).with_failure(failure).with_reason(Reason::UdpDown)
        }
        Connection::Usable => verdict(Verdict::Blocked).with_failure(failure),
        Connection::InternationalDown | Connection::Down => {
            let reason = reference.unusable_reason().unwrap_or(Reason::ControlsFailed);
            verdict(Verdict::Inconclusive).with_failure(failure).with_reason(reason)
        }
    }
}

/// The target answered at least once: judge speed, and the transfer if there was one.
fn reached_verdict(measurement: &Measurement, reference: &ControlReference) -> EndpointVerdict {
    let verdict = |v| EndpointVerdict::new(v, measurement);
    let upload = measurement.kind == ProbeKind::Upload;
    if let Some(transfer) = &measurement.transfer {
        match (transfer.end, upload) {
            (TransferEnd::Error, true) => {
                return verdict(Verdict::Inconclusive).with_reason(Reason::UploadRefused)
            }
            (TransferEnd::Stalled | TransferEnd::Error, _) => return verdict(Verdict::Stalled),
            // Uploads are judged for freezes only (see ControlReference::from_controls).
            (_, true) => {}
            (TransferEnd::Complete | TransferEnd::Deadline, false) => match throughput(transfer, reference) {
                Throughput::Throttled => return verdict(Verdict::Throttled),
                Throughput::NetworkSlow => return verdict(Verdict::Slow),
                // Still receiving at the deadline, but not measurably throttled: slow, never blocked.
                Throughput::Fine if transfer.end == TransferEnd::Deadline => return verdict(Verdict::Slow),
                Throughput::Fine => {}
            },
        }
    }
    let median_ms = median(measurement.ok_samples().map(|s| s.elapsed_ms));
    match (median_ms, reference.slow_limit_ms()) {
        (Some(ms), Some(limit)) if ms > limit => verdict(Verdict::Slow),
        _ => verdict(Verdict::Ok),
    }
}

/// How a download's rate compares with what the run's controls showed.
#[derive(Debug, PartialEq)]
enum Throughput {
    Fine,
    Throttled,
    /// Below the floor, but so are the controls: the visitor's whole connection is slow.
    NetworkSlow,
}

fn throughput(transfer: &Transfer, reference: &ControlReference) -> Throughput {
    let judgeable = transfer.bytes() >= MIN_THROUGHPUT_BYTES || transfer.end == TransferEnd::Deadline;
    let Some(bps) = transfer.throughput_bps().filter(|_| judgeable) else {
        return Throughput::Fine;
    };
    let control = reference.throughput_bps;
    if control.is_some_and(|control| bps < control / THROTTLE_RATIO && bps < THROTTLE_RATIO_CAP_BPS) {
        return Throughput::Throttled;
    }
    match control {
        _ if bps >= THROTTLE_FLOOR_BPS => Throughput::Fine,
        Some(control) if control < bps * FLOOR_CONTROL_FACTOR => Throughput::NetworkSlow,
        _ => Throughput::Throttled,
    }
}

fn failure_class(measurement: &Measurement, reference: &ControlReference) -> Failure {
    if measurement.samples.iter().any(|s| s.outcome == Outcome::Timeout) {
        return Failure::Timeout;
    }
    let failed_after = median(measurement.samples.iter().map(|s| s.elapsed_ms)).unwrap_or(f64::INFINITY);
    if failed_after <= reference.fast_fail_limit_ms() {
        Failure::FastFail
    } else {
        Failure::SlowFail
    }
}

/// What the visitor is told about a whole service.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ServiceStatus {
    Reachable,
    Slow,
    /// Reached, but transfers are throttled or stall.
    Throttled,
    /// Some endpoints blocked while others answer.
    Partial,
    Blocked,
    /// Calls: direct UDP fails, relayed calls may work.
    RelayOnly,
    Inconclusive,
}

/// A service's verdict and the counts an explanation is built from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServiceSummary {
    pub status: ServiceStatus,
    pub endpoints: usize,
    /// Endpoints that answered normally (`ok`).
    pub reachable: usize,
    /// Endpoints that answered but slowly, throttled or stalled.
    pub degraded: usize,
    pub blocked: usize,
    pub inconclusive: usize,
    /// The most common failure among blocked endpoints.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<Failure>,
    /// The most common reason among inconclusive endpoints.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<Reason>,
    /// Median over the answering endpoints' median times.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub median_ms: Option<f64>,
}

pub fn summarize(verdicts: &[&EndpointVerdict]) -> ServiceSummary {
    let count = |wanted: &[Verdict]| verdicts.iter().filter(|v| wanted.contains(&v.verdict)).count();
    let reachable = count(&[Verdict::Ok]);
    let slow = count(&[Verdict::Slow]);
    let throttled = count(&[Verdict::Throttled, Verdict::Stalled]);
    let blocked = count(&[Verdict::Blocked]);
    let inconclusive = count(&[Verdict::Inconclusive]);
    let relayed = count(&[Verdict::RelayOnly]);
    let answered = reachable + slow + throttled;
    let status = if blocked + answered + relayed == 0 {
        ServiceStatus::Inconclusive
    } else if relayed > 0 && answered == 0 {
        ServiceStatus::RelayOnly
    } else if blocked > 0 {
        if answered > 0 {
            ServiceStatus::Partial
        } else {
            ServiceStatus::Blocked
        }
    } else if throttled > 0 {
        ServiceStatus::Throttled
    } else if slow > 0 {
        ServiceStatus::Slow
    } else {
        ServiceStatus::Reachable
    };
    ServiceSummary {
        status,
        endpoints: verdicts.len(),
        reachable,
        degraded: slow + throttled + relayed,
        blocked,
        inconclusive,
        failure: most_common(
            verdicts.iter().filter(|v| v.verdict == Verdict::Blocked).filter_map(|v| v.failure),
        ),
        reason: most_common(verdicts.iter().filter_map(|v| v.reason)),
        median_ms: median(verdicts.iter().filter_map(|v| v.median_ms)),
    }
}

/// The most frequent item; ties go to the one seen first.
fn most_common<T: PartialEq + Copy>(items: impl Iterator<Item = T>) -> Option<T> {
    let mut counts: Vec<(T, usize)> = Vec::new();
    for item in items {
        match counts.iter_mut().find(|(seen, _)| *seen == item) {
            Some((_, n)) => *n += 1,
            None => counts.push((item, 1)),
        }
    }
    let best = counts.iter().map(|&(_, n)| n).max()?;
    counts.into_iter().find(|&(_, n)| n == best).map(|(item, _)| item)
}

#[cfg(test)]
mod tests;

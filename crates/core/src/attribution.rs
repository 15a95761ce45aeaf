//! Failures the network path is not to blame for. A page sees the same fast `TypeError` for a
//! censor's reset, the visitor's own content blocker and a change of network, and the same
//! failure for a blocked endpoint and one that is broken for everyone. Before a failure becomes
//! `blocked`, these rules look for positive evidence of another cause; docs/verdicts.md
//! ("Failures that are not blocks") states them.

use crate::baseline::Baseline;
use crate::catalog::Endpoint;
use crate::measurement::{Measurement, Outcome};
use crate::verdict::{ControlReference, EndpointVerdict, Reason, FAST_FAIL_FACTOR};

/// Failures ending within this many milliseconds of each other count as one instant.
pub const BURST_WINDOW_MS: f64 = 30.0;
/// A burst needs failures on at least this many different hosts …
pub const BURST_MIN_HOSTS: usize = 3;
/// … each of which had been pending at least this long (and `FAST_FAIL_FACTOR` × the controls'
/// median): a censor's reset comes about a round trip after its request, so unrelated requests
/// started at different times, or pending far longer than a round trip, do not fail together.
pub const BURST_MIN_PENDING_MS: f64 = 250.0;
/// Requests that started up to this long after a change of network may still fail because of it.
pub const CHANGE_GRACE_MS: f64 = 1000.0;

/// What the page noticed during a run besides the probes' own results.
#[derive(Clone, Copy, Debug, Default)]
pub struct Circumstances<'a> {
    /// Milliseconds since the run began at which the browser reported a change of network
    /// (`online`/`offline`, a `change` of `navigator.connection`).
    pub network_changes_ms: &'a [f64],
    /// The catalog's baseline (an uncensored run of the same catalog), if one was published.
    pub baseline: Option<&'a Baseline>,
    /// What the follow-up probes saw of failed hosts (docs/verdicts.md, "How it is blocked").
    pub diagnoses: &'a [crate::diagnosis::Diagnosis],
    /// The run stopped once its outcome was settled: endpoints it did not wait for get the
    /// verdict the controls decided for them.
    pub settled: bool,
}

/// A failed attempt as the burst rule sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct FailedAttempt<'a> {
    pub host: &'a str,
    pub end_ms: f64,
    pub elapsed_ms: f64,
}

/// The failed attempts of a measurement that ended in an error (not a timeout) with a known start.
pub fn failed_attempts<'a>(host: &'a str, measurement: &Measurement) -> Vec<FailedAttempt<'a>> {
    measurement
        .samples
        .iter()
        .filter(|s| s.outcome == Outcome::Error)
        .filter_map(|s| Some(FailedAttempt { host, end_ms: s.end_ms()?, elapsed_ms: s.elapsed_ms }))
        .collect()
}

/// Instants at which many long-pending requests to different hosts failed together: the
/// signature of a change of network (Chromium fails everything in flight with
/// `ERR_NETWORK_CHANGED`), never of a censor. Each instant is the first failure of its burst.
pub fn burst_instants(failures: Vec<FailedAttempt<'_>>, reference: &ControlReference) -> Vec<f64> {
    let min_pending = reference
        .median_ms
        .map_or(BURST_MIN_PENDING_MS, |ms| (ms * FAST_FAIL_FACTOR).max(BURST_MIN_PENDING_MS));
    let long_pending = failures.into_iter().filter(|f| f.elapsed_ms >= min_pending);
    let failures = crate::sorting::sorted_by_key(long_pending, |f| f.end_ms);
    let mut instants = Vec::new();
    let mut i = 0;
    while i < failures.len() {
        let start = failures[i].end_ms;
        let together: Vec<&FailedAttempt> =
            failures[i..].iter().take_while(|f| f.end_ms - start <= BURST_WINDOW_MS).collect();
        // A few hosts at most: a linear count is smaller in wasm than a sort.
        let mut hosts: Vec<&str> = Vec::new();
        for failure in &together {
            if !hosts.contains(&failure.host) {
                hosts.push(failure.host);
            }
        }
        if hosts.len() >= BURST_MIN_HOSTS {
            instants.push(start);
            i += together.len();
        } else {
            i += 1;
        }
    }
    instants
}

/// Whether a measurement was in flight at (or began just after) one of the instants.
pub fn in_flight_at(measurement: &Measurement, instants: &[f64]) -> bool {
    let Some(start) = measurement.samples.iter().find_map(|s| s.at_ms) else { return false };
    let transfer_end = measurement.transfer.as_ref().and_then(|t| t.points.last()).map(|&(ms, _)| start + ms);
    let end = measurement.samples.iter().filter_map(|s| s.end_ms()).chain(transfer_end).fold(start, f64::max);
    instants.iter().any(|&t| start <= t + CHANGE_GRACE_MS && end >= t - BURST_WINDOW_MS)
}

/// A canary failed fast while the controls answered: the visitor's browser blocks requests.
/// (A canary that got no answer at all, or failed during a change of network, proves nothing.)
pub fn content_blocker_seen<'a>(
    canaries: impl IntoIterator<Item = &'a Measurement>,
    reference: &ControlReference,
    network_changes: &[f64],
) -> bool {
    reference.network_usable()
        && canaries.into_iter().any(|m| {
            m.obstacle.is_none()
                && !m.samples.is_empty()
                && m.samples.iter().all(|s| s.outcome == Outcome::Error)
                && !in_flight_at(m, network_changes)
        })
}

/// What a run showed about causes other than the network path.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Attribution<'a> {
    pub network_changes_ms: Vec<f64>,
    pub content_blocker: bool,
    pub baseline: Option<&'a Baseline>,
}

impl Attribution<'_> {
    /// Turns a failure with another explanation into `inconclusive` with its reason, in order of
    /// how certain the explanation is; anything else is returned unchanged.
    pub fn apply(
        &self,
        verdict: EndpointVerdict,
        endpoint: &Endpoint,
        measurement: &Measurement,
    ) -> EndpointVerdict {
        if !verdict.is_failure() {
            return verdict;
        }
        if in_flight_at(measurement, &self.network_changes_ms) {
            verdict.explained_by(Reason::NetworkChanged)
        } else if self.content_blocker && endpoint.filter_listed {
            verdict.explained_by(Reason::ContentBlocker)
        } else if self.baseline.is_some_and(|b| b.broken(&endpoint.id)) {
            verdict.explained_by(Reason::EndpointBroken)
        } else {
            verdict
        }
    }
}

#[cfg(test)]
mod tests;

//! Rule tables: each row is a situation, the verdict it must get, and edge cases on both sides
//! of every threshold.

use super::*;
use crate::catalog::{ControlScope, ProbeKind};
use crate::measurement::{Sample, Transfer};

fn sample(outcome: Outcome, elapsed_ms: f64) -> Sample {
    Sample::new(outcome, elapsed_ms)
}

fn measured(samples: Vec<Sample>) -> Measurement {
    Measurement {
        endpoint_id: "e".into(),
        kind: ProbeKind::Fetch,
        timeout_ms: 8000,
        obstacle: None,
        samples,
        transfer: None,
        ice: None,
    }
}

fn ok(ms: &[f64]) -> Measurement {
    measured(ms.iter().map(|&t| sample(Outcome::Ok, t)).collect())
}

fn failed(outcome: Outcome, ms: &[f64]) -> Measurement {
    measured(ms.iter().map(|&t| sample(outcome, t)).collect())
}

fn streamed(points: Vec<(f64, u64)>, expected_bytes: u64, end: TransferEnd) -> Measurement {
    let headers_ms = points.first().map_or(10.0, |p| p.0);
    Measurement {
        kind: ProbeKind::Stream,
        transfer: Some(Transfer { points, expected_bytes, end }),
        ..ok(&[headers_ms])
    }
}

/// Controls answering in `ms` (global) plus one domestic control answering in `ms`.
fn controls_at(ms: f64) -> ControlReference {
    ControlReference {
        global_reached: 2,
        global_total: 2,
        domestic_reached: 1,
        domestic_total: 1,
        median_ms: Some(ms),
        ..Default::default()
    }
}

fn judged(m: &Measurement, reference: &ControlReference) -> (Verdict, Option<Failure>, Option<Reason>) {
    let v = judge(m, reference);
    (v.verdict, v.failure, v.reason)
}

#[test]
fn latency_rules_around_the_slow_threshold() {
    use Verdict::*;
    // controls at 40 ms: slow limit = max(5 × 40, 40 + 1000) = 1040 ms
    let reference = controls_at(40.0);
    for (times, expected) in [
        (vec![35.0, 40.0, 45.0], Ok),
        (vec![300.0, 310.0, 320.0], Ok), // delay=300 is fine, never blocked
        (vec![1039.0], Ok),
        (vec![1041.0], Slow),
        (vec![1500.0, 1600.0, 20.0], Slow), // median counts, not the best sample
        (vec![5000.0], Slow),
    ] {
        assert_eq!(judged(&ok(&times), &reference), (expected, None, None), "{times:?}");
    }
    // controls at 400 ms (a slow mobile network): limit = max(2000, 1400) = 2000 ms
    let reference = controls_at(400.0);
    assert_eq!(judge(&ok(&[1999.0]), &reference).verdict, Ok);
    assert_eq!(judge(&ok(&[2001.0]), &reference).verdict, Slow);
}

#[test]
fn failures_are_classified_by_kind_and_timing() {
    use Failure::*;
    let reference = controls_at(40.0); // fast-fail limit = max(120, 1000) = 1000 ms
    for (m, failure) in [
        (failed(Outcome::Timeout, &[8000.0]), Timeout),
        (failed(Outcome::Error, &[3.0, 2.0, 4.0]), FastFail), // a reset on a nearby network
        (failed(Outcome::Error, &[999.0]), FastFail),
        (failed(Outcome::Error, &[1001.0]), SlowFail),
        (measured(vec![sample(Outcome::Error, 5.0), sample(Outcome::Timeout, 8000.0)]), Timeout),
    ] {
        assert_eq!(judged(&m, &reference), (Verdict::Blocked, Some(failure), None), "{m:?}");
    }
    // On a slow network the fast-fail limit grows with the controls: 3 × 600 = 1800 ms.
    assert_eq!(judge(&failed(Outcome::Error, &[1700.0]), &controls_at(600.0)).failure, Some(FastFail));
    assert_eq!(judge(&failed(Outcome::Error, &[1900.0]), &controls_at(600.0)).failure, Some(SlowFail));
}

#[test]
fn one_answer_means_reached_even_when_other_samples_failed() {
    let m =
        measured(vec![sample(Outcome::Error, 3.0), sample(Outcome::Ok, 50.0), sample(Outcome::Error, 4.0)]);
    let v = judge(&m, &controls_at(40.0));
    assert_eq!((v.verdict, v.failed_samples, v.median_ms), (Verdict::Ok, 2, Some(50.0)));
}

#[test]
fn failures_are_inconclusive_when_the_controls_fail_too() {
    let down = ControlReference { global_total: 2, domestic_total: 1, ..Default::default() };
    let timeout = failed(Outcome::Timeout, &[8000.0]);
    assert_eq!(
        judged(&timeout, &down),
        (Verdict::Inconclusive, Some(Failure::Timeout), Some(Reason::ControlsFailed))
    );
    let only_domestic = ControlReference { domestic_reached: 1, ..down.clone() };
    assert_eq!(judge(&timeout, &only_domestic).reason, Some(Reason::InternationalDown));
    // ... but a target that answered is still reachable.
    assert_eq!(judge(&ok(&[30.0]), &down).verdict, Verdict::Ok);
    // A catalog with only domestic controls: one answering is enough.
    let domestic_only = ControlReference {
        domestic_total: 1,
        domestic_reached: 1,
        median_ms: Some(9.0),
        ..Default::default()
    };
    assert_eq!(judge(&timeout, &domestic_only).verdict, Verdict::Blocked);
}

#[test]
fn obstacles_and_cancelled_probes_are_inconclusive_not_blocked() {
    let reference = controls_at(40.0);
    for obstacle in
        [Obstacle::BadPort, Obstacle::ContentSecurityPolicy, Obstacle::MixedContent, Obstacle::BrowserRefused]
    {
        let m = Measurement { obstacle: Some(obstacle), ..failed(Outcome::Error, &[1.0]) };
        assert_eq!(judged(&m, &reference), (Verdict::Inconclusive, None, Some(obstacle.into())));
    }
    assert_eq!(judged(&measured(vec![]), &reference), (Verdict::Inconclusive, None, Some(Reason::NotRun)));
}

#[test]
fn transfer_rules() {
    use TransferEnd::{Complete, Deadline, Error};
    use Verdict::*;
    let mut reference = controls_at(5.0);
    let body = 256 * 1024;
    // 256 KiB in 100 ms: fine.
    let fast = streamed(vec![(10.0, 0), (110.0, body)], body, Complete);
    assert_eq!(judge(&fast, &reference).verdict, Ok);
    // The 16 KB freeze: headers and 16 KiB, then silence.
    let frozen = streamed(vec![(10.0, 0), (12.0, 16_384)], body, TransferEnd::Stalled);
    let v = judge(&frozen, &reference);
    assert_eq!((v.verdict, v.bytes), (Stalled, Some(16_384)));
    assert_eq!(judge(&streamed(vec![(10.0, 0), (12.0, 500)], body, Error), &reference).verdict, Stalled);
    // Around the floor of 80 000 B/s (256 KiB takes 3.28 s at the floor), with no control rate.
    let just_below = streamed(vec![(0.0, 0), (3290.0, body)], body, Complete);
    assert_eq!(judge(&just_below, &reference).verdict, Throttled);
    let just_above = streamed(vec![(0.0, 0), (3270.0, body)], body, Complete);
    assert_eq!(judge(&just_above, &reference).verdict, Ok);
    // The case: 256 KB at 32.8 KB/s is no longer ok.
    let video_stutters = streamed(vec![(0.0, 0), (7992.0, body)], body, Complete);
    assert_eq!(judge(&video_stutters, &reference).verdict, Throttled);
    // Cut by the deadline while still receiving: throttled if slow enough, else slow — never blocked.
    let crawling = streamed(vec![(0.0, 0), (8000.0, 80_000)], body, Deadline);
    assert_eq!(judge(&crawling, &reference).verdict, Throttled);
    let nearly = streamed(vec![(0.0, 0), (2000.0, 260_000)], 1_000_000, Deadline);
    assert_eq!(judge(&nearly, &reference).verdict, Slow);
    // Below the floor with the controls hardly faster: the whole connection is slow.
    reference.throughput_bps = Some(60_000.0);
    assert_eq!(judge(&video_stutters, &reference).verdict, Slow);
    reference.throughput_bps = Some(70_000.0);
    assert_eq!(judge(&video_stutters, &reference).verdict, Throttled, "controls twice as fast");
    // Relative to a control stream: 100 kB/s is throttled next to 10 MB/s ...
    reference.throughput_bps = Some(10_000_000.0);
    let hundred_k = streamed(vec![(0.0, 0), (2621.0, body)], body, Complete);
    assert_eq!(judge(&hundred_k, &reference).verdict, Throttled);
    // ... but 1.3 MB/s is not (above the ratio cap), however fast the control.
    let fast_enough = streamed(vec![(0.0, 0), (200.0, body)], body, Complete);
    assert_eq!(judge(&fast_enough, &reference).verdict, Ok);
    // Small bodies are never judged on throughput.
    let small = streamed(vec![(0.0, 0), (1000.0, 20_000)], 20_000, Complete);
    assert_eq!(judge(&small, &reference).verdict, Ok);
}

#[test]
fn the_control_reference_is_built_from_the_controls() {
    let up = ok(&[10.0, 20.0, 30.0]);
    let down = failed(Outcome::Timeout, &[8000.0]);
    let domestic = ok(&[40.0]);
    let reference = ControlReference::from_controls([
        (ControlScope::Global, &up),
        (ControlScope::Global, &down),
        (ControlScope::Domestic, &domestic),
    ]);
    assert_eq!((reference.global_reached, reference.global_total), (1, 2));
    assert_eq!((reference.domestic_reached, reference.domestic_total), (1, 1));
    assert_eq!(reference.median_ms, Some(25.0));
    let stream = streamed(vec![(0.0, 0), (1000.0, 5_000_000)], 5_000_000, TransferEnd::Complete);
    let frozen = streamed(vec![(0.0, 0), (1.0, 16_384)], 5_000_000, TransferEnd::Stalled);
    let reference =
        ControlReference::from_controls([(ControlScope::Global, &stream), (ControlScope::Global, &frozen)]);
    assert_eq!(
        reference.throughput_bps,
        Some(5_000_000.0),
        "a frozen control's burst rate is not a reference"
    );
    // On a fast network a control's body can arrive within a millisecond: too fast to time,
    // but still a yardstick (at least its bytes over the shortest timeable span).
    let instant = streamed(vec![(3.0, 0), (3.4, 262_144)], 262_144, TransferEnd::Complete);
    let reference = ControlReference::from_controls([(ControlScope::Global, &instant)]);
    assert_eq!(reference.throughput_bps, Some(262_144.0 / 0.005));
    let slow = streamed(vec![(0.0, 0), (2621.0, 262_144)], 262_144, TransferEnd::Complete);
    assert_eq!(
        judge(&slow, &reference).verdict,
        Verdict::Throttled,
        "100 kB/s next to a control too fast to time"
    );
}

#[test]
fn uploads_are_judged_for_freezes_only() {
    let reference = controls_at(5.0);
    let upload = |points, end| Measurement {
        kind: ProbeKind::Upload,
        transfer: Some(Transfer { points, expected_bytes: 65_536, end }),
        ..ok(&[12.0])
    };
    let answered = upload(vec![(0.0, 0), (9000.0, 65_536)], TransferEnd::Complete);
    assert_eq!(judge(&answered, &reference).verdict, Verdict::Ok, "a slow uplink is not throttling");
    let frozen = upload(vec![(0.0, 0)], TransferEnd::Stalled);
    assert_eq!(judge(&frozen, &reference).verdict, Verdict::Stalled);
    let refused = upload(vec![(0.0, 0)], TransferEnd::Error);
    let v = judge(&refused, &reference);
    assert_eq!((v.verdict, v.reason), (Verdict::Inconclusive, Some(Reason::UploadRefused)));
    // The host itself did not answer: judged like any failure.
    let dead = Measurement { kind: ProbeKind::Upload, ..failed(Outcome::Timeout, &[8000.0]) };
    assert_eq!(judge(&dead, &reference).verdict, Verdict::Blocked);
    // An upload never serves as the controls' rate.
    let control = ControlReference::from_controls([(ControlScope::Global, &answered)]);
    assert_eq!(control.throughput_bps, None);
}

#[test]
fn stall_window_is_bounded() {
    assert_eq!(stall_window_ms(600), 1000);
    assert_eq!(stall_window_ms(9000), 3000);
    assert_eq!(stall_window_ms(60_000), 5000);
}

#[test]
fn service_summaries() {
    use ServiceStatus::*;
    let reference = controls_at(40.0);
    let v_ok = judge(&ok(&[40.0]), &reference);
    let v_slow = judge(&ok(&[5000.0]), &reference);
    let v_timeout = judge(&failed(Outcome::Timeout, &[8000.0]), &reference);
    let v_reset = judge(&failed(Outcome::Error, &[3.0]), &reference);
    let v_stalled =
        judge(&streamed(vec![(1.0, 0), (2.0, 16_384)], 100_000, TransferEnd::Stalled), &reference);
    let v_unknown = judge(&measured(vec![]), &reference);
    for (verdicts, expected) in [
        (vec![&v_ok, &v_ok], Reachable),
        (vec![&v_ok, &v_slow], Slow),
        (vec![&v_ok, &v_stalled, &v_slow], Throttled),
        (vec![&v_ok, &v_timeout], Partial),
        (vec![&v_stalled, &v_timeout], Partial),
        (vec![&v_timeout, &v_timeout, &v_reset], Blocked),
        (vec![&v_timeout, &v_unknown], Blocked),
        (vec![&v_unknown, &v_unknown], Inconclusive),
    ] {
        assert_eq!(summarize(&verdicts).status, expected, "{verdicts:?}");
    }
    let summary = summarize(&[&v_timeout, &v_timeout, &v_reset]);
    assert_eq!((summary.blocked, summary.failure), (3, Some(Failure::Timeout)));
}

#[test]
fn names_match_the_serialized_form() {
    for v in [Verdict::Ok, Verdict::Stalled, Verdict::Inconclusive] {
        assert_eq!(serde_json::to_value(v).unwrap(), v.as_str());
    }
    assert_eq!(serde_json::to_value(Failure::FastFail).unwrap(), Failure::FastFail.as_str());
    assert_eq!(serde_json::to_value(Reason::InternationalDown).unwrap(), Reason::InternationalDown.as_str());
    assert_eq!(serde_json::to_value(ServiceStatus::Partial).unwrap(), ServiceStatus::Partial.as_str());
}

fn ice(host_candidates: usize, srflx_ms: Option<f64>, relay_ms: Option<f64>) -> Measurement {
    let outcome = if srflx_ms.is_some() || relay_ms.is_some() { Outcome::Ok } else { Outcome::Timeout };
    let elapsed = srflx_ms.or(relay_ms).unwrap_or(5000.0);
    Measurement {
        kind: ProbeKind::Webrtc,
        ice: Some(crate::measurement::Ice { host_candidates, srflx_ms, relay_ms, error_codes: vec![] }),
        ..measured(vec![sample(outcome, elapsed)])
    }
}

#[test]
fn call_path_rules() {
    let reference = controls_at(40.0);
    let down = ControlReference { global_total: 1, ..Default::default() };
    for (m, reference, expected) in [
        (ice(2, Some(30.0), None), &reference, (Verdict::Ok, None, None)),
        (ice(2, Some(30.0), Some(120.0)), &reference, (Verdict::Ok, None, None)),
        (ice(2, None, Some(125.0)), &reference, (Verdict::RelayOnly, None, None)),
        (ice(2, None, None), &reference, (Verdict::Blocked, Some(Failure::Timeout), None)),
        // A browser that hides candidates gets "inconclusive", never "blocked".
        (ice(0, None, None), &reference, (Verdict::Inconclusive, None, Some(Reason::CandidatesHidden))),
        (
            ice(2, None, None),
            &down,
            (Verdict::Inconclusive, Some(Failure::Timeout), Some(Reason::ControlsFailed)),
        ),
    ] {
        assert_eq!(judged(&m, reference), expected, "{m:?}");
    }
    let relay = judge(&ice(2, None, Some(125.0)), &reference);
    let udp_blocked = judge(&ice(2, None, None), &reference);
    assert_eq!(summarize(&[&relay, &udp_blocked]).status, ServiceStatus::RelayOnly);
    let direct = judge(&ice(2, Some(25.0), None), &reference);
    assert_eq!(summarize(&[&direct, &udp_blocked]).status, ServiceStatus::Partial);
}

#[test]
fn an_error_status_is_reached_never_blocked() {
    let reference = controls_at(40.0);
    let with_status = |status: u16, kind: ProbeKind| Measurement {
        kind,
        samples: vec![Sample { status: Some(status), ..sample(Outcome::Ok, 30.0) }],
        ..ok(&[])
    };
    // A CORS fetch that sees a 500 reached the server: the path works.
    let fetch = judge(&with_status(500, ProbeKind::Fetch), &reference);
    assert_eq!((fetch.verdict, fetch.status), (Verdict::Ok, Some(500)));
    // A stream that got a 503 or 404 has no transfer to judge.
    for status in [503, 404] {
        let stream = judge(&with_status(status, ProbeKind::Stream), &reference);
        assert_eq!(
            (stream.verdict, stream.reason, stream.status),
            (Verdict::Inconclusive, Some(Reason::ServerError), Some(status))
        );
    }
    // A 2xx is no error status.
    assert_eq!(judge(&with_status(204, ProbeKind::Fetch), &reference).status, None);
    // Slow with an error status is still judged on time.
    let slow =
        Measurement { samples: vec![Sample { status: Some(502), ..sample(Outcome::Ok, 5000.0) }], ..ok(&[]) };
    assert_eq!(judge(&slow, &reference).verdict, Verdict::Slow);
}

#[test]
fn call_paths_are_judged_against_call_path_controls() {
    let stun = |outcome: Outcome| Measurement {
        kind: ProbeKind::Webrtc,
        ice: Some(crate::measurement::Ice { host_candidates: 1, ..Default::default() }),
        ..failed(outcome, &[5000.0])
    };
    let udp = |reached| ControlReference { udp_reached: reached, udp_total: 1, ..controls_at(40.0) };
    // The domestic STUN control answered: foreign STUN servers failing is filtering.
    assert_eq!(judged(&stun(Outcome::Timeout), &udp(1)), (Verdict::Blocked, Some(Failure::Timeout), None));
    // It failed too: UDP is down on this network, nothing singles the service out.
    assert_eq!(
        judged(&stun(Outcome::Timeout), &udp(0)),
        (Verdict::Inconclusive, Some(Failure::Timeout), Some(Reason::UdpDown))
    );
    // Web endpoints do not care about UDP controls.
    assert_eq!(judged(&failed(Outcome::Timeout, &[8000.0]), &udp(0)).0, Verdict::Blocked);
    // STUN controls are not part of the web reference (latency, reached counts).
    let stun_control = Measurement { kind: ProbeKind::Webrtc, ..ok(&[900.0]) };
    let reference = ControlReference::from_controls([
        (ControlScope::Domestic, &stun_control),
        (ControlScope::Global, &ok(&[40.0])),
    ]);
    assert_eq!((reference.udp_reached, reference.udp_total, reference.domestic_total), (1, 1, 0));
    assert_eq!(reference.median_ms, Some(40.0));
}

use super::*;
use crate::report::tests::sample_report;

/// The sample report with every control answering and the run finished.
fn finished_report() -> Report {
    let mut report = sample_report();
    report.test_keys.cancelled = false;
    report
}

#[test]
fn a_finished_unfiltered_run_becomes_a_baseline_that_round_trips() {
    let baseline = Baseline::from_report(&finished_report(), "2026-12-01", "CI, unfiltered").unwrap();
    assert_eq!(baseline.catalog_id, "t");
    assert_eq!(baseline.browser, "Chrome 156");
    // e1 timed out with the control answering: broken for everyone.
    assert!(baseline.broken("e1"));
    assert!(!baseline.broken("c"));
    assert!(!baseline.broken("never-measured"));
    assert_eq!(baseline.broken_ids(), ["e1"]);
    let json = baseline.to_json();
    assert!(json.find("\"c\"").unwrap() < json.find("\"e1\"").unwrap(), "ids sorted: {json}");
    assert_eq!(Baseline::parse(&baseline.to_json()).unwrap(), baseline);
}

#[test]
fn runs_that_cannot_serve_as_a_baseline_are_refused() {
    assert!(Baseline::from_report(&sample_report(), "2026-12-01", "").unwrap_err().contains("cancelled"));
    let mut filtered = finished_report();
    filtered.test_keys.reference.global_reached = 0;
    assert!(Baseline::from_report(&filtered, "2026-12-01", "").unwrap_err().contains("nothing is filtered"));
    let mut blocker = finished_report();
    blocker.test_keys.content_blocker = true;
    assert!(Baseline::from_report(&blocker, "2026-12-01", "").unwrap_err().contains("extensions"));
}

#[test]
fn what_counts_as_broken() {
    use Verdict::*;
    for (verdict, reason, broken) in [
        (Blocked, None, true),
        (Stalled, None, true),
        (Inconclusive, Some(Reason::ServerError), true),
        (Inconclusive, Some(Reason::MixedContent), true),
        (Inconclusive, Some(Reason::ContentSecurityPolicy), true),
        (Inconclusive, Some(Reason::CandidatesHidden), false),
        (Inconclusive, Some(Reason::NotRun), false),
        (Ok, None, false),
        (Slow, None, false),
        (Throttled, None, false),
        (RelayOnly, None, false),
    ] {
        assert_eq!(failed(verdict, reason), broken, "{verdict:?} {reason:?}");
    }
}

#[test]
fn bad_baselines_get_a_clear_message() {
    let valid = Baseline::from_report(&finished_report(), "2026-12-01", "").unwrap().to_json();
    for (text, problem) in [
        ("", "EOF while parsing"),
        ("[]", "invalid length 0"),
        (&valid.replace("\"baseline_format\": 1", "\"baseline_format\": 9"), "version 9 is not supported"),
        (&valid.replace("2026-12-01", "yesterday"), "is not a day"),
        (&valid.replace("\"works\"", "\"worked\""), "unknown field"),
        (&" ".repeat(MAX_BASELINE_BYTES + 1), "larger than the limit"),
    ] {
        let err = Baseline::parse(text).unwrap_err();
        assert!(err.to_string().contains(problem), "{problem}: {err}");
    }
}

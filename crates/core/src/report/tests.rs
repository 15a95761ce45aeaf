use std::collections::HashMap;

use super::*;
use crate::catalog::PageContext;
use crate::measurement::{Outcome, Sample};

const CATALOG: &str = r#"{ "catalog_format": 1, "id": "t", "version": "7",
  "controls": [ { "scope": "global", "id": "c", "kind": "fetch", "url": "https://c.example/", "timeout_ms": 1000, "source": "t" } ],
  "services": [ { "id": "s", "name": "<b>Service</b>", "category": "x", "homepage": "https://s.example/", "endpoints": [
    { "id": "e1", "kind": "fetch", "url": "https://e1.example/", "timeout_ms": 1000, "source": "t" },
    { "id": "e2", "kind": "fetch", "url": "https://e2.example/", "timeout_ms": 1000, "source": "t" } ] } ] }"#;

fn measured(id: &str, outcome: Outcome, ms: f64) -> (String, Measurement) {
    let m = Measurement {
        endpoint_id: id.into(),
        kind: ProbeKind::Fetch,
        timeout_ms: 1000,
        obstacle: None,
        samples: vec![Sample::new(outcome, ms)],
        transfer: None,
        ice: None,
    };
    (id.into(), m)
}

pub fn sample_report() -> Report {
    let catalog = Catalog::load(CATALOG, PageContext::SECURE).unwrap();
    let measurements: HashMap<_, _> =
        [measured("c", Outcome::Ok, 30.0), measured("e1", Outcome::Timeout, 1000.0)].into();
    Report::of_run(
        &catalog,
        &measurements,
        ReportContext {
            report_id: "0123456789abcdef0123456789abcdef".into(),
            software_version: "0.1.0",
            measurement_start_time: "2026-11-26 12:00:00".into(),
            browser: "Chrome 156".into(),
            cancelled: true,
            circumstances: Default::default(),
        },
    )
}

#[test]
fn a_report_holds_what_was_measured_and_round_trips() {
    let report = sample_report();
    assert_eq!((report.probe_cc.as_str(), report.probe_asn.as_str()), ("ZZ", "AS0"));
    let ids: Vec<&str> = report.test_keys.endpoints.iter().map(|e| e.endpoint_id.as_str()).collect();
    assert_eq!(ids, ["c", "e1"], "e2 was not measured (cancelled run)");
    assert_eq!(report.test_keys.endpoints[1].service_id.as_deref(), Some("s"));
    assert_eq!(report.test_keys.services[0].summary.status, crate::verdict::ServiceStatus::Blocked);
    assert_eq!(Report::parse(&report.to_json()).unwrap(), report);
}

#[test]
fn never_carries_an_address_or_a_full_user_agent() {
    let json = sample_report().to_json();
    for forbidden in ["probe_ip", "user_agent", "Mozilla", "cookie"] {
        assert!(!json.contains(forbidden), "{forbidden} in {json}");
    }
}

#[test]
fn strict_parsing_names_the_problem() {
    let valid: serde_json::Value = serde_json::from_str(&sample_report().to_json()).unwrap();
    let with = |change: &dyn Fn(&mut serde_json::Value)| {
        let mut v = valid.clone();
        change(&mut v);
        Report::parse(&v.to_string()).unwrap_err()
    };
    for (expected, change) in [
        (
            "data_format_version: \"5\" is not supported",
            &(|v: &mut serde_json::Value| v["data_format_version"] = "5".into())
                as &dyn Fn(&mut serde_json::Value),
        ),
        ("data_format_version: missing", &|v| {
            v.as_object_mut().unwrap().remove("data_format_version");
        }),
        ("probe_ip: unknown field", &|v| v["probe_ip"] = "10.0.0.1".into()),
        ("report_id: must be 32", &|v| v["report_id"] = "1".into()),
        ("measurement_start_time: must be UTC rounded", &|v| {
            v["measurement_start_time"] = "2026-11-26 12:34:56".into()
        }),
        ("probe_cc: must be two", &|v| v["probe_cc"] = "Russia".into()),
        ("probe_asn: must look like", &|v| v["probe_asn"] = "12345".into()),
        ("browser: family and major", &|v| {
            v["browser"] = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36".into()
        }),
        ("test_keys.endpoints[0].verdict.verdict: unknown variant", &|v| {
            v["test_keys"]["endpoints"][0]["verdict"]["verdict"] = "fine".into()
        }),
        ("test_name: must be", &|v| v["test_name"] = "web_connectivity".into()),
    ] {
        let err = with(change);
        assert!(err.starts_with(expected), "expected {expected:?}, got {err:?}");
    }
    assert!(Report::parse("{").unwrap_err().starts_with("report: not JSON"));
    let huge = format!("{{\"pad\": \"{}\"}}", "x".repeat(MAX_REPORT_BYTES));
    assert!(Report::parse(&huge).unwrap_err().contains("more than the limit"));
}

#[test]
fn hostile_strings_stay_data() {
    let mut report = sample_report();
    report.test_keys.services[0].name = "<script>alert(1)</script>'; DROP TABLE reports; --\u{7}".into();
    let parsed = Report::parse(&report.to_json()).unwrap();
    assert_eq!(parsed.test_keys.services[0].name, report.test_keys.services[0].name);
}

#[test]
fn a_nul_character_is_refused_and_a_backslash_before_u0000_text_is_not() {
    let mut report = sample_report();
    report.test_keys.services[0].name = "chat\u{0}".into();
    let err = Report::parse(&report.to_json()).unwrap_err();
    assert!(err.contains("NUL"), "{err}");
    for kept in ["a\\u0000", "\\\\u0000 and u0000"] {
        report.test_keys.services[0].name = kept.into();
        let parsed = Report::parse(&report.to_json()).unwrap();
        assert_eq!(parsed.test_keys.services[0].name, kept, "a backslash and text are kept");
    }
}

#[test]
fn reads_version_1_reports_and_refuses_unknown_versions() {
    let mut value: serde_json::Value = serde_json::from_str(&sample_report().to_json()).unwrap();
    assert_eq!(value["data_format_version"], "4");
    for older in ["1", "2", "3"] {
        value["data_format_version"] = older.into();
        assert!(
            Report::parse(&value.to_string()).is_ok(),
            "a version {older} report has none of the new fields"
        );
    }
    value["data_format_version"] = "5".into();
    let err = Report::parse(&value.to_string()).unwrap_err();
    assert!(err.contains("\"5\" is not supported") && err.contains("\"1\", \"2\", \"3\", \"4\""), "{err}");
}

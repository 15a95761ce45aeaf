//! Every decoder of outside input, fed arbitrary text and mutations of valid input: each returns
//! a value or an error message, and never panics. `PROPTEST_CASES` sets how many cases each
//! property tries (256 by default; `./x fuzz` runs many more). A failure found here becomes a
//! regression case below.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use reachcheck_core::baseline::Baseline;
use reachcheck_core::catalog::{Catalog, PageContext};
use reachcheck_core::embed::{WidgetConfig, NAMES};
use reachcheck_core::import::{import_test_list, HttpUrls, ImportOptions};
use reachcheck_core::outbox::parse_stored;
use reachcheck_core::report::Report;
use reachcheck_core::share;

const CATALOG: &str = include_str!("../../../static/catalog.json");

const REPORT: &str = r#"{"data_format_version":"2","report_id":"0123456789abcdef0123456789abcdef","software_name":"reachcheck","software_version":"0.1.0","test_name":"reachcheck","test_version":"1.1.0","measurement_start_time":"2026-12-01 12:00:00","probe_cc":"ZZ","probe_asn":"AS0","browser":"Chrome 156","test_keys":{"catalog_id":"t","catalog_version":"1","cancelled":false,"reference":{"global_reached":1,"global_total":1,"domestic_reached":0,"domestic_total":0,"median_ms":30.0},"endpoints":[{"endpoint_id":"c","kind":"fetch","url":"https://c.example/","verdict":{"verdict":"ok","median_ms":30.0,"samples":1,"failed_samples":0},"measurement":{"endpoint_id":"c","kind":"fetch","timeout_ms":1000,"samples":[{"outcome":"ok","elapsed_ms":30.0,"at_ms":1.5}]}}],"content_blocker":true,"network_changes_ms":[570.0],"services":[]}}"#;

const BASELINE: &str = r#"{"baseline_format":1,"catalog_id":"t","catalog_version":"1","date":"2026-12-01","browser":"Chrome 156","endpoints":{"c":{"works":true,"verdict":"ok"},"e":{"works":false,"verdict":"blocked","failure":"fast_fail","status":404}}}"#;

const CSV: &str = "url,category_code,category_description,date_added,source,notes\n\
https://example.org/,NEWS,News Media,2020-01-01,test,\n\
http://example.net/a?b=c,HUMR,Human Rights Issues,2021-02-03,test,\"quoted, note\"\n";

const OUTBOX: &str = r#"[{"report_id":"r1","endpoint":"https://c.example/v1/reports","body":"{}","attempts":1,"next_attempt_ms":5.0}]"#;

/// Every decoder, on one input.
fn decode_all(text: &str) {
    let _ = Catalog::load(text, PageContext::SECURE);
    let _ = Catalog::load(text, PageContext { secure: false });
    let _ = Report::parse(text);
    let _ = Baseline::parse(text);
    let _ = share::decode(text);
    let _ = share::decode(&format!("r=1.{text}"));
    let _ = parse_stored(text);
    let options = ImportOptions {
        list_name: "fuzz.csv".into(),
        timeout_ms: 8000,
        http_urls: HttpUrls::Upgrade,
        categories: Vec::new(),
    };
    let _ = import_test_list(text, &options);
    for name in NAMES {
        let _ = WidgetConfig::parse([(name, text)], "data-");
    }
}

/// A valid input with some bytes changed, removed or cut off.
fn mutated(valid: &'static str) -> impl Strategy<Value = String> {
    let len = valid.len();
    (prop::collection::vec((0..len, any::<u8>(), 0..3u8), 1..8), 0..=len).prop_map(move |(edits, cut)| {
        let mut bytes = valid.as_bytes().to_vec();
        for (at, byte, how) in edits {
            let at = at.min(bytes.len().saturating_sub(1));
            match how {
                0 if !bytes.is_empty() => bytes[at] = byte,
                1 if !bytes.is_empty() => {
                    bytes.remove(at);
                }
                _ => bytes.insert(at, byte),
            }
        }
        bytes.truncate(cut.max(1));
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

proptest! {
    #[test]
    fn arbitrary_text_never_panics(text in ".{0,400}") {
        decode_all(&text);
    }

    #[test]
    fn json_shaped_text_never_panics(text in r#"[\[\]{}",:0-9a-z_\- .\\]{0,300}"#) {
        decode_all(&text);
    }

    #[test]
    fn mutated_catalogs_never_panic(text in mutated(CATALOG)) {
        decode_all(&text);
    }

    #[test]
    fn mutated_reports_and_baselines_never_panic(report in mutated(REPORT), baseline in mutated(BASELINE)) {
        decode_all(&report);
        decode_all(&baseline);
    }

    #[test]
    fn mutated_csv_and_outboxes_never_panic(csv in mutated(CSV), outbox in mutated(OUTBOX)) {
        decode_all(&csv);
        decode_all(&outbox);
    }

    #[test]
    fn share_links_round_trip_or_fail_cleanly(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let fragment = format!("r=1.{}", share::base64url_encode(&bytes));
        let _ = share::decode(&fragment);
    }
}

#[test]
fn the_seeds_are_valid_inputs() {
    assert!(Catalog::load(CATALOG, PageContext::SECURE).is_ok());
    Report::parse(REPORT).unwrap();
    Baseline::parse(BASELINE).unwrap();
    assert_eq!(parse_stored(OUTBOX).len(), 1);
}

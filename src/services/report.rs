//! Builds the report of a finished run, adding only what docs/report-format.md allows: a random
//! id, the hour, the browser family.

use std::collections::HashMap;

use reachcheck_core::anonymize::{browser_family, report_id, utc_hour};
use reachcheck_core::attribution::Circumstances;
use reachcheck_core::catalog::Catalog;
use reachcheck_core::measurement::Measurement;
use reachcheck_core::report::{Report, ReportContext};

pub fn build(
    catalog: &Catalog,
    measurements: &HashMap<String, Measurement>,
    cancelled: bool,
    circumstances: Circumstances<'_>,
) -> Report {
    let user_agent = web_sys::window().and_then(|w| w.navigator().user_agent().ok()).unwrap_or_default();
    let context = ReportContext {
        report_id: report_id(random_bytes()),
        software_version: crate::VERSION,
        measurement_start_time: utc_hour(js_sys::Date::now()),
        browser: browser_family(&user_agent),
        cancelled,
        circumstances,
    };
    Report::of_run(catalog, measurements, context)
}

/// 16 bytes from `crypto.getRandomValues` (Math.random only where that is unavailable).
fn random_bytes() -> [u8; 16] {
    let mut bytes = [0u8; 16];
    let crypto = web_sys::window().and_then(|w| w.crypto().ok());
    if crypto.and_then(|c| c.get_random_values_with_u8_array(&mut bytes).ok()).is_none() {
        bytes.iter_mut().for_each(|b| *b = (js_sys::Math::random() * 256.0) as u8);
    }
    bytes
}

//! What the shell adds to the report of a finished run, and only what docs/report-format.md
//! allows: a random id, the hour, the browser family.

use reachcheck_core::anonymize::{browser_family, report_id, utc_hour};
use reachcheck_core::run::ReportStamp;

pub fn stamp() -> ReportStamp {
    let user_agent = web_sys::window().and_then(|w| w.navigator().user_agent().ok()).unwrap_or_default();
    ReportStamp {
        report_id: report_id(random_bytes()),
        software_version: crate::VERSION,
        measurement_start_time: utc_hour(js_sys::Date::now()),
        browser: browser_family(&user_agent),
    }
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

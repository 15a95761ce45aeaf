//! The report format, version 1 (`docs/report-format.md`): what an export contains, what the
//! history keeps and what an opted-in submission sends. Field names follow OONI's where they fit.
//! Parsing is strict: a size limit, no unknown fields, known versions only.

use serde::{Deserialize, Serialize};

use crate::anonymize::{is_hour_timestamp, is_report_id};
use crate::attribution::Circumstances;
use crate::catalog::{Catalog, ProbeKind};
use crate::evaluate::Evaluation;
use crate::measurement::Measurement;
use crate::verdict::{ControlReference, EndpointVerdict, ServiceSummary};

/// The report format this code writes. Version 2 added canaries, `content_blocker`,
/// `network_changes_ms`, `baseline`, samples' `at_ms` and verdicts' `status`, and changed what
/// an error status means (reached, never blocked); version 4 added `diagnoses` and verdicts'
/// `method`: docs/report-format.md lists the changes.
pub const DATA_FORMAT_VERSION: &str = "4";
/// Every format this code reads (each older report is a valid report of the newer formats
/// without their new fields).
pub const READABLE_FORMAT_VERSIONS: [&str; 4] = ["1", "2", "3", "4"];
pub const TEST_NAME: &str = "reachcheck";
/// Version of the measurement method (probes + verdict rules, docs/verdicts.md).
pub const TEST_VERSION: &str = "1.3.0";
/// Reports larger than this are refused before parsing (collectors accept at most 64 KB).
pub const MAX_REPORT_BYTES: usize = 64 * 1024;
/// Country and network when unknown (filled by a collector, never by the browser).
pub const UNKNOWN_CC: &str = "ZZ";
pub const UNKNOWN_ASN: &str = "AS0";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Report {
    pub data_format_version: String,
    /// 32 random hex digits, new for every report: reports cannot be linked to each other.
    pub report_id: String,
    pub software_name: String,
    pub software_version: String,
    pub test_name: String,
    pub test_version: String,
    /// UTC, rounded down to the hour: `YYYY-MM-DD HH:00:00`.
    pub measurement_start_time: String,
    pub probe_cc: String,
    pub probe_asn: String,
    /// Browser family and major version only (`Chrome 156`), or `unknown`.
    pub browser: String,
    pub test_keys: TestKeys,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestKeys {
    pub catalog_id: String,
    pub catalog_version: String,
    /// The run was cancelled: endpoints not measured are absent.
    pub cancelled: bool,
    /// The run ended as soon as its outcome was settled (no control answered, so no failure can
    /// mean a block): endpoints not measured by then are absent (version 3).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub stopped_early: bool,
    pub reference: ControlReference,
    pub endpoints: Vec<EndpointResult>,
    /// The catalog's canaries (docs/catalog.md), measured like controls.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub canaries: Vec<EndpointResult>,
    /// A canary failed while the controls answered: the visitor's browser blocks requests.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub content_blocker: bool,
    /// Milliseconds since the run began at which the network changed (reported by the browser
    /// or seen as a burst of failures).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub network_changes_ms: Vec<f64>,
    /// The baseline the run was judged with, if the catalog has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<BaselineUsed>,
    /// The follow-up probes of failed hosts, which gave blocked endpoints their `method`
    /// (version 4).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub diagnoses: Vec<crate::diagnosis::Diagnosis>,
    pub services: Vec<ServiceResult>,
}

/// Which baseline judged a run (docs/catalog.md "Keeping a catalog honest").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineUsed {
    pub date: String,
    pub browser: String,
    pub catalog_version: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EndpointResult {
    pub endpoint_id: String,
    /// The service it belongs to; absent for controls.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_id: Option<String>,
    pub kind: ProbeKind,
    /// The catalog's name for it, when it has one (version 4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub url: String,
    /// The hosting network the catalog names for it (version 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network: Option<String>,
    pub verdict: EndpointVerdict,
    pub measurement: Measurement,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceResult {
    pub service_id: String,
    pub name: String,
    pub summary: ServiceSummary,
}

/// What the browser contributes to a report besides the results.
pub struct ReportContext<'a> {
    pub report_id: String,
    pub software_version: &'a str,
    /// From [`crate::anonymize::utc_hour`].
    pub measurement_start_time: String,
    /// From [`crate::anonymize::browser_family`].
    pub browser: String,
    pub cancelled: bool,
    pub circumstances: Circumstances<'a>,
}

impl Report {
    /// Builds a report of a run: every measured endpoint (controls first) and service.
    pub fn of_run(
        catalog: &Catalog,
        measurements: &std::collections::HashMap<String, Measurement>,
        context: ReportContext<'_>,
    ) -> Report {
        let evaluation = Evaluation::judged(catalog, measurements, context.circumstances);
        let result = |service: Option<&crate::catalog::Service>, endpoint: &crate::catalog::Endpoint| {
            Some(EndpointResult {
                endpoint_id: endpoint.id.clone(),
                service_id: service.map(|s| s.id.clone()),
                kind: endpoint.kind,
                name: endpoint.name.clone(),
                url: endpoint.url.clone(),
                network: endpoint.network.clone(),
                verdict: evaluation.endpoints.get(&endpoint.id)?.clone(),
                measurement: measurements.get(&endpoint.id)?.clone(),
            })
        };
        let endpoints =
            catalog.endpoints().filter_map(|(service, endpoint)| result(service, endpoint)).collect();
        let canaries = catalog.canaries.iter().filter_map(|canary| result(None, canary)).collect();
        let baseline = evaluation.baseline.as_ref().map(|b| BaselineUsed {
            date: b.date.clone(),
            browser: b.browser.clone(),
            catalog_version: b.catalog_version.clone(),
        });
        let services = catalog
            .services
            .iter()
            .filter_map(|service| {
                Some(ServiceResult {
                    service_id: service.id.clone(),
                    name: service.name.clone(),
                    summary: evaluation.services.get(&service.id)?.clone(),
                })
            })
            .collect();
        Report {
            data_format_version: DATA_FORMAT_VERSION.into(),
            report_id: context.report_id,
            software_name: crate::SOFTWARE_NAME.into(),
            software_version: context.software_version.into(),
            test_name: TEST_NAME.into(),
            test_version: TEST_VERSION.into(),
            measurement_start_time: context.measurement_start_time,
            probe_cc: UNKNOWN_CC.into(),
            probe_asn: UNKNOWN_ASN.into(),
            browser: context.browser,
            test_keys: TestKeys {
                catalog_id: catalog.id.clone(),
                catalog_version: catalog.version.clone(),
                cancelled: context.cancelled,
                stopped_early: false,
                reference: evaluation.reference,
                endpoints,
                canaries,
                content_blocker: evaluation.content_blocker,
                network_changes_ms: evaluation.network_changes_ms,
                baseline,
                diagnoses: context.circumstances.diagnoses.to_vec(),
                services,
            },
        }
    }

    /// Parses a report strictly: size, shape, version and the anonymity rules.
    pub fn parse(text: &str) -> Result<Report, String> {
        if text.len() > MAX_REPORT_BYTES {
            return Err(format!("report: {} bytes is more than the limit of {MAX_REPORT_BYTES}", text.len()));
        }
        // A valid report of a version this reads (a collector's every report) is parsed once;
        // only one that is not is read again, to say what is wrong.
        let report = match serde_json::from_str::<Report>(text) {
            Ok(report) if READABLE_FORMAT_VERSIONS.contains(&report.data_format_version.as_str()) => report,
            _ => return Err(why_unreadable(text)),
        };
        report.check()?;
        // A NUL is the one character a database text column (PostgreSQL's) cannot hold; no
        // field of a report has a use for it. (Raw control characters are not JSON at all, so
        // a NUL can only arrive escaped; `\\u0000` is a backslash and text, and is kept.)
        if holds_escaped_nul(text) {
            return Err("report: a text holds a NUL character (\\u0000), which no field may".into());
        }
        Ok(report)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    fn check(&self) -> Result<(), String> {
        let fail = |field: &str, why: &str| Err(format!("{field}: {why}"));
        if !is_report_id(&self.report_id) {
            return fail("report_id", "must be 32 lower-case hex digits");
        }
        if self.test_name != TEST_NAME {
            return fail("test_name", "must be \"reachcheck\"");
        }
        if !is_hour_timestamp(&self.measurement_start_time) {
            return fail(
                "measurement_start_time",
                "must be UTC rounded to the hour, \"YYYY-MM-DD HH:00:00\"",
            );
        }
        if self.probe_cc.len() != 2 || !self.probe_cc.chars().all(|c| c.is_ascii_uppercase()) {
            return fail("probe_cc", "must be two upper-case letters");
        }
        let asn_digits = self.probe_asn.strip_prefix("AS").unwrap_or("");
        if asn_digits.is_empty() || asn_digits.len() > 10 || !asn_digits.chars().all(|c| c.is_ascii_digit()) {
            return fail("probe_asn", "must look like AS12345");
        }
        if self.browser.len() > 40 {
            return fail("browser", "family and major version only, e.g. \"Chrome 156\"");
        }
        Ok(())
    }
}

/// Why `text` is not a report this reads: its version first, so a future format gets a clear
/// message and not a field error, then the place of the problem. (The version is read by a
/// struct that skips the rest, not a `Value`: a tree of a 40 KB report costs more, and the
/// browser build would link `Value` for this alone.)
fn why_unreadable(text: &str) -> String {
    #[derive(Deserialize)]
    struct Version<'a> {
        #[serde(borrow)]
        data_format_version: Option<&'a serde_json::value::RawValue>,
    }
    let version = match serde_json::from_str::<Version>(text) {
        Ok(version) => version,
        Err(err) => return format!("report: not JSON: {err}"),
    };
    // Quoted by hand: release builds of the app format no Debug (`{:?}` prints nothing there).
    let version_text = version.data_format_version.and_then(|v| serde_json::from_str::<String>(v.get()).ok());
    match version_text.as_deref() {
        Some(version) if READABLE_FORMAT_VERSIONS.contains(&version) => {}
        Some(other) => {
            let readable: Vec<String> = READABLE_FORMAT_VERSIONS.iter().map(|v| format!("\"{v}\"")).collect();
            return format!(
                "data_format_version: \"{other}\" is not supported (this reachcheck reads {})",
                readable.join(", ")
            );
        }
        None => return "data_format_version: missing (not a reachcheck report?)".into(),
    }
    match crate::json::from_str_with_path::<Report>(text) {
        Err((path, problem)) => format!("{path}: {problem}"),
        Ok(_) => "report: not readable".into(),
    }
}

/// Whether JSON text escapes a NUL: `u0000` after an odd number of backslashes (the last one
/// starts the escape; an even number are escaped backslashes followed by text).
fn holds_escaped_nul(text: &str) -> bool {
    text.match_indices("u0000").any(|(at, _)| {
        let backslashes = text[..at].bytes().rev().take_while(|b| *b == b'\\').count();
        backslashes % 2 == 1
    })
}

#[cfg(test)]
pub(crate) mod tests;

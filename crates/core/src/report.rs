//! The report format, version 1 (`docs/report-format.md`): what an export contains, what the
//! history keeps and what an opted-in submission sends. Field names follow OONI's where they fit.
//! Parsing is strict: a size limit, no unknown fields, known versions only.

use serde::{Deserialize, Serialize};

use crate::anonymize::{is_hour_timestamp, is_report_id};
use crate::catalog::{Catalog, ProbeKind};
use crate::evaluate::Evaluation;
use crate::measurement::Measurement;
use crate::verdict::{ControlReference, EndpointVerdict, ServiceSummary};

pub const DATA_FORMAT_VERSION: &str = "1";
pub const TEST_NAME: &str = "reachcheck";
/// Version of the measurement method (probes + verdict rules, docs/verdicts.md).
pub const TEST_VERSION: &str = "1.0.0";
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
    pub reference: ControlReference,
    pub endpoints: Vec<EndpointResult>,
    pub services: Vec<ServiceResult>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EndpointResult {
    pub endpoint_id: String,
    /// The service it belongs to; absent for controls.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_id: Option<String>,
    pub kind: ProbeKind,
    pub url: String,
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
}

impl Report {
    /// Builds a report of a run: every measured endpoint (controls first) and service.
    pub fn of_run(
        catalog: &Catalog,
        measurements: &std::collections::HashMap<String, Measurement>,
        context: ReportContext<'_>,
    ) -> Report {
        let evaluation = Evaluation::of(catalog, measurements);
        let endpoints = catalog
            .endpoints()
            .filter_map(|(service, endpoint)| {
                Some(EndpointResult {
                    endpoint_id: endpoint.id.clone(),
                    service_id: service.map(|s| s.id.clone()),
                    kind: endpoint.kind,
                    url: endpoint.url.clone(),
                    verdict: evaluation.endpoints.get(&endpoint.id)?.clone(),
                    measurement: measurements.get(&endpoint.id)?.clone(),
                })
            })
            .collect();
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
                reference: evaluation.reference,
                endpoints,
                services,
            },
        }
    }

    /// Parses a report strictly: size, shape, version and the anonymity rules.
    pub fn parse(text: &str) -> Result<Report, String> {
        if text.len() > MAX_REPORT_BYTES {
            return Err(format!("report: {} bytes is more than the limit of {MAX_REPORT_BYTES}", text.len()));
        }
        // Look at the version first, so a future format gets a clear message, not a field error.
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|err| format!("report: not JSON: {err}"))?;
        match value.get("data_format_version").and_then(|v| v.as_str()) {
            Some(DATA_FORMAT_VERSION) => {}
            Some(other) => {
                return Err(format!(
                    "data_format_version: {other:?} is not supported (this reachcheck reads {DATA_FORMAT_VERSION:?})"
                ))
            }
            None => return Err("data_format_version: missing (not a reachcheck report?)".into()),
        }
        let report: Report = crate::json::from_value_with_path(value)
            .map_err(|(path, problem)| format!("{path}: {problem}"))?;
        report.check()?;
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

#[cfg(test)]
pub(crate) mod tests;

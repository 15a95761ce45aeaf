//! The runs kept on the device (the app's history, newest first). Each keeps its report's JSON
//! whole, so the history is written back exactly as it was stored (an array of reports, the
//! format of exports: docs/report-format.md), and what the history shows of it, read once.
//!
//! Showing a run needs its verdicts, not its measurements: a stored report is read through the
//! lean [`Stored`] shape, which skips the measurements, diagnoses and every field it does not
//! show, instead of the strict parser of submissions (`Report::parse`), which the app would
//! otherwise link for this alone (18 KB of its gzip wasm; docs/embedding.md, "Size").

use std::rc::Rc;

use serde::Deserialize;

use crate::catalog::ProbeKind;
use crate::report::{Report, MAX_REPORT_BYTES, READABLE_FORMAT_VERSIONS};
use crate::results::{EndpointRow, RunResults, ServiceRow};
use crate::verdict::{ControlReference, EndpointVerdict, ServiceSummary};

/// One run of the history.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub report_id: String,
    /// When the run began (the hour, UTC).
    pub measured_at: String,
    pub results: Rc<RunResults>,
    /// The report, as stored.
    pub json: String,
}

impl Entry {
    /// A run that has just ended.
    pub fn of(report: &Report) -> Entry {
        Entry::from_stored(Stored::of(report), report.to_json())
    }

    /// A stored report, if it is one (of a version this reads, within the size of a report).
    pub fn read(json: &str) -> Option<Entry> {
        if json.len() > MAX_REPORT_BYTES {
            return None;
        }
        let stored: Stored = serde_json::from_str(json).ok()?;
        READABLE_FORMAT_VERSIONS
            .contains(&stored.data_format_version.as_str())
            .then(|| Entry::from_stored(stored, json.to_owned()))
    }

    fn from_stored(stored: Stored, json: String) -> Entry {
        Entry {
            report_id: stored.report_id.clone(),
            measured_at: stored.measurement_start_time.clone(),
            results: Rc::new(stored.results()),
            json,
        }
    }
}

/// Stored history (a JSON array of reports, newest first): the runs it can read, at most
/// `limit`, and whether any had to be left out (damaged, or of a format this does not read).
pub fn parse_stored(text: &str, limit: usize) -> (Vec<Entry>, bool) {
    let Some(entries) = crate::json::array_entries(text) else {
        return (Vec::new(), true);
    };
    let total = entries.len();
    let runs: Vec<Entry> = entries.iter().filter_map(|entry| Entry::read(entry.get())).take(limit).collect();
    let ignored = runs.len() < total.min(limit);
    (runs, ignored)
}

/// The history as stored: its reports' JSON, in an array.
pub fn to_stored(runs: &[Entry]) -> String {
    let reports: Vec<&str> = runs.iter().map(|run| run.json.as_str()).collect();
    format!("[{}]", reports.join(","))
}

/// What the history reads of a report (unknown fields are skipped, unlike `Report`'s parser).
#[derive(Deserialize)]
struct Stored {
    data_format_version: String,
    report_id: String,
    measurement_start_time: String,
    test_keys: StoredKeys,
}

#[derive(Deserialize)]
struct StoredKeys {
    catalog_id: String,
    catalog_version: String,
    cancelled: bool,
    #[serde(default)]
    content_blocker: bool,
    #[serde(default)]
    baseline: Option<StoredBaseline>,
    reference: ControlReference,
    endpoints: Vec<StoredEndpoint>,
    services: Vec<StoredService>,
}

#[derive(Deserialize)]
struct StoredBaseline {
    date: String,
}

#[derive(Deserialize)]
struct StoredEndpoint {
    endpoint_id: String,
    #[serde(default)]
    service_id: Option<String>,
    kind: ProbeKind,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    network: Option<String>,
    verdict: EndpointVerdict,
    measurement: StoredMeasurement,
}

#[derive(Deserialize)]
struct StoredMeasurement {
    timeout_ms: u32,
}

#[derive(Deserialize)]
struct StoredService {
    service_id: String,
    name: String,
    summary: ServiceSummary,
}

impl Stored {
    /// The same reading of a report in memory (no JSON between): a run that has just ended
    /// shows as it will after a reload.
    fn of(report: &Report) -> Stored {
        let keys = &report.test_keys;
        Stored {
            data_format_version: report.data_format_version.clone(),
            report_id: report.report_id.clone(),
            measurement_start_time: report.measurement_start_time.clone(),
            test_keys: StoredKeys {
                catalog_id: keys.catalog_id.clone(),
                catalog_version: keys.catalog_version.clone(),
                cancelled: keys.cancelled,
                content_blocker: keys.content_blocker,
                baseline: keys.baseline.as_ref().map(|b| StoredBaseline { date: b.date.clone() }),
                reference: keys.reference.clone(),
                endpoints: keys
                    .endpoints
                    .iter()
                    .map(|e| StoredEndpoint {
                        endpoint_id: e.endpoint_id.clone(),
                        service_id: e.service_id.clone(),
                        kind: e.kind,
                        name: e.name.clone(),
                        network: e.network.clone(),
                        verdict: e.verdict.clone(),
                        measurement: StoredMeasurement { timeout_ms: e.measurement.timeout_ms },
                    })
                    .collect(),
                services: keys
                    .services
                    .iter()
                    .map(|s| StoredService {
                        service_id: s.service_id.clone(),
                        name: s.name.clone(),
                        summary: s.summary.clone(),
                    })
                    .collect(),
            },
        }
    }

    /// Results as the report recorded them: controls apart, each service with its endpoints.
    fn results(self) -> RunResults {
        let keys = self.test_keys;
        let (controls, mut measured): (Vec<StoredEndpoint>, Vec<StoredEndpoint>) =
            keys.endpoints.into_iter().partition(|e| e.service_id.is_none());
        let row = |e: StoredEndpoint| EndpointRow {
            id: e.endpoint_id,
            name: e.name,
            kind: e.kind,
            timeout_ms: e.measurement.timeout_ms,
            network: e.network,
            verdict: Some(e.verdict),
        };
        let services = keys
            .services
            .into_iter()
            .map(|s| {
                let (own, rest): (Vec<_>, Vec<_>) =
                    measured.drain(..).partition(|e| e.service_id.as_deref() == Some(&s.service_id));
                measured = rest;
                ServiceRow {
                    id: s.service_id,
                    name: s.name,
                    summary: Some(s.summary),
                    endpoints: own.into_iter().map(row).collect(),
                }
            })
            .collect();
        RunResults {
            catalog_id: keys.catalog_id,
            catalog_version: keys.catalog_version,
            measured_at: Some(self.measurement_start_time),
            cancelled: keys.cancelled,
            content_blocker: keys.content_blocker,
            baseline_date: keys.baseline.map(|b| b.date),
            control_median_ms: keys.reference.median_ms,
            control_throughput_bps: keys.reference.throughput_bps,
            connection: Some(keys.reference.connection()),
            controls: controls.into_iter().map(row).collect(),
            services,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::tests::sample_report;

    #[test]
    fn a_stored_run_reads_back_as_it_showed_when_it_ended() {
        let report = sample_report();
        let ended = Entry::of(&report);
        let read = Entry::read(&report.to_json()).unwrap();
        assert_eq!(read, ended);
        assert_eq!(ended.report_id, report.report_id);
        assert_eq!(ended.measured_at, report.measurement_start_time);
    }

    #[test]
    fn the_history_is_written_back_as_it_was_stored() {
        let report = sample_report();
        let stored = format!("[{}]", report.to_json());
        let (runs, ignored) = parse_stored(&stored, 20);
        assert!(!ignored);
        assert_eq!(to_stored(&runs), stored);
        assert_eq!(Report::parse(&runs[0].json).unwrap(), report, "what is written back is the whole report");
    }

    #[test]
    fn damaged_or_foreign_entries_are_left_out_and_noted() {
        let good = sample_report().to_json();
        assert_eq!(parse_stored("not json", 20), (Vec::new(), true));
        assert_eq!(parse_stored("{\"old\": \"format\"}", 20), (Vec::new(), true));
        assert_eq!(parse_stored("[]", 20), (Vec::new(), false));
        assert_eq!(parse_stored("[{\"data_format_version\": \"0\"}]", 20), (Vec::new(), true));
        let future = good.replacen("\"data_format_version\":\"4\"", "\"data_format_version\":\"99\"", 1);
        assert_ne!(future, good);
        let (runs, ignored) =
            parse_stored(&format!("[{good}, 3, {{\"data_format_version\": \"4\"}}, {future}]"), 20);
        assert_eq!((runs.len(), ignored), (1, true));
        let huge = format!(
            "[{}]",
            good.replacen(
                "\"catalog_id\":\"",
                &format!("\"catalog_id\":\"{}", "x".repeat(MAX_REPORT_BYTES)),
                1
            )
        );
        assert_eq!(parse_stored(&huge, 20), (Vec::new(), true));
    }

    #[test]
    fn at_most_the_limit_is_kept_and_that_is_not_a_loss() {
        let good = sample_report().to_json();
        let (runs, ignored) = parse_stored(&format!("[{good},{good},{good}]"), 2);
        assert_eq!((runs.len(), ignored), (2, false));
    }

    #[test]
    fn controls_and_services_are_apart_with_their_own_endpoints() {
        let results = Entry::of(&sample_report()).results;
        assert_eq!(results.controls.len(), 1);
        assert_eq!(results.services[0].endpoints.len(), 1, "only measured endpoints are in a report");
        assert!(results.services[0].endpoints.iter().all(|e| e.id != results.controls[0].id));
        assert_eq!(results.measured_at.as_deref(), Some("2026-11-26 12:00:00"));
    }
}

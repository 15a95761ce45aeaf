//! "Others on your network saw…": what a collector answers about the asker's network today
//! (`GET /v1/network`, docs/aggregates.md), read and summed up for the results. Asked for only
//! after a second, separate opt-in: asking tells the collector that this address ran a test.

use std::collections::HashMap;

use serde::Deserialize;

use crate::verdict::ServiceStatus;

/// The collector's answer. Unknown fields are ignored: the answer may grow.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct NetworkContext {
    pub probe_cc: String,
    pub probe_asn: String,
    pub day: String,
    /// Cells with fewer reports are not published (so absent here).
    pub min_cell: u64,
    pub services: Vec<NetworkCell>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct NetworkCell {
    pub service_id: String,
    pub reports: u64,
    pub counts: HashMap<String, u64>,
}

/// The most common status on the network, and how common.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Share {
    pub status: ServiceStatus,
    /// Whole percent of the reports.
    pub percent: u64,
    pub reports: u64,
}

const STATUSES: [ServiceStatus; 7] = [
    ServiceStatus::Blocked,
    ServiceStatus::Partial,
    ServiceStatus::Throttled,
    ServiceStatus::RelayOnly,
    ServiceStatus::Slow,
    ServiceStatus::Inconclusive,
    ServiceStatus::Reachable,
];

impl NetworkContext {
    pub fn parse(json: &str) -> Result<NetworkContext, String> {
        serde_json::from_str(json).map_err(|err| err.to_string())
    }

    /// The most common status of `service_id` on the network today (ties go to the worse
    /// status), if enough reports were published to say.
    pub fn share(&self, service_id: &str) -> Option<Share> {
        let cell = self.services.iter().find(|c| c.service_id == service_id).filter(|c| c.reports > 0)?;
        let count = |status: ServiceStatus| cell.counts.get(status.as_str()).copied().unwrap_or(0);
        let status =
            STATUSES.into_iter().reduce(|best, next| if count(next) > count(best) { next } else { best })?;
        Some(Share {
            status,
            percent: (count(status) * 100 + cell.reports / 2) / cell.reports,
            reports: cell.reports,
        })
    }
}

/// Where a collector answers about networks, next to where it takes reports
/// (`…/v1/reports` → `…/v1/network?services=…`).
pub fn network_url(submit_url: &str, service_ids: &[&str]) -> Option<String> {
    let base = submit_url.strip_suffix("/v1/reports")?;
    Some(format!("{base}/v1/network?services={}", service_ids.join(",")))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ANSWER: &str = r#"{ "probe_cc": "RU", "probe_asn": "AS12389", "day": "2026-12-02", "min_cell": 10,
        "services": [ { "service_id": "whatsapp", "probe_cc": "RU", "probe_asn": "AS12389", "day": "2026-12-02",
                        "reports": 1204, "counts": { "blocked": 999, "inconclusive": 205 }, "methods": { "dns": 990 } },
                      { "service_id": "tie", "reports": 10, "counts": { "reachable": 5, "throttled": 5 } } ] }"#;

    #[test]
    fn the_most_common_status_and_its_share() {
        let context = NetworkContext::parse(ANSWER).unwrap();
        assert_eq!(
            context.share("whatsapp"),
            Some(Share { status: ServiceStatus::Blocked, percent: 83, reports: 1204 })
        );
        assert_eq!(context.share("tie").unwrap().status, ServiceStatus::Throttled, "ties go to the worse");
        assert_eq!(context.share("telegram"), None, "not published: too few reports");
    }

    #[test]
    fn bad_answers_are_errors_and_urls_come_from_the_submit_url() {
        assert!(NetworkContext::parse("<html>").is_err());
        assert_eq!(
            network_url("https://c.example/v1/reports", &["a", "b"]).as_deref(),
            Some("https://c.example/v1/network?services=a,b")
        );
        assert_eq!(network_url("https://c.example/other", &["a"]), None);
    }
}

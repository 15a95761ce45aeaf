//! What the results screen shows, whatever it comes from: a live run, a saved report (history,
//! export) or a share link. One view model, so one set of components renders all three.

use serde::{Deserialize, Serialize};

use crate::catalog::{Catalog, ProbeKind};
use crate::diagnosis::Method;
use crate::evaluate::Evaluation;
use crate::verdict::{
    summarize, Connection, EndpointVerdict, Reason, ServiceStatus, ServiceSummary, Verdict,
};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunResults {
    pub catalog_id: String,
    pub catalog_version: String,
    /// `YYYY-MM-DD HH:00:00` UTC, when known.
    pub measured_at: Option<String>,
    pub cancelled: bool,
    /// The visitor's browser or an extension blocked a canary (docs/verdicts.md).
    #[serde(default)]
    pub content_blocker: bool,
    /// The day of the baseline the failures were checked against, if any.
    #[serde(default)]
    pub baseline_date: Option<String>,
    pub control_median_ms: Option<f64>,
    /// What the controls said about the connection, once they have answered or failed.
    #[serde(default)]
    pub connection: Option<Connection>,
    /// The controls' throughput (docs/verdicts.md, "The control reference"), when measured.
    #[serde(default)]
    pub control_throughput_bps: Option<f64>,
    pub controls: Vec<EndpointRow>,
    pub services: Vec<ServiceRow>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServiceRow {
    pub id: String,
    pub name: String,
    /// `None` until one of its endpoints has a verdict.
    pub summary: Option<ServiceSummary>,
    pub endpoints: Vec<EndpointRow>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EndpointRow {
    pub id: String,
    /// The catalog's name for it, when it has one (controls: `Yandex`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub kind: ProbeKind,
    pub timeout_ms: u32,
    /// The hosting network the catalog names for it (results group such endpoints by network).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network: Option<String>,
    /// `None` while not measured (yet).
    pub verdict: Option<EndpointVerdict>,
}

/// How one hosting network fared: the worst of its endpoints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NetworkState {
    /// Every judged endpoint moved its data.
    Works,
    /// Connections opened, then stopped passing data (the 16–20 KB freeze).
    Freezes,
    /// Nothing answered at all.
    Blocked,
    /// Nothing judged yet, or only inconclusive verdicts.
    Unknown,
}

/// One hosting network of a service whose endpoints name their network.
#[derive(Clone, Debug, PartialEq)]
pub struct NetworkRow {
    pub name: String,
    pub state: NetworkState,
}

impl ServiceRow {
    /// The slowest rate any of its endpoints moved data at (what a throttled service's visitor
    /// meets).
    pub fn slowest_bps(&self) -> Option<f64> {
        self.endpoints.iter().filter_map(|e| e.verdict.as_ref()?.throughput_bps).reduce(f64::min)
    }

    /// The service's endpoints grouped by hosting network, in catalog order, when every one
    /// names its network (a "foreign hosting" service); `None` otherwise.
    pub fn networks(&self) -> Option<Vec<NetworkRow>> {
        let mut rows: Vec<NetworkRow> = Vec::new();
        for endpoint in &self.endpoints {
            let name = endpoint.network.as_ref()?;
            let state = match endpoint.verdict.as_ref().map(|v| v.verdict) {
                Some(Verdict::Stalled) => NetworkState::Freezes,
                Some(Verdict::Blocked) => NetworkState::Blocked,
                Some(Verdict::Inconclusive) | None => NetworkState::Unknown,
                Some(_) => NetworkState::Works,
            };
            match rows.iter_mut().find(|r| &r.name == name) {
                Some(row) => row.state = worse(row.state, state),
                None => rows.push(NetworkRow { name: name.clone(), state }),
            }
        }
        (!rows.is_empty()).then_some(rows)
    }

    /// How the service is blocked: the method of its blocked endpoints (the first one that says
    /// more than `unknown`), when they were diagnosed.
    pub fn method(&self) -> Option<Method> {
        crate::diagnosis::service_method(self.endpoints.iter().filter_map(|e| e.verdict.as_ref()?.method))
    }

    /// What the visitor can do about it (docs/verdicts.md, "What you can do"), if anything is
    /// worth saying: for a blocked service by how it is blocked, for calls and for throttling.
    pub fn advice(&self) -> Option<Advice> {
        let status = self.summary.as_ref()?.status;
        let calls = !self.endpoints.is_empty() && self.endpoints.iter().all(|e| e.kind == ProbeKind::Webrtc);
        match status {
            ServiceStatus::RelayOnly => Some(Advice::Calls),
            ServiceStatus::Blocked if calls => Some(Advice::Calls),
            ServiceStatus::Blocked | ServiceStatus::Partial => match self.method()? {
                Method::Dns => Some(Advice::Dns),
                Method::Name => Some(Advice::Name),
                Method::Address => Some(Advice::Address),
                Method::Unknown => None,
            },
            ServiceStatus::Throttled => Some(Advice::Throttled),
            _ => None,
        }
    }
}

/// A next step for the visitor; `data-advice` on the page (docs/automation.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Advice {
    Dns,
    Name,
    Address,
    Calls,
    Throttled,
}

impl Advice {
    pub fn as_str(self) -> &'static str {
        match self {
            Advice::Dns => "dns",
            Advice::Name => "name",
            Advice::Address => "address",
            Advice::Calls => "calls",
            Advice::Throttled => "throttled",
        }
    }
}

/// A freeze outranks a block (it says more about why), a block outranks working, and anything
/// known outranks unknown.
fn worse(a: NetworkState, b: NetworkState) -> NetworkState {
    let rank = |s| match s {
        NetworkState::Unknown => 0,
        NetworkState::Works => 1,
        NetworkState::Blocked => 2,
        NetworkState::Freezes => 3,
    };
    if rank(b) > rank(a) {
        b
    } else {
        a
    }
}

/// Counts for the summary line ("3 of 14 services look blocked").
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub services: usize,
    pub judged: usize,
    pub reachable: usize,
    pub slow: usize,
    pub throttled: usize,
    pub partial: usize,
    pub blocked: usize,
    pub relay_only: usize,
    pub inconclusive: usize,
}

impl RunResults {
    /// Results of a live (possibly unfinished) run.
    pub fn live(catalog: &Catalog, evaluation: Option<&Evaluation>, cancelled: bool) -> RunResults {
        let row = |e: &crate::catalog::Endpoint| EndpointRow {
            id: e.id.clone(),
            name: e.name.clone(),
            kind: e.kind,
            timeout_ms: e.timeout_ms,
            network: e.network.clone(),
            verdict: evaluation.and_then(|ev| ev.endpoints.get(&e.id).cloned()),
        };
        RunResults {
            catalog_id: catalog.id.clone(),
            catalog_version: catalog.version.clone(),
            measured_at: None,
            cancelled,
            content_blocker: evaluation.is_some_and(|e| e.content_blocker),
            baseline_date: evaluation.and_then(|e| e.baseline.as_ref()).map(|b| b.date.clone()),
            control_median_ms: evaluation.and_then(|e| e.reference.median_ms),
            control_throughput_bps: evaluation.and_then(|e| e.reference.throughput_bps),
            connection: evaluation
                .filter(|e| catalog.controls.iter().all(|c| e.endpoints.contains_key(&c.id)))
                .map(|e| e.reference.connection()),
            controls: catalog.controls.iter().map(row).collect(),
            services: catalog
                .services
                .iter()
                .map(|s| ServiceRow {
                    id: s.id.clone(),
                    name: s.name.clone(),
                    summary: evaluation.and_then(|e| e.services.get(&s.id).cloned()),
                    endpoints: s.endpoints.iter().map(row).collect(),
                })
                .collect(),
        }
    }

    /// The services worst first — blocked, partial, throttled, relay only, slow, inconclusive,
    /// reachable, then those not judged yet — in catalog order within each: what a visitor on a
    /// phone reads first.
    pub fn services_by_urgency(&self) -> Vec<&ServiceRow> {
        use ServiceStatus::*;
        let ranks = [
            Some(Blocked),
            Some(Partial),
            Some(Throttled),
            Some(RelayOnly),
            Some(Slow),
            Some(Inconclusive),
            Some(Reachable),
            None,
        ];
        // A pass per rank rather than a sort: a dozen services, and no sort code in the wasm.
        ranks
            .iter()
            .flat_map(|rank| {
                self.services.iter().filter(move |s| s.summary.as_ref().map(|s| s.status) == *rank)
            })
            .collect()
    }

    /// Recomputes every service summary from its endpoint verdicts (used for share links, which
    /// carry only the endpoint verdicts).
    pub fn resummarize(&mut self) {
        for service in &mut self.services {
            let verdicts: Vec<&EndpointVerdict> =
                service.endpoints.iter().filter_map(|e| e.verdict.as_ref()).collect();
            service.summary = (!verdicts.is_empty()).then(|| summarize(&verdicts));
        }
    }

    /// Endpoints judged `inconclusive` for this reason (e.g. how many a change of network hit).
    pub fn count_reason(&self, reason: Reason) -> usize {
        self.services
            .iter()
            .flat_map(|s| &s.endpoints)
            .chain(&self.controls)
            .filter(|e| e.verdict.as_ref().is_some_and(|v| v.reason == Some(reason)))
            .count()
    }

    pub fn tally(&self) -> Tally {
        let mut tally = Tally { services: self.services.len(), ..Tally::default() };
        for summary in self.services.iter().filter_map(|s| s.summary.as_ref()) {
            tally.judged += 1;
            *match summary.status {
                ServiceStatus::Reachable => &mut tally.reachable,
                ServiceStatus::Slow => &mut tally.slow,
                ServiceStatus::Throttled => &mut tally.throttled,
                ServiceStatus::Partial => &mut tally.partial,
                ServiceStatus::Blocked => &mut tally.blocked,
                ServiceStatus::RelayOnly => &mut tally.relay_only,
                ServiceStatus::Inconclusive => &mut tally.inconclusive,
            } += 1;
        }
        tally
    }

    /// Endpoints measured so far and in all.
    pub fn progress(&self) -> (usize, usize) {
        let all = self.controls.iter().chain(self.services.iter().flat_map(|s| &s.endpoints));
        let (done, total) =
            all.fold((0, 0), |(done, total), e| (done + usize::from(e.verdict.is_some()), total + 1));
        (done, total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::tests::sample_report;

    /// A report's results, as the history shows them.
    fn sample_results() -> RunResults {
        (*crate::history::Entry::of(&sample_report()).results).clone()
    }

    #[test]
    fn a_report_becomes_results_with_controls_and_services_apart() {
        let results = sample_results();
        assert_eq!(results.controls.len(), 1);
        assert_eq!(results.services[0].endpoints.len(), 1, "only measured endpoints are in a report");
        assert_eq!(results.measured_at.as_deref(), Some("2026-11-26 12:00:00"));
        assert!(results.cancelled);
        let tally = results.tally();
        assert_eq!((tally.services, tally.judged, tally.blocked), (1, 1, 1));
        assert_eq!(results.progress(), (2, 2));
    }

    #[test]
    fn endpoints_that_name_their_network_group_into_networks() {
        let row = |id: &str, network: Option<&str>, verdict: Option<Verdict>| EndpointRow {
            id: id.into(),
            name: None,
            kind: ProbeKind::Upload,
            timeout_ms: 1000,
            network: network.map(str::to_owned),
            verdict: verdict.map(|verdict| EndpointVerdict {
                verdict,
                reason: None,
                samples: 1,
                ..EndpointVerdict::unmeasured(Reason::NotRun)
            }),
        };
        let service = |endpoints| ServiceRow { id: "h".into(), name: "H".into(), summary: None, endpoints };
        let hosting = service(vec![
            row("a-up", Some("A"), Some(Verdict::Ok)),
            row("a-down", Some("A"), Some(Verdict::Stalled)),
            row("b-up", Some("B"), Some(Verdict::Ok)),
            row("c-up", Some("C"), Some(Verdict::Blocked)),
            row("d-up", Some("D"), None),
        ]);
        let states: Vec<(String, NetworkState)> =
            hosting.networks().unwrap().into_iter().map(|r| (r.name, r.state)).collect();
        assert_eq!(
            states,
            [
                ("A".into(), NetworkState::Freezes),
                ("B".into(), NetworkState::Works),
                ("C".into(), NetworkState::Blocked),
                ("D".into(), NetworkState::Unknown)
            ]
        );
        let mixed = service(vec![row("a", Some("A"), None), row("x", None, None)]);
        assert_eq!(mixed.networks(), None, "only services whose every endpoint names a network");
    }

    #[test]
    fn advice_follows_how_a_service_is_blocked() {
        use crate::diagnosis::Method;
        let verdict = |verdict, method| EndpointVerdict {
            verdict,
            reason: None,
            method,
            samples: 1,
            ..EndpointVerdict::unmeasured(Reason::NotRun)
        };
        let row = |id: &str, kind, v: EndpointVerdict| EndpointRow {
            id: id.into(),
            name: None,
            kind,
            timeout_ms: 1000,
            network: None,
            verdict: Some(v),
        };
        let service = |endpoints: Vec<EndpointRow>| {
            let verdicts: Vec<&EndpointVerdict> =
                endpoints.iter().filter_map(|e| e.verdict.as_ref()).collect();
            let summary = Some(summarize(&verdicts));
            ServiceRow { id: "s".into(), name: "S".into(), summary, endpoints }
        };
        let blocked = |method| row("b", ProbeKind::Fetch, verdict(Verdict::Blocked, method));
        // The first method that says more than unknown is the service's.
        let mixed = service(vec![blocked(Some(Method::Unknown)), blocked(Some(Method::Dns))]);
        assert_eq!((mixed.method(), mixed.advice()), (Some(Method::Dns), Some(Advice::Dns)));
        assert_eq!(service(vec![blocked(Some(Method::Name))]).advice(), Some(Advice::Name));
        assert_eq!(service(vec![blocked(Some(Method::Address))]).advice(), Some(Advice::Address));
        // Unknown, or not diagnosed: nothing to advise.
        assert_eq!(service(vec![blocked(Some(Method::Unknown))]).advice(), None);
        assert_eq!(service(vec![blocked(None)]).advice(), None);
        let call = row("c", ProbeKind::Webrtc, verdict(Verdict::Blocked, None));
        assert_eq!(service(vec![call]).advice(), Some(Advice::Calls));
        let slow = row("t", ProbeKind::Stream, verdict(Verdict::Throttled, None));
        assert_eq!(service(vec![slow]).advice(), Some(Advice::Throttled));
        let fine = row("o", ProbeKind::Fetch, verdict(Verdict::Ok, None));
        assert_eq!(service(vec![fine]).advice(), None);
    }

    #[test]
    fn services_read_worst_first_in_catalog_order_within_a_verdict() {
        let mut results = sample_results();
        let summary = results.services[0].summary.clone().unwrap();
        let service = |id: &str, status: Option<ServiceStatus>| ServiceRow {
            id: id.into(),
            name: id.into(),
            summary: status.map(|status| ServiceSummary { status, ..summary.clone() }),
            endpoints: Vec::new(),
        };
        use ServiceStatus::*;
        results.services = vec![
            service("ok1", Some(Reachable)),
            service("pending", None),
            service("blocked1", Some(Blocked)),
            service("unknown", Some(Inconclusive)),
            service("throttled", Some(Throttled)),
            service("blocked2", Some(Blocked)),
            service("partial", Some(Partial)),
        ];
        let order: Vec<&str> = results.services_by_urgency().iter().map(|s| s.id.as_str()).collect();
        assert_eq!(order, ["blocked1", "blocked2", "partial", "throttled", "unknown", "ok1", "pending"]);
    }

    #[test]
    fn resummarizing_gives_the_same_summaries() {
        let results = sample_results();
        let mut again = results.clone();
        again.resummarize();
        assert_eq!(again, results);
    }
}

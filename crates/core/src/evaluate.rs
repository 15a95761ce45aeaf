//! Turns a run's measurements into verdicts: controls first (they are the yardstick), then
//! every service endpoint, then one summary per service and one for the run.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::attribution::{burst_instants, content_blocker_seen, failed_attempts, Attribution, Circumstances};
use crate::baseline::Baseline;
use crate::catalog::{Catalog, Endpoint};
use crate::measurement::Measurement;
use crate::verdict::{
    judge, summarize, ControlReference, EndpointVerdict, ServiceStatus, ServiceSummary, Verdict,
};

/// The judged results of one run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    pub reference: ControlReference,
    /// Verdicts per endpoint id (controls included), for the endpoints measured so far.
    pub endpoints: HashMap<String, EndpointVerdict>,
    /// One summary per service id, for services with at least one measured endpoint.
    pub services: HashMap<String, ServiceSummary>,
    /// A canary failed while the controls answered (docs/verdicts.md): the visitor's browser or
    /// an extension blocks requests.
    pub content_blocker: bool,
    /// When the network changed during the run (ms since it began), reported or seen as a burst.
    pub network_changes_ms: Vec<f64>,
    /// The baseline the failures were checked against, when it applies to this catalog.
    pub baseline: Option<Baseline>,
}

impl Evaluation {
    /// Judges what has been measured; endpoints without a measurement are left out, so this
    /// can run after every probe to show live progress.
    pub fn of(catalog: &Catalog, measurements: &HashMap<String, Measurement>) -> Evaluation {
        Evaluation::judged(catalog, measurements, Circumstances::default())
    }

    /// Judges what has been measured, taking into account what else the page noticed (a change
    /// of network) and the catalog's baseline.
    pub fn judged(
        catalog: &Catalog,
        measurements: &HashMap<String, Measurement>,
        circumstances: Circumstances<'_>,
    ) -> Evaluation {
        let reference = ControlReference::from_controls(
            // A loaded catalog's controls all have a scope.
            catalog.controls.iter().filter_map(|c| Some((c.scope?, measurements.get(&c.id)?))),
        );
        let measured: Vec<(&Endpoint, &Measurement, String)> = catalog
            .endpoints()
            .map(|(_, e)| e)
            .chain(&catalog.canaries)
            .filter_map(|e| {
                let host = e.target().map(|t| t.host_key()).unwrap_or_else(|_| e.url.clone());
                Some((e, measurements.get(&e.id)?, host))
            })
            .collect();
        let failures = measured.iter().flat_map(|(_, m, host)| failed_attempts(host, m)).collect();
        let instants =
            circumstances.network_changes_ms.iter().copied().chain(burst_instants(failures, &reference));
        let network_changes_ms = crate::sorting::sorted_by_key(instants, |ms| *ms);
        let canaries = catalog.canaries.iter().filter_map(|c| measurements.get(&c.id));
        let baseline = circumstances.baseline.filter(|b| b.applies_to(catalog));
        let attribution = Attribution {
            content_blocker: content_blocker_seen(canaries, &reference, &network_changes_ms),
            network_changes_ms,
            baseline,
        };
        let mut endpoints: HashMap<String, EndpointVerdict> = measured
            .iter()
            .map(|(e, m, _)| (e.id.clone(), attribution.apply(judge(m, &reference), e, m)))
            .collect();
        if let Some(reason) = reference.unusable_reason().filter(|_| circumstances.settled) {
            for (_, endpoint) in catalog.endpoints().filter(|(service, _)| service.is_some()) {
                endpoints.entry(endpoint.id.clone()).or_insert_with(|| EndpointVerdict::unmeasured(reason));
            }
        }
        // Every blocked endpoint on a diagnosed host (also one that failed after its host was
        // diagnosed) gets the host's method.
        for (endpoint, _, host) in &measured {
            let diagnosis = circumstances.diagnoses.iter().find(|d| &d.host == host);
            if let (Some(diagnosis), Some(verdict)) = (diagnosis, endpoints.get_mut(&endpoint.id)) {
                if verdict.verdict == Verdict::Blocked {
                    verdict.method = Some(diagnosis.method(verdict.failure, &reference));
                }
            }
        }
        let services = catalog
            .services
            .iter()
            .filter_map(|service| {
                let verdicts: Vec<&EndpointVerdict> =
                    service.endpoints.iter().filter_map(|e| endpoints.get(&e.id)).collect();
                (!verdicts.is_empty()).then(|| (service.id.clone(), summarize(&verdicts)))
            })
            .collect();
        Evaluation {
            reference,
            endpoints,
            services,
            content_blocker: attribution.content_blocker,
            network_changes_ms: attribution.network_changes_ms,
            baseline: baseline.cloned(),
        }
    }

    /// How many services got each status.
    pub fn count(&self, status: ServiceStatus) -> usize {
        self.services.values().filter(|s| s.status == status).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Catalog, PageContext};
    use crate::measurement::{Outcome, Sample};
    use crate::verdict::{Failure, Reason, Verdict};

    const CATALOG: &str = r#"{
      "catalog_format": 1, "id": "t", "version": "1",
      "controls": [
        { "scope": "global", "id": "g", "kind": "fetch", "url": "https://g.example/", "timeout_ms": 5000, "source": "t" }
      ],
      "services": [
        { "id": "a", "name": "A", "category": "x", "homepage": "https://a.example/", "endpoints": [
          { "id": "a1", "kind": "fetch", "url": "https://a1.example/", "timeout_ms": 5000, "source": "t" },
          { "id": "a2", "kind": "fetch", "url": "https://a2.example/", "timeout_ms": 5000, "source": "t" } ] },
        { "id": "b", "name": "B", "category": "x", "homepage": "https://b.example/", "endpoints": [
          { "id": "b1", "kind": "fetch", "url": "https://b1.example/", "timeout_ms": 5000, "source": "t" } ] }
      ]
    }"#;

    fn measurement(id: &str, outcome: Outcome, ms: f64) -> (String, Measurement) {
        let m = Measurement {
            endpoint_id: id.into(),
            kind: crate::catalog::ProbeKind::Fetch,
            timeout_ms: 5000,
            obstacle: None,
            samples: vec![Sample::new(outcome, ms)],
            transfer: None,
            ice: None,
        };
        (id.into(), m)
    }

    #[test]
    fn judges_services_against_the_controls_of_the_run() {
        let catalog = Catalog::load(CATALOG, PageContext::SECURE).unwrap();
        let measured: HashMap<_, _> = [
            measurement("g", Outcome::Ok, 40.0),
            measurement("a1", Outcome::Timeout, 5000.0),
            measurement("a2", Outcome::Timeout, 5000.0),
            measurement("b1", Outcome::Ok, 60.0),
        ]
        .into();
        let evaluation = Evaluation::of(&catalog, &measured);
        assert_eq!(evaluation.reference.median_ms, Some(40.0));
        assert_eq!(evaluation.endpoints["a1"].failure, Some(Failure::Timeout));
        assert_eq!(evaluation.services["a"].status, ServiceStatus::Blocked);
        assert_eq!(evaluation.services["b"].status, ServiceStatus::Reachable);
        assert_eq!(evaluation.count(ServiceStatus::Blocked), 1);
    }

    #[test]
    fn partial_runs_judge_only_what_was_measured() {
        let catalog = Catalog::load(CATALOG, PageContext::SECURE).unwrap();
        let measured: HashMap<_, _> = [measurement("a1", Outcome::Timeout, 5000.0)].into();
        let evaluation = Evaluation::of(&catalog, &measured);
        // The control has not answered (yet): the timeout cannot be blamed on the service.
        assert_eq!(evaluation.endpoints["a1"].verdict, Verdict::Inconclusive);
        assert_eq!(evaluation.endpoints["a1"].reason, Some(Reason::ControlsFailed));
        assert!(!evaluation.services.contains_key("b"));
    }
}

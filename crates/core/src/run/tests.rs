use super::*;
use crate::catalog::{PageContext, ProbeKind};
use crate::measurement::{Outcome, Sample};
use crate::problem::FetchFailure;
use crate::verdict::{Reason, Verdict};

const CATALOG: &str = r#"{ "catalog_format": 1, "id": "t", "version": "1",
  "controls": [ { "scope": "global", "id": "c", "kind": "fetch", "url": "https://c.example/", "timeout_ms": 1000, "source": "t" } ],
  "services": [ { "id": "s", "name": "S", "category": "x", "homepage": "https://s.example/", "endpoints": [
    { "id": "e", "kind": "fetch", "url": "https://e.example/", "timeout_ms": 1000, "source": "t" } ] } ] }"#;

fn catalog() -> Catalog {
    Catalog::load(CATALOG, PageContext::SECURE).unwrap()
}

fn measured(id: &str, outcome: Outcome) -> Measurement {
    Measurement {
        endpoint_id: id.into(),
        kind: ProbeKind::Fetch,
        timeout_ms: 1000,
        obstacle: None,
        samples: vec![Sample::new(outcome, 10.0)],
        transfer: None,
        ice: None,
    }
}

fn started_at(mut measurement: Measurement, at_ms: f64) -> Measurement {
    measurement.samples.iter_mut().for_each(|s| s.at_ms = Some(at_ms));
    measurement
}

fn stamp(id_byte: u8) -> ReportStamp {
    ReportStamp {
        report_id: format!("{id_byte:02x}").repeat(16),
        software_version: "0",
        measurement_start_time: "2026-11-26 12:00:00".into(),
        browser: "Chrome 156".into(),
    }
}

/// Applies events in order; returns every effect they asked for.
fn feed(run: &mut Run, events: impl IntoIterator<Item = Event>) -> Vec<Effect> {
    events.into_iter().flat_map(|event| run.update(event)).collect()
}

fn loaded() -> Run {
    let mut run = Run::default();
    assert!(run.update(Event::CatalogLoaded(Ok(catalog().into()))).is_empty(), "loading probes nothing");
    run
}

/// A run that has consented and started run number `run.run`.
fn running() -> Run {
    let mut run = loaded();
    feed(&mut run, [Event::Start, Event::Consent]);
    run
}

fn ended(run: &Run, id_byte: u8) -> Event {
    Event::ProbesEnded { run: run.run, cancelled: false, stamp: stamp(id_byte) }
}

fn finished(measure: impl FnOnce(u64) -> Vec<Event>) -> Run {
    let mut run = running();
    let events = measure(run.run);
    feed(&mut run, events);
    let end = ended(&run, 1);
    run.update(end);
    run
}

fn probes(effects: &[Effect]) -> Vec<u64> {
    effects.iter().filter_map(|e| if let Effect::Probe { run, .. } = e { Some(*run) } else { None }).collect()
}

#[test]
fn nothing_is_probed_before_consent_and_consent_is_asked_once() {
    let mut run = loaded();
    assert!(run.update(Event::Start).is_empty(), "Start only asks for consent");
    assert_eq!(run.phase, Phase::Consent);
    assert!(run.update(Event::DeclineConsent).is_empty());
    assert_eq!((run.phase, run.consented), (Phase::Idle, false));
    assert!(run.update(Event::Consent).is_empty(), "consent counts only when asked for");
    assert_eq!(run.phase, Phase::Idle);
    let effects = feed(&mut run, [Event::Start, Event::Consent]);
    assert_eq!(probes(&effects), [1]);
    assert_eq!((run.phase, run.consented), (Phase::Running, true));
    let end = ended(&run, 1);
    run.update(end);
    assert_eq!(probes(&run.update(Event::Start)), [2], "consent holds for the page");
}

#[test]
fn no_run_starts_without_a_catalog() {
    let mut run = Run::default();
    assert!(feed(&mut run, [Event::Start, Event::Consent]).is_empty());
    assert_eq!(run.phase, Phase::Idle);
    let failure =
        LoadError::Fetch { url: "https://x.example/catalog.json".into(), failure: FetchFailure::Status(404) };
    run.update(Event::CatalogLoaded(Err(failure.clone())));
    assert_eq!(run.catalog, CatalogState::Failed(failure));
    assert!(feed(&mut run, [Event::Start, Event::Consent]).is_empty());
}

#[test]
fn a_run_judges_results_as_they_arrive_then_saves_and_lets_the_outbox_send() {
    let mut run = running();
    let n = run.run;
    let effects = feed(
        &mut run,
        [
            Event::ProbeStarted { run: n, endpoint: "c".into() },
            Event::ProbeStarted { run: n, endpoint: "e".into() },
            Event::ProbeFinished { run: n, measurement: measured("c", Outcome::Ok) },
        ],
    );
    assert!(effects.is_empty(), "probe events only change the model");
    assert_eq!(run.probing(), HashSet::from(["e".to_owned()]));
    run.update(Event::ProbeFinished { run: n, measurement: measured("e", Outcome::Timeout) });
    assert_eq!(run.evaluation.as_ref().unwrap().endpoints["e"].verdict, Verdict::Blocked);
    assert_eq!(run.own_results().unwrap().progress(), (2, 2));
    let end = ended(&run, 1);
    let effects = run.update(end);
    assert_eq!(run.phase, Phase::Done);
    let report = run.report.clone().unwrap();
    assert_eq!(report.report_id, "01".repeat(16));
    assert_eq!(run.history.len(), 1);
    assert_eq!(effects, [Effect::SaveHistory(run.history.clone()), Effect::SendQueued { page_load: false }]);
    assert_eq!(run.own_results().unwrap().measured_at.as_deref(), Some("2026-11-26 12:00:00"));
}

#[test]
fn network_changes_make_what_was_in_flight_inconclusive() {
    let run = finished(|n| {
        vec![
            Event::ProbeFinished { run: n, measurement: measured("c", Outcome::Ok) },
            Event::NetworkChanged { run: n, at_ms: 5.0 },
            Event::ProbeFinished { run: n, measurement: started_at(measured("e", Outcome::Error), 1.0) },
        ]
    });
    let verdict = &run.evaluation.as_ref().unwrap().endpoints["e"];
    assert_eq!((verdict.verdict, verdict.reason), (Verdict::Inconclusive, Some(Reason::NetworkChanged)));
    assert_eq!(run.report.unwrap().test_keys.network_changes_ms, [5.0]);
}

#[test]
fn cancel_stops_the_probes_once_and_the_run_ends_cancelled() {
    let mut run = running();
    let n = run.run;
    assert_eq!(run.update(Event::Cancel), [Effect::StopProbes { run: n }]);
    assert!(run.update(Event::Cancel).is_empty(), "a second click asks for nothing more");
    assert!(run.update(Event::Start).is_empty(), "no new run while the old one winds down");
    run.update(Event::ProbesEnded { run: n, cancelled: true, stamp: stamp(2) });
    assert!(run.cancelled && run.report.as_ref().unwrap().test_keys.cancelled);
    assert!(run.update(Event::Cancel).is_empty(), "nothing to cancel after the end");
}

#[test]
fn events_of_an_older_run_or_after_the_end_are_ignored() {
    let mut run =
        finished(|n| vec![Event::ProbeFinished { run: n, measurement: measured("c", Outcome::Ok) }]);
    let done = run.clone();
    let late = run.run;
    assert!(run
        .update(Event::ProbeFinished { run: late, measurement: measured("e", Outcome::Ok) })
        .is_empty());
    assert_eq!(run, done);
    run.update(Event::Start);
    let before = run.clone();
    let effects = feed(
        &mut run,
        [
            Event::ProbeFinished { run: late, measurement: measured("e", Outcome::Ok) },
            Event::NetworkChanged { run: late, at_ms: 1.0 },
            Event::ProbesEnded { run: late, cancelled: false, stamp: stamp(9) },
        ],
    );
    assert!(effects.is_empty());
    assert_eq!(run, before, "run 1's stragglers do not touch run 2");
}

#[test]
fn history_keeps_the_newest_twenty() {
    let mut run = running();
    for i in 0..25u8 {
        let end = ended(&run, i);
        run.update(end);
        run.update(Event::Start);
    }
    assert_eq!(run.history.len(), HISTORY_LIMIT);
    assert_eq!(run.history[0].report_id, format!("{:02x}", 24u8).repeat(16));
}

#[test]
fn history_loaded_damaged_is_cleaned_and_noted_and_can_be_cleared() {
    let mut run = finished(|_| Vec::new());
    let kept = run.history.as_ref().clone();
    assert!(run.update(Event::HistoryLoaded { runs: kept.clone(), ignored: false }).is_empty());
    let effects = run.update(Event::HistoryLoaded { runs: kept.clone(), ignored: true });
    assert!(run.history_ignored);
    assert_eq!(effects, [Effect::SaveHistory(Rc::new(kept))], "the readable part is saved back");
    assert_eq!(run.update(Event::ClearHistory), [Effect::SaveHistory(Rc::new(Vec::new()))]);
}

#[test]
fn queued_reports_are_sent_on_page_load_or_after_a_run_never_during_one() {
    let mut run = loaded();
    assert_eq!(run.update(Event::PageLoaded), [Effect::SendQueued { page_load: true }]);
    let mut run = running();
    assert!(run.update(Event::PageLoaded).is_empty(), "not while probes run");
    let end = ended(&run, 1);
    let effects = run.update(end);
    assert!(
        effects.contains(&Effect::SendQueued { page_load: true }),
        "the page load's retry, deferred: {effects:?}"
    );
    run.update(Event::Start);
    let end = ended(&run, 2);
    assert!(run.update(end).contains(&Effect::SendQueued { page_load: false }));
}

#[test]
fn a_baseline_that_cannot_be_read_is_kept_as_a_problem_and_the_catalog_still_loads() {
    let mut run = Run::default();
    let problem = LoadError::Invalid { url: "https://x.example/baseline.json".into(), problems: Vec::new() };
    let files = CatalogFiles { catalog: catalog(), baseline: Err(problem.clone()) };
    run.update(Event::CatalogLoaded(Ok(files)));
    assert!(run.ready_catalog().is_some());
    assert_eq!((run.baseline.clone(), run.baseline_problem.clone()), (None, Some(problem)));
}

#[test]
fn a_catalog_arriving_during_a_run_does_not_replace_the_running_one() {
    let mut run = running();
    let before = run.ready_catalog().cloned();
    run.update(Event::CatalogLoaded(Err(LoadError::UnknownServices(vec!["x".into()]))));
    assert_eq!(run.ready_catalog().cloned(), before, "the running catalog stays");
}

#[test]
fn a_run_whose_controls_all_failed_stops_at_once_and_is_not_cancelled() {
    let mut run = running();
    let n = run.run;
    let effects = run.update(Event::ProbeFinished { run: n, measurement: measured("c", Outcome::Timeout) });
    assert_eq!(effects, [Effect::StopProbes { run: n }], "nothing left can mean a block");
    assert!(run.settled() && run.stopped_early);
    assert_eq!(run.own_results().unwrap().connection, Some(Connection::Down));
    run.update(Event::ProbesEnded { run: n, cancelled: true, stamp: stamp(3) });
    let report = run.report.clone().unwrap();
    assert!(!run.cancelled && !report.test_keys.cancelled && report.test_keys.stopped_early);
    // A control that answers leaves the run to its end.
    let mut run = running();
    let n = run.run;
    assert!(run.update(Event::ProbeFinished { run: n, measurement: measured("c", Outcome::Ok) }).is_empty());
    assert!(!run.settled());
}

/// The test catalog with a resolver, its control answered: a run and what its failed endpoint
/// asked for.
fn diagnosing_run() -> (Run, Vec<Effect>) {
    let json = CATALOG
        .replace(r#""controls""#, r#""resolvers": [ "https://dns.example/resolve?name=" ], "controls""#);
    let mut run = Run::default();
    run.update(Event::CatalogLoaded(Ok(Catalog::load(&json, PageContext::SECURE).unwrap().into())));
    feed(&mut run, [Event::Start, Event::Consent]);
    let n = run.run;
    assert!(run.update(Event::ProbeFinished { run: n, measurement: measured("c", Outcome::Ok) }).is_empty());
    let effects = run.update(Event::ProbeFinished { run: n, measurement: measured("e", Outcome::Error) });
    (run, effects)
}

fn dns_diagnosis() -> crate::diagnosis::Diagnosis {
    use crate::diagnosis::{Answer, Diagnosis, Lookup};
    Diagnosis {
        host: "e.example:443".into(),
        endpoints: vec!["e".into()],
        lookups: vec![Lookup { resolver: "dns.example:443".into(), answer: Answer::Addresses, addresses: 1 }],
        root: Some(Sample::new(Outcome::Error, 10.0)),
        addresses: vec![Sample::new(Outcome::Error, 12.0)],
    }
}

#[test]
fn a_failed_host_is_diagnosed_while_the_run_goes_on_and_the_report_waits_for_it() {
    use crate::diagnosis::Method;
    let (mut run, effects) = diagnosing_run();
    let [Effect::Diagnose { run: n, plan }] = &effects[..] else { panic!("{effects:?}") };
    let n = *n;
    assert_eq!((plan.suspects.len(), plan.suspects[0].key()), (1, "e.example:443".to_owned()));
    // The probes end before the diagnosis: the report waits, nothing is asked twice.
    let end = ended(&run, 1);
    assert!(run.update(end).is_empty());
    assert!(run.diagnosing() && run.report.is_none() && run.phase == Phase::Running);
    let effects = run.update(Event::Diagnosed { run: n, diagnoses: vec![dns_diagnosis()] });
    assert_eq!(effects, [Effect::SaveHistory(run.history.clone()), Effect::SendQueued { page_load: false }]);
    let report = run.report.clone().unwrap();
    let endpoint = report.test_keys.endpoints.iter().find(|e| e.endpoint_id == "e").unwrap();
    assert_eq!(endpoint.verdict.method, Some(Method::Dns));
    assert_eq!(report.test_keys.diagnoses, [dns_diagnosis()]);
    assert!(!report.test_keys.cancelled);
    // The report, with its method, reads back.
    assert_eq!(Report::parse(&report.to_json()).unwrap(), *report);
}

#[test]
fn a_diagnosis_that_ends_first_lets_the_report_be_written_when_the_probes_end() {
    let (mut run, _) = diagnosing_run();
    let n = run.run;
    assert!(run.update(Event::Diagnosed { run: n, diagnoses: vec![dns_diagnosis()] }).is_empty());
    assert_eq!(run.phase, Phase::Running, "the probes still run");
    let end = ended(&run, 1);
    assert_eq!(run.update(end).len(), 2, "history and outbox at once");
    assert_eq!(run.phase, Phase::Done);
}

#[test]
fn a_cancel_stops_the_follow_up_probes_and_the_run_ends_once_they_have() {
    let (mut run, _) = diagnosing_run();
    let n = run.run;
    assert_eq!(run.update(Event::Cancel), [Effect::StopProbes { run: n }]);
    let effects = run.update(Event::ProbesEnded { run: n, cancelled: true, stamp: stamp(1) });
    assert!(
        !effects.iter().any(|e| matches!(e, Effect::Diagnose { .. })),
        "nothing new is asked: {effects:?}"
    );
    assert_eq!(run.phase, Phase::Running, "the stopped diagnosis has not answered yet");
    run.update(Event::Diagnosed { run: n, diagnoses: Vec::new() });
    let report = run.report.clone().unwrap();
    assert!(report.test_keys.cancelled && report.test_keys.diagnoses.is_empty());
    assert_eq!(run.phase, Phase::Done);
}

#[test]
fn under_an_allow_list_a_run_waits_for_domestic_services_only() {
    use crate::verdict::ServiceStatus;
    // A global and a domestic control; a domestic service "d" and a foreign one "s".
    let json = CATALOG
        .replace(
            r#"{ "scope": "global", "id": "c""#,
            r#"{ "scope": "domestic", "country": "RU", "id": "cd", "kind": "fetch", "url": "https://cd.example/", "timeout_ms": 1000, "source": "t" },
               { "scope": "global", "id": "c""#,
        )
        .replace(
            r#""services": [ "#,
            r#""services": [ { "id": "d", "name": "D", "category": "x", "homepage": "https://d.example/", "country": "RU",
                 "endpoints": [ { "id": "d1", "kind": "fetch", "url": "https://d.example/", "timeout_ms": 1000, "source": "t" } ] }, "#,
        );
    let mut run = Run::default();
    run.update(Event::CatalogLoaded(Ok(Catalog::load(&json, PageContext::SECURE).unwrap().into())));
    feed(&mut run, [Event::Start, Event::Consent]);
    let n = run.run;
    let effects = feed(
        &mut run,
        [
            Event::ProbeFinished { run: n, measurement: measured("c", Outcome::Timeout) },
            Event::ProbeFinished { run: n, measurement: measured("cd", Outcome::Ok) },
        ],
    );
    assert!(effects.is_empty(), "the domestic service can still answer");
    let effects = run.update(Event::ProbeFinished { run: n, measurement: measured("d1", Outcome::Ok) });
    assert_eq!(effects, [Effect::StopProbes { run: n }], "the foreign endpoint cannot change its verdict");
    run.update(Event::ProbesEnded { run: n, cancelled: true, stamp: stamp(4) });
    let report = run.report.clone().unwrap();
    assert!(report.test_keys.stopped_early && !report.test_keys.cancelled);
    // The same verdicts as a run that waited: the domestic service judged, the foreign one
    // inconclusive for the allow-list, though its endpoint was never waited for.
    let status =
        |id: &str| report.test_keys.services.iter().find(|s| s.service_id == id).unwrap().summary.status;
    assert_eq!((status("d"), status("s")), (ServiceStatus::Reachable, ServiceStatus::Inconclusive));
    let foreign = &run.evaluation.as_ref().unwrap().endpoints["e"];
    assert_eq!(
        (foreign.verdict, foreign.reason, foreign.samples),
        (Verdict::Inconclusive, Some(Reason::InternationalDown), 0)
    );
    assert!(
        report.test_keys.endpoints.iter().all(|e| e.endpoint_id != "e"),
        "nothing measured, nothing reported"
    );
}

use super::*;
use reachcheck_core::catalog::{PageContext, ProbeKind};
use reachcheck_core::measurement::{Outcome, Sample};
use reachcheck_core::report::ReportContext;
use reachcheck_core::verdict::Verdict;

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

fn report_of(state: &AppState, id_byte: u8) -> Box<Report> {
    let context = ReportContext {
        report_id: format!("{id_byte:02x}").repeat(16),
        software_version: "0",
        measurement_start_time: "2026-11-26 12:00:00".into(),
        browser: "Chrome 156".into(),
        cancelled: false,
        circumstances: state.circumstances(),
    };
    Box::new(Report::of_run(&catalog(), &state.measurements, context))
}

fn loaded() -> AppState {
    AppState::new(Lang::En).apply(Action::CatalogLoaded(Ok(catalog().into())))
}

fn finish(state: AppState, id_byte: u8) -> AppState {
    let report = report_of(&state, id_byte);
    state.apply(Action::Finished { cancelled: false, report })
}

#[test]
fn consent_comes_before_any_run_and_is_asked_once() {
    let state = loaded().apply(Action::RequestStart);
    assert_eq!(state.run, RunState::Consent);
    assert!(state.started.is_empty());
    let declined = state.clone().apply(Action::DeclineConsent);
    assert_eq!((declined.run, declined.consented), (RunState::Idle, false));
    // Nothing can start a run before consent.
    assert_eq!(loaded().apply(Action::Consent).run, RunState::Idle, "consent comes only when asked");
    let running = state.apply(Action::Consent);
    assert_eq!((running.run, running.consented), (RunState::Running, true));
    let done = finish(running, 1);
    assert_eq!(done.apply(Action::RequestStart).run, RunState::Running, "consent holds for the page");
}

#[test]
fn a_run_judges_results_as_they_arrive_and_lands_in_history() {
    let state = loaded()
        .apply(Action::RequestStart)
        .apply(Action::Consent)
        .apply(Action::EndpointStarted("c".into()))
        .apply(Action::EndpointFinished(measured("c", Outcome::Ok)))
        .apply(Action::EndpointFinished(measured("e", Outcome::Timeout)));
    assert_eq!(state.evaluation.as_ref().unwrap().endpoints["e"].verdict, Verdict::Blocked);
    let live = state.own_results().unwrap();
    assert_eq!(live.progress(), (2, 2));
    let done = finish(state, 1);
    assert_eq!(done.run, RunState::Done);
    assert_eq!(done.history.len(), 1);
    assert_eq!(done.own_results().unwrap().measured_at.as_deref(), Some("2026-11-26 12:00:00"));
}

#[test]
fn history_keeps_the_newest_twenty() {
    let mut state = loaded().apply(Action::RequestStart).apply(Action::Consent);
    for i in 0..25u8 {
        state = finish(state, i).apply(Action::RequestStart);
    }
    assert_eq!(state.history.len(), HISTORY_LIMIT);
    assert_eq!(state.history[0].report_id, format!("{:02x}", 24u8).repeat(16));
}

#[test]
fn viewing_history_or_a_share_link_is_read_only_and_closes() {
    let done = finish(loaded().apply(Action::RequestStart).apply(Action::Consent), 7);
    let viewing = done.apply(Action::OpenHistory(0));
    assert!(matches!(viewing.viewing, Some(Viewing::History(_))));
    assert!(viewing.apply(Action::CloseViewing).viewing.is_none());
    let broken = loaded().apply(Action::OpenShared(Err("the link is damaged".into())));
    assert_eq!(broken.notice, Some(PageNotice::ShareLinkBroken("the link is damaged".into())));
    assert_eq!(loaded().apply(Action::OpenHistory(3)).viewing, None, "no such run");
}

#[test]
fn late_events_are_ignored() {
    let done = finish(loaded().apply(Action::RequestStart).apply(Action::Consent), 1);
    let after = done.clone().apply(Action::EndpointFinished(measured("e", Outcome::Ok)));
    assert_eq!(after, done);
}

#[test]
fn the_submit_endpoint_prefers_the_page_then_the_catalog_then_the_config() {
    let config = Some("https://config.example/v1/reports".to_owned());
    let state = loaded().apply(Action::SubmitConfig { param: None, config: config.clone() });
    assert_eq!(state.submit_endpoint(), config.as_deref());
    let mut with_catalog = catalog();
    with_catalog.submit_url = Some("https://catalog.example/v1/reports".into());
    let state = state.apply(Action::CatalogLoaded(Ok(with_catalog.into())));
    assert_eq!(state.submit_endpoint(), Some("https://catalog.example/v1/reports"));
    let param = Some("https://param.example/v1/reports".to_owned());
    let state = state.apply(Action::SubmitConfig { param: param.clone(), config });
    assert_eq!(state.submit_endpoint(), param.as_deref());
    assert_eq!(AppState::new(Lang::En).submit_endpoint(), None);
}

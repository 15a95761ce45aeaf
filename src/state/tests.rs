//! The page's own rules; the run lifecycle's are tested in core (crates/core/src/run/tests.rs).

use super::*;
use reachcheck_core::catalog::{Catalog, PageContext};
use reachcheck_core::run::ReportStamp;

const CATALOG: &str = r#"{ "catalog_format": 1, "id": "t", "version": "1",
  "controls": [ { "scope": "global", "id": "c", "kind": "fetch", "url": "https://c.example/", "timeout_ms": 1000, "source": "t" } ],
  "services": [ { "id": "s", "name": "S", "category": "x", "homepage": "https://s.example/", "endpoints": [
    { "id": "e", "kind": "fetch", "url": "https://e.example/", "timeout_ms": 1000, "source": "t" } ] } ] }"#;

fn catalog() -> Catalog {
    Catalog::load(CATALOG, PageContext::SECURE).unwrap()
}

fn loaded() -> AppState {
    AppState::new(Lang::En).apply(Action::Run(Event::CatalogLoaded(Ok(catalog().into()))))
}

fn done() -> AppState {
    let state = loaded().apply(Action::Run(Event::Start)).apply(Action::Run(Event::Consent));
    let stamp = ReportStamp {
        report_id: "07".repeat(16),
        software_version: "0",
        measurement_start_time: "2026-11-26 12:00:00".into(),
        browser: "Chrome 156".into(),
    };
    let run = state.run.run;
    state.apply(Action::Run(Event::ProbesEnded { run, cancelled: false, stamp }))
}

#[test]
fn the_runs_effects_wait_for_the_shell_in_order_and_none_is_lost() {
    let state = done();
    let effects = state.effects.take();
    assert!(
        matches!(
            effects.as_slice(),
            [Effect::Probe { run: 1, .. }, Effect::SaveHistory(_), Effect::SendQueued { .. }]
        ),
        "{effects:?}"
    );
    assert!(state.effects.take().is_empty(), "each effect is carried out once");
}

#[test]
fn viewing_history_or_a_share_link_is_read_only_and_closes() {
    let viewing = done().apply(Action::OpenHistory(0));
    assert!(matches!(viewing.viewing, Some(Viewing::History(_))));
    assert!(viewing.clone().apply(Action::CloseViewing).viewing.is_none());
    let restarted = viewing.apply(Action::Run(Event::Start));
    assert!(restarted.viewing.is_none(), "a new run shows the visitor's own results");
    let broken = loaded().apply(Action::OpenShared(Err(ShareIssue::NotBase64)));
    assert_eq!(broken.notice(), Some(PageNotice::ShareLinkBroken(ShareIssue::NotBase64)));
    assert_eq!(loaded().apply(Action::OpenHistory(3)).viewing, None, "no such run");
}

#[test]
fn the_submit_endpoint_prefers_the_page_then_the_catalog_then_the_config() {
    let config = Some("https://config.example/v1/reports".to_owned());
    let state = loaded().apply(Action::SubmitConfig { param: None, config: config.clone() });
    assert_eq!(state.submit_endpoint(), config.as_deref());
    let mut with_catalog = catalog();
    with_catalog.submit_url = Some("https://catalog.example/v1/reports".into());
    let state = state.apply(Action::Run(Event::CatalogLoaded(Ok(with_catalog.into()))));
    assert_eq!(state.submit_endpoint(), Some("https://catalog.example/v1/reports"));
    let param = Some("https://param.example/v1/reports".to_owned());
    let state = state.apply(Action::SubmitConfig { param: param.clone(), config });
    assert_eq!(state.submit_endpoint(), param.as_deref());
    assert_eq!(AppState::new(Lang::En).submit_endpoint(), None);
}

#[test]
fn consent_statements_tick_and_untick_and_start_unticked_at_each_start() {
    let asked = loaded().apply(Action::Run(Event::Start));
    assert_eq!(asked.consent_ticked, [false, false]);
    let ticked =
        asked.apply(Action::TickConsent(0)).apply(Action::TickConsent(1)).apply(Action::TickConsent(7));
    assert_eq!(ticked.consent_ticked, [true, true], "a statement that does not exist changes nothing");
    assert_eq!(ticked.clone().apply(Action::TickConsent(1)).consent_ticked, [true, false]);
    let declined = ticked.apply(Action::Run(Event::DeclineConsent));
    assert_eq!(declined.apply(Action::Run(Event::Start)).consent_ticked, [false, false]);
}

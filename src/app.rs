use std::collections::HashSet;
use std::rc::Rc;

use reachcheck_core::share;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::components::{
    after_run::AfterRun,
    catalog_notice::catalog_notice,
    consent::{consent, Consent},
    history_panel::history_panel,
    intro::intro,
    language_switch::language_switch,
    network_panel::NetworkPanel,
    page_footer::page_footer,
    privacy_panel::{privacy_panel, Privacy},
    progress::progress,
    results::{results as results_view, Showing},
    run_button::RunButton,
    run_notes::run_notes,
    start_panel::start_panel,
    submit_panel::SubmitPanel,
    viewing_banner::viewing_banner,
};
use crate::hooks::{on, on_run, use_catalog, use_run_effects};
use crate::i18n::Lang;
use crate::services::{catalog_source, offline, page, storage, submit};
use crate::state::{Action, AppState, RunState, Viewing};
use reachcheck_core::run::{Effect, Event};

#[derive(Properties, PartialEq, Default)]
pub struct AppProps {
    /// Catalog to load instead of `?catalog=` / the built-in one (used by tests and embeds).
    #[prop_or_default]
    pub catalog_url: Option<AttrValue>,
}

/// The whole page. State lives in one reducer (`state.rs`); effects here connect it to the
/// browser: catalog, history, share links, and the probes themselves.
#[function_component(App)]
pub fn app(props: &AppProps) -> Html {
    let state = use_reducer(|| {
        let lang = Lang::detect(page::query_param("lang").as_deref(), &page::preferred_languages());
        AppState { private: page::query_param("private").as_deref() == Some("1"), ..AppState::new(lang) }
    });
    let text = state.lang.strings();
    let app_text = state.lang.app_strings();

    let url = props.catalog_url.as_ref().map(|u| u.to_string()).unwrap_or_else(catalog_source::requested_url);
    let app_base = page::absolute_url("./").unwrap_or_default();
    use_catalog(&state, url, page::query_param("services"), app_base);
    // History, queued reports and share links, once.
    {
        let dispatcher = state.dispatcher();
        use_effect_with((), move |_| {
            let (runs, ignored) = storage::load_history();
            dispatcher.dispatch(Action::Run(Event::HistoryLoaded { runs, ignored }));
            dispatcher.dispatch(Action::Run(Event::PageLoaded));
            let open_shared = move || {
                let fragment = page::fragment();
                if share::is_share_fragment(&fragment) {
                    dispatcher.dispatch(Action::OpenShared(share::decode(&fragment)));
                }
            };
            open_shared();
            // A share link pasted into this tab changes only the fragment: no reload.
            let listener = page::on_hash_change(open_shared);
            move || drop(listener)
        });
    }
    use_effect_with(state.lang, |lang| page::set_document_language(lang.code(), lang.dir()));
    // Where reports would go.
    {
        let dispatcher = state.dispatcher();
        use_effect_with((), move |_| {
            spawn_local(async move {
                let param = page::query_param("submit").filter(|u| !u.trim().is_empty());
                let param = param.and_then(|u| page::absolute_url(&u));
                let config = catalog_source::app_config_submit_url().await;
                dispatcher.dispatch(Action::SubmitConfig { param, config });
            });
        });
    }
    // The run's effects the app carries out itself: the history, and queued reports (which the
    // run lets go at page load and after a run, never during one).
    let local_effects = {
        let dispatcher = state.dispatcher();
        // Private mode writes nothing: no history, and no outbox bookkeeping of earlier reports.
        let private = state.private;
        Callback::from(move |effect| match effect {
            _ if private => {}
            Effect::SaveHistory(runs) => storage::save_history(&runs),
            Effect::SendQueued { page_load } => {
                let dispatcher = dispatcher.clone();
                submit::retry_queued(
                    page_load,
                    Rc::new(move |notice| dispatcher.dispatch(Action::Outbox(notice))),
                );
            }
            Effect::Probe { .. } | Effect::Diagnose { .. } | Effect::StopProbes { .. } => {}
        })
    };
    use_run_effects(&state, Some(crate::hooks::diagnose), Some(local_effects));
    let on_language = {
        let state = state.clone();
        Callback::from(move |lang| state.dispatch(Action::SetLanguage(lang)))
    };
    let on_open_history = {
        let state = state.clone();
        Callback::from(move |index| state.dispatch(Action::OpenHistory(index)))
    };
    let on_clear_history = on_run(&state, || Event::ClearHistory);

    // The offline start: a copy of the app is kept, except in private mode, which removes it.
    use_effect_with(state.private, |private| {
        if *private {
            spawn_local(offline::remove_copy());
        } else {
            offline::keep_a_copy();
        }
    });
    {
        // Started from the copy, this page may be an old version while the host's late answer
        // brings the new one into the copy: the page says so; it applies on reload.
        let dispatcher = state.dispatcher();
        use_effect_with((), move |_| {
            if offline::started_from_copy() {
                spawn_local(async move {
                    if offline::newer_version_saved().await {
                        dispatcher.dispatch(Action::NewVersionSaved);
                    }
                });
            }
        });
    }
    let reload = Callback::from(|_: MouseEvent| {
        if let Some(window) = web_sys::window() {
            let _ = window.location().reload();
        }
    });
    let on_private = {
        let state = state.clone();
        Callback::from(move |private| state.dispatch(Action::SetPrivate(private)))
    };
    let on_confirm_delete = {
        let state = state.clone();
        Callback::from(move |_| {
            state.dispatch(Action::Deleted(storage::delete_everything()));
            spawn_local(offline::remove_copy());
        })
    };
    // In private mode a report that cannot be sent now is not kept for later.
    let deliver: submit::Deliver = if state.private { submit::send_once } else { submit::submit_or_queue };
    let run = &state.run;
    let own = run.own_results().map(Rc::new);
    let probing: HashSet<String> = run.probing();
    // Next steps are shown unless the catalog or the page (`?advice=0`) switches them off.
    let advice =
        page::query_param("advice").as_deref() != Some("0") && run.ready_catalog().is_none_or(|c| c.advice);
    let viewed = state.viewing.as_ref().map(|viewing| {
        let (results, history_time) = match viewing {
            Viewing::Shared(results) => (results.clone(), None),
            Viewing::History(results) => (results.clone(), results.measured_at.as_deref()),
        };
        html! {
            <>
                { viewing_banner(app_text, history_time, on(&state, || Action::CloseViewing)) }
                { progress(text, RunState::Done, Some(&results)) }
                { run_notes(text, &results, None, None) }
                { results_view(text, app_text, &results, &Showing { probing: &HashSet::new(), running: false, advice }) }
                <AfterRun results={results} report={None::<Rc<reachcheck_core::report::Report>>} />
            </>
        }
    });

    html! {
        <ContextProvider<Lang> context={state.lang}>
        <div class="app" data-run-state={run.phase.as_str()} lang={state.lang.code()} dir={state.lang.dir()}>
            <header class="masthead">
                <div class="title-row">
                    <h1 class="app-title">{ reachcheck_core::SOFTWARE_NAME }</h1>
                    { language_switch(app_text, state.lang, &on_language) }
                </div>
                <p class="tagline">{ app_text.tagline }</p>
            </header>
            <main>
                if let Some(outbox) = state.outbox.as_ref().map(|notice| app_text.outbox_notice(notice)).filter(|t| !t.is_empty()) {
                    <p class="notice" role="status" data-outbox="">{ outbox }</p>
                }
                if offline::started_from_copy() {
                    <p class="notice" role="status" data-offline-start="">{ app_text.offline_start }</p>
                }
                if state.new_version {
                    <p class="notice" role="status" data-new-version="">
                        { app_text.new_version }{ " " }
                        <button type="button" class="link" data-action="reload" onclick={reload}>{ app_text.reload }</button>
                    </p>
                }
                if offline::single_file() {
                    <p class="notice" role="status" data-single-file-note="">{ app_text.single_file_note }</p>
                }
                if let Some(notice) = state.notice() {
                    <p class="notice error" role="alert" data-notice="">{ app_text.page_notice(text, &notice) }</p>
                }
                if let Some(viewed) = viewed {
                    { viewed }
                } else {
                    if run.phase == RunState::Idle && own.is_none() {
                        { intro(app_text) }
                    }
                    { catalog_notice(text, &run.catalog) }
                    if run.phase == RunState::Consent {
                        { consent(text, Consent {
                    ticked: state.consent_ticked,
                    on_tick: state.dispatcher().to_callback().reform(Action::TickConsent),
                    on_consent: on_run(&state, || Event::Consent),
                    on_decline: on_run(&state, || Event::DeclineConsent),
                }) }
                    }
                    { start_panel(text, app_text, RunButton { run: run.phase, ready: run.ready_catalog().is_some(),
                        on_start: on_run(&state, || Event::Start), on_cancel: on_run(&state, || Event::Cancel), described_by: None }) }
                    { progress(text, run.phase, own.as_deref()) }
                    if run.diagnosing() {
                        <p class="note" role="status" data-diagnosing="">{ app_text.diagnosing }</p>
                    }
                    if let Some(results) = &own {
                        { run_notes(text, results, run.baseline_problem.as_ref(),
                            (run.phase == RunState::Done).then(|| on_run(&state, || Event::Start))) }
                        { results_view(text, app_text, results, &Showing { probing: &probing, running: run.phase == RunState::Running, advice }) }
                        if run.phase == RunState::Done {
                            <AfterRun results={results.clone()} report={run.report.clone()} />
                            if let (Some(report), Some(endpoint)) = (&run.report, state.submit_endpoint()) {
                                <SubmitPanel key={report.report_id.clone()} report={report.clone()}
                                    endpoint={AttrValue::from(endpoint.to_owned())} deliver={deliver} />
                                <NetworkPanel key={format!("network-{}", report.report_id)} results={results.clone()}
                                    endpoint={AttrValue::from(endpoint.to_owned())} />
                            }
                        }
                    }
                }
                <div class="history-toggle">
                    <button type="button" class="link" data-action="history" aria-expanded={state.show_history.to_string()}
                        onclick={on(&state, || Action::ToggleHistory)}>
                        { format!("{} ({})", app_text.history, run.history.len()) }
                    </button>
                </div>
                if state.show_history {
                    { history_panel(text, app_text, &run.history, &on_open_history, &on_clear_history) }
                }
            </main>
            { privacy_panel(app_text, Privacy {
                private: state.private,
                confirm_delete: state.confirm_delete,
                deleted: state.deleted,
                on_private,
                on_ask_delete: on(&state, || Action::AskDelete),
                on_confirm_delete,
                on_cancel_delete: on(&state, || Action::CancelDelete),
            }) }
            { page_footer(app_text) }
        </div>
        </ContextProvider<Lang>>
    }
}

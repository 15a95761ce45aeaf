//! Hooks shared by the app and the embedded widget: loading the catalog and carrying out the
//! run's effects (core's `run::Effect`), feeding what the probes see back as events.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use futures::channel::oneshot;
use futures::future::LocalBoxFuture;
use reachcheck_core::diagnosis::{Diagnosis, Plan};
use reachcheck_core::run::{Effect, Event};

use crate::probe::run::{CancelHandle, RunEvent};
use crate::services::{catalog_source, page, report};
use crate::state::{Action, AppState};

/// Loads (and reloads, when `url` changes) the catalog into the state. Only the catalog file is
/// fetched: nothing is probed.
#[hook]
pub fn use_catalog(
    state: &UseReducerHandle<AppState>,
    url: String,
    services: Option<String>,
    app_base: String,
) {
    let dispatcher = state.dispatcher();
    use_effect_with((url, services, app_base), move |(url, services, app_base)| {
        let (url, services, app_base) = (url.clone(), services.clone(), app_base.clone());
        spawn_local(async move {
            let loaded = catalog_source::load(&url, services.as_deref(), page::context(), &app_base).await;
            dispatcher.dispatch(Action::Run(Event::CatalogLoaded(loaded)));
        });
    });
}

/// Carries out the follow-up probes of a plan (the app's: `probe::diagnose::diagnose`).
pub type Diagnoser = fn(Rc<Plan>, oneshot::Receiver<()>) -> LocalBoxFuture<'static, Vec<Diagnosis>>;

/// The app's diagnoser. The widget passes none: it shows no methods, and so does not carry
/// the follow-up probes (its size budget, docs/embedding.md).
pub fn diagnose(plan: Rc<Plan>, cancel: oneshot::Receiver<()>) -> LocalBoxFuture<'static, Vec<Diagnosis>> {
    Box::pin(async move { crate::probe::diagnose::diagnose(&plan, cancel).await })
}

/// After each render, carries out the run's queued effects: starts and stops the probes (and
/// with `diagnoser` the follow-up probes) here, hands the others (history, outbox) to
/// `others`, which the widget leaves out (it keeps nothing on the sites it is embedded in).
#[hook]
pub fn use_run_effects(
    state: &UseReducerHandle<AppState>,
    diagnoser: Option<Diagnoser>,
    others: Option<Callback<Effect>>,
) {
    let probes: Rc<RefCell<Option<(u64, CancelHandle)>>> = use_mut_ref(|| None);
    // Follow-up probes of the current run (several may run at once).
    let diagnoses: Rc<RefCell<(u64, Vec<CancelHandle>)>> = use_mut_ref(|| (0, Vec::new()));
    let state = state.clone();
    use_effect(move || {
        for effect in state.effects.take() {
            match effect {
                Effect::Probe { run, catalog } => {
                    let (handle, cancelled) = CancelHandle::new();
                    // Replacing the handle drops the previous one, which stops a run still going.
                    *probes.borrow_mut() = Some((run, handle));
                    let dispatcher = state.dispatcher();
                    spawn_local(async move {
                        let send = |event| dispatcher.dispatch(Action::Run(event));
                        let on_event = |event| {
                            send(match event {
                                RunEvent::Started(endpoint) => Event::ProbeStarted { run, endpoint },
                                RunEvent::Finished(measurement) => Event::ProbeFinished { run, measurement },
                                RunEvent::NetworkChanged(at_ms) => Event::NetworkChanged { run, at_ms },
                            })
                        };
                        let stats = crate::probe::run::run(&catalog, on_event, cancelled).await;
                        send(Event::ProbesEnded { run, cancelled: stats.cancelled, stamp: report::stamp() });
                    });
                }
                Effect::Diagnose { run, plan } => {
                    let (handle, cancelled) = CancelHandle::new();
                    let mut running = diagnoses.borrow_mut();
                    if running.0 != run {
                        // Dropping the handles of an older run stops its follow-up probes.
                        *running = (run, Vec::new());
                    }
                    running.1.push(handle);
                    let dispatcher = state.dispatcher();
                    spawn_local(async move {
                        let diagnoses = match diagnoser {
                            Some(diagnose) => diagnose(plan, cancelled).await,
                            None => Vec::new(),
                        };
                        dispatcher.dispatch(Action::Run(Event::Diagnosed { run, diagnoses }));
                    });
                }
                Effect::StopProbes { run } => {
                    if let Some((current, handle)) = probes.borrow_mut().as_mut() {
                        if *current == run {
                            handle.cancel();
                        }
                    }
                    let mut running = diagnoses.borrow_mut();
                    if running.0 == run {
                        running.1.iter_mut().for_each(CancelHandle::cancel);
                    }
                }
                other => {
                    if let Some(others) = &others {
                        others.emit(other);
                    }
                }
            }
        }
    });
}

/// A callback (for any event type) that dispatches the action `action` makes. (Made anew for
/// each event, not cloned: `Action`'s `Clone` covers every variant, catalogs included, and is
/// not otherwise linked into the browser builds.)
pub fn on<E: 'static>(state: &UseReducerHandle<AppState>, action: fn() -> Action) -> Callback<E> {
    let state = state.clone();
    Callback::from(move |_: E| state.dispatch(action()))
}

/// A callback (for any event type) that sends the event `event` makes to the run.
pub fn on_run<E: 'static>(state: &UseReducerHandle<AppState>, event: fn() -> Event) -> Callback<E> {
    let state = state.clone();
    Callback::from(move |_: E| state.dispatch(Action::Run(event())))
}

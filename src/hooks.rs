//! Hooks shared by the app and the embedded widget: loading the catalog and driving a run.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use reachcheck_core::attribution::Circumstances;

use crate::probe::run::{run, CancelHandle, RunEvent};
use crate::services::{catalog_source, page, report};
use crate::state::{Action, AppState, RunState};

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
            dispatcher.dispatch(Action::CatalogLoaded(loaded));
        });
    });
}

/// Starts the probes each time the state begins a run, reports results into it, and builds the
/// report at the end. Returns the callback that cancels the run in progress.
#[hook]
pub fn use_run(state: &UseReducerHandle<AppState>) -> Callback<()> {
    let cancel: Rc<RefCell<Option<CancelHandle>>> = use_mut_ref(|| None);
    {
        let state = state.clone();
        let cancel = cancel.clone();
        use_effect_with(state.run_id, move |_| {
            if state.run != RunState::Running {
                return;
            }
            let Some(catalog) = state.ready_catalog().cloned() else { return };
            let (handle, cancelled) = CancelHandle::new();
            // Replacing the handle drops the previous one, which cancels a run still going.
            *cancel.borrow_mut() = Some(handle);
            let dispatcher = state.dispatcher();
            let baseline = state.baseline.clone();
            spawn_local(async move {
                let mut measurements = HashMap::new();
                let mut network_changes = Vec::new();
                let on_event = |event| match event {
                    RunEvent::Started(id) => dispatcher.dispatch(Action::EndpointStarted(id)),
                    RunEvent::Finished(measurement) => {
                        measurements.insert(measurement.endpoint_id.clone(), measurement.clone());
                        dispatcher.dispatch(Action::EndpointFinished(measurement));
                    }
                    RunEvent::NetworkChanged(at_ms) => {
                        network_changes.push(at_ms);
                        dispatcher.dispatch(Action::NetworkChanged(at_ms));
                    }
                };
                let stats = run(&catalog, on_event, cancelled).await;
                let circumstances =
                    Circumstances { network_changes_ms: &network_changes, baseline: baseline.as_deref() };
                let report = report::build(&catalog, &measurements, stats.cancelled, circumstances);
                dispatcher
                    .dispatch(Action::Finished { cancelled: stats.cancelled, report: Box::new(report) });
            });
        });
    }
    Callback::from(move |_| {
        if let Some(handle) = cancel.borrow_mut().as_mut() {
            handle.cancel();
        }
    })
}

/// A callback (for any event type) that dispatches `action`.
pub fn on<E: 'static>(state: &UseReducerHandle<AppState>, action: Action) -> Callback<E> {
    let state = state.clone();
    Callback::from(move |_: E| state.dispatch(action.clone()))
}

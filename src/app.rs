use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::components::{
    catalog_notice::CatalogNotice, intro::Intro, page_footer::PageFooter, results_list::ResultsList,
    start_panel::StartPanel,
};
use crate::probe::run::{run, CancelHandle, RunEvent};
use crate::services::{catalog_source, page};
use crate::state::{Action, AppState};

#[derive(Properties, PartialEq, Default)]
pub struct AppProps {
    /// Catalog to load instead of `?catalog=` / the built-in one (used by tests and embeds).
    #[prop_or_default]
    pub catalog_url: Option<AttrValue>,
}

/// The whole page: what the tool is, the catalog, the run and its results.
#[function_component(App)]
pub fn app(props: &AppProps) -> Html {
    let state = use_reducer(AppState::default);
    let cancel: Rc<RefCell<Option<CancelHandle>>> = use_mut_ref(|| None);

    {
        let dispatcher = state.dispatcher();
        let url =
            props.catalog_url.as_ref().map(|u| u.to_string()).unwrap_or_else(catalog_source::requested_url);
        use_effect_with(url, move |url| {
            let url = url.clone();
            spawn_local(async move {
                let services = page::query_param("services");
                let loaded = catalog_source::load(&url, services.as_deref(), page::context()).await;
                dispatcher.dispatch(Action::CatalogLoaded(loaded));
            });
        });
    }

    let on_start = {
        let state = state.clone();
        let cancel = cancel.clone();
        Callback::from(move |_| {
            let Some(catalog) = state.ready_catalog().cloned() else { return };
            state.dispatch(Action::Start);
            let (handle, cancelled) = CancelHandle::new();
            // Replacing the handle drops the previous one, which cancels a run still going.
            *cancel.borrow_mut() = Some(handle);
            let dispatcher = state.dispatcher();
            spawn_local(async move {
                let on_event = |event| {
                    dispatcher.dispatch(match event {
                        RunEvent::Started(id) => Action::EndpointStarted(id),
                        RunEvent::Finished(measurement) => Action::EndpointFinished(measurement),
                    })
                };
                let stats = run(&catalog, on_event, cancelled).await;
                dispatcher.dispatch(Action::Finished { cancelled: stats.cancelled });
            });
        })
    };
    let on_cancel = {
        let cancel = cancel.clone();
        Callback::from(move |_| {
            if let Some(handle) = cancel.borrow_mut().as_mut() {
                handle.cancel();
            }
        })
    };

    html! {
        <div class="app" data-run-state={state.run.as_str()}>
            <header class="masthead">
                <h1 class="app-title">{ reachcheck_core::SOFTWARE_NAME }</h1>
                <p class="tagline">{ crate::i18n::strings().tagline }</p>
            </header>
            <main>
                <Intro />
                <CatalogNotice catalog={state.catalog.clone()} />
                <StartPanel run={state.run} ready={state.ready_catalog().is_some()} {on_start} {on_cancel} />
                if let Some(catalog) = state.ready_catalog() {
                    <ResultsList catalog={catalog.clone()} state={(*state).clone()} />
                }
            </main>
            <PageFooter />
        </div>
    }
}

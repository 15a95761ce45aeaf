//! The embeddable widget: the same state, probes and components as the app, in a compact card.
//! [`mount`] puts it into an open shadow root with its own stylesheet, so the host page's CSS
//! cannot reach in and the widget's cannot leak out.

use std::rc::Rc;

use reachcheck_core::embed::{Layout, Theme, WidgetConfig};
use reachcheck_core::share;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::components::{
    catalog_notice::catalog_notice,
    consent::{consent, Consent},
    probing::probing,
    progress::progress,
    run_button::{run_button, RunButton},
    run_notes::run_notes,
    submit_panel::SubmitPanel,
    verdict_badge::verdict_badge,
};
use crate::hooks::{on_run, use_catalog, use_run_effects};
use crate::i18n::{Badge, Lang};
use crate::services::{catalog_source, page};
use crate::state::{Action, AppState, CatalogState, RunState};
use reachcheck_core::problem::Problem;
use reachcheck_core::run::Event;
use reachcheck_core::verdict::Connection;

#[derive(Properties, PartialEq)]
pub struct WidgetProps {
    /// The configuration, or what is wrong with it.
    pub config: Result<WidgetConfig, Vec<Problem>>,
    /// Where the app's files are (widget.css, catalog.json, index.html), ending in `/`.
    pub base_url: AttrValue,
}

#[function_component(Widget)]
pub fn widget(props: &WidgetProps) -> Html {
    let config = props.config.clone().unwrap_or_default();
    let lang = Lang::detect(config.lang.as_deref(), &page::preferred_languages());
    let state = use_reducer(|| AppState::new(lang));
    let text = state.lang.strings();
    let catalog_url = config
        .catalog
        .clone()
        .unwrap_or_else(|| format!("{}{}", props.base_url, catalog_source::BUILTIN_CATALOG));
    let services = (!config.services.is_empty()).then(|| config.services.join(","));
    use_catalog(&state, catalog_url, services, props.base_url.to_string());
    {
        let dispatcher = state.dispatcher();
        let submit = config.submit.clone();
        use_effect_with(submit, move |submit| {
            dispatcher.dispatch(Action::SubmitConfig { param: submit.clone(), config: None })
        });
    }
    // History and the outbox are the app's: the widget keeps nothing on the sites it is in.
    use_run_effects(&state, None, None);

    if let Err(problems) = &props.config {
        return html! {
            <div class="rc-widget" data-run-state="idle" data-config-error="">
                <p><strong>{ text.widget_config_error }</strong></p>
                <ul>{ for problems.iter().map(|p| html! { <li>{ text.problem(p) }</li> }) }</ul>
            </div>
        };
    }
    let run = &state.run;
    let results = run.own_results();
    let details = results.as_ref().filter(|_| run.phase == RunState::Done).map(|results| {
        let query = format!("?lang={}", state.lang.code());
        format!("{}index.html{query}#{}", props.base_url, share::encode(results))
    });
    html! {
        <ContextProvider<Lang> context={state.lang}>
        <div class="rc-widget" data-run-state={run.phase.as_str()} lang={state.lang.code()} dir={state.lang.dir()}>
            <p class="rc-title">{ reachcheck_core::SOFTWARE_NAME }</p>
            if run.phase == RunState::Idle {
                <p class="rc-intro">{ text.widget_intro }</p>
            }
            if !matches!(run.catalog, CatalogState::Ready(_)) {
                { catalog_notice(text, &run.catalog) }
            }
            if run.phase == RunState::Consent {
                { consent(text, Consent {
                    ticked: state.consent_ticked,
                    on_tick: state.dispatcher().to_callback().reform(Action::TickConsent),
                    on_consent: on_run(&state, || Event::Consent),
                    on_decline: on_run(&state, || Event::DeclineConsent),
                }) }
            }
            { progress(text, run.phase, results.as_ref()) }
            if let Some(results) = results.as_ref().filter(|r| r.connection == Some(Connection::Down) && run.phase == RunState::Done) {
                <p class="rc-explanation" data-connection="down">
                    { crate::i18n::fill(text.services_not_judged, &[("n", results.services.len().to_string())]) }
                </p>
            } else if let Some(results) = &results {
                <ul class="rc-services">
                    { for results.services.iter().map(|service| {
                        let status = service.summary.as_ref().map_or("", |s| s.status.as_str());
                        html! {
                            <li class="rc-service" data-service-id={service.id.clone()} data-verdict={status}>
                                <span class="rc-name">{ text.service_name(service) }</span>
                                if let Some(summary) = &service.summary {
                                    { verdict_badge(text, Badge::Service(summary.status)) }
                                    if config.layout == Layout::Full {
                                        <p class="rc-explanation">{ text.explain(summary, results.control_median_ms) }</p>
                                    }
                                } else if run.phase == RunState::Running {
                                    { probing(text) }
                                }
                            </li>
                        }
                    }) }
                </ul>
            }
            if let Some(results) = results.as_ref().filter(|_| run.phase == RunState::Done) {
                { run_notes(text, results, run.baseline_problem.as_ref(), Some(on_run(&state, || Event::Start))) }
            }
            <div class="actions">
                { run_button(text, RunButton { run: run.phase, ready: run.ready_catalog().is_some(),
                    on_start: on_run(&state, || Event::Start), on_cancel: on_run(&state, || Event::Cancel), described_by: None }) }
                if let Some(href) = details {
                    <a class="button secondary" data-action="details" href={href} target="_blank" rel="noopener noreferrer">
                        { text.widget_details }
                    </a>
                }
            </div>
            if let (Some(report), Some(endpoint)) = (&run.report, state.submit_endpoint()) {
                <SubmitPanel key={report.report_id.clone()} report={report.clone()} endpoint={AttrValue::from(endpoint.to_owned())}
                    deliver={crate::services::submit::send_once as crate::services::submit::Deliver} />
            }
        </div>
        </ContextProvider<Lang>>
    }
}

/// Mounts a widget into `host`: an open shadow root holding the widget's stylesheet and a
/// container whose theme and accent colour are set through the CSSOM (allowed under a strict
/// `style-src`, unlike style attributes).
pub fn mount(
    host: &web_sys::Element,
    base_url: &str,
    config: Result<WidgetConfig, Vec<Problem>>,
) -> Result<(), String> {
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let shadow = host
        .attach_shadow(&web_sys::ShadowRootInit::new(web_sys::ShadowRootMode::Open))
        .map_err(|_| "this element cannot hold a widget (it already has a shadow root?)")?;
    let stylesheet = document.create_element("link").map_err(|_| "no <link>")?;
    stylesheet.set_attribute("rel", "stylesheet").ok();
    stylesheet.set_attribute("href", &format!("{base_url}widget.css")).ok();
    let container: web_sys::HtmlElement =
        document.create_element("div").ok().and_then(|e| e.dyn_into().ok()).ok_or("no <div>")?;
    // Until widget.css has arrived the widget would wear what it inherits from the host page
    // (a hostile `* { font-size: 40px !important }` reaches the shadow host): it stays out of
    // the layout until its own styles apply, or their load fails (then it shows as it is).
    container.style().set_property("display", "none").ok();
    show_when_loaded(&stylesheet, &container);
    shadow.append_child(&stylesheet).map_err(|_| "cannot add the stylesheet")?;
    let theme = match config.as_ref().map(|c| c.theme).unwrap_or_default() {
        Theme::Light => "rc-root theme-light",
        Theme::Dark => "rc-root theme-dark",
        Theme::Auto => "rc-root theme-auto",
    };
    container.set_class_name(theme);
    if let Some(accent) = config.as_ref().ok().and_then(|c| c.accent.as_deref()) {
        container.style().set_property("--accent", accent).ok();
    }
    shadow.append_child(&container).map_err(|_| "cannot add the widget")?;
    let props = WidgetProps { config, base_url: base_url.to_owned().into() };
    yew::Renderer::<Widget>::with_root_and_props(container.into(), props).render();
    Ok(())
}

/// Shows `container` once `stylesheet` has loaded or failed. The CSSOM is allowed under a strict
/// `style-src`, unlike a style attribute.
fn show_when_loaded(stylesheet: &web_sys::Element, container: &web_sys::HtmlElement) {
    let container = container.clone();
    let show = wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || {
        container.style().remove_property("display").ok();
    });
    for event in ["load", "error"] {
        stylesheet.add_event_listener_with_callback(event, show.as_ref().unchecked_ref()).ok();
    }
    // One small closure per widget, for the life of the page.
    show.forget();
}

/// The configuration written on a `<div data-reachcheck data-…>` element.
pub fn config_from_element(element: &web_sys::Element) -> Result<WidgetConfig, Vec<Problem>> {
    config_from(|name| element.get_attribute(&format!("data-{name}")), "data-")
}

/// The configuration in the page's query (iframe mode, `embed.html?services=…`).
pub fn config_from_query() -> Result<WidgetConfig, Vec<Problem>> {
    config_from(page::query_param, "")
}

/// Reads every option name through `lookup`; `prefix` is how the site owner wrote the names.
fn config_from(lookup: impl Fn(&str) -> Option<String>, prefix: &str) -> Result<WidgetConfig, Vec<Problem>> {
    let pairs: Vec<(&str, String)> =
        reachcheck_core::embed::NAMES.iter().filter_map(|name| Some((*name, lookup(name)?))).collect();
    WidgetConfig::parse(pairs.iter().map(|(n, v)| (*n, v.as_str())), prefix)
}

/// Keeps the parent page informed of this (iframe) document's height, for the optional loader
/// script to resize the iframe. Only `{type: "reachcheck:resize", height}` is ever posted.
pub fn report_height_to_parent() {
    let Some(window) = web_sys::window() else { return };
    let Some(body) = window.document().and_then(|d| d.body()) else { return };
    let last = Rc::new(std::cell::Cell::new(0));
    let post = wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || {
        let Some(window) = web_sys::window() else { return };
        let height = window.document().and_then(|d| d.document_element()).map_or(0, |e| e.scroll_height());
        if height != last.get() {
            last.set(height);
            let message = js_sys::Object::new();
            js_sys::Reflect::set(&message, &"type".into(), &"reachcheck:resize".into()).ok();
            js_sys::Reflect::set(&message, &"height".into(), &height.into()).ok();
            if let Ok(Some(parent)) = window.parent() {
                parent.post_message(&message, "*").ok();
            }
        }
    });
    if let Ok(observer) = web_sys::ResizeObserver::new(post.as_ref().unchecked_ref()) {
        observer.observe(&body);
    }
    // The observer lives as long as the page.
    post.forget();
}

use std::collections::HashSet;
use std::rc::Rc;

use reachcheck_core::results::RunResults;
use yew::prelude::*;

use super::endpoint_table::EndpointTable;
use super::glance::Glance;
use super::service_row::ServiceRowView;
use super::{use_app_text, use_text};
use crate::i18n::fill;
use reachcheck_core::verdict::Connection;

#[derive(Properties, PartialEq)]
pub struct ResultsProps {
    pub results: Rc<RunResults>,
    /// Endpoints being probed right now (empty for finished or viewed results).
    #[prop_or_default]
    pub probing: Rc<HashSet<String>>,
    /// The run is still going: endpoints without a verdict are waiting, not skipped.
    #[prop_or_default]
    pub running: bool,
    /// Show what the visitor can do.
    #[prop_or(true)]
    pub advice: bool,
}

/// Every service's verdict and evidence, then the control sites.
#[function_component(Results)]
pub fn results(props: &ResultsProps) -> Html {
    let app_text = use_app_text();
    let text = use_text();
    let results = &props.results;
    let ordered =
        if props.running { results.services.iter().collect() } else { results.services_by_urgency() };
    html! {
        <section class="results" aria-labelledby="results-heading">
            <h2 id="results-heading">{ app_text.results_heading }</h2>
            if results.connection == Some(Connection::InternationalDown) {
                <p class="notice" role="status" data-connection="international_down">{ text.connection_allow_list }</p>
            }
            // On a dead connection sixteen identical cards say less than one line.
            if results.connection == Some(Connection::Down) && !props.running {
                <p class="notice" role="status" data-connection="down">
                    { fill(text.services_not_judged, &[("n", results.services.len().to_string())]) }
                </p>
            } else {
                if !props.running {
                    <Glance results={results.clone()} />
                }
                <ul class="services">
                    // Worst first once judged; while running, the catalog's order (no jumping).
                    { for ordered.into_iter().map(|service| html! {
                        <ServiceRowView key={service.id.clone()} service={service.clone()}
                            control_ms={results.control_median_ms} control_bps={results.control_throughput_bps} probing={props.probing.clone()} running={props.running}
                            advice={props.advice} />
                    }) }
                </ul>
            }
            <section class="controls service" data-service-id="controls" aria-labelledby="controls-heading">
                <h3 id="controls-heading">{ app_text.controls_heading }</h3>
                <p class="note">{ app_text.controls_explain }</p>
                <EndpointTable endpoints={results.controls.clone()} probing={props.probing.clone()} running={props.running} />
            </section>
        </section>
    }
}

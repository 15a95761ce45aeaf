use std::collections::HashSet;
use std::rc::Rc;

use reachcheck_core::results::RunResults;
use yew::prelude::*;

use super::endpoint_table::EndpointTable;
use super::service_row::ServiceRowView;
use super::use_app_text;

#[derive(Properties, PartialEq)]
pub struct ResultsProps {
    pub results: Rc<RunResults>,
    /// Endpoints being probed right now (empty for finished or viewed results).
    #[prop_or_default]
    pub probing: Rc<HashSet<String>>,
    /// The run is still going: endpoints without a verdict are waiting, not skipped.
    #[prop_or_default]
    pub running: bool,
}

/// Every service's verdict and evidence, then the control sites.
#[function_component(Results)]
pub fn results(props: &ResultsProps) -> Html {
    let app_text = use_app_text();
    let results = &props.results;
    html! {
        <section class="results" aria-labelledby="results-heading">
            <h2 id="results-heading">{ app_text.results_heading }</h2>
            <ul class="services">
                { for results.services.iter().map(|service| html! {
                    <ServiceRowView key={service.id.clone()} service={service.clone()}
                        control_ms={results.control_median_ms} control_bps={results.control_throughput_bps} probing={props.probing.clone()} running={props.running} />
                }) }
            </ul>
            <section class="controls service" data-service-id="controls" aria-labelledby="controls-heading">
                <h3 id="controls-heading">{ app_text.controls_heading }</h3>
                <p class="note">{ app_text.controls_explain }</p>
                <EndpointTable endpoints={results.controls.clone()} probing={props.probing.clone()} running={props.running} />
            </section>
        </section>
    }
}

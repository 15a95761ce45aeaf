use std::collections::HashSet;

use reachcheck_core::results::RunResults;
use yew::prelude::*;

use super::endpoint_table::endpoint_table;
use super::glance::glance;
use super::service_row::service_row;
use crate::i18n::{fill, AppStrings, Strings};
use reachcheck_core::verdict::Connection;

/// How results are shown: the run's state around them.
pub struct Showing<'a> {
    /// Endpoints being probed right now (empty for finished or viewed results).
    pub probing: &'a HashSet<String>,
    /// The run is still going: endpoints without a verdict are waiting, not skipped.
    pub running: bool,
    /// Show what the visitor can do (off by the catalog's `advice` or `?advice=0`).
    pub advice: bool,
}

/// Every service's verdict and evidence, then the control sites.
pub fn results(text: &Strings, app_text: &AppStrings, results: &RunResults, showing: &Showing) -> Html {
    let ordered =
        if showing.running { results.services.iter().collect() } else { results.services_by_urgency() };
    html! {
        <section class="results" aria-labelledby="results-heading">
            <h2 id="results-heading">{ app_text.results_heading }</h2>
            if results.connection == Some(Connection::InternationalDown) {
                <p class="notice" role="status" data-connection="international_down">{ text.connection_allow_list }</p>
            }
            // On a dead connection sixteen identical cards say less than one line.
            if results.connection == Some(Connection::Down) && !showing.running {
                <p class="notice" role="status" data-connection="down">
                    { fill(text.services_not_judged, &[("n", results.services.len().to_string())]) }
                </p>
            } else {
                if !showing.running {
                    { glance(text, app_text, results) }
                }
                <ul class="services">
                    // Worst first once judged; while running, the catalog's order (no jumping).
                    { for ordered.into_iter().map(|service| service_row(text, app_text, service, results, showing)) }
                </ul>
            }
            <section class="controls service" data-service-id="controls" aria-labelledby="controls-heading">
                <h3 id="controls-heading">{ app_text.controls_heading }</h3>
                <p class="note">{ app_text.controls_explain }</p>
                { endpoint_table(text, app_text, &results.controls, showing) }
            </section>
        </section>
    }
}

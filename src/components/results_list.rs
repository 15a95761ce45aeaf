use std::rc::Rc;

use reachcheck_core::catalog::{Catalog, Endpoint};
use reachcheck_core::verdict::EndpointVerdict;
use yew::prelude::*;

use crate::i18n;
use crate::state::AppState;

#[derive(Properties, PartialEq)]
pub struct ResultsListProps {
    pub catalog: Rc<Catalog>,
    pub state: AppState,
}

/// The raw per-endpoint results, grouped by service, controls first.
#[function_component(ResultsList)]
pub fn results_list(props: &ResultsListProps) -> Html {
    let text = i18n::strings();
    let evaluation = props.state.evaluation.as_ref();
    let endpoint_rows = |endpoints: &mut dyn Iterator<Item = &Endpoint>| -> Html {
        endpoints
            .map(|endpoint| {
                let verdict = evaluation.and_then(|e| e.endpoints.get(&endpoint.id));
                let running = verdict.is_none() && props.state.started.contains(&endpoint.id);
                endpoint_row(endpoint, verdict, running)
            })
            .collect()
    };
    html! {
        <section class="results" aria-labelledby="results-heading">
            <h2 id="results-heading">{ text.results_heading }</h2>
            <div class="service" data-service-id="controls">
                <h3>{ text.controls_heading }</h3>
                <ul class="endpoints">{ endpoint_rows(&mut props.catalog.controls.iter().map(|c| &c.endpoint)) }</ul>
            </div>
            { for props.catalog.services.iter().map(|service| {
                let summary = evaluation.and_then(|e| e.services.get(&service.id));
                let status = summary.map(|s| s.status.as_str()).unwrap_or("");
                html! {
                    <div class="service" data-service-id={service.id.clone()} data-verdict={status}>
                        <h3>
                            { &service.name }
                            if !status.is_empty() { <span class="badge">{ format!(" — {}", i18n::status_label(status)) }</span> }
                        </h3>
                        <ul class="endpoints">{ endpoint_rows(&mut service.endpoints.iter()) }</ul>
                    </div>
                }
            }) }
        </section>
    }
}

fn endpoint_row(endpoint: &Endpoint, verdict: Option<&EndpointVerdict>, running: bool) -> Html {
    let text = i18n::strings();
    let (verdict_name, failure) = match verdict {
        Some(v) => {
            (v.verdict.as_str(), v.failure.map(|f| f.as_str()).or(v.reason.map(|r| r.as_str())).unwrap_or(""))
        }
        None if running => ("", ""),
        None => ("", ""),
    };
    let evidence = verdict.map(evidence_text).unwrap_or_default();
    html! {
        <li class="endpoint" data-endpoint-id={endpoint.id.clone()} data-verdict={verdict_name} data-failure={failure}>
            <code>{ &endpoint.id }</code>{ format!(" ({}) ", endpoint.kind.as_str()) }
            <strong>{
                if verdict_name.is_empty() {
                    if running { text.probing } else { text.waiting }
                } else {
                    i18n::status_label(verdict_name)
                }
            }</strong>
            if !failure.is_empty() { { format!(" · {failure}") } }
            if !evidence.is_empty() { <span class="evidence">{ format!(" · {evidence}") }</span> }
        </li>
    }
}

fn evidence_text(v: &EndpointVerdict) -> String {
    let mut parts = Vec::new();
    if let Some(ms) = v.median_ms {
        parts.push(format!("{ms:.0} ms"));
    }
    if let Some(ms) = v.failed_after_ms {
        parts.push(format!("failed after {ms:.0} ms"));
    }
    if let Some(bytes) = v.bytes {
        parts.push(format!("{bytes} B"));
    }
    if let Some(bps) = v.throughput_bps {
        parts.push(format!("{:.0} kB/s", bps / 1000.0));
    }
    if v.samples > 1 {
        parts.push(format!("{}/{} samples answered", v.samples - v.failed_samples, v.samples));
    }
    parts.join(", ")
}

use reachcheck_core::results::{NetworkState, RunResults, ServiceRow};
use reachcheck_core::verdict::ServiceStatus;
use yew::prelude::*;

use super::endpoint_table::endpoint_table;
use super::probing::probing;
use super::results::Showing;
use super::timing_chart::timing_chart;
use super::verdict_badge::verdict_badge;
use crate::i18n::{AppStrings, Badge, Strings};

/// One service of `results`: its verdict, a one-line explanation (against the controls' median
/// time and rate), and expandable evidence.
pub fn service_row(
    text: &Strings,
    app_text: &AppStrings,
    service: &ServiceRow,
    results: &RunResults,
    showing: &Showing,
) -> Html {
    let (control_ms, control_bps) = (results.control_median_ms, results.control_throughput_bps);
    let status = service.summary.as_ref().map(|s| s.status.as_str()).unwrap_or("");
    let busy = service.summary.is_none() && service.endpoints.iter().any(|e| showing.probing.contains(&e.id));
    // A service of hosting networks reads as networks, not as its endpoints.
    let networks = service.networks().filter(|_| service.summary.is_some());
    let explanation = match (&networks, &service.summary) {
        (Some(networks), _) => Some(app_text.networks_summary(networks)),
        (None, Some(summary)) => {
            let mut explanation = text.explain(summary, control_ms);
            // A degraded service shows the rate its visitor meets next to the controls'.
            let degraded = matches!(summary.status, ServiceStatus::Throttled | ServiceStatus::Slow);
            if let Some(rate) = service.slowest_bps().filter(|_| degraded) {
                explanation.push_str(&app_text.rate_note(rate, control_bps));
            }
            Some(explanation)
        }
        (None, None) => None,
    };
    html! {
        <li key={service.id.clone()} class="service" id={format!("service-{}", service.id)} data-service-id={service.id.clone()} data-verdict={status}
            data-method={service.method().map(|m| m.as_str())}>
            <div class="service-head">
                <h3>{ text.service_name(service) }</h3>
                if let Some(summary) = &service.summary {
                    { verdict_badge(text, Badge::Service(summary.status)) }
                } else if busy {
                    { probing(text) }
                } else {
                    <span class="pending">{ if showing.running { app_text.waiting } else { text.reason_not_run } }</span>
                }
            </div>
            if let Some(explanation) = explanation {
                <p class="explanation">{ explanation }</p>
            }
            if let Some(method) = service.method() {
                <p class="how" data-method={method.as_str()}>
                    <strong>{ app_text.how_label }</strong>{ " " }{ app_text.method(method) }
                </p>
            }
            if let Some(advice) = service.advice().filter(|_| showing.advice) {
                <p class="advice" data-advice={advice.as_str()}>
                    <strong>{ app_text.advice_label }</strong>{ " " }{ app_text.advice(advice) }
                </p>
            }
            <details>
                <summary>{ app_text.details }</summary>
                if let Some(networks) = &networks {
                    <ul class="networks">
                        { for networks.iter().map(|n| html! {
                            <li data-network={n.name.clone()} data-network-state={network_state_name(n.state)}>
                                <strong>{ &n.name }</strong>{ " — " }{ app_text.network_state(n.state) }
                            </li>
                        }) }
                    </ul>
                }
                { timing_chart(text, app_text, &service.endpoints, control_ms) }
                { endpoint_table(text, app_text, &service.endpoints, showing) }
            </details>
        </li>
    }
}

/// `data-network-state` values (docs/automation.md).
fn network_state_name(state: NetworkState) -> &'static str {
    match state {
        NetworkState::Works => "works",
        NetworkState::Freezes => "freezes",
        NetworkState::Blocked => "blocked",
        NetworkState::Unknown => "unknown",
    }
}

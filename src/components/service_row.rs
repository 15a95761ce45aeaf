use std::collections::HashSet;
use std::rc::Rc;

use reachcheck_core::results::{NetworkState, ServiceRow};
use reachcheck_core::verdict::ServiceStatus;
use yew::prelude::*;

use super::endpoint_table::EndpointTable;
use super::probing::Probing;
use super::timing_chart::TimingChart;
use super::verdict_badge::VerdictBadge;
use super::{use_app_text, use_text};
use crate::i18n::Badge;

#[derive(Properties, PartialEq)]
pub struct ServiceRowProps {
    pub service: ServiceRow,
    pub control_ms: Option<f64>,
    #[prop_or_default]
    pub control_bps: Option<f64>,
    pub probing: Rc<HashSet<String>>,
    pub running: bool,
    /// Show what the visitor can do (off by the catalog's `advice` or `?advice=0`).
    #[prop_or(true)]
    pub advice: bool,
}

/// One service: its verdict, a one-line explanation, and expandable evidence.
#[function_component(ServiceRowView)]
pub fn service_row(props: &ServiceRowProps) -> Html {
    let text = use_text();
    let app_text = use_app_text();
    let service = &props.service;
    let status = service.summary.as_ref().map(|s| s.status.as_str()).unwrap_or("");
    let busy = service.summary.is_none() && service.endpoints.iter().any(|e| props.probing.contains(&e.id));
    // A service of hosting networks reads as networks, not as its endpoints.
    let networks = service.networks().filter(|_| service.summary.is_some());
    let explanation = match (&networks, &service.summary) {
        (Some(networks), _) => Some(app_text.networks_summary(networks)),
        (None, Some(summary)) => {
            let mut explanation = text.explain(summary, props.control_ms);
            // A degraded service shows the rate its visitor meets next to the controls'.
            let degraded = matches!(summary.status, ServiceStatus::Throttled | ServiceStatus::Slow);
            if let Some(rate) = service.slowest_bps().filter(|_| degraded) {
                explanation.push_str(&app_text.rate_note(rate, props.control_bps));
            }
            Some(explanation)
        }
        (None, None) => None,
    };
    html! {
        <li class="service" id={format!("service-{}", service.id)} data-service-id={service.id.clone()} data-verdict={status}
            data-method={service.method().map(|m| m.as_str())}>
            <div class="service-head">
                <h3>{ text.service_name(service) }</h3>
                if let Some(summary) = &service.summary {
                    <VerdictBadge verdict={Badge::Service(summary.status)} />
                } else if busy {
                    <Probing />
                } else {
                    <span class="pending">{ if props.running { app_text.waiting } else { text.reason_not_run } }</span>
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
            if let Some(advice) = service.advice().filter(|_| props.advice) {
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
                <TimingChart endpoints={service.endpoints.clone()} control_ms={props.control_ms} />
                <EndpointTable endpoints={service.endpoints.clone()} probing={props.probing.clone()} running={props.running} />
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

use std::rc::Rc;

use gloo_net::http::Request;
use reachcheck_core::neighbours::{network_url, NetworkContext};
use reachcheck_core::results::RunResults;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use super::{use_app_text, use_text};
use crate::i18n::{fill, Badge};

#[derive(Properties, PartialEq)]
pub struct NetworkPanelProps {
    pub results: Rc<RunResults>,
    /// The collector's report URL (`…/v1/reports`); it answers about networks beside it.
    pub endpoint: AttrValue,
}

#[derive(Clone, PartialEq)]
enum Status {
    Asking,
    Answered(Rc<NetworkContext>),
    Failed,
}

/// "Others on your network saw…": a second, separate opt-in. Only when the visitor presses the
/// button does the page ask the collector, once, which learns from the question that this
/// address ran a test (it derives the network from it and keeps nothing, docs/deploy.md).
#[function_component(NetworkPanel)]
pub fn network_panel(props: &NetworkPanelProps) -> Html {
    let text = use_text();
    let app_text = use_app_text();
    let status = use_state(|| None::<Status>);
    let judged: Vec<_> = props.results.services.iter().filter(|s| s.summary.is_some()).collect();
    let ids: Vec<&str> = judged.iter().map(|s| s.id.as_str()).collect();
    let Some(url) = network_url(&props.endpoint, &ids).filter(|_| !ids.is_empty()) else {
        return Html::default();
    };
    let host = url.split('/').nth(2).unwrap_or_default().to_owned();
    let on_ask = {
        let status = status.clone();
        Callback::from(move |_: MouseEvent| {
            let (status, url) = (status.clone(), url.clone());
            status.set(Some(Status::Asking));
            spawn_local(async move {
                // No referrer: the collector learns the address it must, nothing about the page.
                let request = Request::get(&url).referrer_policy(web_sys::ReferrerPolicy::NoReferrer);
                let answer = match request.send().await {
                    Ok(response) if response.ok() => response.text().await.ok(),
                    _ => None,
                };
                let context = answer.and_then(|text| NetworkContext::parse(&text).ok());
                status.set(Some(context.map_or(Status::Failed, |c| Status::Answered(Rc::new(c)))));
            });
        })
    };
    let state_name = match &*status {
        None => "idle",
        Some(Status::Asking) => "asking",
        Some(Status::Answered(_)) => "answered",
        Some(Status::Failed) => "failed",
    };
    html! {
        <section class="network-context" data-network-context={state_name} aria-labelledby="network-heading">
            <h3 id="network-heading">{ app_text.others_heading }</h3>
            <p class="note">{ fill(app_text.others_explain, &[("host", host)]) }</p>
            if status.is_none() {
                <button type="button" class="secondary" data-action="network-context" onclick={on_ask}>{ app_text.others_ask }</button>
            }
            if let Some(Status::Asking) = &*status {
                <p role="status">{ app_text.others_asking }</p>
            }
            if let Some(Status::Failed) = &*status {
                <p class="notice error" role="status">{ app_text.others_failed }</p>
            }
            if let Some(Status::Answered(context)) = &*status {
                <ul class="others" role="status">
                    { for judged.iter().filter_map(|service| {
                        let own = text.label(Badge::Service(service.summary.as_ref()?.status));
                        let theirs = match context.share(&service.id) {
                            Some(share) => fill(app_text.others_share, &[
                                ("label", text.label(Badge::Service(share.status)).to_owned()),
                                ("percent", share.percent.to_string()),
                                ("n", share.reports.to_string()),
                            ]),
                            None => fill(app_text.others_too_few, &[("k", context.min_cell.to_string())]),
                        };
                        Some(html! {
                            <li data-others={service.id.clone()}>
                                <strong>{ text.service_name(service) }</strong>
                                { format!(": {} {own}; {theirs}", app_text.others_you) }
                            </li>
                        })
                    }) }
                </ul>
            }
        </section>
    }
}

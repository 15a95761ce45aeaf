use std::rc::Rc;

use reachcheck_core::results::RunResults;
use yew::prelude::*;

use super::verdict_badge::symbol;
use super::{use_app_text, use_text};
use crate::i18n::Badge;

#[derive(Properties, PartialEq)]
pub struct GlanceProps {
    pub results: Rc<RunResults>,
}

/// Every judged service in one compact list, worst first: an icon and the verdict in words (so
/// it reads without colour), each a link to the service's card with its details.
#[function_component(Glance)]
pub fn glance(props: &GlanceProps) -> Html {
    let text = use_text();
    let app_text = use_app_text();
    let judged: Vec<_> =
        props.results.services_by_urgency().into_iter().filter(|s| s.summary.is_some()).collect();
    if judged.is_empty() {
        return Html::default();
    }
    html! {
        <nav class="glance" aria-labelledby="glance-heading">
            <h3 id="glance-heading">{ app_text.glance_heading }</h3>
            <ul>
                { for judged.iter().filter_map(|service| {
                    let status = service.summary.as_ref()?.status;
                    Some(html! {
                        <li data-glance={service.id.clone()} class={classes!("verdict", format!("verdict-{}", status.as_str()))}>
                            <a href={format!("#service-{}", service.id)}>
                                <span class="icon" aria-hidden="true">{ symbol(status.as_str()) }</span>
                                <span class="name">{ text.service_name(service) }</span>
                                <span class="label">{ text.label(Badge::Service(status)) }</span>
                            </a>
                        </li>
                    })
                }) }
            </ul>
        </nav>
    }
}

use reachcheck_core::results::RunResults;
use yew::prelude::*;

use super::verdict_badge::symbol;
use crate::i18n::{AppStrings, Badge, Strings};

/// Every judged service in one compact list, worst first: an icon and the verdict in words (so
/// it reads without colour), each a link to the service's card with its details.
pub fn glance(text: &Strings, app_text: &AppStrings, results: &RunResults) -> Html {
    let judged: Vec<_> = results.services_by_urgency().into_iter().filter(|s| s.summary.is_some()).collect();
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

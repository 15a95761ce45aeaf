use yew::prelude::*;

use super::use_text;
use crate::state::CatalogState;
use reachcheck_core::problem::LoadError;

#[derive(Properties, PartialEq)]
pub struct CatalogNoticeProps {
    pub catalog: CatalogState,
}

/// Tells the visitor when the catalog is loading or could not be used, and why.
#[function_component(CatalogNotice)]
pub fn catalog_notice(props: &CatalogNoticeProps) -> Html {
    let text = use_text();
    match &props.catalog {
        CatalogState::Loading => html! { <p class="note" role="status">{ text.catalog_loading }</p> },
        CatalogState::Failed(error) => html! {
            <div class="notice error" role="alert" data-catalog-error="">
                <p><strong>{ text.catalog_failed }</strong></p>
                <p class="message">{ text.load_error(error) }</p>
                if let LoadError::Invalid { problems, .. } = error {
                    <ul class="message">{ for problems.iter().map(|p| html! { <li>{ text.problem(p) }</li> }) }</ul>
                }
            </div>
        },
        CatalogState::Ready(catalog) => html! {
            <p class="note catalog-info">{ format!("{} {} · {}", text.catalog_label, catalog.id, catalog.version) }</p>
        },
    }
}

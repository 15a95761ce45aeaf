use yew::prelude::*;

use crate::i18n::Strings;
use crate::state::CatalogState;
use reachcheck_core::problem::LoadError;

/// Tells the visitor when the catalog is loading or could not be used, and why.
pub fn catalog_notice(text: &Strings, catalog: &CatalogState) -> Html {
    match catalog {
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

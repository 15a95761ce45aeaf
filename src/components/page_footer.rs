use yew::prelude::*;

use super::use_app_text;

#[function_component(PageFooter)]
pub fn page_footer() -> Html {
    let app_text = use_app_text();
    html! {
        <footer class="page-footer">
            <p>
                { reachcheck_core::SOFTWARE_NAME }{ " " }
                <span class="version" data-version={crate::VERSION}>{ format!("v{}", crate::VERSION) }</span>
                { " · " }{ app_text.footer_note }
            </p>
        </footer>
    }
}

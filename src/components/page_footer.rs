use yew::prelude::*;

use super::use_text;

#[function_component(PageFooter)]
pub fn page_footer() -> Html {
    let text = use_text();
    html! {
        <footer class="page-footer">
            <p>
                { reachcheck_core::SOFTWARE_NAME }{ " " }
                <span class="version" data-version={crate::VERSION}>{ format!("v{}", crate::VERSION) }</span>
                { " · " }{ text.footer_note }
            </p>
        </footer>
    }
}

use yew::prelude::*;

use crate::i18n;

#[function_component(PageFooter)]
pub fn page_footer() -> Html {
    let text = i18n::strings();
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

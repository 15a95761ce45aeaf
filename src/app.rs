use yew::prelude::*;

use crate::components::{intro::Intro, page_footer::PageFooter, start_panel::StartPanel};
use crate::i18n;

/// The whole page: what the tool is, how to start, and the footer.
#[function_component(App)]
pub fn app() -> Html {
    let text = i18n::strings();
    html! {
        <div class="app" data-run-state="idle">
            <header class="masthead">
                <h1 class="app-title">{ reachcheck_core::SOFTWARE_NAME }</h1>
                <p class="tagline">{ text.tagline }</p>
            </header>
            <main>
                <Intro />
                <StartPanel />
            </main>
            <PageFooter />
        </div>
    }
}

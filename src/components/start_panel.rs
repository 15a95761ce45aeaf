use yew::prelude::*;

use crate::i18n;

/// The button that starts a test. Disabled until the measurement engine lands.
#[function_component(StartPanel)]
pub fn start_panel() -> Html {
    let text = i18n::strings();
    html! {
        <section class="start-panel">
            <button type="button" class="start" data-action="start" disabled=true
                aria-describedby="start-note">
                { text.start }
            </button>
            <p id="start-note" class="note">{ text.start_unavailable }</p>
        </section>
    }
}

use yew::prelude::*;

use super::use_text;

/// "testing…" with a spinner: a service or endpoint being probed right now (app and widget).
#[function_component(Probing)]
pub fn probing() -> Html {
    let text = use_text();
    html! { <span class="pending"><span class="spinner" aria-hidden="true"></span>{ text.probing }</span> }
}

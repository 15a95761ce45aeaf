use yew::prelude::*;

use crate::i18n::Strings;

/// "testing…" with a spinner: a service or endpoint being probed right now (app and widget).
pub fn probing(text: &Strings) -> Html {
    html! { <span class="pending"><span class="spinner" aria-hidden="true"></span>{ text.probing }</span> }
}

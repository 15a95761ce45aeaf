use yew::prelude::*;

use crate::i18n::AppStrings;

/// The landing text: what reachcheck does, what the network operator sees, what is sent.
pub fn intro(app_text: &AppStrings) -> Html {
    html! {
        <section class="intro" aria-labelledby="intro-heading">
            <h2 id="intro-heading">{ app_text.intro_heading }</h2>
            <p>{ app_text.intro_does }</p>
            <h2>{ app_text.operator_heading }</h2>
            <p>{ app_text.operator_text }</p>
            <h2>{ app_text.sent_heading }</h2>
            <p>{ app_text.sent_text }</p>
            <h2>{ app_text.intro_not_heading }</h2>
            <ul class="does-not">
                { for app_text.intro_does_not.iter().map(|line| html! { <li>{ *line }</li> }) }
            </ul>
        </section>
    }
}

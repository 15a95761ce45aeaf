use yew::prelude::*;

use super::use_text;

/// The landing text: what reachcheck does, what the network operator sees, what is sent.
#[function_component(Intro)]
pub fn intro() -> Html {
    let text = use_text();
    html! {
        <section class="intro" aria-labelledby="intro-heading">
            <h2 id="intro-heading">{ text.intro_heading }</h2>
            <p>{ text.intro_does }</p>
            <h2>{ text.operator_heading }</h2>
            <p>{ text.operator_text }</p>
            <h2>{ text.sent_heading }</h2>
            <p>{ text.sent_text }</p>
            <h2>{ text.intro_not_heading }</h2>
            <ul class="does-not">
                { for text.intro_does_not.iter().map(|line| html! { <li>{ *line }</li> }) }
            </ul>
        </section>
    }
}

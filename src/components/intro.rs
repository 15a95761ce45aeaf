use yew::prelude::*;

use crate::i18n;

/// What reachcheck does and, as plainly, what it does not do.
#[function_component(Intro)]
pub fn intro() -> Html {
    let text = i18n::strings();
    html! {
        <section class="intro" aria-labelledby="intro-heading">
            <h2 id="intro-heading">{ text.intro_heading }</h2>
            <p>{ text.intro_does }</p>
            <h2>{ text.intro_not_heading }</h2>
            <ul class="does-not">
                { for text.intro_does_not.iter().map(|line| html! { <li>{ *line }</li> }) }
            </ul>
        </section>
    }
}

use yew::prelude::*;

use crate::i18n::Strings;

/// Informed consent: both statements must be confirmed before anything is contacted. What is
/// ticked lives in the page's state (`AppState::consent_ticked`), cleared at each start.
pub struct Consent {
    /// The two statements, ticked or not: the operator sees the requests; nothing is published.
    pub ticked: [bool; 2],
    pub on_tick: Callback<usize>,
    pub on_consent: Callback<()>,
    pub on_decline: Callback<()>,
}

pub fn consent(text: &Strings, props: Consent) -> Html {
    let confirmed = props.ticked == [true, true];
    let on_consent = props.on_consent.clone();
    let on_submit = Callback::from(move |event: SubmitEvent| {
        event.prevent_default();
        if confirmed {
            on_consent.emit(());
        }
    });
    let statement = |at: usize, name: &'static str, words: &'static str| {
        html! {
            <label class="check">
                <input type="checkbox" {name} checked={props.ticked[at]} onchange={props.on_tick.reform(move |_: Event| at)} />
                <span>{ words }</span>
            </label>
        }
    };
    html! {
        <form class="consent" aria-labelledby="consent-heading" onsubmit={on_submit}>
            <h2 id="consent-heading">{ text.consent_heading }</h2>
            { statement(0, "operator", text.consent_operator) }
            { statement(1, "publish", text.consent_publish) }
            <div class="actions">
                <button type="submit" class="primary" data-action="consent" disabled={!confirmed}>
                    { text.consent_confirm }
                </button>
                <button type="button" class="secondary" onclick={props.on_decline.reform(|_| ())}>
                    { text.consent_back }
                </button>
            </div>
        </form>
    }
}

use yew::prelude::*;

use super::use_text;

#[derive(Properties, PartialEq)]
pub struct ConsentProps {
    pub on_consent: Callback<()>,
    pub on_decline: Callback<()>,
}

/// Informed consent: both statements must be confirmed before anything is contacted.
#[function_component(Consent)]
pub fn consent(props: &ConsentProps) -> Html {
    let text = use_text();
    let operator = use_state(|| false);
    let publish = use_state(|| false);
    let toggle = |flag: &UseStateHandle<bool>| {
        let flag = flag.clone();
        Callback::from(move |_: Event| flag.set(!*flag))
    };
    let confirmed = *operator && *publish;
    let on_submit = {
        let on_consent = props.on_consent.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if confirmed {
                on_consent.emit(());
            }
        })
    };
    html! {
        <form class="consent" aria-labelledby="consent-heading" onsubmit={on_submit}>
            <h2 id="consent-heading">{ text.consent_heading }</h2>
            <label class="check">
                <input type="checkbox" name="operator" checked={*operator} onchange={toggle(&operator)} />
                <span>{ text.consent_operator }</span>
            </label>
            <label class="check">
                <input type="checkbox" name="publish" checked={*publish} onchange={toggle(&publish)} />
                <span>{ text.consent_publish }</span>
            </label>
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

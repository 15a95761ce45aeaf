use yew::prelude::*;

use crate::i18n::Strings;
use crate::state::RunState;

/// What the run button shows and does.
pub struct RunButton {
    pub run: RunState,
    /// A catalog is loaded and valid.
    pub ready: bool,
    pub on_start: Callback<()>,
    pub on_cancel: Callback<()>,
    /// The id of a note describing the start button, if the page shows one.
    pub described_by: Option<&'static str>,
}

/// Start (which leads to consent first), Cancel while running, Run again when done — the same
/// control in the app and the widget. Nothing while consent is asked.
pub fn run_button(text: &Strings, props: RunButton) -> Html {
    match props.run {
        RunState::Consent => html! {},
        RunState::Running => html! {
            <button type="button" class="secondary" data-action="cancel" onclick={props.on_cancel.reform(|_| ())}>
                { text.cancel }
            </button>
        },
        RunState::Idle | RunState::Done => html! {
            <button type="button" class="primary" data-action="start" disabled={!props.ready}
                aria-describedby={props.described_by} onclick={props.on_start.reform(|_| ())}>
                { if props.run == RunState::Done { text.run_again } else { text.start } }
            </button>
        },
    }
}

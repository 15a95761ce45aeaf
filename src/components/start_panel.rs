use yew::prelude::*;

use super::run_button::{run_button, RunButton};
use crate::i18n::{AppStrings, Strings};
use crate::state::RunState;

/// The app's run control with its note (nothing is contacted before consent).
pub fn start_panel(text: &Strings, app_text: &AppStrings, props: RunButton) -> Html {
    let idle = matches!(props.run, RunState::Idle | RunState::Done);
    if props.run == RunState::Consent {
        return html! {};
    }
    html! {
        <div class="start-panel">
            { run_button(text, RunButton { described_by: idle.then_some("start-note"), ..props }) }
            if idle {
                <p id="start-note" class="note">{ app_text.start_note }</p>
            }
        </div>
    }
}

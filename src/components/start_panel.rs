use yew::prelude::*;

use super::{use_app_text, use_text};
use crate::state::RunState;

#[derive(Properties, PartialEq)]
pub struct StartPanelProps {
    pub run: RunState,
    /// A catalog is loaded and valid.
    pub ready: bool,
    pub on_start: Callback<()>,
    pub on_cancel: Callback<()>,
}

/// Start (which leads to consent first), cancel while running, run again when done.
#[function_component(StartPanel)]
pub fn start_panel(props: &StartPanelProps) -> Html {
    let text = use_text();
    let app_text = use_app_text();
    match props.run {
        RunState::Consent => html! {},
        RunState::Running => html! {
            <div class="start-panel">
                <button type="button" class="secondary" data-action="cancel" onclick={props.on_cancel.reform(|_| ())}>
                    { text.cancel }
                </button>
            </div>
        },
        RunState::Idle | RunState::Done => html! {
            <div class="start-panel">
                <button type="button" class="primary" data-action="start" disabled={!props.ready}
                    aria-describedby="start-note" onclick={props.on_start.reform(|_| ())}>
                    { if props.run == RunState::Done { text.run_again } else { text.start } }
                </button>
                <p id="start-note" class="note">{ app_text.start_note }</p>
            </div>
        },
    }
}

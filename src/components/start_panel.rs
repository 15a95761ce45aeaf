use yew::prelude::*;

use super::run_button::RunButton;
use super::use_app_text;
use crate::state::RunState;

#[derive(Properties, PartialEq)]
pub struct StartPanelProps {
    pub run: RunState,
    /// A catalog is loaded and valid.
    pub ready: bool,
    pub on_start: Callback<()>,
    pub on_cancel: Callback<()>,
}

/// The app's run control with its note (nothing is contacted before consent).
#[function_component(StartPanel)]
pub fn start_panel(props: &StartPanelProps) -> Html {
    let app_text = use_app_text();
    let idle = matches!(props.run, RunState::Idle | RunState::Done);
    if props.run == RunState::Consent {
        return html! {};
    }
    html! {
        <div class="start-panel">
            <RunButton run={props.run} ready={props.ready} on_start={props.on_start.clone()}
                on_cancel={props.on_cancel.clone()} described_by={idle.then_some(AttrValue::from("start-note"))} />
            if idle {
                <p id="start-note" class="note">{ app_text.start_note }</p>
            }
        </div>
    }
}

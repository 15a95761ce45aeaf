use yew::prelude::*;

use super::use_text;
use crate::state::RunState;

#[derive(Properties, PartialEq)]
pub struct RunButtonProps {
    pub run: RunState,
    /// A catalog is loaded and valid.
    pub ready: bool,
    pub on_start: Callback<()>,
    pub on_cancel: Callback<()>,
    /// The id of a note describing the start button, if the page shows one.
    #[prop_or_default]
    pub described_by: Option<AttrValue>,
}

/// Start (which leads to consent first), Cancel while running, Run again when done — the same
/// control in the app and the widget. Nothing while consent is asked.
#[function_component(RunButton)]
pub fn run_button(props: &RunButtonProps) -> Html {
    let text = use_text();
    match props.run {
        RunState::Consent => html! {},
        RunState::Running => html! {
            <button type="button" class="secondary" data-action="cancel" onclick={props.on_cancel.reform(|_| ())}>
                { text.cancel }
            </button>
        },
        RunState::Idle | RunState::Done => html! {
            <button type="button" class="primary" data-action="start" disabled={!props.ready}
                aria-describedby={props.described_by.clone()} onclick={props.on_start.reform(|_| ())}>
                { if props.run == RunState::Done { text.run_again } else { text.start } }
            </button>
        },
    }
}

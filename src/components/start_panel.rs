use yew::prelude::*;

use crate::i18n;
use crate::state::RunState;

#[derive(Properties, PartialEq)]
pub struct StartPanelProps {
    pub run: RunState,
    /// A catalog is loaded and valid.
    pub ready: bool,
    pub on_start: Callback<()>,
    pub on_cancel: Callback<()>,
}

/// Starts a run (nothing is contacted before the visitor presses it) or cancels one.
#[function_component(StartPanel)]
pub fn start_panel(props: &StartPanelProps) -> Html {
    let text = i18n::strings();
    let on_start = props.on_start.reform(|_: MouseEvent| ());
    let on_cancel = props.on_cancel.reform(|_: MouseEvent| ());
    html! {
        <section class="start-panel">
            <p id="start-note" class="note">{ text.start_note }</p>
            if props.run == RunState::Running {
                <button type="button" class="cancel" data-action="cancel" onclick={on_cancel}>{ text.cancel }</button>
            } else {
                <button type="button" class="start" data-action="start" disabled={!props.ready}
                    aria-describedby="start-note" onclick={on_start}>
                    { if props.run == RunState::Done { text.run_again } else { text.start } }
                </button>
            }
        </section>
    }
}

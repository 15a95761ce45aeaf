use reachcheck_core::results::RunResults;
use reachcheck_core::verdict::Connection;
use yew::prelude::*;

use crate::i18n::{fill, Strings};
use crate::state::RunState;

/// The live summary, announced to screen readers (aria-live) as the run goes on.
pub fn progress(text: &Strings, run: RunState, results: Option<&RunResults>) -> Html {
    let Some(results) = results else {
        return html! { <div class="progress" role="status" aria-live="polite"></div> };
    };
    let (done, total) = results.progress();
    let counts = [("done", done.to_string()), ("total", total.to_string())];
    let line = match run {
        RunState::Running => fill(text.progress_running, &counts),
        _ if results.connection == Some(Connection::Down) => text.connection_down.to_owned(),
        _ if results.cancelled => {
            format!("{} {}", fill(text.progress_cancelled, &counts), text.run_summary(&results.tally()))
        }
        _ => text.run_summary(&results.tally()),
    };
    html! {
        <div class="progress" role="status" aria-live="polite">
            if run == RunState::Running {
                <progress max={total.to_string()} value={done.to_string()} aria-hidden="true"></progress>
            }
            <p class="summary" data-summary="">{ line }</p>
        </div>
    }
}

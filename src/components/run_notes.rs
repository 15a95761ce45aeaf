use reachcheck_core::results::RunResults;
use reachcheck_core::verdict::Reason;
use yew::prelude::*;

use reachcheck_core::problem::LoadError;

use crate::i18n::{fill, Strings};

/// What else explains the results: the visitor's content blocker, a change of network, failures
/// the catalog's baseline saw too (docs/verdicts.md, "Failures that are not blocks"), and why the
/// catalog's baseline could not be used. `on_run_again` is offered when the network changed
/// during the run (none for viewed results).
pub fn run_notes(
    text: &Strings,
    results: &RunResults,
    baseline_problem: Option<&LoadError>,
    on_run_again: Option<Callback<()>>,
) -> Html {
    let network_changed = results.count_reason(Reason::NetworkChanged) > 0;
    let broken_date =
        results.baseline_date.as_ref().filter(|_| results.count_reason(Reason::EndpointBroken) > 0);
    html! {
        <>
            if results.content_blocker {
                <p class="notice" role="status" data-content-blocker="">{ text.hint_content_blocker }</p>
            }
            if network_changed {
                <div class="notice" role="status" data-network-changed="">
                    <p>{ text.hint_network_changed }</p>
                    if let Some(on_run_again) = &on_run_again {
                        <button type="button" class="primary" data-action="run-again"
                            onclick={on_run_again.reform(|_| ())}>{ text.run_again }</button>
                    }
                </div>
            }
            if let Some(date) = broken_date {
                <p class="notice" role="status" data-baseline-date={date.clone()}>
                    { fill(text.note_baseline, &[("date", date.clone())]) }
                </p>
            }
            if let Some(why) = baseline_problem {
                <p class="notice error" role="status" data-baseline-problem="">
                    { fill(text.baseline_problem, &[("why", text.load_error_line(why))]) }
                </p>
            }
        </>
    }
}

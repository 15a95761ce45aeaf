use reachcheck_core::results::RunResults;
use reachcheck_core::verdict::Reason;
use yew::prelude::*;

use super::use_text;
use crate::i18n::fill;

#[derive(Properties, PartialEq)]
pub struct RunNotesProps {
    pub results: RunResults,
    /// Why the catalog's baseline could not be used, if it could not.
    #[prop_or_default]
    pub baseline_problem: Option<reachcheck_core::problem::LoadError>,
    /// Offered when the network changed during the run (absent for viewed results).
    #[prop_or_default]
    pub on_run_again: Option<Callback<()>>,
}

/// What else explains the results: the visitor's content blocker, a change of network, failures
/// the catalog's baseline saw too (docs/verdicts.md, "Failures that are not blocks").
#[function_component(RunNotes)]
pub fn run_notes(props: &RunNotesProps) -> Html {
    let text = use_text();
    let results = &props.results;
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
                    if let Some(on_run_again) = &props.on_run_again {
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
            if let Some(why) = &props.baseline_problem {
                <p class="notice error" role="status" data-baseline-problem="">
                    { fill(text.baseline_problem, &[("why", text.load_error_line(why))]) }
                </p>
            }
        </>
    }
}

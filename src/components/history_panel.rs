use reachcheck_core::history::Entry;
use yew::prelude::*;

use crate::i18n::{AppStrings, Strings};

/// The runs kept on this device, newest first, each openable read-only.
pub fn history_panel(
    text: &Strings,
    app_text: &AppStrings,
    runs: &[Entry],
    on_open: &Callback<usize>,
    on_clear: &Callback<()>,
) -> Html {
    html! {
        <section class="history" aria-labelledby="history-heading" data-history="">
            <h2 id="history-heading">{ app_text.history_heading }</h2>
            if runs.is_empty() {
                <p class="note">{ app_text.history_empty }</p>
            } else {
                <ol class="runs">
                    { for runs.iter().enumerate().map(|(index, run)| {
                        let summary = text.run_summary(&run.results.tally());
                        html! {
                            <li data-report-id={run.report_id.clone()}>
                                <time>{ format!("{} UTC", run.measured_at) }</time>
                                <span>{ format!(" — {summary} ") }</span>
                                <button type="button" class="link" data-action="open-history"
                                    onclick={on_open.reform(move |_| index)}>{ app_text.open }</button>
                            </li>
                        }
                    }) }
                </ol>
                <button type="button" class="secondary" data-action="clear-history"
                    onclick={on_clear.reform(|_| ())}>{ app_text.clear_history }</button>
            }
        </section>
    }
}

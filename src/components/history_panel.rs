use std::rc::Rc;

use reachcheck_core::report::Report;
use reachcheck_core::results::RunResults;
use yew::prelude::*;

use super::{use_app_text, use_text};

#[derive(Properties, PartialEq)]
pub struct HistoryPanelProps {
    pub runs: Rc<Vec<Report>>,
    pub on_open: Callback<usize>,
    pub on_clear: Callback<()>,
}

/// The runs kept on this device, newest first, each openable read-only.
#[function_component(HistoryPanel)]
pub fn history_panel(props: &HistoryPanelProps) -> Html {
    let text = use_text();
    let app_text = use_app_text();
    html! {
        <section class="history" aria-labelledby="history-heading" data-history="">
            <h2 id="history-heading">{ app_text.history_heading }</h2>
            if props.runs.is_empty() {
                <p class="note">{ app_text.history_empty }</p>
            } else {
                <ol class="runs">
                    { for props.runs.iter().enumerate().map(|(index, report)| {
                        let summary = text.run_summary(&RunResults::from_report(report).tally());
                        html! {
                            <li data-report-id={report.report_id.clone()}>
                                <time>{ format!("{} UTC", report.measurement_start_time) }</time>
                                <span>{ format!(" — {summary} ") }</span>
                                <button type="button" class="link" data-action="open-history"
                                    onclick={props.on_open.reform(move |_| index)}>{ app_text.open }</button>
                            </li>
                        }
                    }) }
                </ol>
                <button type="button" class="secondary" data-action="clear-history"
                    onclick={props.on_clear.reform(|_| ())}>{ app_text.clear_history }</button>
            }
        </section>
    }
}

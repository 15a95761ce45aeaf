use std::rc::Rc;

use reachcheck_core::report::Report;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use super::use_text;
use crate::i18n::fill;
use crate::services::submit::{Deliver, Delivery};

#[derive(Properties)]
pub struct SubmitPanelProps {
    pub report: Rc<Report>,
    pub endpoint: AttrValue,
    /// How to deliver (queue on failure in the app, send once in the widget).
    pub deliver: Deliver,
}

// `deliver` is fixed per mount point, and function pointers do not compare meaningfully.
impl PartialEq for SubmitPanelProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.report, &other.report) && self.endpoint == other.endpoint
    }
}

#[derive(Clone, PartialEq)]
enum Status {
    Sending,
    Done(Delivery),
}

/// Opt-in sharing of the anonymized report: off by default, the exact payload shown before
/// anything is sent, and what became of it.
#[function_component(SubmitPanel)]
pub fn submit_panel(props: &SubmitPanelProps) -> Html {
    let text = use_text();
    let opted_in = use_state(|| false);
    let status = use_state(|| None::<Status>);
    let payload = props.report.to_json();
    let on_toggle = {
        let opted_in = opted_in.clone();
        Callback::from(move |_: Event| opted_in.set(!*opted_in))
    };
    let on_send = {
        let status = status.clone();
        let endpoint = props.endpoint.to_string();
        let report_id = props.report.report_id.clone();
        let payload = payload.clone();
        let deliver = props.deliver;
        Callback::from(move |_: MouseEvent| {
            let (status, endpoint, report_id, payload) =
                (status.clone(), endpoint.clone(), report_id.clone(), payload.clone());
            status.set(Some(Status::Sending));
            spawn_local(async move {
                let delivery = deliver(report_id, endpoint, payload).await;
                status.set(Some(Status::Done(delivery)));
            });
        })
    };
    let (state_name, message) = match &*status {
        None => ("", String::new()),
        Some(Status::Sending) => ("sending", text.submit_sending.to_owned()),
        Some(Status::Done(Delivery::Sent)) => ("sent", text.submit_sent.to_owned()),
        Some(Status::Done(Delivery::Queued)) => ("queued", text.submit_queued.to_owned()),
        Some(Status::Done(Delivery::Unreachable)) => ("unreachable", text.submit_unreachable.to_owned()),
        Some(Status::Done(Delivery::Refused(why))) => {
            ("failed", fill(text.submit_refused, &[("why", why.clone())]))
        }
    };
    let sent_or_sending =
        matches!(&*status, Some(Status::Sending | Status::Done(Delivery::Sent | Delivery::Queued)));
    html! {
        <section class="submit">
            <label class="check">
                <input type="checkbox" data-action="opt-in" checked={*opted_in} onchange={on_toggle} disabled={sent_or_sending} />
                <span>{ text.submit_opt_in }</span>
            </label>
            if *opted_in {
                <details open=true>
                    <summary>{ text.submit_payload }</summary>
                    <pre class="payload" data-payload="">{ payload.clone() }</pre>
                </details>
                <p class="note">{ fill(text.submit_note, &[("endpoint", props.endpoint.to_string())]) }</p>
                <button type="button" class="primary" data-action="submit" onclick={on_send} disabled={sent_or_sending}>
                    { text.submit_send }
                </button>
            }
            if !state_name.is_empty() {
                <p class="note" role="status" data-submit-status={state_name}>{ message }</p>
            }
        </section>
    }
}

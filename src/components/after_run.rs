use std::rc::Rc;

use reachcheck_core::report::Report;
use reachcheck_core::results::RunResults;
use reachcheck_core::share;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use yew::prelude::*;

use super::{use_app_text, use_text};
use crate::services::page;

#[derive(Properties)]
pub struct AfterRunProps {
    pub results: Rc<RunResults>,
    /// The full report, when these are the visitor's own results (export needs it).
    pub report: Option<Rc<Report>>,
}

// A run's report is made once and shared: the same report is the same `Rc`. (Comparing whole
// reports would link `PartialEq` of every measurement for this alone.)
impl PartialEq for AfterRunProps {
    fn eq(&self, other: &Self) -> bool {
        let same_report = match (&self.report, &other.report) {
            (Some(a), Some(b)) => Rc::ptr_eq(a, b),
            (a, b) => a.is_none() && b.is_none(),
        };
        same_report && self.results == other.results
    }
}

/// Export JSON, copy a text summary, make a share link.
#[function_component(AfterRun)]
pub fn after_run(props: &AfterRunProps) -> Html {
    let text = use_text();
    let app_text = use_app_text();
    let copy_state = use_state(|| None::<bool>);
    let share_url = use_state(|| None::<String>);
    // `Some(None)`: the browser could not draw it.
    let picture = use_state(|| None::<Option<String>>);
    let summary = app_text.text_summary(text, &props.results);

    let on_copy = {
        let copy_state = copy_state.clone();
        let summary = summary.clone();
        Callback::from(move |_: MouseEvent| {
            let copy_state = copy_state.clone();
            let clipboard = web_sys::window().map(|w| w.navigator().clipboard());
            let promise = clipboard.map(|c| c.write_text(&summary));
            spawn_local(async move {
                let copied = match promise {
                    Some(promise) => JsFuture::from(promise).await.is_ok(),
                    None => false,
                };
                copy_state.set(Some(copied));
            });
        })
    };
    let on_share = {
        let share_url = share_url.clone();
        let results = props.results.clone();
        Callback::from(move |_: MouseEvent| {
            share_url.set(Some(page::url_with_fragment(&share::encode(&results))))
        })
    };
    let on_picture = {
        let picture = picture.clone();
        let results = props.results.clone();
        Callback::from(move |_: MouseEvent| {
            picture.set(Some(crate::services::picture::draw(text, app_text, &results)))
        })
    };
    let picture_link = match &*picture {
        Some(Some(png)) => html! {
            <p class="picture">
                <a class="button" data-picture="" href={png.clone()} download={picture_name(&props.results)}>{ app_text.picture_download }</a>
            </p>
        },
        Some(None) => html! { <p class="note" role="status">{ app_text.picture_failed }</p> },
        None => html! {},
    };
    let export = props.report.as_ref().map(|report| {
        let href = format!("data:application/json;charset=utf-8,{}", js_sys::encode_uri_component(&report.to_json()));
        let name = format!("reachcheck-{}.json", report.report_id);
        html! { <a class="button secondary" data-action="export" href={href} download={name}>{ app_text.export }</a> }
    });
    html! {
        <section class="after-run">
            <div class="actions">
                { for export }
                <button type="button" class="secondary" data-action="copy" onclick={on_copy}>{ app_text.copy_summary }</button>
                <button type="button" class="secondary" data-action="share" onclick={on_share}>{ app_text.share }</button>
                <button type="button" class="secondary" data-action="picture" onclick={on_picture}>{ app_text.picture }</button>
            </div>
            { picture_link }
            if let Some(copied) = *copy_state {
                <p class="note" role="status">{ if copied { app_text.copied } else { app_text.copy_failed } }</p>
                if !copied {
                    <textarea class="summary-text" readonly=true rows="6" value={summary.clone()} />
                }
            }
            if let Some(url) = &*share_url {
                <label class="share">
                    <span>{ app_text.share_label }</span>
                    <input type="url" readonly=true value={url.clone()} data-share-url="" />
                </label>
                <p class="note">{ app_text.share_note }</p>
                if crate::services::page::from_disk() {
                    <p class="note" data-share-from-disk="">{ app_text.share_from_disk }</p>
                }
            }
        </section>
    }
}

/// `reachcheck-2026-12-03-12h.png`: the run's hour, nothing finer.
fn picture_name(results: &RunResults) -> String {
    let hour = results.measured_at.as_deref().map(|t| t.get(..13).unwrap_or(t).replace(' ', "-"));
    format!("reachcheck-{}.png", hour.unwrap_or_else(|| "results".into()))
}

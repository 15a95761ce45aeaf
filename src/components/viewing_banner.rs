use yew::prelude::*;

use super::use_app_text;
use crate::i18n::fill;

#[derive(Properties, PartialEq)]
pub struct ViewingBannerProps {
    /// `None` for someone else's results (a share link); the run's time for history.
    pub history_time: Option<AttrValue>,
    pub on_close: Callback<()>,
}

/// Marks results that are not the visitor's current run, and leads back.
#[function_component(ViewingBanner)]
pub fn viewing_banner(props: &ViewingBannerProps) -> Html {
    let app_text = use_app_text();
    let (message, kind) = match &props.history_time {
        Some(time) => (fill(app_text.viewing_history, &[("time", time.to_string())]), "history"),
        None => (app_text.viewing_shared.to_owned(), "shared"),
    };
    html! {
        <div class="notice viewing" role="note" data-viewing={kind}>
            <p>{ message }</p>
            <button type="button" class="secondary" data-action="back" onclick={props.on_close.reform(|_| ())}>
                { app_text.back_to_own }
            </button>
        </div>
    }
}

use yew::prelude::*;

use crate::i18n::{fill, AppStrings};

/// Marks results that are not the visitor's current run, and leads back. `history_time` is
/// `None` for someone else's results (a share link), the run's time for one from the history.
pub fn viewing_banner(app_text: &AppStrings, history_time: Option<&str>, on_close: Callback<()>) -> Html {
    let (message, kind) = match history_time {
        Some(time) => (fill(app_text.viewing_history, &[("time", time.to_owned())]), "history"),
        None => (app_text.viewing_shared.to_owned(), "shared"),
    };
    html! {
        <div class="notice viewing" role="note" data-viewing={kind}>
            <p>{ message }</p>
            <button type="button" class="secondary" data-action="back" onclick={on_close.reform(|_| ())}>
                { app_text.back_to_own }
            </button>
        </div>
    }
}

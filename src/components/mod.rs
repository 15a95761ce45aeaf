//! One piece of the page per file. Pieces that keep state of their own or are worth skipping
//! when their props are unchanged are components, which read their language through
//! [`use_text`] (texts the app and the widget share) and [`use_app_text`] (the full app's own
//! pages). The small pieces, and those whose state the page keeps (the consent), are view
//! functions (`fn(&Strings, …) -> Html`) called by their parent's view: each component costs
//! its own copy of Yew's component machinery in the wasm, a view function nothing
//! (docs/embedding.md, "Size").

pub mod after_run;
pub mod catalog_notice;
pub mod consent;
pub mod dashboard;
pub mod dashboard_chart;
pub mod dashboard_filters;
pub mod endpoint_table;
pub mod glance;
pub mod history_panel;
pub mod intro;
pub mod language_switch;
pub mod network_panel;
pub mod page_footer;
pub mod privacy_panel;
pub mod probing;
pub mod progress;
pub mod results;
pub mod run_button;
pub mod run_notes;
pub mod service_row;
pub mod start_panel;
pub mod submit_panel;
pub mod timing_chart;
pub mod verdict_badge;
pub mod viewing_banner;

use yew::prelude::*;

use crate::i18n::{AppStrings, Lang, Strings};

/// The texts of the language chosen in the app (provided by `App`).
#[hook]
pub fn use_text() -> &'static Strings {
    use_context::<Lang>().unwrap_or(Lang::En).strings()
}

/// The full app's own texts in the chosen language; only app-only components use them.
#[hook]
pub fn use_app_text() -> &'static AppStrings {
    use_context::<Lang>().unwrap_or(Lang::En).app_strings()
}

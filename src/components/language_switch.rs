use yew::prelude::*;

use crate::i18n::{AppStrings, Lang};

/// The languages, each named in itself; the current one pressed.
pub fn language_switch(app_text: &AppStrings, current: Lang, on_change: &Callback<Lang>) -> Html {
    html! {
        <nav class="language" aria-label={app_text.language}>
            { for Lang::ALL.iter().map(|&lang| {
                let on_click = on_change.reform(move |_| lang);
                html! {
                    <button type="button" class="link" lang={lang.code()} data-lang={lang.code()}
                        aria-pressed={(lang == current).to_string()} onclick={on_click}>
                        { lang.app_strings().name }
                    </button>
                }
            }) }
        </nav>
    }
}

use yew::prelude::*;

use super::use_app_text;
use crate::i18n::Lang;

#[derive(Properties, PartialEq)]
pub struct LanguageSwitchProps {
    pub current: Lang,
    pub on_change: Callback<Lang>,
}

#[function_component(LanguageSwitch)]
pub fn language_switch(props: &LanguageSwitchProps) -> Html {
    let app_text = use_app_text();
    html! {
        <nav class="language" aria-label={app_text.language}>
            { for Lang::ALL.iter().map(|&lang| {
                let on_click = props.on_change.reform(move |_| lang);
                html! {
                    <button type="button" class="link" lang={lang.code()} data-lang={lang.code()}
                        aria-pressed={(lang == props.current).to_string()} onclick={on_click}>
                        { lang.app_strings().name }
                    </button>
                }
            }) }
        </nav>
    }
}

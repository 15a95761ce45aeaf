use yew::prelude::*;

use crate::i18n::{Badge, Strings};

/// A verdict as a word with a symbol; colour only repeats what the text says.
pub fn verdict_badge(text: &Strings, verdict: Badge) -> Html {
    let name = verdict.name();
    html! {
        <span class={classes!("badge", format!("verdict-{name}"))}>
            <span aria-hidden="true">{ symbol(name) }{ " " }</span>{ text.label(verdict) }
        </span>
    }
}

/// The symbol beside a verdict's word (by its machine name), so verdicts differ without colour.
pub fn symbol(name: &str) -> &'static str {
    match name {
        "ok" | "reachable" => "✓",
        "slow" | "throttled" | "stalled" => "◔",
        "partial" | "relay_only" => "◑",
        "blocked" => "✕",
        _ => "?",
    }
}

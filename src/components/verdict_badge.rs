use yew::prelude::*;

use super::use_text;
use crate::i18n::Badge;

#[derive(Properties, PartialEq)]
pub struct VerdictBadgeProps {
    pub verdict: Badge,
}

/// A verdict as a word with a symbol; colour only repeats what the text says.
#[function_component(VerdictBadge)]
pub fn verdict_badge(props: &VerdictBadgeProps) -> Html {
    let text = use_text();
    let name = props.verdict.name();
    html! {
        <span class={classes!("badge", format!("verdict-{name}"))}>
            <span aria-hidden="true">{ symbol(name) }{ " " }</span>{ text.label(props.verdict) }
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

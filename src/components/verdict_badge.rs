use yew::prelude::*;

use super::use_text;

#[derive(Properties, PartialEq)]
pub struct VerdictBadgeProps {
    /// A verdict or service status name (`ok`, `blocked`, `partial`, ...).
    pub name: AttrValue,
}

/// A verdict as a word with a symbol; colour only repeats what the text says.
#[function_component(VerdictBadge)]
pub fn verdict_badge(props: &VerdictBadgeProps) -> Html {
    let text = use_text();
    let symbol = match props.name.as_str() {
        "ok" | "reachable" => "✓",
        "slow" | "throttled" | "stalled" => "◔",
        "partial" | "relay_only" => "◑",
        "blocked" => "✕",
        _ => "?",
    };
    html! {
        <span class={classes!("badge", format!("verdict-{}", props.name))}>
            <span aria-hidden="true">{ symbol }{ " " }</span>{ text.label(&props.name) }
        </span>
    }
}

use yew::prelude::*;

use super::use_app_text;

#[function_component(PageFooter)]
pub fn page_footer() -> Html {
    let app_text = use_app_text();
    // Written by the release build (xtask digests); docs/mirrors.md says how to check it.
    let digest = use_memo((), |_| crate::services::page::meta_content(crate::services::offline::DIGEST_META));
    html! {
        <footer class="page-footer">
            <p>
                { reachcheck_core::SOFTWARE_NAME }{ " " }
                <span class="version" data-version={crate::VERSION}>{ format!("v{}", crate::VERSION) }</span>
                { " · " }{ app_text.footer_note }
            </p>
            if let Some(digest) = digest.as_ref() {
                <p class="digest">
                    { app_text.footer_digest }{ " " }
                    // In full: a prefix is cheap to forge for whoever can build a tampered copy.
                    <code data-wasm-digest={digest.clone()}>{ digest }</code>
                </p>
            }
        </footer>
    }
}

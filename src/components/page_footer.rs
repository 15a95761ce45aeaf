use yew::prelude::*;

use std::sync::OnceLock;

use crate::i18n::AppStrings;

/// The version, and the digest of the code a visitor can check (docs/mirrors.md).
pub fn page_footer(app_text: &AppStrings) -> Html {
    // Written by the release build (xtask digests); read from the page once.
    static DIGEST: OnceLock<Option<String>> = OnceLock::new();
    let digest =
        DIGEST.get_or_init(|| crate::services::page::meta_content(crate::services::offline::DIGEST_META));
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

use yew::prelude::*;

use crate::i18n::{fill, AppStrings};

/// What the privacy panel shows and does.
pub struct Privacy {
    pub private: bool,
    pub confirm_delete: bool,
    /// How many stored items "delete everything" removed, once it ran.
    pub deleted: Option<usize>,
    pub on_private: Callback<bool>,
    pub on_ask_delete: Callback<()>,
    pub on_confirm_delete: Callback<()>,
    pub on_cancel_delete: Callback<()>,
}

/// For visitors at risk: a private mode that writes nothing to the device, and one step (with
/// a confirmation) that removes everything reachcheck stored on it.
pub fn privacy_panel(app_text: &AppStrings, props: Privacy) -> Html {
    let private = props.private;
    let on_toggle = props.on_private.reform(move |_: Event| !private);
    html! {
        <section class="privacy" aria-label={app_text.private_mode}>
            <label class="check">
                <input type="checkbox" data-action="private" checked={props.private} onchange={on_toggle} />
                <span>{ app_text.private_mode }</span>
            </label>
            if props.private {
                <p class="note" data-private="">{ app_text.private_on }</p>
            }
            if props.confirm_delete {
                <div class="notice" role="alertdialog" aria-label={app_text.delete_everything}>
                    <p>{ app_text.delete_confirm }</p>
                    <button type="button" class="primary" data-action="confirm-delete"
                        onclick={props.on_confirm_delete.reform(|_| ())}>{ app_text.delete_yes }</button>
                    { " " }
                    <button type="button" class="secondary" data-action="cancel-delete"
                        onclick={props.on_cancel_delete.reform(|_| ())}>{ app_text.delete_no }</button>
                </div>
            } else {
                <button type="button" class="link" data-action="delete-everything"
                    onclick={props.on_ask_delete.reform(|_| ())}>{ app_text.delete_everything }</button>
            }
            if let Some(count) = props.deleted {
                <p class="note" role="status" data-deleted={count.to_string()}>
                    { fill(app_text.deleted, &[("n", count.to_string())]) }
                </p>
            }
        </section>
    }
}

//! `image` probe (Encore-style): an `<img>` that loads or fails, for targets that only allow
//! being embedded as images.

use reachcheck_core::measurement::{Obstacle, Outcome, Sample};
use wasm_bindgen::prelude::*;
use web_sys::HtmlImageElement;

use super::clock::{first_of, now_ms, within};
use super::sample;

pub async fn attempt(url: &str, timeout_ms: u32) -> Result<Sample, Obstacle> {
    let image = HtmlImageElement::new().map_err(|_| Obstacle::BrowserRefused)?;
    image.set_referrer_policy("no-referrer");
    let (settle, receiver) = first_of::<Outcome>();
    let on_load = Closure::<dyn FnMut()>::new({
        let settle = settle.clone();
        move || settle(Outcome::Ok)
    });
    let on_error = Closure::<dyn FnMut()>::new(move || settle(Outcome::Error));
    image.set_onload(Some(on_load.as_ref().unchecked_ref()));
    image.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    let start = now_ms();
    image.set_src(url);
    let outcome = within(f64::from(timeout_ms), receiver).await;
    // Detach before the closures are dropped; an empty src cancels a pending load.
    image.set_onload(None);
    image.set_onerror(None);
    image.set_src("");
    Ok(match outcome {
        Some(Ok(outcome)) => sample(outcome, start),
        Some(Err(_)) => sample(Outcome::Error, start),
        None => sample(Outcome::Timeout, start),
    })
}

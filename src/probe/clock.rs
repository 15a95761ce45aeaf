//! Time for probes: `performance.now()` (monotonic, sub-millisecond) and timers.

use std::cell::Cell;
use std::future::Future;
use std::rc::Rc;

use futures::channel::oneshot;

use futures::future::{select, Either};
use wasm_bindgen_futures::JsFuture;

pub fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

/// Resolves after `ms` milliseconds (a `setTimeout`).
pub async fn sleep_ms(ms: f64) {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        if let Some(window) = web_sys::window() {
            let _ =
                window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms.max(0.0) as i32);
        }
    });
    let _ = JsFuture::from(promise).await;
}

/// `Some(output)` if `future` finishes within `ms`, else `None` (and `future` is dropped, which
/// lets its guards abort the request).
pub async fn within<T>(ms: f64, future: impl Future<Output = T>) -> Option<T> {
    let future = std::pin::pin!(future);
    let timer = std::pin::pin!(sleep_ms(ms));
    match select(future, timer).await {
        Either::Left((output, _)) => Some(output),
        Either::Right(_) => None,
    }
}

/// Aborts a fetch when dropped: a timed-out or cancelled request must not keep its connection
/// (browsers queue later requests to the same host behind it).
pub struct AbortOnDrop(pub web_sys::AbortController);

impl AbortOnDrop {
    pub fn new() -> Option<Self> {
        web_sys::AbortController::new().ok().map(AbortOnDrop)
    }

    pub fn signal(&self) -> web_sys::AbortSignal {
        self.0.signal()
    }
}

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        // `abort()` without a reason: gloo-net hits `unreachable!` on custom reasons.
        self.0.abort();
    }
}

/// A callback that delivers only the first value it is given, and the receiver of that value:
/// browser events race (load or error, open or close) and only the first one counts.
pub fn first_of<T: 'static>() -> (Rc<dyn Fn(T)>, oneshot::Receiver<T>) {
    let (sender, receiver) = oneshot::channel();
    let sender = Cell::new(Some(sender));
    let settle = move |value| {
        if let Some(sender) = sender.take() {
            let _ = sender.send(value);
        }
    };
    (Rc::new(settle), receiver)
}

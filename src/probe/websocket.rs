//! `websocket` probe: time to `open`, or the close code and time of failure. Uses
//! `web_sys::WebSocket` directly: gloo-net reports no open event and calls failed sockets ready.

use reachcheck_core::catalog::Endpoint;
use reachcheck_core::measurement::{Obstacle, Outcome, Sample};
use wasm_bindgen::prelude::*;
use web_sys::{CloseEvent, WebSocket};

use super::clock::{first_of, now_ms, within};
use super::sample;

/// How the opening handshake ended.
enum Opening {
    Opened,
    Closed(u16),
}

pub async fn attempt(endpoint: &Endpoint) -> Result<Sample, Obstacle> {
    let start = now_ms();
    // Throws for URLs the browser will not open at all (bad scheme or port, mixed content).
    let socket = if endpoint.protocols.is_empty() {
        WebSocket::new(&endpoint.url)
    } else {
        let protocols: js_sys::Array = endpoint.protocols.iter().map(|p| JsValue::from_str(p)).collect();
        WebSocket::new_with_str_sequence(&endpoint.url, &protocols)
    }
    .map_err(|_| Obstacle::BrowserRefused)?;
    let (settle, receiver) = first_of::<Opening>();
    let on_open = Closure::<dyn FnMut()>::new({
        let settle = settle.clone();
        move || settle(Opening::Opened)
    });
    let on_close =
        Closure::<dyn FnMut(CloseEvent)>::new(move |event: CloseEvent| settle(Opening::Closed(event.code())));
    socket.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    socket.set_onclose(Some(on_close.as_ref().unchecked_ref()));
    let opening = within(f64::from(endpoint.timeout_ms), receiver).await;
    let result = match opening {
        Some(Ok(Opening::Opened)) => sample(Outcome::Ok, start),
        Some(Ok(Opening::Closed(code))) => Sample { close_code: Some(code), ..sample(Outcome::Error, start) },
        Some(Err(_)) => sample(Outcome::Error, start),
        None => sample(Outcome::Timeout, start),
    };
    socket.set_onopen(None);
    socket.set_onclose(None);
    // Also ends a socket stuck in CONNECTING: browsers allow one connecting socket per host.
    let _ = socket.close_with_code(1000);
    Ok(result)
}

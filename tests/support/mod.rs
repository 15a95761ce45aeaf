//! Helpers shared by the browser tests.
#![allow(dead_code)] // each test binary uses its own subset

use wasm_bindgen::prelude::*;
use web_sys::{CloseEvent, Element, MessageEvent, WebSocket};

/// Base URL of the lab: `REACHCHECK_LAB` at build time, else the lab's default address.
pub fn lab_base() -> String {
    option_env!("REACHCHECK_LAB").unwrap_or("http://127.0.0.1:7357").trim_end_matches('/').to_owned()
}

pub fn lab_url(path: &str) -> String {
    format!("{}{path}", lab_base())
}

pub fn lab_ws_url(path: &str) -> String {
    lab_url(path).replacen("http", "ws", 1)
}

/// Mounts the app into a new element (never the runner's own `#output`).
pub fn mount_fresh() -> Element {
    let host = fresh_element();
    reachcheck::mount(host.clone());
    host
}

/// A new `<div>` at the end of the body.
fn fresh_element() -> Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let host = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&host).unwrap();
    host
}

/// Waits one macrotask, long enough for Yew to render scheduled updates.
pub async fn next_render() {
    sleep_ms(0).await;
}

pub async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

/// Opens a WebSocket, sends `text` and returns the first message back, or how it failed.
pub async fn websocket_echo(url: &str, text: &str) -> Result<String, String> {
    let socket = WebSocket::new(url).map_err(|e| format!("{e:?}"))?;
    let (finish, receiver) = reachcheck::probe::first_of::<Result<String, String>>();
    let on_open = {
        let socket = socket.clone();
        let text = text.to_owned();
        Closure::<dyn FnMut()>::new(move || socket.send_with_str(&text).unwrap())
    };
    let on_message = {
        let finish = finish.clone();
        Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            finish(event.data().as_string().ok_or_else(|| "non-text message".to_owned()))
        })
    };
    let on_close = Closure::<dyn FnMut(CloseEvent)>::new(move |event: CloseEvent| {
        finish(Err(format!("closed with code {}", event.code())))
    });
    socket.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    socket.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    socket.set_onclose(Some(on_close.as_ref().unchecked_ref()));
    let result = receiver.await.unwrap_or_else(|_| Err("socket dropped".to_owned()));
    socket.close().ok();
    result
}

/// GETs a lab URL and parses its JSON body.
pub async fn lab_json(path: &str) -> serde_json::Value {
    let response = gloo_net::http::Request::get(&lab_url(path)).send().await.expect("the lab answers");
    assert!(response.ok(), "{path}: HTTP {}", response.status());
    serde_json::from_str(&response.text().await.unwrap()).expect("JSON from the lab")
}

/// POSTs to a lab control route (e.g. `/_lab/network-change`).
pub async fn lab_post(path: &str) {
    let response = gloo_net::http::Request::post(&lab_url(path)).send().await.expect("the lab answers");
    assert!(response.ok(), "POST {path}: HTTP {}", response.status());
}

/// DELETEs a lab resource (clears hit counters or the in-flight peak).
pub async fn lab_delete(path: &str) {
    let response = gloo_net::http::Request::delete(&lab_url(path)).send().await.expect("the lab answers");
    assert!(response.ok(), "DELETE {path}: HTTP {}", response.status());
}

/// Probe hits on condition paths (`/c/...`) since the counters were last cleared.
pub async fn condition_hits() -> u64 {
    let hits = lab_json("/_lab/hits").await;
    hits.as_object()
        .unwrap()
        .iter()
        .filter(|(path, _)| path.starts_with("/c/"))
        .map(|(_, n)| n.as_u64().unwrap())
        .sum()
}

/// Polls until `selector` matches inside `host`, or panics after `timeout_ms`.
pub async fn wait_for(host: &Element, selector: &str, timeout_ms: f64) -> Element {
    let start = js_sys::Date::now();
    loop {
        if let Some(found) = host.query_selector(selector).unwrap() {
            return found;
        }
        assert!(
            js_sys::Date::now() - start < timeout_ms,
            "nothing matched {selector} within {timeout_ms} ms"
        );
        sleep_ms(50).await;
    }
}

/// Mounts the app into a new element with a given catalog URL.
pub fn mount_fresh_with_catalog(catalog_url: &str) -> Element {
    let host = fresh_element();
    reachcheck::mount_with_catalog(host.clone(), catalog_url);
    host
}

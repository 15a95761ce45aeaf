fn main() {
    // Only the app's own page has this element: the same wasm must never take over a page it
    // was not made for.
    let document = web_sys::window().and_then(|w| w.document()).expect("a browser document");
    if let Some(root) = document.get_element_by_id("reachcheck-app") {
        reachcheck::mount(root);
    }
}

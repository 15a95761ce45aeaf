//! reachcheck's browser app: a thin Yew shell around the pure `reachcheck-core`.
//!
//! `main.rs` mounts [`App`] into the page; tests mount it into an element of their own.

pub mod app;
pub mod components;
pub mod i18n;

pub use app::App;

/// The app's version, shown in the footer and (later) written into reports.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Mounts the app into `host`; used by `main.rs` and by the browser tests.
pub fn mount(host: web_sys::Element) -> yew::AppHandle<App> {
    yew::Renderer::<App>::with_root(host).render()
}

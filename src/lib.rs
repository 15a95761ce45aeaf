//! reachcheck's browser app: a thin Yew shell around the pure `reachcheck-core`.
//!
//! `main.rs` mounts [`App`] into the page; tests mount it into an element of their own.

pub mod app;
pub mod components;
pub mod hooks;
pub mod i18n;
pub mod probe;
pub mod services;
pub mod state;
pub mod widget;

pub use app::App;
use app::AppProps;

/// The app's version, shown in the footer and written into reports.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Mounts the app into `host`; used by `main.rs`.
pub fn mount(host: web_sys::Element) -> yew::AppHandle<App> {
    yew::Renderer::<App>::with_root(host).render()
}

/// Mounts the app with a given catalog URL instead of the page's `?catalog=` (tests, embeds).
pub fn mount_with_catalog(host: web_sys::Element, catalog_url: &str) -> yew::AppHandle<App> {
    let props = AppProps { catalog_url: Some(catalog_url.to_owned().into()) };
    yew::Renderer::<App>::with_root_and_props(host, props).render()
}

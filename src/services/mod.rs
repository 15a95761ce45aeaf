//! The app's contacts with the outside: loading catalogs, reading the page's URL.

pub mod catalog_source;
pub mod page;

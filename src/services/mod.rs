//! The app's contacts with the browser and the outside: catalogs, the page URL, local storage,
//! reports.

pub mod aggregates_source;
pub mod catalog_source;
pub mod offline;
pub mod page;
pub mod picture;
pub mod report;
pub mod storage;
pub mod submit;

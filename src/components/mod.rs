//! One component per file.

pub mod catalog_notice;
pub mod intro;
pub mod page_footer;
pub mod results_list;
pub mod start_panel;

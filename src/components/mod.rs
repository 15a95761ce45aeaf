//! One component per file.

pub mod intro;
pub mod page_footer;
pub mod start_panel;

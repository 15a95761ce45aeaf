//! reachcheck-catalog: tools for catalog authors (the `reachcheck-catalog` command), and the
//! headless-Chromium and static-serving code the baseline and the end-to-end tests share.

pub mod baseline;
pub mod chromium;
pub mod serve;

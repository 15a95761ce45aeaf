//! reachcheck-core: the pure logic of reachcheck, free of browser APIs so that plain
//! `cargo test` checks it on the host. The app in `src/` is a thin shell around it.

pub mod aggregates;
pub mod anonymize;
pub mod attribution;
pub mod baseline;
pub mod catalog;
pub mod diagnosis;
pub mod embed;
pub mod evaluate;
pub mod history;
pub mod import;
pub mod json;
pub mod measurement;
mod names;
pub mod neighbours;
pub mod outbox;
pub mod problem;
pub mod report;
pub mod results;
pub mod run;
pub mod schedule;
pub mod share;
pub mod sorting;
pub mod target;
pub mod verdict;

/// The name reachcheck reports itself under (`software_name` in reports).
pub const SOFTWARE_NAME: &str = "reachcheck";

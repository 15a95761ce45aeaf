//! reachcheck-core: the pure logic of reachcheck, free of browser APIs so that plain
//! `cargo test` checks it on the host. The app in `src/` is a thin shell around it.

/// The name reachcheck reports itself under (`software_name` in reports).
pub const SOFTWARE_NAME: &str = "reachcheck";

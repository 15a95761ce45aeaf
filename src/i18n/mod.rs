//! Every string the visitor reads, one struct per language, so a language is complete or
//! does not compile.

mod en;

/// The texts of one language.
pub struct Strings {
    pub tagline: &'static str,
    pub intro_heading: &'static str,
    pub intro_does: &'static str,
    pub intro_not_heading: &'static str,
    pub intro_does_not: &'static [&'static str],
    pub start: &'static str,
    pub run_again: &'static str,
    pub cancel: &'static str,
    pub start_note: &'static str,
    pub catalog_loading: &'static str,
    pub catalog_failed: &'static str,
    pub catalog_label: &'static str,
    pub results_heading: &'static str,
    pub controls_heading: &'static str,
    pub probing: &'static str,
    pub waiting: &'static str,
    /// Labels for verdict and status names (`ok`, `blocked`, `partial`, ...).
    pub labels: &'static [(&'static str, &'static str)],
    pub footer_note: &'static str,
}

/// The texts for the visitor's language (English until the Russian texts land).
pub fn strings() -> &'static Strings {
    &en::EN
}

/// The visitor's word for a verdict or status name; the name itself if unknown.
pub fn status_label(name: &str) -> &'static str {
    strings().labels.iter().find(|(key, _)| *key == name).map_or("?", |(_, label)| label)
}

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
    pub start_unavailable: &'static str,
    pub footer_note: &'static str,
}

/// The texts for the visitor's language (English until the Russian texts land).
pub fn strings() -> &'static Strings {
    &en::EN
}

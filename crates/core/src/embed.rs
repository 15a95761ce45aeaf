//! Configuration of an embedded widget, the same names in both modes: `data-*` attributes of
//! `<div data-reachcheck>` (script mode) or the query of `embed.html` (iframe mode).
//! Every invalid value is reported with the name the site owner wrote.

use crate::catalog::is_id;
use crate::problem::{Issue, Problem};
use crate::target::{Scheme, Target};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
    /// Follows the visitor's `prefers-color-scheme`.
    #[default]
    Auto,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Layout {
    /// One row per service with its verdict.
    #[default]
    Compact,
    /// Rows with the one-line explanation under each verdict.
    Full,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WidgetConfig {
    /// Service ids to test (all when empty).
    pub services: Vec<String>,
    /// `en` or `ru`; the visitor's languages when absent.
    pub lang: Option<String>,
    pub theme: Theme,
    /// A catalog URL instead of the built-in one.
    pub catalog: Option<String>,
    /// Where opted-in reports go.
    pub submit: Option<String>,
    pub layout: Layout,
    /// `#rgb` or `#rrggbb` only, so nothing but a colour reaches the stylesheet.
    pub accent: Option<String>,
}

/// The configuration names, as attributes (`data-services`) or query keys (`services`).
pub const NAMES: [&str; 7] = ["services", "lang", "theme", "catalog", "submit", "layout", "accent"];
const LANGUAGES: [&str; 2] = ["en", "ru"];

impl WidgetConfig {
    /// Reads `(name, value)` pairs (names without `data-`); `prefix` is how the site owner wrote
    /// them (`data-` or empty), for the messages. Unknown names are ignored: host pages carry
    /// other attributes and parameters.
    pub fn parse<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
        prefix: &str,
    ) -> Result<WidgetConfig, Vec<Problem>> {
        let mut config = WidgetConfig::default();
        let mut problems = Vec::new();
        for (name, value) in pairs {
            let value = value.trim();
            let mut problem = |issue: Issue| problems.push(Problem::new(format!("{prefix}{name}"), issue));
            match name {
                "services" => {
                    config.services = value
                        .split(',')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(str::to_owned)
                        .collect();
                    if let Some(bad) = config.services.iter().find(|id| !is_id(id)) {
                        problem(Issue::NotAServiceId(bad.clone()));
                    }
                }
                "lang" if LANGUAGES.contains(&value) => config.lang = Some(value.to_owned()),
                "lang" => problem(Issue::NotOneOf { value: value.to_owned(), allowed: "en, ru" }),
                "theme" => match value {
                    "light" => config.theme = Theme::Light,
                    "dark" => config.theme = Theme::Dark,
                    "auto" | "" => config.theme = Theme::Auto,
                    _ => problem(Issue::NotOneOf { value: value.to_owned(), allowed: "light, dark, auto" }),
                },
                "layout" => match value {
                    "compact" | "" => config.layout = Layout::Compact,
                    "full" => config.layout = Layout::Full,
                    _ => problem(Issue::NotOneOf { value: value.to_owned(), allowed: "compact, full" }),
                },
                "accent" if is_hex_colour(value) => config.accent = Some(value.to_owned()),
                "accent" => problem(Issue::NotAColour(value.to_owned())),
                "catalog" | "submit" => match web_url(value) {
                    Ok(url) if name == "catalog" => config.catalog = Some(url),
                    Ok(url) => config.submit = Some(url),
                    Err(why) => problem(why),
                },
                _ => {}
            }
        }
        if problems.is_empty() {
            Ok(config)
        } else {
            Err(problems)
        }
    }

    /// The query string that carries this configuration to `embed.html` or the full app.
    pub fn to_query(&self) -> Vec<(&'static str, String)> {
        let mut query = Vec::new();
        if !self.services.is_empty() {
            query.push(("services", self.services.join(",")));
        }
        let optional = [
            ("lang", &self.lang),
            ("catalog", &self.catalog),
            ("submit", &self.submit),
            ("accent", &self.accent),
        ];
        query.extend(optional.into_iter().filter_map(|(name, value)| Some((name, value.clone()?))));
        query
    }
}

fn is_hex_colour(text: &str) -> bool {
    text.strip_prefix('#')
        .is_some_and(|hex| matches!(hex.len(), 3 | 6) && hex.chars().all(|c| c.is_ascii_hexdigit()))
}

/// An absolute http(s) URL, or why not (relative URLs are resolved by the browser before this).
fn web_url(value: &str) -> Result<String, Issue> {
    match Target::parse(value) {
        Ok(target) if matches!(target.scheme, Scheme::Http | Scheme::Https) => Ok(value.to_owned()),
        Ok(target) => Err(Issue::NotWebUrl { scheme: target.scheme.to_string() }),
        Err(issue) => Err(Issue::Url(issue)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_option() {
        let config = WidgetConfig::parse(
            [
                ("services", "whatsapp, telegram"),
                ("lang", "ru"),
                ("theme", "dark"),
                ("catalog", "https://example.org/catalog.json"),
                ("submit", "https://collector.example/v1/reports"),
                ("layout", "full"),
                ("accent", "#c0ffee"),
                ("reachcheck", ""),
            ],
            "data-",
        )
        .unwrap();
        assert_eq!(config.services, ["whatsapp", "telegram"]);
        assert_eq!(
            (config.lang.as_deref(), config.theme, config.layout),
            (Some("ru"), Theme::Dark, Layout::Full)
        );
        assert_eq!(config.accent.as_deref(), Some("#c0ffee"));
        assert_eq!(WidgetConfig::parse([], "").unwrap(), WidgetConfig::default());
        let query = config.to_query();
        assert_eq!(query[0], ("services", "whatsapp,telegram".to_owned()));
    }

    #[test]
    fn names_each_invalid_value_as_the_owner_wrote_it() {
        let problems = WidgetConfig::parse(
            [
                ("theme", "purple"),
                ("lang", "de"),
                ("layout", "huge"),
                ("accent", "red; background: url(x)"),
                ("services", "WhatsApp"),
                ("catalog", "javascript:alert(1)"),
                ("submit", "wss://collector.example/"),
            ],
            "data-",
        )
        .unwrap_err();
        let expected = [
            "data-theme: \"purple\" is not one of light, dark, auto",
            "data-lang: \"de\" is not one of en, ru",
            "data-layout: \"huge\" is not one of compact, full",
            "data-accent: \"red; background: url(x)\" is not a colour like #0b57d0",
            "data-services: \"WhatsApp\" is not a service id",
            "data-catalog: scheme javascript:// is not supported",
            "data-submit: must be an http(s) URL, not wss://",
        ];
        assert_eq!(problems.len(), expected.len(), "{problems:?}");
        for (problem, expected) in problems.iter().zip(expected) {
            assert!(problem.to_string().starts_with(expected), "{problem}");
        }
        let query = WidgetConfig::parse([("theme", "x")], "").unwrap_err();
        assert_eq!(query[0].at, "theme", "{query:?}");
    }
}

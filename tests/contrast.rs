//! WCAG AA: every text/background pair the stylesheets use has a contrast ratio of at least
//! 4.5:1, in the light and the dark scheme, for the app and the widget.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::HashMap;

/// Text colour variable, background variable: the pairs the stylesheets put together.
const PAIRS: &[(&str, &str)] = &[
    ("--fg", "--bg"),
    ("--muted", "--bg"),
    ("--fg", "--surface"),
    ("--accent", "--bg"),
    ("--accent-fg", "--accent"),
    ("--ok", "--ok-bg"),
    ("--warn", "--warn-bg"),
    ("--bad", "--bad-bg"),
    ("--unknown", "--unknown-bg"),
    // The glance list: a service's name on its verdict's background.
    ("--fg", "--ok-bg"),
    ("--fg", "--warn-bg"),
    ("--fg", "--bad-bg"),
    ("--fg", "--unknown-bg"),
];

/// The `--name: #hex` declarations of the block that starts at `marker`.
fn variables(css: &str, marker: &str) -> HashMap<String, String> {
    let start = css.find(marker).unwrap_or_else(|| panic!("no block {marker}")) + marker.len();
    let block = &css[start..start + css[start..].find('}').unwrap()];
    block
        .split(';')
        .filter_map(|declaration| {
            let (name, value) = declaration.split_once(':')?;
            let (name, value) = (name.trim(), value.trim());
            (name.starts_with("--") && value.starts_with('#')).then(|| (name.to_owned(), value.to_owned()))
        })
        .collect()
}

fn luminance(hex: &str) -> f64 {
    let channel = |i: usize| {
        let value = f64::from(u8::from_str_radix(&hex[1 + 2 * i..3 + 2 * i], 16).unwrap()) / 255.0;
        if value <= 0.04045 {
            value / 12.92
        } else {
            ((value + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2)
}

fn contrast(a: &str, b: &str) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

fn check(file: &str, light: &str, dark: &str) {
    let css =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/static/").to_owned() + file).unwrap();
    for (scheme, marker) in [("light", light), ("dark", dark)] {
        let colours = variables(&css, marker);
        for (text, background) in PAIRS {
            let ratio = contrast(&colours[*text], &colours[*background]);
            assert!(ratio >= 4.5, "{file} {scheme}: {text} on {background} is {ratio:.2}:1 (AA needs 4.5:1)");
        }
    }
}

#[test]
fn the_formula_matches_known_ratios() {
    assert!((contrast("#000000", "#ffffff") - 21.0).abs() < 0.01);
    assert!((contrast("#767676", "#ffffff") - 4.54).abs() < 0.01);
}

#[test]
fn app_colours_meet_wcag_aa() {
    check("style.css", ":root {", "@media (prefers-color-scheme: dark) {\n  :root {");
}

#[test]
fn widget_colours_meet_wcag_aa() {
    check("widget.css", ".rc-root {", ".theme-dark {");
}

#[test]
fn the_summary_pictures_symbols_stand_out_from_their_dots() {
    use reachcheck::services::picture::colour;
    use reachcheck_core::verdict::ServiceStatus::*;
    for status in [Reachable, Slow, Throttled, Partial, Blocked, RelayOnly, Inconclusive] {
        let ratio = contrast("#ffffff", colour(status));
        assert!(ratio >= 4.5, "white on the {status:?} dot is {ratio:.2}:1");
    }
}

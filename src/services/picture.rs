//! The summary picture: the results drawn as a PNG in the browser (services worst first, their
//! verdicts, the hour of the run, the kind of network), because people pass results on in
//! messengers as images. Nothing leaves the page: the picture is a `data:` URL the visitor
//! downloads or shares.

use reachcheck_core::results::RunResults;
use reachcheck_core::verdict::{Connection, ServiceStatus};
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use crate::components::verdict_badge::symbol;
use crate::i18n::{AppStrings, Badge, Strings};

/// Layout, in CSS pixels (the tests read the picture's rows by it).
pub const WIDTH: u32 = 720;
/// From the top to the first service row.
pub const TOP: u32 = 150;
pub const ROW_HEIGHT: u32 = 48;
pub const BOTTOM: u32 = 60;
/// The centre of each row's verdict dot, from the left.
pub const DOT_X: u32 = 52;
const DOT_RADIUS: f64 = 16.0;
const MARGIN: f64 = 32.0;

/// The picture's height for `services` rows.
pub fn height(services: usize) -> u32 {
    TOP + ROW_HEIGHT * services as u32 + BOTTOM
}

/// The dot colour of each verdict: the light theme's (docs: a picture has no dark mode).
pub fn colour(status: ServiceStatus) -> &'static str {
    match status {
        ServiceStatus::Reachable => "#1a7f37",
        ServiceStatus::Blocked => "#c62828",
        ServiceStatus::Slow
        | ServiceStatus::Throttled
        | ServiceStatus::Partial
        | ServiceStatus::RelayOnly => "#b35900",
        ServiceStatus::Inconclusive => "#6b6b6b",
    }
}

/// The kind of network the browser says it is on (`navigator.connection.type`: Chromium on
/// Android tells `cellular` or `wifi`), if it says.
fn network_kind(app_text: &AppStrings) -> Option<&'static str> {
    let navigator = web_sys::window()?.navigator();
    let connection = js_sys::Reflect::get(&navigator, &"connection".into()).ok()?;
    let kind = js_sys::Reflect::get(&connection, &"type".into()).ok()?.as_string()?;
    match kind.as_str() {
        "cellular" => Some(app_text.picture_mobile),
        "wifi" | "ethernet" => Some(app_text.picture_fixed),
        _ => None,
    }
}

/// Draws the judged services of `results` and returns the PNG as a `data:` URL.
pub fn draw(text: &Strings, app_text: &AppStrings, results: &RunResults) -> Option<String> {
    let services: Vec<_> =
        results.services_by_urgency().into_iter().filter(|s| s.summary.is_some()).collect();
    let document = web_sys::window()?.document()?;
    let canvas: HtmlCanvasElement = document.create_element("canvas").ok()?.dyn_into().ok()?;
    canvas.set_width(WIDTH);
    canvas.set_height(height(services.len()));
    let context: CanvasRenderingContext2d = canvas.get_context("2d").ok()??.dyn_into().ok()?;
    let width = f64::from(WIDTH);
    context.set_fill_style_str("#ffffff");
    context.fill_rect(0.0, 0.0, width, f64::from(canvas.height()));
    let font = |size: u32, bold: bool| {
        let weight = if bold { "bold " } else { "" };
        context.set_font(&format!("{weight}{size}px system-ui, sans-serif"));
    };
    context.set_fill_style_str("#1b1b1b");
    font(30, true);
    let _ = context.fill_text(reachcheck_core::SOFTWARE_NAME, MARGIN, 50.0);
    font(18, false);
    let _ = context.fill_text_with_max_width(
        &text.run_summary(&results.tally()),
        MARGIN,
        84.0,
        width - 2.0 * MARGIN,
    );
    context.set_fill_style_str("#555555");
    let when = results.measured_at.as_ref().map(|t| format!("{} {t} UTC", app_text.measured_at));
    let connection = match results.connection {
        Some(Connection::Down) => Some(text.connection_down),
        Some(Connection::InternationalDown) => Some(app_text.picture_allow_list),
        _ => None,
    };
    let line =
        [when.as_deref(), network_kind(app_text), connection].into_iter().flatten().collect::<Vec<_>>();
    let _ = context.fill_text_with_max_width(&line.join(" · "), MARGIN, 116.0, width - 2.0 * MARGIN);
    for (i, service) in services.iter().enumerate() {
        let Some(summary) = &service.summary else { continue };
        let middle = f64::from(TOP + ROW_HEIGHT * i as u32 + ROW_HEIGHT / 2);
        context.set_fill_style_str(colour(summary.status));
        context.begin_path();
        let _ = context.arc(f64::from(DOT_X), middle, DOT_RADIUS, 0.0, std::f64::consts::TAU);
        context.fill();
        context.set_fill_style_str("#ffffff");
        font(18, true);
        context.set_text_align("center");
        let _ = context.fill_text(symbol(summary.status.as_str()), f64::from(DOT_X), middle + 6.0);
        context.set_text_align("start");
        context.set_fill_style_str("#1b1b1b");
        font(20, true);
        let _ = context.fill_text_with_max_width(&text.service_name(service), 84.0, middle + 7.0, 330.0);
        font(20, false);
        let label = text.label(Badge::Service(summary.status));
        let _ = context.fill_text_with_max_width(label, 430.0, middle + 7.0, width - 430.0 - MARGIN);
    }
    context.set_fill_style_str("#555555");
    font(14, false);
    let footer = format!("{} · {} {}", app_text.picture_footer, results.catalog_id, results.catalog_version);
    let _ = context.fill_text_with_max_width(
        &footer,
        MARGIN,
        f64::from(canvas.height()) - 24.0,
        width - 2.0 * MARGIN,
    );
    canvas.to_data_url_with_type("image/png").ok()
}

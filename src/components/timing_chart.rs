use reachcheck_core::results::EndpointRow;
use yew::prelude::*;

use crate::i18n::{whole, AppStrings, Strings};

/// The label column, then the bars; in SVG units (the chart scales to its box).
const LABEL_WIDTH: f64 = 250.0;
const BAR_WIDTH: f64 = 380.0;
const ROW: f64 = 24.0;
const BAR: f64 = 16.0;

/// Each endpoint's time to answer (or to fail) against the control sites, on a logarithmic
/// scale from 1 ms to the longest timeout. Drawn by the app: no chart library.
pub fn timing_chart(
    text: &Strings,
    app_text: &AppStrings,
    endpoints: &[EndpointRow],
    control_ms: Option<f64>,
) -> Html {
    let max_ms = endpoints.iter().map(|e| f64::from(e.timeout_ms)).fold(1000.0, f64::max);
    let x = |ms: f64| BAR_WIDTH * (1.0 + ms.max(0.0)).ln() / (1.0 + max_ms).ln();
    let height = ROW * endpoints.len() as f64 + 4.0;
    let rows = endpoints.iter().enumerate().filter_map(|(i, row)| {
        let verdict = row.verdict.as_ref()?;
        let ms = verdict.median_ms.or(verdict.failed_after_ms)?;
        let y = 2.0 + ROW * i as f64;
        let value =
            format!("{} ({})", text.ms(Some(ms)), text.label(crate::i18n::Badge::Endpoint(verdict.verdict)));
        let width = x(ms).max(2.0);
        Some(html! {
            <g class={format!("bar verdict-{}", verdict.verdict.as_str())}>
                <title>{ format!("{} — {value}", row.id) }</title>
                <text class="label" x="0" y={whole(y + BAR - 4.0)}>{ &row.id }</text>
                <rect x={whole(LABEL_WIDTH)} y={whole(y)} width={whole(width)} height={whole(BAR)} rx="2" />
                <text x={whole(LABEL_WIDTH + 4.0)} y={whole(y + BAR - 4.0)}>{ value }</text>
            </g>
        })
    });
    let control = control_ms.map(|ms| {
        let cx = whole(LABEL_WIDTH + x(ms));
        html! { <line class="control" x1={cx.clone()} x2={cx} y1="0" y2={whole(height)} /> }
    });
    html! {
        <figure class="timing-chart">
            <svg viewBox={format!("0 0 {} {}", whole(LABEL_WIDTH + BAR_WIDTH), whole(height))} role="img" aria-label={app_text.chart_caption}
                preserveAspectRatio="xMinYMin meet">
                { for rows }
                { for control }
            </svg>
            <figcaption class="note">{ app_text.chart_caption }</figcaption>
        </figure>
    }
}

use reachcheck_core::results::EndpointRow;
use reachcheck_core::verdict::EndpointVerdict;
use yew::prelude::*;

use super::results::Showing;
use super::verdict_badge::verdict_badge;
use crate::i18n::{fill, AppStrings, Badge, Strings};

/// Per-endpoint evidence: verdict, how it failed, timings, samples, data.
pub fn endpoint_table(
    text: &Strings,
    app_text: &AppStrings,
    endpoints: &[EndpointRow],
    showing: &Showing,
) -> Html {
    html! {
        <div class="table-wrap">
            <table class="endpoints">
                <thead><tr>
                    <th scope="col">{ app_text.col_check }</th>
                    <th scope="col">{ app_text.col_verdict }</th>
                    <th scope="col">{ app_text.col_failure }</th>
                    <th scope="col">{ app_text.col_time }</th>
                    <th scope="col">{ app_text.col_samples }</th>
                    <th scope="col">{ app_text.col_data }</th>
                </tr></thead>
                <tbody>
                    { for endpoints.iter().map(|row| endpoint_row(text, app_text, row, showing.probing.contains(&row.id), showing.running)) }
                </tbody>
            </table>
        </div>
    }
}

fn endpoint_row(
    text: &Strings,
    app_text: &AppStrings,
    row: &EndpointRow,
    probing: bool,
    running: bool,
) -> Html {
    let verdict = row.verdict.as_ref();
    let failure_name =
        verdict.and_then(|v| v.failure.map(|f| f.as_str()).or(v.reason.map(|r| r.as_str()))).unwrap_or("");
    html! {
        <tr class="endpoint" data-endpoint-id={row.id.clone()}
            data-verdict={verdict.map_or("", |v| v.verdict.as_str())} data-failure={failure_name}
            data-reason={verdict.and_then(|v| v.reason).map_or("", |r| r.as_str())}
            data-status={verdict.and_then(|v| v.status).map(|s| s.to_string())}
            data-method={verdict.and_then(|v| v.method).map(|m| m.as_str())}>
            <th scope="row">
                if let Some(name) = &row.name {
                    <span class="endpoint-name">{ name }</span>{ " " }
                }
                <code>{ &row.id }</code><span class="kind">{ format!(" {}", row.kind.as_str()) }</span>
            </th>
            <td data-label={app_text.col_verdict}>{
                match verdict {
                    Some(v) => verdict_badge(text, Badge::Endpoint(v.verdict)),
                    None if probing => super::probing::probing(text),
                    None => html! { <span class="pending">{ if running { app_text.waiting } else { text.reason_not_run } }</span> },
                }
            }</td>
            <td data-label={app_text.col_failure}>{ verdict.map(|v| failure_text(text, app_text, v)).unwrap_or_default() }</td>
            <td data-label={app_text.col_time}>{ verdict.map(|v| time_text(text, v)).unwrap_or_default() }</td>
            <td data-label={app_text.col_samples}>{ verdict.filter(|v| v.samples > 0).map(|v| format!("{}/{}", v.samples - v.failed_samples, v.samples)).unwrap_or_default() }</td>
            <td data-label={app_text.col_data}>{ verdict.map(|v| data_text(app_text, v)).unwrap_or_default() }</td>
        </tr>
    }
}

fn failure_text(text: &Strings, app_text: &AppStrings, v: &EndpointVerdict) -> String {
    let status = v.status.map(|status| fill(text.status_answered, &[("status", status.to_string())]));
    let method = v.method.map(|m| format!("{} {}", app_text.how_label, app_text.method(m)));
    let parts = [
        v.failure.map(|f| text.failure(f).to_owned()),
        v.reason.map(|r| text.reason(r).to_owned()),
        status,
        method,
    ];
    parts.into_iter().flatten().collect::<Vec<_>>().join(" · ")
}

fn time_text(text: &Strings, v: &EndpointVerdict) -> String {
    match (v.median_ms, v.failed_after_ms) {
        (Some(ms), _) => match v.spread_ms.filter(|spread| *spread >= 1.0) {
            Some(spread) => format!("{} ±{}", text.ms(Some(ms)), text.ms(Some(spread / 2.0))),
            None => text.ms(Some(ms)),
        },
        (None, failed) => text.ms(failed),
    }
}

fn data_text(app_text: &AppStrings, v: &EndpointVerdict) -> String {
    let bytes = v.bytes.map(|b| app_text.kb(b));
    let rate = v.throughput_bps.map(|bps| app_text.kbps(bps));
    [bytes, rate].into_iter().flatten().collect::<Vec<_>>().join(", ")
}

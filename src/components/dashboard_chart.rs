use std::rc::Rc;

use reachcheck_core::aggregates::{Chart, Grouping, Plot, Series};
use reachcheck_core::report::{UNKNOWN_ASN, UNKNOWN_CC};
use yew::prelude::*;

use crate::i18n::{fill, whole, DashboardStrings, Lang};

#[derive(Properties, PartialEq)]
pub struct DashboardChartProps {
    pub chart: Rc<Chart>,
    pub lang: Lang,
    /// The service's name and the measure, as the captions say them.
    pub service_name: AttrValue,
    pub measure_name: AttrValue,
}

/// The SVG's own units; it scales to the width of its box.
const WIDTH: f64 = 480.0;
const HEIGHT: f64 = 260.0;

/// One chart: the share per day as lines (hand-drawn SVG, like the app's timing chart: see
/// docs/aggregates.md "Dashboard" for why no chart library), its legend, a table view with
/// every value, and the CSV behind it.
#[function_component(DashboardChart)]
pub fn dashboard_chart(props: &DashboardChartProps) -> Html {
    let texts = props.lang.dashboard_strings();
    let chart = &props.chart;
    let caption_template = match chart.grouping {
        Grouping::Country => texts.chart_by_country,
        Grouping::Network => texts.chart_by_network,
    };
    let caption = fill(
        caption_template,
        &[("service", props.service_name.to_string()), ("measure", props.measure_name.to_string())],
    );
    let plot = Plot::of(chart, WIDTH, HEIGHT);
    let days = plot.x_ticks.first().zip(plot.x_ticks.last());
    let summary = days.map_or_else(String::new, |((_, first), (_, last))| {
        fill(
            texts.chart_summary,
            &[("n", plot.lines.len().to_string()), ("first", first.clone()), ("last", last.clone())],
        )
    });
    let hidden = chart.series.len() - chart.drawn().len();
    let csv_href =
        format!("data:text/csv;charset=utf-8,{}", String::from(js_sys::encode_uri_component(&chart.csv())));
    html! {
        <figure class="dashboard-chart" data-chart={chart.grouping.name()}>
            <figcaption><h2>{ &caption }</h2></figcaption>
            <svg viewBox={format!("0 0 {WIDTH} {HEIGHT}")} role="img" aria-label={format!("{caption}. {summary}")}>
                { axes(&plot) }
                { for chart.drawn().iter().zip(&plot.lines).enumerate().map(|(i, (series, points))| line(i, series, points, texts, chart.grouping)) }
            </svg>
            <ul class="legend">
                { for chart.drawn().iter().enumerate().map(|(i, series)| html! {
                    <li data-series={series.key.clone()}>
                        <span class={format!("swatch line-{i}")} aria-hidden="true"></span>
                        { label(series, texts, chart.grouping) }
                    </li>
                }) }
            </ul>
            if hidden > 0 {
                <p class="note">{ fill(texts.more_lines, &[("n", hidden.to_string())]) }</p>
            }
            <details data-table-view="">
                <summary>{ texts.table_view }</summary>
                <div class="table-scroll">{ table(chart, texts, &props.measure_name) }</div>
            </details>
            <p><a data-csv="" href={csv_href} download={chart.csv_file_name()}>{ texts.download_csv }</a></p>
        </figure>
    }
}

fn axes(plot: &Plot) -> Html {
    let (left, _, right, bottom) = plot.area;
    html! {
        <g class="axes" aria-hidden="true">
            { for plot.y_ticks.iter().map(|(y, percent)| html! {
                <g>
                    <line class="grid" x1={whole(left)} x2={whole(right)} y1={whole(*y)} y2={whole(*y)} />
                    <text x={whole(left - 6.0)} y={whole(y + 4.0)} text-anchor="end">{ format!("{percent} %") }</text>
                </g>
            }) }
            { for plot.x_ticks.iter().map(|(x, day)| html! {
                // Month and day: the year is in the summary, the table and the CSV.
                <text x={whole(*x)} y={whole(bottom + 18.0)} text-anchor="middle">{ day.get(5..).unwrap_or(day) }</text>
            }) }
        </g>
    }
}

fn line(
    index: usize,
    series: &Series,
    points: &[(f64, f64)],
    texts: &DashboardStrings,
    grouping: Grouping,
) -> Html {
    let path: Vec<String> = points.iter().map(|(x, y)| format!("{},{}", whole(*x), whole(*y))).collect();
    let name = label(series, texts, grouping);
    html! {
        <g class={format!("line line-{index}")} data-series={series.key.clone()}>
            <polyline points={path.join(" ")} />
            { for series.points.iter().zip(points).map(|(point, (x, y))| html! {
                <circle cx={whole(*x)} cy={whole(*y)} r="3">
                    <title>{ format!("{name}, {}: {} ({} / {})", point.day, percent(point.share()), point.hits, point.reports) }</title>
                </circle>
            }) }
        </g>
    }
}

fn table(chart: &Chart, texts: &DashboardStrings, measure_name: &str) -> Html {
    let key_heading = match chart.grouping {
        Grouping::Country => texts.col_country,
        Grouping::Network => texts.col_network,
    };
    let mut rows: Vec<_> = chart.series.iter().flat_map(|s| s.points.iter().map(move |p| (s, p))).collect();
    rows.sort_by(|a, b| a.1.day.cmp(&b.1.day).then_with(|| a.0.key.cmp(&b.0.key)));
    html! {
        <table>
            <thead><tr>
                <th scope="col">{ texts.col_day }</th>
                <th scope="col">{ key_heading }</th>
                <th scope="col">{ texts.col_reports }</th>
                <th scope="col">{ fill(texts.col_share, &[("measure", measure_name.to_owned())]) }</th>
            </tr></thead>
            <tbody>
                { for rows.into_iter().map(|(series, point)| html! {
                    <tr data-series={series.key.clone()} data-day={point.day.clone()}>
                        <td>{ &point.day }</td>
                        <th scope="row">{ label(series, texts, chart.grouping) }</th>
                        <td>{ point.reports }</td>
                        <td>{ percent(point.share()) }</td>
                    </tr>
                }) }
            </tbody>
        </table>
    }
}

/// `RU`, `AS12389 Rostelecom`, or the words for unknown.
fn label(series: &Series, texts: &DashboardStrings, grouping: Grouping) -> String {
    match grouping {
        Grouping::Country if series.key == UNKNOWN_CC => texts.unknown_country.to_owned(),
        Grouping::Network if series.key == UNKNOWN_ASN => texts.unknown_network.to_owned(),
        _ => match &series.name {
            Some(name) => format!("{} {name}", series.key),
            None => series.key.clone(),
        },
    }
}

fn percent(share: f64) -> String {
    format!("{:.0} %", share * 100.0)
}

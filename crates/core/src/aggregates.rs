//! The published aggregates (docs/aggregates.md) as the dashboard reads them: the document, a
//! filter that round-trips through the page's link, the series of its charts (share of reports
//! "blocked" or "throttled" per day, by country and by network), their plotted geometry, and the
//! CSV behind each chart.

use std::collections::BTreeMap;

use serde::Deserialize;

/// The aggregate formats this reader understands (format 1 had no `reports` / `min_cell`).
pub const READABLE_FORMATS: [&str; 2] = ["reachcheck-aggregates-1", "reachcheck-aggregates-2"];

/// Lines drawn per chart: more cannot be told apart by colour. The table view lists all.
pub const MAX_LINES: usize = 8;

/// What the collector publishes at `v1/aggregates.json`.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct Document {
    pub format: String,
    #[serde(default)]
    pub generated_at: String,
    #[serde(default)]
    pub min_cell: u64,
    pub rows: Vec<Cell>,
    /// Network names by ASN, where the collector's ASN database named them.
    #[serde(default)]
    pub networks: BTreeMap<String, String>,
}

/// Reports of one service, country, network and day.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct Cell {
    pub service_id: String,
    pub probe_cc: String,
    pub probe_asn: String,
    pub day: String,
    /// Absent in format 1: the sum of `counts`.
    #[serde(default)]
    pub reports: Option<u64>,
    pub counts: BTreeMap<String, u64>,
    #[serde(default)]
    pub methods: BTreeMap<String, u64>,
}

impl Cell {
    pub fn reports(&self) -> u64 {
        self.reports.unwrap_or_else(|| self.counts.values().sum())
    }

    fn count(&self, status: &str) -> u64 {
        self.counts.get(status).copied().unwrap_or(0)
    }
}

impl Document {
    /// Reads a document strictly enough that every chart it gives is right: a known format,
    /// days as `YYYY-MM-DD`, counts that add up.
    pub fn parse(text: &str) -> Result<Document, String> {
        let document: Document = crate::json::from_str_with_path(text).map_err(|(path, problem)| {
            // In the browser the path is `.` and the problem says the line and column instead.
            if path == "." {
                problem
            } else {
                format!("{path}: {problem}")
            }
        })?;
        if !READABLE_FORMATS.contains(&document.format.as_str()) {
            return Err(format!(
                // Quoted by hand: release builds format no Debug (`{:?}` prints nothing there).
                "format: \"{}\" is not one this dashboard reads ({})",
                document.format,
                READABLE_FORMATS.join(", ")
            ));
        }
        for (index, cell) in document.rows.iter().enumerate() {
            if day_number(&cell.day).is_none() {
                return Err(format!("rows[{index}].day: \"{}\" is not a date (YYYY-MM-DD)", cell.day));
            }
            let counted: u64 = cell.counts.values().sum();
            if cell.reports.is_some_and(|reports| reports != counted) {
                return Err(format!(
                    "rows[{index}].reports: {} reports, but its counts add up to {counted}",
                    cell.reports()
                ));
            }
        }
        Ok(document)
    }

    /// The name of a network, when the collector knew it.
    pub fn network_name(&self, asn: &str) -> Option<&str> {
        self.networks.get(asn).map(String::as_str).filter(|name| !name.is_empty())
    }
}

/// Which share a chart shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Measure {
    #[default]
    Blocked,
    Throttled,
}

impl Measure {
    pub const ALL: [Measure; 2] = [Measure::Blocked, Measure::Throttled];

    /// The service status it counts, also its name in links and CSV.
    pub fn status(self) -> &'static str {
        match self {
            Measure::Blocked => "blocked",
            Measure::Throttled => "throttled",
        }
    }

    pub fn from_status(status: &str) -> Option<Measure> {
        Measure::ALL.into_iter().find(|m| m.status() == status)
    }
}

/// What the dashboard shows; every field is in its link (`?service=…&cc=…`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    pub service: Option<String>,
    pub cc: Option<String>,
    pub asn: Option<String>,
    /// First and last day shown, inclusive (`YYYY-MM-DD`).
    pub from: Option<String>,
    pub to: Option<String>,
    pub measure: Measure,
}

impl Filter {
    /// From a link's query parameters (already decoded); unknown or malformed ones are ignored,
    /// so an old or edited link still opens.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Filter {
        let mut filter = Filter::default();
        let value = |v: &str| (!v.is_empty()).then(|| v.to_owned());
        for (key, v) in pairs {
            match key {
                "service" => filter.service = value(v),
                "cc" => filter.cc = value(v),
                "asn" => filter.asn = value(v),
                "from" => filter.from = value(v).filter(|d| day_number(d).is_some()),
                "to" => filter.to = value(v).filter(|d| day_number(d).is_some()),
                "measure" => filter.measure = Measure::from_status(v).unwrap_or_default(),
                _ => {}
            }
        }
        filter
    }

    /// The link's query parameters, in a fixed order, leaving out what is not set.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        let fields = [
            ("service", &self.service),
            ("cc", &self.cc),
            ("asn", &self.asn),
            ("from", &self.from),
            ("to", &self.to),
        ];
        for (key, value) in fields {
            if let Some(value) = value {
                pairs.push((key, value.clone()));
            }
        }
        if self.measure != Measure::default() {
            pairs.push(("measure", self.measure.status().to_owned()));
        }
        pairs
    }

    /// The service shown: the one asked for if the document has it, else the one with the
    /// most reports.
    pub fn service_in<'a>(&'a self, choices: &'a Choices) -> Option<&'a str> {
        let asked = self.service.as_deref().filter(|s| choices.services.iter().any(|(id, _)| id == s));
        asked.or_else(|| choices.services.first().map(|(id, _)| id.as_str()))
    }

    fn admits(&self, cell: &Cell, service: &str) -> bool {
        let within = |bound: &Option<String>, keep: fn(&str, &str) -> bool| {
            bound.as_deref().is_none_or(|bound| keep(&cell.day, bound))
        };
        cell.service_id == service
            && self.cc.as_deref().is_none_or(|cc| cell.probe_cc == cc)
            && self.asn.as_deref().is_none_or(|asn| cell.probe_asn == asn)
            && within(&self.from, |day, from| day >= from)
            && within(&self.to, |day, to| day <= to)
    }
}

/// What the filters offer, each with its reports, most first.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Choices {
    pub services: Vec<(String, u64)>,
    /// Countries of the shown service.
    pub countries: Vec<(String, u64)>,
    /// Networks of the shown service (in the chosen country, if one is chosen).
    pub networks: Vec<(String, u64)>,
    /// The first and last day with data for the shown service.
    pub days: Option<(String, String)>,
}

fn most_first(totals: BTreeMap<String, u64>) -> Vec<(String, u64)> {
    let mut list: Vec<_> = totals.into_iter().collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    list
}

impl Choices {
    pub fn of(document: &Document, filter: &Filter) -> Choices {
        let mut services = BTreeMap::new();
        for cell in &document.rows {
            *services.entry(cell.service_id.clone()).or_default() += cell.reports();
        }
        let mut choices = Choices { services: most_first(services), ..Choices::default() };
        let Some(service) = filter.service_in(&choices).map(str::to_owned) else { return choices };
        let (mut countries, mut networks) = (BTreeMap::new(), BTreeMap::new());
        let mut days: Option<(String, String)> = None;
        for cell in document.rows.iter().filter(|c| c.service_id == service) {
            *countries.entry(cell.probe_cc.clone()).or_default() += cell.reports();
            if filter.cc.as_deref().is_none_or(|cc| cell.probe_cc == cc) {
                *networks.entry(cell.probe_asn.clone()).or_default() += cell.reports();
            }
            days = Some(match days {
                None => (cell.day.clone(), cell.day.clone()),
                Some((first, last)) => (first.min(cell.day.clone()), last.max(cell.day.clone())),
            });
        }
        choices.countries = most_first(countries);
        choices.networks = most_first(networks);
        choices.days = days;
        choices
    }
}

/// How a chart splits the reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Grouping {
    Country,
    Network,
}

impl Grouping {
    /// Its name in file names and attributes.
    pub fn name(self) -> &'static str {
        match self {
            Grouping::Country => "country",
            Grouping::Network => "network",
        }
    }
}

/// One day of one line: `hits` of `reports` had the measured status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Point {
    pub day: String,
    pub reports: u64,
    pub hits: u64,
}

impl Point {
    /// The share, 0.0 to 1.0.
    pub fn share(&self) -> f64 {
        if self.reports == 0 {
            0.0
        } else {
            self.hits as f64 / self.reports as f64
        }
    }
}

/// One line: a country (`RU`) or a network (`AS12389`), by day.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    pub key: String,
    /// The network's name, when known (for networks only).
    pub name: Option<String>,
    pub points: Vec<Point>,
    pub reports: u64,
}

/// A chart's data: the shown service's reports, filtered, split by country or network.
#[derive(Clone, Debug, PartialEq)]
pub struct Chart {
    pub service: String,
    pub grouping: Grouping,
    pub measure: Measure,
    /// Lines, most reports first; the first [`MAX_LINES`] are drawn.
    pub series: Vec<Series>,
}

impl Chart {
    pub fn of(document: &Document, filter: &Filter, grouping: Grouping) -> Option<Chart> {
        let choices = Choices::of(document, filter);
        let service = filter.service_in(&choices)?.to_owned();
        let mut lines: BTreeMap<&str, BTreeMap<&str, (u64, u64)>> = BTreeMap::new();
        for cell in document.rows.iter().filter(|cell| filter.admits(cell, &service)) {
            let key = match grouping {
                Grouping::Country => cell.probe_cc.as_str(),
                Grouping::Network => cell.probe_asn.as_str(),
            };
            let day = lines.entry(key).or_default().entry(cell.day.as_str()).or_default();
            day.0 += cell.reports();
            day.1 += cell.count(filter.measure.status());
        }
        let mut series: Vec<Series> = lines
            .into_iter()
            .map(|(key, days)| {
                let points: Vec<Point> = days
                    .into_iter()
                    .map(|(day, (reports, hits))| Point { day: day.to_owned(), reports, hits })
                    .collect();
                let name = match grouping {
                    Grouping::Country => None,
                    Grouping::Network => document.network_name(key).map(str::to_owned),
                };
                Series { key: key.to_owned(), name, reports: points.iter().map(|p| p.reports).sum(), points }
            })
            .collect();
        series.sort_by(|a, b| b.reports.cmp(&a.reports).then_with(|| a.key.cmp(&b.key)));
        Some(Chart { service, grouping, measure: filter.measure, series })
    }

    /// The lines drawn (the rest are in the table view only).
    pub fn drawn(&self) -> &[Series] {
        &self.series[..self.series.len().min(MAX_LINES)]
    }

    /// The data behind the chart, one line per series and day.
    pub fn csv(&self) -> String {
        let status = self.measure.status();
        let mut text =
            format!("service_id,day,{},name,reports,{status},share_{status}\n", self.grouping.name());
        let mut rows: Vec<(&str, &Series, &Point)> =
            self.series.iter().flat_map(|s| s.points.iter().map(move |p| (p.day.as_str(), s, p))).collect();
        rows.sort_by(|a, b| a.0.cmp(b.0).then_with(|| a.1.key.cmp(&b.1.key)));
        for (day, series, point) in rows {
            let fields = [
                csv_field(&self.service),
                day.to_owned(),
                csv_field(&series.key),
                csv_field(series.name.as_deref().unwrap_or("")),
                point.reports.to_string(),
                point.hits.to_string(),
                format!("{:.4}", point.share()),
            ];
            text.push_str(&fields.join(","));
            text.push('\n');
        }
        text
    }

    /// A file name for the CSV download: `reachcheck-<service>-<status>-by-<grouping>.csv`.
    pub fn csv_file_name(&self) -> String {
        let safe: String = self
            .service
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' })
            .collect();
        format!("reachcheck-{safe}-{}-by-{}.csv", self.measure.status(), self.grouping.name())
    }
}

/// A CSV field, quoted when it holds a comma, a quote or a line break (network names may).
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// A chart drawn in a `width` × `height` box: where its axes, ticks and lines go.
#[derive(Clone, Debug, PartialEq)]
pub struct Plot {
    pub width: f64,
    pub height: f64,
    /// The plotting area: left, top, right, bottom.
    pub area: (f64, f64, f64, f64),
    /// Horizontal grid lines: y and the percentage.
    pub y_ticks: Vec<(f64, u32)>,
    /// Day labels: x and the day.
    pub x_ticks: Vec<(f64, String)>,
    /// One per drawn series, in its order: the points, in order of day.
    pub lines: Vec<Vec<(f64, f64)>>,
}

impl Plot {
    pub fn of(chart: &Chart, width: f64, height: f64) -> Plot {
        let area = (44.0, 12.0, width - 12.0, height - 28.0);
        let (left, top, right, bottom) = area;
        let drawn = chart.drawn();
        let days: Vec<i64> =
            drawn.iter().flat_map(|s| s.points.iter().filter_map(|p| day_number(&p.day))).collect();
        let (first, last) =
            (days.iter().min().copied().unwrap_or(0), days.iter().max().copied().unwrap_or(0));
        // A single day sits in the middle.
        let x = |day: i64| {
            if last == first {
                (left + right) / 2.0
            } else {
                left + (right - left) * (day - first) as f64 / (last - first) as f64
            }
        };
        let y = |share: f64| bottom - (bottom - top) * share.clamp(0.0, 1.0);
        let y_ticks = [0u32, 25, 50, 75, 100].map(|p| (y(f64::from(p) / 100.0), p)).to_vec();
        let x_ticks = day_ticks(first, last).into_iter().map(|day| (x(day), day_text(day))).collect();
        let lines = drawn
            .iter()
            .map(|s| s.points.iter().filter_map(|p| Some((x(day_number(&p.day)?), y(p.share())))).collect())
            .collect();
        Plot { width, height, area, y_ticks, x_ticks, lines }
    }
}

/// At most 5 evenly spread days from `first` to `last`, both included.
fn day_ticks(first: i64, last: i64) -> Vec<i64> {
    let span = last - first;
    if span < 5 {
        return (first..=last).collect();
    }
    (0..5).map(|i| first + span * i / 4).collect()
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date; `None` for anything else.
pub fn day_number(day: &str) -> Option<i64> {
    let bytes = day.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let number = |range: std::ops::Range<usize>| day.get(range)?.parse::<u32>().ok();
    let (year, month, date) = (number(0..4)?, number(5..7)?, number(8..10)?);
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let month_days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    if !(1..=12).contains(&month) || date < 1 || date > month_days[month as usize - 1] {
        return None;
    }
    Some(crate::anonymize::days_from_civil(i64::from(year), month, date))
}

/// `YYYY-MM-DD` of a day number.
pub fn day_text(days: i64) -> String {
    let (year, month, date) = crate::anonymize::civil_from_days(days);
    format!("{year:04}-{month:02}-{date:02}")
}

#[cfg(test)]
mod tests;

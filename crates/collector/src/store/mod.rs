//! Storage behind one interface, on two engines with the same schema and migrations: an
//! embedded SQLite file (the default: one machine) or a PostgreSQL database shared by several
//! collector instances (`--db postgres://…`; docs/deploy.md). Either way a report is on disk
//! before it is acknowledged and is stored once, whichever instance received it.
//!
//! The schema and the queries are written once, with `?N` placeholders (PostgreSQL's backend
//! turns them into `$N`); only the inserts differ: SQLite's per row, PostgreSQL's per batch.

mod postgres;
mod sqlite;

use std::collections::BTreeMap;
use std::path::PathBuf;

use reachcheck_core::report::Report;
use serde::Serialize;

/// Migrations, in order; entry N brings the schema from version N to N + 1. Plain SQL that
/// both engines read the same way.
const MIGRATIONS: &[&str] = &[
    "CREATE TABLE reports (
        report_id TEXT PRIMARY KEY,
        measurement_start_time TEXT NOT NULL,
        probe_cc TEXT NOT NULL,
        probe_asn TEXT NOT NULL,
        catalog_id TEXT NOT NULL,
        catalog_version TEXT NOT NULL,
        body TEXT NOT NULL
     );
     CREATE TABLE service_results (
        report_id TEXT NOT NULL REFERENCES reports(report_id),
        service_id TEXT NOT NULL,
        status TEXT NOT NULL,
        day TEXT NOT NULL,
        probe_cc TEXT NOT NULL,
        probe_asn TEXT NOT NULL
     );
     CREATE INDEX service_results_by_group ON service_results (service_id, probe_cc, probe_asn, day);",
    // How a blocked service was blocked (report format 4); NULL when not diagnosed.
    "ALTER TABLE service_results ADD COLUMN method TEXT;",
    // Network names from the ASN database, for the aggregates (the dashboard names networks).
    "CREATE TABLE networks (probe_asn TEXT PRIMARY KEY, name TEXT NOT NULL);",
];

/// The schema version a database has once opened (the number of migrations).
pub const SCHEMA_VERSION: usize = MIGRATIONS.len();

const COUNT_REPORTS: &str = "SELECT COUNT(*) FROM reports";
const GET_REPORT: &str = "SELECT body FROM reports WHERE report_id = ?1";
const NETWORK_NAMES: &str = "SELECT probe_asn, name FROM networks";
/// Names change rarely: a row is written only when its name did.
const NAME_NETWORK_CONFLICT: &str =
    "ON CONFLICT (probe_asn) DO UPDATE SET name = excluded.name WHERE networks.name <> excluded.name";

/// Where the reports live: `--db FILE` or `--db postgres://user@host:port/database`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    Sqlite(PathBuf),
    Postgres(String),
}

impl Location {
    pub fn parse(value: &str) -> Location {
        if value.starts_with("postgres://") || value.starts_with("postgresql://") {
            Location::Postgres(value.to_owned())
        } else {
            Location::Sqlite(value.into())
        }
    }

    /// For messages and the log: the file, or the URL without its password.
    pub fn describe(&self) -> String {
        match self {
            Location::Sqlite(path) => path.display().to_string(),
            Location::Postgres(url) => postgres::without_password(url),
        }
    }
}

impl From<&str> for Location {
    fn from(value: &str) -> Location {
        Location::parse(value)
    }
}

impl From<PathBuf> for Location {
    fn from(path: PathBuf) -> Location {
        Location::Sqlite(path)
    }
}

/// What storing a report did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stored {
    New,
    /// A report with this id was stored before; nothing changed.
    Duplicate,
}

/// A report ready to be stored: the text kept for it already made, so that the serialising is
/// done by the request (in parallel), not by the one writer thread (src/writer.rs).
pub struct Submission {
    /// With the collector's `probe_cc` / `probe_asn` set.
    pub report: Report,
    /// The report as stored and returned (`GET /v1/reports/<id>`).
    pub body: String,
    /// The name of its network, from the ASN database.
    pub network_name: Option<String>,
}

impl Submission {
    pub fn new(report: Report, network_name: Option<String>) -> Submission {
        Submission { body: report.to_json(), report, network_name }
    }
}

/// The rows of one report, as both engines store them.
struct ReportRows<'a> {
    report: [&'a str; 7],
    services: Vec<[Option<&'a str>; 7]>,
}

impl<'a> ReportRows<'a> {
    fn of(submission: &'a Submission) -> ReportRows<'a> {
        let report = &submission.report;
        let keys = &report.test_keys;
        let day = &report.measurement_start_time[..10];
        let services = keys
            .services
            .iter()
            .map(|service| {
                let endpoints =
                    keys.endpoints.iter().filter(|e| e.service_id.as_ref() == Some(&service.service_id));
                let method =
                    reachcheck_core::diagnosis::service_method(endpoints.filter_map(|e| e.verdict.method));
                [
                    Some(report.report_id.as_str()),
                    Some(service.service_id.as_str()),
                    Some(service.summary.status.as_str()),
                    Some(day),
                    Some(report.probe_cc.as_str()),
                    Some(report.probe_asn.as_str()),
                    method.map(|m| m.as_str()),
                ]
            })
            .collect();
        ReportRows {
            report: [
                &report.report_id,
                &report.measurement_start_time,
                &report.probe_cc,
                &report.probe_asn,
                &keys.catalog_id,
                &keys.catalog_version,
                &submission.body,
            ],
            services,
        }
    }
}

/// Which cells a query counts.
pub(crate) enum Cells<'a> {
    All,
    /// One network (country and ASN) on one day.
    Network {
        cc: &'a str,
        asn: &'a str,
        day: &'a str,
    },
}

impl Cells<'_> {
    /// The counting query and its values: one row per cell, verdict and method.
    fn query(&self) -> (String, Vec<&str>) {
        let (filter, values) = match self {
            Cells::All => ("1 = 1", vec![]),
            Cells::Network { cc, asn, day } => {
                ("probe_cc = ?1 AND probe_asn = ?2 AND day = ?3", vec![*cc, *asn, *day])
            }
        };
        let sql = format!(
            "SELECT service_id, probe_cc, probe_asn, day, status, method, COUNT(*) FROM service_results
             WHERE {filter}
             GROUP BY service_id, probe_cc, probe_asn, day, status, method
             ORDER BY day, service_id, probe_cc, probe_asn"
        );
        (sql, values)
    }
}

/// One row of the counting query.
struct CountRow {
    cell: [String; 4],
    status: String,
    method: Option<String>,
    count: u64,
}

/// What an engine does; [`Store`] adds what is the same for both.
trait Engine: Send {
    fn schema_version(&mut self) -> Result<usize, String>;
    /// Stores reports in one transaction — one commit, so one fsync, for all of them — with an
    /// outcome each, in their order. If the commit fails, every outcome is that error: nothing
    /// of the batch is on disk.
    /// `networks` (ASN, name; each ASN once, in order) are written in the same transaction.
    fn insert_batch(
        &mut self,
        reports: &[ReportRows],
        networks: &[(&str, &str)],
    ) -> Vec<Result<Stored, String>>;
    fn count(&mut self) -> Result<u64, String>;
    fn get(&mut self, report_id: &str) -> Result<Option<String>, String>;
    fn count_rows(&mut self, cells: &Cells) -> Result<Vec<CountRow>, String>;
    fn network_names(&mut self) -> Result<Vec<(String, String)>, String>;
}

/// A connection to the reports, on either engine.
pub struct Store {
    engine: Box<dyn Engine>,
}

/// One published cell: reports per verdict (and, for blocked services, per method) for one
/// service, country, network and day (docs/aggregates.md).
#[derive(Debug, PartialEq, Eq, Serialize)]
pub struct AggregateRow {
    pub service_id: String,
    pub probe_cc: String,
    pub probe_asn: String,
    pub day: String,
    /// Reports in the cell: the sum of `counts`.
    pub reports: u64,
    /// Per service status (`blocked`, `reachable`, ...).
    pub counts: BTreeMap<String, u64>,
    /// Per method (`dns`, `name`, `address`, `unknown`), for reports that diagnosed one.
    pub methods: BTreeMap<String, u64>,
}

/// The verdict and method columns of the CSV, in order (docs/aggregates.md).
pub const CSV_STATUSES: [&str; 7] =
    ["reachable", "slow", "throttled", "partial", "blocked", "relay_only", "inconclusive"];
pub const CSV_METHODS: [&str; 4] = ["dns", "name", "address", "unknown"];

impl AggregateRow {
    pub fn csv_header() -> String {
        let mut columns = ["service_id", "probe_cc", "probe_asn", "day", "reports"].join(",");
        for status in CSV_STATUSES {
            columns.push(',');
            columns.push_str(status);
        }
        for method in CSV_METHODS {
            columns.push_str(",method_");
            columns.push_str(method);
        }
        columns
    }

    /// One CSV line. Ids, codes and days hold no commas or quotes (the report format allows
    /// none there), so no field needs quoting.
    pub fn csv_line(&self) -> String {
        let count = |map: &BTreeMap<String, u64>, key: &str| map.get(key).copied().unwrap_or(0).to_string();
        let mut fields = vec![
            self.service_id.clone(),
            self.probe_cc.clone(),
            self.probe_asn.clone(),
            self.day.clone(),
            self.reports.to_string(),
        ];
        fields.extend(CSV_STATUSES.iter().map(|s| count(&self.counts, s)));
        fields.extend(CSV_METHODS.iter().map(|m| count(&self.methods, m)));
        fields.join(",")
    }
}

impl Store {
    /// Opens (creating, then migrating, as needed) the database at `location`.
    pub fn open(location: &Location) -> Result<Store, String> {
        let engine: Box<dyn Engine> = match location {
            Location::Sqlite(path) => Box::new(sqlite::Sqlite::open(path)?),
            Location::Postgres(url) => Box::new(postgres::Postgres::open(url)?),
        };
        Ok(Store { engine })
    }

    pub fn schema_version(&mut self) -> Result<usize, String> {
        self.engine.schema_version()
    }

    /// Stores reports in one commit (see [`Engine::insert_batch`]); outcomes in their order.
    pub fn insert_batch(&mut self, submissions: &[&Submission]) -> Vec<Result<Stored, String>> {
        // In id order (and networks in ASN order): two instances committing batches that share
        // rows then lock them in the same order, so neither waits for the other in a cycle.
        let mut order: Vec<usize> = (0..submissions.len()).collect();
        order.sort_by(|a, b| submissions[*a].report.report_id.cmp(&submissions[*b].report.report_id));
        let rows: Vec<ReportRows> = order.iter().map(|i| ReportRows::of(submissions[*i])).collect();
        let networks: BTreeMap<&str, &str> = submissions
            .iter()
            .filter_map(|s| Some((s.report.probe_asn.as_str(), s.network_name.as_deref()?)))
            .filter(|(asn, _)| *asn != reachcheck_core::report::UNKNOWN_ASN)
            .collect();
        let networks: Vec<(&str, &str)> = networks.into_iter().collect();
        let mut outcomes = vec![Ok(Stored::Duplicate); submissions.len()];
        for (index, outcome) in order.into_iter().zip(self.engine.insert_batch(&rows, &networks)) {
            outcomes[index] = outcome;
        }
        outcomes
    }

    /// Names of the networks reports came from, by ASN.
    pub fn network_names(&mut self) -> Result<BTreeMap<String, String>, String> {
        Ok(self.engine.network_names()?.into_iter().collect())
    }

    pub fn count(&mut self) -> Result<u64, String> {
        self.engine.count()
    }

    /// The stored report, as it is kept.
    pub fn get(&mut self, report_id: &str) -> Result<Option<String>, String> {
        self.engine.get(report_id)
    }

    /// Service × country × network × day → reports per verdict and method; cells with fewer
    /// than `min_cell` reports are left out (docs/aggregates.md, "Minimum cell size").
    pub fn aggregates(&mut self, min_cell: u64) -> Result<Vec<AggregateRow>, String> {
        self.cells(min_cell, &Cells::All)
    }

    /// The published cells of one network (country and ASN) on one day: what "others on your
    /// network saw" answers with.
    pub fn network_cells(
        &mut self,
        min_cell: u64,
        cc: &str,
        asn: &str,
        day: &str,
    ) -> Result<Vec<AggregateRow>, String> {
        self.cells(min_cell, &Cells::Network { cc, asn, day })
    }

    fn cells(&mut self, min_cell: u64, which: &Cells) -> Result<Vec<AggregateRow>, String> {
        let mut cells: Vec<AggregateRow> = Vec::new();
        // Rows arrive ordered by cell: a new cell starts where the key changes.
        for CountRow { cell, status, method, count } in self.engine.count_rows(which)? {
            let same = cells.last().is_some_and(|last| {
                [&last.service_id, &last.probe_cc, &last.probe_asn, &last.day]
                    == [&cell[0], &cell[1], &cell[2], &cell[3]]
            });
            if !same {
                let [service_id, probe_cc, probe_asn, day] = cell;
                cells.push(AggregateRow {
                    service_id,
                    probe_cc,
                    probe_asn,
                    day,
                    reports: 0,
                    counts: BTreeMap::new(),
                    methods: BTreeMap::new(),
                });
            }
            let Some(last) = cells.last_mut() else { continue };
            last.reports += count;
            *last.counts.entry(status).or_default() += count;
            if let Some(method) = method {
                *last.methods.entry(method).or_default() += count;
            }
        }
        cells.retain(|cell| cell.reports >= min_cell);
        Ok(cells)
    }
}

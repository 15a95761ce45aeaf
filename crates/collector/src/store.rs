//! SQLite storage: one file, WAL journal, `synchronous = FULL`, so a report is on disk before it
//! is acknowledged. Schema changes are numbered migrations (`PRAGMA user_version`).

use std::path::Path;

use reachcheck_core::report::Report;
use rusqlite::{params, Connection};
use std::collections::BTreeMap;

use serde::Serialize;

/// Migrations, in order; entry N brings the schema from version N to N + 1.
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
];

pub struct Store {
    connection: Connection,
}

/// What storing a report did.
#[derive(Debug, PartialEq, Eq)]
pub enum Stored {
    New,
    /// A report with this id was stored before; nothing changed.
    Duplicate,
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
    pub fn open(path: &Path) -> rusqlite::Result<Store> {
        let connection = Connection::open(path)?;
        connection.pragma_update(None, "journal_mode", "WAL")?;
        connection.pragma_update(None, "synchronous", "FULL")?;
        connection.pragma_update(None, "foreign_keys", "ON")?;
        connection.busy_timeout(std::time::Duration::from_secs(5))?;
        let mut store = Store { connection };
        store.migrate()?;
        Ok(store)
    }

    fn migrate(&mut self) -> rusqlite::Result<()> {
        let version: usize = self.connection.pragma_query_value(None, "user_version", |row| row.get(0))?;
        for (index, migration) in MIGRATIONS.iter().enumerate().skip(version) {
            let transaction = self.connection.transaction()?;
            transaction.execute_batch(migration)?;
            transaction.pragma_update(None, "user_version", index + 1)?;
            transaction.commit()?;
        }
        Ok(())
    }

    pub fn schema_version(&self) -> rusqlite::Result<usize> {
        self.connection.pragma_query_value(None, "user_version", |row| row.get(0))
    }

    /// Stores a report (with the collector's `probe_cc` / `probe_asn` already set), once.
    pub fn insert(&mut self, report: &Report) -> rusqlite::Result<Stored> {
        self.insert_batch(&[report]).pop().unwrap_or(Ok(Stored::Duplicate))
    }

    /// Stores reports in one transaction — one commit, so one fsync, for all of them — each
    /// within its own savepoint, so one that fails leaves the others stored. If the commit
    /// fails, every outcome is that error: nothing of the batch is on disk.
    pub fn insert_batch(&mut self, reports: &[&Report]) -> Vec<rusqlite::Result<Stored>> {
        let mut transaction = match self.connection.transaction() {
            Ok(transaction) => transaction,
            Err(err) => return reports.iter().map(|_| Err(clone_error(&err))).collect(),
        };
        let mut outcomes = Vec::with_capacity(reports.len());
        for report in reports {
            let outcome = transaction.savepoint().and_then(|savepoint| {
                let stored = insert_one(&savepoint, report)?;
                savepoint.commit()?;
                Ok(stored)
            });
            outcomes.push(outcome);
        }
        match transaction.commit() {
            Ok(()) => outcomes,
            Err(err) => reports.iter().map(|_| Err(clone_error(&err))).collect(),
        }
    }

    pub fn count(&self) -> rusqlite::Result<u64> {
        self.connection.query_row("SELECT COUNT(*) FROM reports", [], |row| row.get(0))
    }

    /// The stored report, as it is kept.
    pub fn get(&self, report_id: &str) -> rusqlite::Result<Option<String>> {
        let mut statement = self.connection.prepare("SELECT body FROM reports WHERE report_id = ?1")?;
        let mut rows = statement.query(params![report_id])?;
        rows.next()?.map(|row| row.get(0)).transpose()
    }

    /// Service × country × network × day → reports per verdict and method; cells with fewer
    /// than `min_cell` reports are left out (docs/aggregates.md, "Minimum cell size").
    pub fn aggregates(&self, min_cell: u64) -> rusqlite::Result<Vec<AggregateRow>> {
        self.cells(min_cell, "1 = 1", &[])
    }

    /// The published cells of one network (country and ASN) on one day: what "others on your
    /// network saw" answers with.
    pub fn network_cells(
        &self,
        min_cell: u64,
        cc: &str,
        asn: &str,
        day: &str,
    ) -> rusqlite::Result<Vec<AggregateRow>> {
        self.cells(min_cell, "probe_cc = ?1 AND probe_asn = ?2 AND day = ?3", &[cc, asn, day])
    }

    fn cells(&self, min_cell: u64, filter: &str, values: &[&str]) -> rusqlite::Result<Vec<AggregateRow>> {
        let mut statement = self.connection.prepare(&format!(
            "SELECT service_id, probe_cc, probe_asn, day, status, method, COUNT(*) FROM service_results
             WHERE {filter}
             GROUP BY service_id, probe_cc, probe_asn, day, status, method
             ORDER BY day, service_id, probe_cc, probe_asn"
        ))?;
        let mut rows: Vec<AggregateRow> = Vec::new();
        let mut query = statement.query(rusqlite::params_from_iter(values))?;
        while let Some(row) = query.next()? {
            let key: (String, String, String, String) = (row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?);
            let (status, method, count): (String, Option<String>, u64) =
                (row.get(4)?, row.get(5)?, row.get(6)?);
            let same = rows.last().is_some_and(|last| {
                (&last.service_id, &last.probe_cc, &last.probe_asn, &last.day)
                    == (&key.0, &key.1, &key.2, &key.3)
            });
            if !same {
                rows.push(AggregateRow {
                    service_id: key.0,
                    probe_cc: key.1,
                    probe_asn: key.2,
                    day: key.3,
                    reports: 0,
                    counts: BTreeMap::new(),
                    methods: BTreeMap::new(),
                });
            }
            let Some(cell) = rows.last_mut() else { continue };
            cell.reports += count;
            *cell.counts.entry(status).or_default() += count;
            if let Some(method) = method {
                *cell.methods.entry(method).or_default() += count;
            }
        }
        rows.retain(|cell| cell.reports >= min_cell);
        Ok(rows)
    }
}

/// rusqlite errors are not `Clone`; one failed commit is every report's error.
fn clone_error(err: &rusqlite::Error) -> rusqlite::Error {
    rusqlite::Error::ToSqlConversionFailure(err.to_string().into())
}

/// One report's rows, inside the batch's transaction.
fn insert_one(transaction: &Connection, report: &Report) -> rusqlite::Result<Stored> {
    // Cached statements: a batch inserts hundreds of rows, and SQLite would parse each SQL text
    // again for every one.
    let inserted = transaction
        .prepare_cached(
            "INSERT OR IGNORE INTO reports
           (report_id, measurement_start_time, probe_cc, probe_asn, catalog_id, catalog_version, body)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?
        .execute(params![
            report.report_id,
            report.measurement_start_time,
            report.probe_cc,
            report.probe_asn,
            report.test_keys.catalog_id,
            report.test_keys.catalog_version,
            report.to_json(),
        ])?;
    if inserted == 0 {
        return Ok(Stored::Duplicate);
    }
    let day = &report.measurement_start_time[..10];
    for service in &report.test_keys.services {
        let endpoints =
            report.test_keys.endpoints.iter().filter(|e| e.service_id.as_ref() == Some(&service.service_id));
        let method = reachcheck_core::diagnosis::service_method(endpoints.filter_map(|e| e.verdict.method));
        transaction.prepare_cached(
            "INSERT INTO service_results (report_id, service_id, status, day, probe_cc, probe_asn, method)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?.execute(
            params![
                report.report_id,
                service.service_id,
                service.summary.status.as_str(),
                day,
                report.probe_cc,
                report.probe_asn,
                method.map(|m| m.as_str()),
            ],
        )?;
    }
    Ok(Stored::New)
}

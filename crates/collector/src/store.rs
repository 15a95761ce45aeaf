//! SQLite storage: one file, WAL journal, `synchronous = FULL`, so a report is on disk before it
//! is acknowledged. Schema changes are numbered migrations (`PRAGMA user_version`).

use std::path::Path;

use reachcheck_core::report::Report;
use rusqlite::{params, Connection};
use serde::Serialize;

/// Migrations, in order; entry N brings the schema from version N to N + 1.
const MIGRATIONS: &[&str] = &["CREATE TABLE reports (
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
     CREATE INDEX service_results_by_group ON service_results (service_id, probe_cc, probe_asn, day);"];

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

/// Reports per verdict for one service, country, network and day.
#[derive(Debug, PartialEq, Eq, Serialize)]
pub struct AggregateRow {
    pub service_id: String,
    pub probe_cc: String,
    pub probe_asn: String,
    pub day: String,
    pub counts: std::collections::BTreeMap<String, u64>,
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
        let transaction = self.connection.transaction()?;
        let inserted = transaction.execute(
            "INSERT OR IGNORE INTO reports
               (report_id, measurement_start_time, probe_cc, probe_asn, catalog_id, catalog_version, body)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                report.report_id,
                report.measurement_start_time,
                report.probe_cc,
                report.probe_asn,
                report.test_keys.catalog_id,
                report.test_keys.catalog_version,
                report.to_json(),
            ],
        )?;
        if inserted == 0 {
            return Ok(Stored::Duplicate);
        }
        let day = &report.measurement_start_time[..10];
        for service in &report.test_keys.services {
            transaction.execute(
                "INSERT INTO service_results (report_id, service_id, status, day, probe_cc, probe_asn)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    report.report_id,
                    service.service_id,
                    service.summary.status.as_str(),
                    day,
                    report.probe_cc,
                    report.probe_asn
                ],
            )?;
        }
        transaction.commit()?;
        Ok(Stored::New)
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

    /// Service × country × network × day → reports per verdict.
    pub fn aggregates(&self) -> rusqlite::Result<Vec<AggregateRow>> {
        let mut statement = self.connection.prepare(
            "SELECT service_id, probe_cc, probe_asn, day, status, COUNT(*) FROM service_results
             GROUP BY service_id, probe_cc, probe_asn, day, status
             ORDER BY day, service_id, probe_cc, probe_asn, status",
        )?;
        let mut rows: Vec<AggregateRow> = Vec::new();
        let mut query = statement.query([])?;
        while let Some(row) = query.next()? {
            let key: (String, String, String, String) = (row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?);
            let (status, count): (String, u64) = (row.get(4)?, row.get(5)?);
            match rows.last_mut() {
                Some(last)
                    if (&last.service_id, &last.probe_cc, &last.probe_asn, &last.day)
                        == (&key.0, &key.1, &key.2, &key.3) =>
                {
                    last.counts.insert(status, count);
                }
                _ => rows.push(AggregateRow {
                    service_id: key.0,
                    probe_cc: key.1,
                    probe_asn: key.2,
                    day: key.3,
                    counts: [(status, count)].into(),
                }),
            }
        }
        Ok(rows)
    }
}

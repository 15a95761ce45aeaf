//! The embedded engine: one SQLite file, WAL journal, `synchronous = FULL`, so a committed batch
//! is on disk. The schema version is `PRAGMA user_version`.

use std::path::Path;
use std::time::{Duration, Instant};

use rusqlite::{params_from_iter, Connection, ErrorCode};

use super::{
    Cells, CountRow, Engine, ReportRows, Stored, COUNT_REPORTS, GET_REPORT, MIGRATIONS,
    NAME_NETWORK_CONFLICT, NETWORK_NAMES,
};

/// A report stored once: a second insert of its id (from this instance or another one on the
/// same database) changes nothing and reports 0 rows.
const INSERT_REPORT: &str = "INSERT INTO reports
       (report_id, measurement_start_time, probe_cc, probe_asn, catalog_id, catalog_version, body)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
     ON CONFLICT (report_id) DO NOTHING";
const INSERT_SERVICE: &str = "INSERT INTO service_results
       (report_id, service_id, status, day, probe_cc, probe_asn, method)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";

/// How long a connection waits for another's lock before it gives up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Switches the file to write-ahead logging. On a new file that takes its exclusive lock, and
/// when other collectors open the same new file at that moment SQLite answers "database is
/// locked" at once, without waiting out the busy timeout (a shared lock cannot wait to become
/// an exclusive one: that could deadlock): so the switch is tried again, for as long.
fn use_wal(connection: &Connection) -> rusqlite::Result<()> {
    let deadline = Instant::now() + BUSY_TIMEOUT;
    loop {
        match connection.pragma_update(None, "journal_mode", "WAL") {
            Err(err)
                if err.sqlite_error_code() == Some(ErrorCode::DatabaseBusy) && Instant::now() < deadline =>
            {
                std::thread::sleep(Duration::from_millis(10));
            }
            done => return done,
        }
    }
}

pub struct Sqlite {
    connection: Connection,
}

fn text(err: rusqlite::Error) -> String {
    err.to_string()
}

impl Sqlite {
    pub fn open(path: &Path) -> Result<Sqlite, String> {
        let at = |err: rusqlite::Error| format!("{}: {err}", path.display());
        let connection = Connection::open(path).map_err(at)?;
        connection.busy_timeout(BUSY_TIMEOUT).map_err(at)?;
        use_wal(&connection).map_err(at)?;
        connection.pragma_update(None, "synchronous", "FULL").map_err(at)?;
        connection.pragma_update(None, "foreign_keys", "ON").map_err(at)?;
        let mut sqlite = Sqlite { connection };
        sqlite.migrate().map_err(at)?;
        Ok(sqlite)
    }

    /// In one write transaction taken before the version is read: two connections opening a
    /// new file at once migrate one after the other, the second finding nothing left to do.
    fn migrate(&mut self) -> rusqlite::Result<()> {
        let transaction =
            self.connection.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let version: usize = transaction.pragma_query_value(None, "user_version", |row| row.get(0))?;
        if version >= MIGRATIONS.len() {
            return Ok(());
        }
        for migration in &MIGRATIONS[version..] {
            transaction.execute_batch(migration)?;
        }
        transaction.pragma_update(None, "user_version", MIGRATIONS.len())?;
        transaction.commit()
    }
}

/// One report's rows, inside the batch's transaction.
fn insert_one(connection: &Connection, rows: &ReportRows) -> rusqlite::Result<Stored> {
    // Cached statements: a batch inserts hundreds of rows, and SQLite would parse each SQL text
    // again for every one.
    if connection.prepare_cached(INSERT_REPORT)?.execute(params_from_iter(&rows.report))? == 0 {
        return Ok(Stored::Duplicate);
    }
    let mut insert_service = connection.prepare_cached(INSERT_SERVICE)?;
    for service in &rows.services {
        insert_service.execute(params_from_iter(service))?;
    }
    Ok(Stored::New)
}

fn name_networks(connection: &Connection, networks: &[(&str, &str)]) -> rusqlite::Result<()> {
    let sql = format!("INSERT INTO networks (probe_asn, name) VALUES (?1, ?2) {NAME_NETWORK_CONFLICT}");
    let mut statement = connection.prepare_cached(&sql)?;
    for (asn, name) in networks {
        statement.execute([asn, name])?;
    }
    Ok(())
}

impl Engine for Sqlite {
    fn schema_version(&mut self) -> Result<usize, String> {
        self.connection.pragma_query_value(None, "user_version", |row| row.get(0)).map_err(text)
    }

    fn insert_batch(
        &mut self,
        reports: &[ReportRows],
        networks: &[(&str, &str)],
    ) -> Vec<Result<Stored, String>> {
        let every = |err: rusqlite::Error| reports.iter().map(|_| Err(err.to_string())).collect();
        let mut transaction = match self.connection.transaction() {
            Ok(transaction) => transaction,
            Err(err) => return every(err),
        };
        let mut outcomes = Vec::with_capacity(reports.len());
        for rows in reports {
            let outcome = transaction.savepoint().and_then(|savepoint| {
                let stored = insert_one(&savepoint, rows)?;
                savepoint.commit()?;
                Ok(stored)
            });
            outcomes.push(outcome.map_err(text));
        }
        let named = name_networks(&transaction, networks);
        match named.and_then(|()| transaction.commit()) {
            Ok(()) => outcomes,
            Err(err) => every(err),
        }
    }

    fn count(&mut self) -> Result<u64, String> {
        self.connection.query_row(COUNT_REPORTS, [], |row| row.get(0)).map_err(text)
    }

    fn get(&mut self, report_id: &str) -> Result<Option<String>, String> {
        let mut statement = self.connection.prepare_cached(GET_REPORT).map_err(text)?;
        let mut rows = statement.query([report_id]).map_err(text)?;
        rows.next().map_err(text)?.map(|row| row.get(0)).transpose().map_err(text)
    }

    fn count_rows(&mut self, cells: &Cells) -> Result<Vec<CountRow>, String> {
        let (sql, values) = cells.query();
        let mut statement = self.connection.prepare(&sql).map_err(text)?;
        let rows = statement
            .query_map(params_from_iter(values), |row| {
                Ok(CountRow {
                    cell: [row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?],
                    status: row.get(4)?,
                    method: row.get(5)?,
                    count: row.get(6)?,
                })
            })
            .map_err(text)?;
        rows.collect::<rusqlite::Result<_>>().map_err(text)
    }

    fn network_names(&mut self) -> Result<Vec<(String, String)>, String> {
        let mut statement = self.connection.prepare_cached(NETWORK_NAMES).map_err(text)?;
        let rows = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?))).map_err(text)?;
        rows.collect::<rusqlite::Result<_>>().map_err(text)
    }
}

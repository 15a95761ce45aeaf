//! The shared engine: a PostgreSQL database that several collector instances write to. A
//! commit returns once PostgreSQL has flushed it (`synchronous_commit = on`, its default: keep
//! it). The schema version is a one-row table; instances that start together migrate one after
//! the other (an advisory lock held by the migrating transaction).

use postgres::types::ToSql;
use postgres::{Client, NoTls, Statement};

use std::collections::HashSet;

use super::{
    Cells, CountRow, Engine, ReportRows, Stored, COUNT_REPORTS, GET_REPORT, MIGRATIONS,
    NAME_NETWORK_CONFLICT, NETWORK_NAMES,
};

/// The batch statements: one array per column (src/store/mod.rs has the one-row forms).
const INSERT_REPORTS: &str = "INSERT INTO reports
       (report_id, measurement_start_time, probe_cc, probe_asn, catalog_id, catalog_version, body)
     SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
     ON CONFLICT (report_id) DO NOTHING
     RETURNING report_id";
const INSERT_SERVICES: &str = "INSERT INTO service_results
       (report_id, service_id, status, day, probe_cc, probe_asn, method)
     SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])";

/// The advisory lock key migrations hold (any number; this one spells nothing).
const MIGRATION_LOCK: i64 = 0x7265_6163_6863;

pub struct Postgres {
    url: String,
    connection: Option<Connection>,
}

/// A connection and its prepared statements (which belong to it).
struct Connection {
    client: Client,
    insert_report: Statement,
    insert_service: Statement,
    name_networks: Statement,
}

/// The SQL with PostgreSQL's placeholders: `?N` → `$N` (no `?` appears otherwise).
fn native(sql: &str) -> String {
    sql.replace('?', "$")
}

fn text(err: postgres::Error) -> String {
    // The source carries the server's message ("duplicate key …", "connection refused").
    match std::error::Error::source(&err) {
        Some(source) => format!("{err}: {source}"),
        None => err.to_string(),
    }
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`, for messages and logs.
pub fn without_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_owned() };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    match rest[..authority_end].rsplit_once('@') {
        Some((userinfo, host)) if userinfo.contains(':') => {
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{scheme}://{user}:***@{host}{}", &rest[authority_end..])
        }
        _ => url.to_owned(),
    }
}

impl Postgres {
    pub fn open(url: &str) -> Result<Postgres, String> {
        let mut postgres = Postgres { url: url.to_owned(), connection: None };
        postgres.connection().map_err(|err| format!("{}: {err}", without_password(url)))?;
        Ok(postgres)
    }

    /// The open connection, made again if the server closed it (a restart, a failover).
    fn connection(&mut self) -> Result<&mut Connection, String> {
        if self.connection.as_ref().is_some_and(|c| c.client.is_closed()) {
            self.connection = None;
        }
        let connection = match self.connection.take() {
            Some(connection) => connection,
            None => connect(&self.url)?,
        };
        Ok(self.connection.insert(connection))
    }
}

impl Postgres {
    /// Runs a read; if the server closed the connection meanwhile (a restart), once more on a
    /// new one. Reads change nothing, so running one again is safe. (A batch is not run again
    /// here: its clients get the error and send their reports again.)
    fn read<T>(&mut self, query: impl Fn(&mut Client) -> Result<T, postgres::Error>) -> Result<T, String> {
        match query(&mut self.connection()?.client) {
            Err(err) if self.connection.as_ref().is_some_and(|c| c.client.is_closed()) => {
                crate::log::event("database_reconnect", &[("error", text(err).into())]);
                query(&mut self.connection()?.client).map_err(text)
            }
            result => result.map_err(text),
        }
    }
}

fn connect(url: &str) -> Result<Connection, String> {
    let mut client = Client::connect(url, NoTls).map_err(text)?;
    migrate(&mut client).map_err(text)?;
    let insert_report = client.prepare(INSERT_REPORTS).map_err(text)?;
    let insert_service = client.prepare(INSERT_SERVICES).map_err(text)?;
    let name_networks = client
        .prepare(&format!(
            "INSERT INTO networks (probe_asn, name) SELECT * FROM UNNEST($1::text[], $2::text[]) {NAME_NETWORK_CONFLICT}"
        ))
        .map_err(text)?;
    Ok(Connection { client, insert_report, insert_service, name_networks })
}

fn migrate(client: &mut Client) -> Result<(), postgres::Error> {
    let mut transaction = client.transaction()?;
    transaction.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])?;
    transaction.batch_execute("CREATE TABLE IF NOT EXISTS reachcheck_schema (version INTEGER NOT NULL)")?;
    let version = match transaction.query_opt("SELECT version FROM reachcheck_schema", &[])? {
        Some(row) => row.get::<_, i32>(0) as usize,
        None => {
            transaction.execute("INSERT INTO reachcheck_schema (version) VALUES (0)", &[])?;
            0
        }
    };
    for migration in MIGRATIONS.iter().skip(version) {
        transaction.batch_execute(migration)?;
    }
    let latest = MIGRATIONS.len().max(version) as i32;
    transaction.execute("UPDATE reachcheck_schema SET version = $1", &[&latest])?;
    transaction.commit()
}

fn values<T: ToSql + Sync>(row: &[T]) -> Vec<&(dyn ToSql + Sync)> {
    row.iter().map(|value| value as &(dyn ToSql + Sync)).collect()
}

/// A batch in two statements, whatever its size: the reports (one array per column; those
/// already stored are skipped and not returned), then the service rows of the new ones. A round
/// trip per row would cap one instance at a few hundred reports a second. Nothing in a report
/// that parsed can fail one row alone (a NUL, which a PostgreSQL text cannot hold, is refused by
/// `Report::parse`), so the batch commits or fails whole.
fn insert_all(
    transaction: &mut postgres::Transaction,
    statements: (&Statement, &Statement),
    reports: &[ReportRows],
) -> Result<Vec<Stored>, postgres::Error> {
    let columns: Vec<Vec<&str>> =
        (0..7).map(|column| reports.iter().map(|rows| rows.report[column]).collect()).collect();
    let mut new: HashSet<String> =
        transaction.query(statements.0, &values(&columns))?.into_iter().map(|row| row.get(0)).collect();
    // A report sent twice in one batch: its first copy is the new one.
    let outcomes: Vec<Stored> = reports
        .iter()
        .map(|rows| if new.remove(rows.report[0]) { Stored::New } else { Stored::Duplicate })
        .collect();
    let stored = reports.iter().zip(&outcomes).filter(|(_, outcome)| **outcome == Stored::New);
    let service_rows: Vec<&[Option<&str>; 7]> = stored.flat_map(|(rows, _)| &rows.services).collect();
    let columns: Vec<Vec<Option<&str>>> =
        (0..7).map(|column| service_rows.iter().map(|row| row[column]).collect()).collect();
    transaction.execute(statements.1, &values(&columns))?;
    Ok(outcomes)
}

impl Engine for Postgres {
    fn schema_version(&mut self) -> Result<usize, String> {
        let row = self.read(|client| client.query_one("SELECT version FROM reachcheck_schema", &[]))?;
        Ok(row.get::<_, i32>(0) as usize)
    }

    fn insert_batch(
        &mut self,
        reports: &[ReportRows],
        networks: &[(&str, &str)],
    ) -> Vec<Result<Stored, String>> {
        let every = |err: String| reports.iter().map(|_| Err(err.clone())).collect();
        let connection = match self.connection() {
            Ok(connection) => connection,
            Err(err) => return every(err),
        };
        let statements = (&connection.insert_report, &connection.insert_service);
        let name_networks = &connection.name_networks;
        let mut transaction = match connection.client.transaction() {
            Ok(transaction) => transaction,
            Err(err) => return every(text(err)),
        };
        match insert_all(&mut transaction, statements, reports).and_then(|outcomes| {
            // Each ASN once (Store::insert_batch): one statement may not update a row twice.
            let asns: Vec<&str> = networks.iter().map(|(asn, _)| *asn).collect();
            let names: Vec<&str> = networks.iter().map(|(_, name)| *name).collect();
            if !networks.is_empty() {
                transaction.execute(name_networks, &[&asns, &names])?;
            }
            transaction.commit()?;
            Ok(outcomes)
        }) {
            Ok(outcomes) => outcomes.into_iter().map(Ok).collect(),
            Err(err) => every(text(err)),
        }
    }

    fn count(&mut self) -> Result<u64, String> {
        let row = self.read(|client| client.query_one(COUNT_REPORTS, &[]))?;
        Ok(row.get::<_, i64>(0) as u64)
    }

    fn get(&mut self, report_id: &str) -> Result<Option<String>, String> {
        let row = self.read(|client| client.query_opt(&native(GET_REPORT), &[&report_id]))?;
        Ok(row.map(|row| row.get(0)))
    }

    fn network_names(&mut self) -> Result<Vec<(String, String)>, String> {
        let rows = self.read(|client| client.query(NETWORK_NAMES, &[]))?;
        Ok(rows.into_iter().map(|row| (row.get(0), row.get(1))).collect())
    }

    fn count_rows(&mut self, cells: &Cells) -> Result<Vec<CountRow>, String> {
        let (sql, parameters) = cells.query();
        let rows = self.read(|client| client.query(&native(&sql), &values(&parameters)))?;
        Ok(rows
            .into_iter()
            .map(|row| CountRow {
                cell: [row.get(0), row.get(1), row.get(2), row.get(3)],
                status: row.get(4),
                method: row.get(5),
                count: row.get::<_, i64>(6) as u64,
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_stay_out_of_messages() {
        assert_eq!(
            without_password("postgres://rc:s3cret@db.internal:5432/reports"),
            "postgres://rc:***@db.internal:5432/reports"
        );
        assert_eq!(without_password("postgres://rc@db/reports"), "postgres://rc@db/reports");
        assert_eq!(without_password("postgresql://db/reports"), "postgresql://db/reports");
    }

    #[test]
    fn placeholders_become_native() {
        assert_eq!(native("a = ?1 AND b = ?2"), "a = $1 AND b = $2");
    }
}

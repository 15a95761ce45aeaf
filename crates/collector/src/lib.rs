//! reachcheck-collector: receives opted-in reports, stores each durably once, derives country
//! and network from the connecting address and then forgets the address, and publishes
//! aggregates as static JSON. docs/deploy.md describes running it.

pub mod geo;
pub mod limit;
pub mod log;
pub mod publish;
pub mod routes;
pub mod store;
pub mod throwaway;
pub mod writer;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How the collector runs.
#[derive(Clone, Debug)]
pub struct Config {
    pub addr: String,
    /// A SQLite file, or a PostgreSQL URL shared with other instances (docs/deploy.md).
    pub db: store::Location,
    /// MaxMind-format country database (e.g. GeoLite2-Country.mmdb).
    pub geoip: Option<PathBuf>,
    /// MaxMind-format ASN database (e.g. GeoLite2-ASN.mmdb).
    pub geoip_asn: Option<PathBuf>,
    pub publish_dir: Option<PathBuf>,
    pub publish_interval: Duration,
    /// Reports accepted per address per minute.
    pub rate_per_minute: u32,
    /// Aggregate cells with fewer reports are not published (docs/aggregates.md).
    pub min_cell: u64,
}

/// The default minimum cell size: below it a cell could single out a few visitors.
pub const MIN_CELL: u64 = 10;

impl Config {
    pub fn new(addr: &str, db: impl Into<store::Location>) -> Config {
        Config {
            addr: addr.to_owned(),
            db: db.into(),
            geoip: None,
            geoip_asn: None,
            publish_dir: None,
            publish_interval: Duration::from_secs(60),
            rate_per_minute: 30,
            min_cell: MIN_CELL,
        }
    }
}

/// What the handlers share.
#[derive(Clone)]
pub struct AppState {
    /// The reading connection (reports by id, counts, aggregates); writes go through `writer`.
    pub store: Arc<Mutex<store::Store>>,
    pub writer: writer::Writer,
    pub min_cell: u64,
    /// How many times a page asked for its network's context (`GET /v1/network`): a count,
    /// nothing about who asked.
    pub network_lookups: Arc<std::sync::atomic::AtomicU64>,
    pub geo: Arc<geo::Geo>,
    pub limiter: Arc<limit::RateLimiter>,
}

impl AppState {
    /// The reading connection.
    pub fn store(&self) -> std::sync::MutexGuard<'_, store::Store> {
        self.store.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Runs `work` (which reads the database) off the async workers: a query blocks, and the
    /// PostgreSQL client runs a runtime of its own that must not start on them.
    pub async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce(&AppState) -> Result<T, String> + Send + 'static,
    ) -> Result<T, String> {
        let state = self.clone();
        tokio::task::spawn_blocking(move || work(&state)).await.map_err(|err| err.to_string())?
    }
}

/// A started collector: its address and a handle to stop it gracefully.
pub struct Running {
    pub addr: SocketAddr,
    pub state: AppState,
    shutdown: tokio::sync::watch::Sender<bool>,
    server: tokio::task::JoinHandle<()>,
    publisher: Option<tokio::task::JoinHandle<()>>,
}

impl Running {
    /// Stops accepting, finishes requests in flight, publishes once more.
    pub async fn shutdown(self) {
        let _ = self.shutdown.send(true);
        let _ = self.server.await;
        if let Some(publisher) = self.publisher {
            let _ = publisher.await;
        }
        // The last reader connection closes off the async workers: a PostgreSQL client blocks
        // (and drops a runtime of its own) when it closes.
        let state = self.state;
        let _ = tokio::task::spawn_blocking(move || drop(state)).await;
    }
}

pub async fn start(config: Config) -> Result<Running, String> {
    // Two connections: the writer's and the readers' (WAL lets both work at once on SQLite).
    // Opened off the async workers, like every query (AppState::blocking).
    let location = config.db.clone();
    let (store, writing) = tokio::task::spawn_blocking(move || {
        let open = || store::Store::open(&location);
        Ok::<_, String>((open()?, open()?))
    })
    .await
    .map_err(|err| err.to_string())??;
    let writer = writer::Writer::start(writing).map_err(|err| format!("the writer thread: {err}"))?;
    let geo = geo::Geo::open(config.geoip.as_deref(), config.geoip_asn.as_deref())?;
    let state = AppState {
        store: Arc::new(Mutex::new(store)),
        writer,
        min_cell: config.min_cell,
        network_lookups: Arc::default(),
        geo: Arc::new(geo),
        limiter: Arc::new(limit::RateLimiter::new(config.rate_per_minute)),
    };
    let listener =
        tokio::net::TcpListener::bind(&config.addr).await.map_err(|err| format!("{}: {err}", config.addr))?;
    let addr = listener.local_addr().map_err(|err| err.to_string())?;
    let (shutdown, mut stopped) = tokio::sync::watch::channel(false);
    let app = routes::router(state.clone()).into_make_service_with_connect_info::<SocketAddr>();
    let publisher = config.publish_dir.clone().map(|dir| {
        tokio::spawn(publish::every(state.clone(), dir, config.publish_interval, stopped.clone()))
    });
    let server = tokio::spawn(async move {
        let graceful = axum::serve(listener, app).with_graceful_shutdown(async move {
            let _ = stopped.wait_for(|stop| *stop).await;
        });
        if let Err(err) = graceful.await {
            log::event("server_error", &[("error", err.to_string().into())]);
        }
    });
    Ok(Running { addr, state, shutdown, server, publisher })
}

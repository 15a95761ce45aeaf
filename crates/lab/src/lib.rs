//! reachcheck-lab: a local server whose endpoints behave like the networks reachcheck has to
//! judge — answering, slow, blackholed, reset, refused, throttled, frozen mid-transfer — so the
//! verdict rules can be proven in a real browser. docs/lab.md describes every condition.
//!
//! It only ever binds the address it is given (loopback by default).

pub mod catalog;
pub mod condition;
mod hits;
pub mod middlebox;
pub mod mirror;
mod raw;
pub mod routes;
pub mod stun;
mod stun_message;
pub mod turn;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

pub use hits::HitCounter;
use tokio::net::{TcpListener, TcpSocket};

/// The address the lab listens on when none is given; the browser tests use it when
/// `REACHCHECK_LAB` is unset (for example under a bare `wasm-pack test`).
pub const DEFAULT_ADDR: &str = "127.0.0.1:7357";
/// How late the lab's delayed STUN server answers.
pub const STUN_DELAY_MS: u64 = 200;

/// What the lab's handlers share.
#[derive(Clone)]
pub struct LabState {
    pub hits: HitCounter,
    pub gauge: Gauge,
    pub addr: SocketAddr,
    /// A port that is bound but never listens: connections to it are refused (RST).
    pub refused_port: u16,
    /// A second listening port with the same endpoints. Chromium lets only one WebSocket per
    /// IP:port be *connecting*, so a blackholed WebSocket must live on another port than the
    /// WebSockets that should open (all `*.localhost` names are the same IP).
    pub alt_port: u16,
    /// Ports where a middlebox freezes each connection after `middlebox::FREEZE_BYTES`: counted
    /// both ways, or upstream only.
    pub freeze_port: u16,
    pub upload_freeze_port: u16,
    /// A port where every connection is accepted and never answered (an address that is cut).
    pub blackhole_port: u16,
    pub stun: stun::StunPorts,
    /// Rings when the lab's "network" changes: every `hang` connection is reset at that instant.
    pub network_change: Arc<tokio::sync::Notify>,
}

/// Where a lab's endpoints are, for its catalog.
#[derive(Clone, Copy, Debug)]
pub struct Ports {
    pub addr: SocketAddr,
    pub refused: u16,
    pub alt: u16,
    pub freeze: u16,
    pub upload_freeze: u16,
    pub blackhole: u16,
    pub stun: stun::StunPorts,
}

impl LabState {
    pub fn ports(&self) -> Ports {
        Ports {
            addr: self.addr,
            refused: self.refused_port,
            alt: self.alt_port,
            freeze: self.freeze_port,
            upload_freeze: self.upload_freeze_port,
            blackhole: self.blackhole_port,
            stun: self.stun,
        }
    }
}

/// A running lab.
pub struct Lab {
    pub addr: SocketAddr,
    pub hits: HitCounter,
    pub gauge: Gauge,
    pub refused_port: u16,
    pub alt_port: u16,
    pub ports: Ports,
    pub stun: stun::StunPorts,
    pub network_change: Arc<tokio::sync::Notify>,
    /// Keeps the refused port reserved while the lab runs.
    _refused: TcpSocket,
}

/// Requests being handled right now, and the most there ever were at once.
#[derive(Clone, Default)]
pub struct Gauge(Arc<(AtomicUsize, AtomicUsize)>);

impl Gauge {
    /// Counts a request in until the returned guard is dropped.
    pub fn enter(&self) -> GaugeGuard {
        let now = self.0 .0.fetch_add(1, Ordering::SeqCst) + 1;
        self.0 .1.fetch_max(now, Ordering::SeqCst);
        GaugeGuard(self.clone())
    }

    pub fn current(&self) -> usize {
        self.0 .0.load(Ordering::SeqCst)
    }

    pub fn peak(&self) -> usize {
        self.0 .1.load(Ordering::SeqCst)
    }

    /// Starts a new peak measurement from the current level.
    pub fn reset_peak(&self) {
        self.0 .1.store(self.current(), Ordering::SeqCst);
    }
}

pub struct GaugeGuard(Gauge);

impl Drop for GaugeGuard {
    fn drop(&mut self) {
        self.0 .0 .0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Binds `addr` and serves the lab until the returned task is dropped or the process ends.
pub async fn start(addr: &str) -> std::io::Result<(Lab, tokio::task::JoinHandle<()>)> {
    let listener = TcpListener::bind(addr).await?;
    let addr = listener.local_addr()?;
    let refused = refused_socket(addr)?;
    let alt_listener = TcpListener::bind(SocketAddr::new(addr.ip(), 0)).await?;
    let freeze_listener = TcpListener::bind(SocketAddr::new(addr.ip(), 0)).await?;
    let upload_freeze_listener = TcpListener::bind(SocketAddr::new(addr.ip(), 0)).await?;
    let blackhole_listener = TcpListener::bind(SocketAddr::new(addr.ip(), 0)).await?;
    let turn_tcp = turn::start(addr.ip()).await?;
    let stun = stun::start(addr.ip(), STUN_DELAY_MS, turn_tcp).await?;
    let state = LabState {
        hits: HitCounter::default(),
        gauge: Gauge::default(),
        addr,
        refused_port: refused.local_addr()?.port(),
        alt_port: alt_listener.local_addr()?.port(),
        freeze_port: freeze_listener.local_addr()?.port(),
        upload_freeze_port: upload_freeze_listener.local_addr()?.port(),
        blackhole_port: blackhole_listener.local_addr()?.port(),
        stun,
        network_change: Arc::default(),
    };
    let lab = Lab {
        addr,
        hits: state.hits.clone(),
        gauge: state.gauge.clone(),
        refused_port: state.refused_port,
        alt_port: state.alt_port,
        ports: state.ports(),
        stun,
        network_change: state.network_change.clone(),
        _refused: refused,
    };
    tokio::spawn(raw::accept_loop(alt_listener, state.clone()));
    tokio::spawn(raw::blackhole_accept_loop(blackhole_listener, state.clone()));
    tokio::spawn(raw::freezing_accept_loop(freeze_listener, state.clone(), middlebox::Counted::BothWays));
    tokio::spawn(raw::freezing_accept_loop(
        upload_freeze_listener,
        state.clone(),
        middlebox::Counted::Upstream,
    ));
    let task = tokio::spawn(raw::accept_loop(listener, state));
    Ok((lab, task))
}

fn refused_socket(addr: SocketAddr) -> std::io::Result<TcpSocket> {
    let socket = if addr.is_ipv4() { TcpSocket::new_v4()? } else { TcpSocket::new_v6()? };
    socket.bind(SocketAddr::new(addr.ip(), 0))?;
    Ok(socket)
}

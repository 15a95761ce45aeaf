//! Runs a whole catalog: every endpoint concurrently within `reachcheck-core`'s scheduling caps,
//! reporting each start and result as it happens, until done or cancelled.

use std::cell::RefCell;
use std::rc::Rc;

use futures::channel::oneshot;
use futures::future::{select, Either};
use futures::stream::{FuturesUnordered, StreamExt};
use reachcheck_core::catalog::{Catalog, Endpoint};
use reachcheck_core::measurement::{Measurement, Obstacle};
use reachcheck_core::schedule::{Scheduler, MAX_IN_FLIGHT, MAX_PER_HOST};
use wasm_bindgen::prelude::*;
use web_sys::SecurityPolicyViolationEvent;

use super::{measure, now_ms, sleep_ms};

#[derive(Clone, Debug, PartialEq)]
pub enum RunEvent {
    Started(String),
    Finished(Measurement),
    /// The browser reported a change of network, this many ms after the run began.
    NetworkChanged(f64),
}

/// What the scheduler saw, for tests and benchmarks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RunStats {
    pub peak_in_flight: usize,
    pub peak_per_host: usize,
    pub cancelled: bool,
}

/// Cancels a run when `cancel()` is called or the handle is dropped.
pub struct CancelHandle(Option<oneshot::Sender<()>>);

impl CancelHandle {
    pub fn new() -> (CancelHandle, oneshot::Receiver<()>) {
        let (sender, receiver) = oneshot::channel();
        (CancelHandle(Some(sender)), receiver)
    }

    pub fn cancel(&mut self) {
        if let Some(sender) = self.0.take() {
            let _ = sender.send(());
        }
    }
}

/// Probes every endpoint of `catalog` (controls first, then the services in turns). Probes still
/// in flight when `cancel` fires are dropped, which aborts their requests.
/// Room in the Resource Timing buffer (250 entries by default, after which the browser drops new
/// ones) for every attempt of the run: download probes and failure timings read their entries.
fn make_room_for_timings(catalog: &Catalog) {
    let Some(performance) = web_sys::window().and_then(|w| w.performance()) else { return };
    let attempts: usize = catalog.probe_order().iter().map(|e| usize::from(e.samples()) * 2).sum();
    performance.clear_resource_timings();
    performance.set_resource_timing_buffer_size(attempts.max(250) as u32 + 50);
}

pub async fn run(
    catalog: &Catalog,
    mut on_event: impl FnMut(RunEvent),
    cancel: oneshot::Receiver<()>,
) -> RunStats {
    let csp = CspWatcher::start();
    make_room_for_timings(catalog);
    let run_start = now_ms();
    let network = NetworkWatcher::start(run_start);
    let mut scheduler = Scheduler::new(MAX_IN_FLIGHT, MAX_PER_HOST);
    for endpoint in catalog.probe_order() {
        let host = endpoint.target().map(|t| t.host_key()).unwrap_or_else(|_| endpoint.url.clone());
        scheduler.push(host, endpoint);
    }
    let mut stats = RunStats::default();
    let mut running = FuturesUnordered::new();
    let mut cancel = cancel;
    loop {
        while let Some((host, endpoint)) = scheduler.next_ready() {
            stats.peak_per_host = stats.peak_per_host.max(scheduler.in_flight_to(&host));
            on_event(RunEvent::Started(endpoint.id.clone()));
            running.push(probe(endpoint, host, &csp, run_start));
        }
        stats.peak_in_flight = scheduler.peak_in_flight();
        if running.is_empty() {
            break;
        }
        match select(running.next(), &mut cancel).await {
            Either::Left((Some((host, measurement)), _)) => {
                scheduler.finished(&host);
                // Report a change first, so the result it explains is judged knowing of it.
                network.drain().into_iter().for_each(|ms| on_event(RunEvent::NetworkChanged(ms)));
                on_event(RunEvent::Finished(measurement));
            }
            Either::Left((None, _)) => break,
            // Cancelled (or the handle was dropped): stop starting, drop what runs.
            Either::Right(_) => {
                scheduler.clear_queue();
                stats.cancelled = true;
                break;
            }
        }
    }
    network.drain().into_iter().for_each(|ms| on_event(RunEvent::NetworkChanged(ms)));
    stats
}

async fn probe(endpoint: &Endpoint, host: String, csp: &CspWatcher, run_start: f64) -> (String, Measurement) {
    let mut measurement = measure(endpoint, run_start).await;
    if !measurement.reached() && measurement.obstacle.is_none() {
        // The violation event is queued as a task; let it arrive before looking.
        sleep_ms(0.0).await;
        if csp.blocked(&endpoint.url) {
            measurement.obstacle = Some(Obstacle::ContentSecurityPolicy);
        }
    }
    (host, measurement)
}

/// Collects `securitypolicyviolation` events: positive evidence that the page's own
/// Content-Security-Policy, not the network, stopped a probe.
struct CspWatcher {
    blocked: Rc<RefCell<Vec<String>>>,
    listener: Option<Closure<dyn FnMut(SecurityPolicyViolationEvent)>>,
}

impl CspWatcher {
    fn start() -> CspWatcher {
        let blocked = Rc::new(RefCell::new(Vec::new()));
        let listener = Closure::<dyn FnMut(SecurityPolicyViolationEvent)>::new({
            let blocked = blocked.clone();
            move |event: SecurityPolicyViolationEvent| blocked.borrow_mut().push(event.blocked_uri())
        });
        let document = web_sys::window().and_then(|w| w.document());
        let added = document.is_some_and(|d| {
            d.add_event_listener_with_callback("securitypolicyviolation", listener.as_ref().unchecked_ref())
                .is_ok()
        });
        CspWatcher { blocked, listener: added.then_some(listener) }
    }

    /// Whether a violation named this URL (browsers may report only its origin).
    fn blocked(&self, url: &str) -> bool {
        let url = url.split(['?', '#']).next().unwrap_or(url);
        self.blocked
            .borrow()
            .iter()
            .any(|uri| !uri.is_empty() && (url.starts_with(uri.as_str()) || uri.starts_with(url)))
    }
}

impl Drop for CspWatcher {
    fn drop(&mut self) {
        if let (Some(listener), Some(document)) =
            (&self.listener, web_sys::window().and_then(|w| w.document()))
        {
            let _ = document.remove_event_listener_with_callback(
                "securitypolicyviolation",
                listener.as_ref().unchecked_ref(),
            );
        }
    }
}

/// Listens for what the browser says about its network during a run: `online` / `offline` on
/// the window and `change` on `navigator.connection` (Chromium's Network Information API). A
/// change fails every request in flight exactly like a reset (docs/verdicts.md).
struct NetworkWatcher {
    changes: Rc<RefCell<Vec<f64>>>,
    listeners: Vec<Listener>,
}

/// An event listener to remove again: the target, the event name and the callback.
type Listener = (web_sys::EventTarget, &'static str, Closure<dyn FnMut()>);

impl NetworkWatcher {
    fn start(run_start: f64) -> NetworkWatcher {
        let changes = Rc::new(RefCell::new(Vec::new()));
        let mut watcher = NetworkWatcher { changes, listeners: Vec::new() };
        let Some(window) = web_sys::window() else { return watcher };
        let connection = js_sys::Reflect::get(&window.navigator(), &"connection".into())
            .ok()
            .and_then(|c| c.dyn_into::<web_sys::EventTarget>().ok());
        let window: web_sys::EventTarget = window.into();
        let targets = [(Some(window.clone()), "online"), (Some(window), "offline"), (connection, "change")];
        for (target, event) in targets {
            let Some(target) = target else { continue };
            let changes = watcher.changes.clone();
            let listener =
                Closure::<dyn FnMut()>::new(move || changes.borrow_mut().push(now_ms() - run_start));
            if target.add_event_listener_with_callback(event, listener.as_ref().unchecked_ref()).is_ok() {
                watcher.listeners.push((target, event, listener));
            }
        }
        watcher
    }

    /// The changes seen since the last call, in ms since the run began.
    fn drain(&self) -> Vec<f64> {
        std::mem::take(&mut *self.changes.borrow_mut())
    }
}

impl Drop for NetworkWatcher {
    fn drop(&mut self) {
        for (target, event, listener) in &self.listeners {
            let _ = target.remove_event_listener_with_callback(event, listener.as_ref().unchecked_ref());
        }
    }
}

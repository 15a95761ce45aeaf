//! The run lifecycle as a pure state machine: consent → probes → judge → history → report.
//!
//! Events come in ([`Event`]: what the visitor did, what a probe saw, what a file said); the
//! model changes and returns what the shell must do ([`Effect`]: start or stop the probes, save
//! the history, let the outbox send). The shell (src/) only carries effects out and feeds their
//! results back as events, so every rule here is tested on the host (tests in `run/tests.rs`).

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use crate::attribution::Circumstances;
use crate::baseline::Baseline;
use crate::catalog::Catalog;
use crate::diagnosis::{Diagnosis, Plan};
use crate::evaluate::Evaluation;
use crate::history::Entry;
use crate::measurement::Measurement;
use crate::problem::LoadError;
use crate::report::{Report, ReportContext};
use crate::results::RunResults;
use crate::verdict::Connection;

/// How many runs the history keeps.
pub const HISTORY_LIMIT: usize = 20;

/// Where the catalog stands.
#[derive(Clone, Debug, PartialEq)]
pub enum CatalogState {
    Loading,
    Ready(Rc<Catalog>),
    /// The catalog could not be loaded; the error says where and why.
    Failed(LoadError),
}

/// A loaded catalog and its optional baseline (docs/catalog.md, "Keeping a catalog honest").
#[derive(Clone, Debug, PartialEq)]
pub struct CatalogFiles {
    pub catalog: Catalog,
    /// `Ok(None)`: the catalog has no baseline (which changes nothing); `Err`: it has one that
    /// could not be read, and failures are judged without it.
    pub baseline: Result<Option<Baseline>, LoadError>,
}

impl From<Catalog> for CatalogFiles {
    fn from(catalog: Catalog) -> CatalogFiles {
        CatalogFiles { catalog, baseline: Ok(None) }
    }
}

/// Where the run stands; `data-run-state` on the page (docs/automation.md lists the values).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    Idle,
    /// Waiting for the visitor's informed consent.
    Consent,
    Running,
    Done,
}

impl Phase {
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Idle => "idle",
            Phase::Consent => "consent",
            Phase::Running => "running",
            Phase::Done => "done",
        }
    }
}

/// What only the shell knows about a finished run, added to its report (docs/report-format.md
/// allows nothing else): a random id, the hour, the browser family.
#[derive(Clone, Debug, PartialEq)]
pub struct ReportStamp {
    pub report_id: String,
    pub software_version: &'static str,
    pub measurement_start_time: String,
    pub browser: String,
}

// A loaded catalog is the large variant; an event is moved once into `update`, so boxing it
// would only add an allocation.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    CatalogLoaded(Result<CatalogFiles, LoadError>),
    /// Stored runs, newest first; `ignored`: some could not be read and were dropped.
    HistoryLoaded {
        runs: Vec<Entry>,
        ignored: bool,
    },
    ClearHistory,
    /// The page has loaded: reports queued on earlier visits may be sent.
    PageLoaded,
    /// The visitor pressed Start (or Run again): ask for consent unless given in this page.
    Start,
    Consent,
    DeclineConsent,
    Cancel,
    ProbeStarted {
        run: u64,
        endpoint: String,
    },
    ProbeFinished {
        run: u64,
        measurement: Measurement,
    },
    /// The browser reported a change of network this many ms into the run.
    NetworkChanged {
        run: u64,
        at_ms: f64,
    },
    /// Every probe of the run has ended (or was stopped).
    ProbesEnded {
        run: u64,
        cancelled: bool,
        stamp: ReportStamp,
    },
    /// The follow-up probes of one [`Effect::Diagnose`] have ended (or were stopped).
    Diagnosed {
        run: u64,
        diagnoses: Vec<Diagnosis>,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    /// Probe the catalog's endpoints (in [`Catalog::probe_order`]); report back with `run`.
    Probe { run: u64, catalog: Rc<Catalog> },
    /// Tell how the failed hosts of `run` are blocked (crate::diagnosis); report back with
    /// `Diagnosed`. Asked for while the probes run, as hosts fail, and for the rest once they
    /// have ended; several may run at once.
    Diagnose { run: u64, plan: Rc<Plan> },
    /// Stop the probes (or the diagnosis) of `run`; they end with `ProbesEnded { cancelled:
    /// true }` (or `Diagnosed` with what was found).
    StopProbes { run: u64 },
    /// Store the history (newest first).
    SaveHistory(Rc<Vec<Entry>>),
    /// The outbox may send queued reports now (never while probes run, so sends do not compete
    /// with measurements). `page_load`: a new visit, when the visitor expects a retry whatever
    /// the backoff says.
    SendQueued { page_load: bool },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Run {
    pub catalog: CatalogState,
    /// The catalog's baseline, when it has a readable one for this catalog.
    pub baseline: Option<Rc<Baseline>>,
    /// Why the catalog's baseline could not be used (the run goes on without it).
    pub baseline_problem: Option<LoadError>,
    pub phase: Phase,
    /// Counts runs begun in this page; probe events of an older run are ignored.
    pub run: u64,
    /// The visitor gave informed consent in this page (asked once per page load).
    pub consented: bool,
    pub cancelled: bool,
    /// The visitor pressed Cancel, or the outcome is settled; the probes are winding down.
    pub stopping: bool,
    /// The run stopped because its outcome was settled (see [`Run::settled`]), not cancelled.
    pub stopped_early: bool,
    /// Endpoints whose probe has started in this run.
    pub started: HashSet<String>,
    pub measurements: HashMap<String, Measurement>,
    /// When the browser reported a change of network in this run (ms since it began).
    pub network_changes: Vec<f64>,
    /// The probes have ended; the stamp waits for the report until every diagnosis is in.
    ended: Option<(bool, ReportStamp)>,
    /// Hosts (`Suspect::key`) asked about in this run, and diagnoses not yet back.
    asked: Vec<String>,
    outstanding: usize,
    pub diagnoses: Vec<Diagnosis>,
    /// Verdicts for what has been measured so far (recomputed on each result).
    pub evaluation: Option<Evaluation>,
    /// The report of the last finished run.
    pub report: Option<Rc<Report>>,
    /// Newest first, at most [`HISTORY_LIMIT`].
    pub history: Rc<Vec<Entry>>,
    /// Stored runs could not be read and were dropped.
    pub history_ignored: bool,
    /// The page loaded during a run: its retry waits for the run's end.
    page_load_send_waiting: bool,
}

impl Default for Run {
    fn default() -> Run {
        Run {
            catalog: CatalogState::Loading,
            baseline: None,
            baseline_problem: None,
            phase: Phase::Idle,
            run: 0,
            consented: false,
            cancelled: false,
            stopping: false,
            stopped_early: false,
            started: HashSet::new(),
            measurements: HashMap::new(),
            network_changes: Vec::new(),
            ended: None,
            asked: Vec::new(),
            outstanding: 0,
            diagnoses: Vec::new(),
            evaluation: None,
            report: None,
            history: Rc::new(Vec::new()),
            history_ignored: false,
            page_load_send_waiting: false,
        }
    }
}

impl Run {
    /// Applies one event; returns what the shell must do, in order.
    pub fn update(&mut self, event: Event) -> Vec<Effect> {
        match event {
            Event::CatalogLoaded(result) if self.phase != Phase::Running => self.catalog_loaded(result),
            Event::HistoryLoaded { runs, ignored } => {
                self.history = Rc::new(runs.into_iter().take(HISTORY_LIMIT).collect());
                self.history_ignored = ignored;
                // Keep what was readable, so the notice is shown once, not on every visit.
                return if ignored { vec![Effect::SaveHistory(self.history.clone())] } else { vec![] };
            }
            Event::ClearHistory => {
                self.history = Rc::new(Vec::new());
                return vec![Effect::SaveHistory(self.history.clone())];
            }
            Event::PageLoaded if self.phase == Phase::Running => self.page_load_send_waiting = true,
            Event::PageLoaded => return vec![Effect::SendQueued { page_load: true }],
            Event::Start if self.can_start() => {
                if self.consented {
                    return self.begin();
                }
                self.phase = Phase::Consent;
            }
            Event::Consent if self.phase == Phase::Consent && self.ready_catalog().is_some() => {
                self.consented = true;
                return self.begin();
            }
            Event::DeclineConsent if self.phase == Phase::Consent => self.phase = Phase::Idle,
            Event::Cancel if self.phase == Phase::Running && !self.stopping => {
                self.stopping = true;
                return vec![Effect::StopProbes { run: self.run }];
            }
            Event::ProbeStarted { run, endpoint } if self.is_current(run) => {
                self.started.insert(endpoint);
            }
            Event::ProbeFinished { run, measurement } if self.is_current(run) => {
                self.measurements.insert(measurement.endpoint_id.clone(), measurement);
                self.judge();
                if self.settled() && !self.stopping {
                    self.stopping = true;
                    self.stopped_early = true;
                    return vec![Effect::StopProbes { run: self.run }];
                }
                // A host that failed is diagnosed now, while the other probes still run.
                return self.diagnose_new_failures().into_iter().collect();
            }
            Event::NetworkChanged { run, at_ms } if self.is_current(run) => {
                self.network_changes.push(at_ms);
                self.judge();
            }
            Event::ProbesEnded { run, cancelled, stamp } if self.is_current(run) => {
                self.judge();
                let rest = if cancelled || self.stopping { None } else { self.diagnose_new_failures() };
                self.ended = Some((cancelled, stamp));
                return match rest {
                    Some(effect) => vec![effect],
                    None => self.finish_when_diagnosed(),
                };
            }
            Event::Diagnosed { run, diagnoses } if self.is_current(run) => {
                self.outstanding = self.outstanding.saturating_sub(1);
                self.diagnoses.extend(diagnoses);
                self.judge();
                return self.finish_when_diagnosed();
            }
            // Anything else arrives in a state where it means nothing (a late probe result
            // after a new run began, a double click, a second cancel): ignore it.
            _ => {}
        }
        Vec::new()
    }

    pub fn ready_catalog(&self) -> Option<&Rc<Catalog>> {
        match &self.catalog {
            CatalogState::Ready(catalog) => Some(catalog),
            _ => None,
        }
    }

    /// The probes have ended; follow-up probes tell how the failed hosts are blocked.
    pub fn diagnosing(&self) -> bool {
        self.ended.is_some() && self.outstanding > 0
    }

    /// Endpoints being probed right now.
    pub fn probing(&self) -> HashSet<String> {
        self.started.iter().filter(|id| !self.measurements.contains_key(*id)).cloned().collect()
    }

    /// The visitor's own results (live or finished), once a run has started.
    pub fn own_results(&self) -> Option<RunResults> {
        let catalog = self.ready_catalog()?;
        if matches!(self.phase, Phase::Idle | Phase::Consent) && self.report.is_none() {
            return None;
        }
        // Live results list every service, measured or not (a cancelled run shows what it skipped).
        let mut results = RunResults::live(catalog, self.evaluation.as_ref(), self.cancelled);
        results.measured_at = self.report.as_ref().map(|r| r.measurement_start_time.clone());
        Some(results)
    }

    /// What the verdicts take into account besides the measurements.
    pub fn circumstances(&self) -> Circumstances<'_> {
        Circumstances {
            network_changes_ms: &self.network_changes,
            baseline: self.baseline.as_deref(),
            diagnoses: &self.diagnoses,
            settled: self.stopped_early,
        }
    }

    /// Nothing still running can change a verdict that matters: every control has been measured
    /// and none answered, so every failure to come is `inconclusive` (docs/verdicts.md, rule 6);
    /// or only domestic ones answered and every domestic service (the only ones that may still
    /// answer) has been measured. Waiting out the other timeouts would only keep the visitor
    /// waiting.
    pub fn settled(&self) -> bool {
        let (Some(catalog), Some(evaluation)) = (self.ready_catalog(), &self.evaluation) else {
            return false;
        };
        let measured = |id: &String| self.measurements.contains_key(id);
        let domestic_measured = || {
            catalog
                .services
                .iter()
                .filter(|s| s.country.is_some())
                .flat_map(|s| &s.endpoints)
                .all(|e| measured(&e.id))
        };
        catalog.controls.iter().all(|c| measured(&c.id))
            && match evaluation.reference.connection() {
                Connection::Usable => false,
                Connection::InternationalDown => domestic_measured(),
                Connection::Down => true,
            }
    }

    fn catalog_loaded(&mut self, result: Result<CatalogFiles, LoadError>) {
        let baseline = match result {
            Ok(files) => {
                self.catalog = CatalogState::Ready(Rc::new(files.catalog));
                files.baseline
            }
            Err(error) => {
                self.catalog = CatalogState::Failed(error);
                Ok(None)
            }
        };
        (self.baseline, self.baseline_problem) = match baseline {
            Ok(baseline) => (baseline.map(Rc::new), None),
            Err(problem) => (None, Some(problem)),
        };
    }

    fn can_start(&self) -> bool {
        self.ready_catalog().is_some() && self.phase != Phase::Running
    }

    fn is_current(&self, run: u64) -> bool {
        self.phase == Phase::Running && run == self.run
    }

    fn begin(&mut self) -> Vec<Effect> {
        let Some(catalog) = self.ready_catalog().cloned() else { return Vec::new() };
        self.phase = Phase::Running;
        self.run += 1;
        self.cancelled = false;
        self.stopping = false;
        self.stopped_early = false;
        self.started.clear();
        self.measurements.clear();
        self.network_changes.clear();
        self.ended = None;
        self.asked.clear();
        self.outstanding = 0;
        self.diagnoses.clear();
        self.evaluation = None;
        self.report = None;
        vec![Effect::Probe { run: self.run, catalog }]
    }

    fn judge(&mut self) {
        if let Some(catalog) = self.ready_catalog() {
            self.evaluation = Some(Evaluation::judged(catalog, &self.measurements, self.circumstances()));
        }
    }

    /// Follow-up probes for hosts that failed since the last look (not on a run that is
    /// stopping), within the run's bound of `MAX_SUSPECTS` hosts.
    fn diagnose_new_failures(&mut self) -> Option<Effect> {
        let room = crate::diagnosis::MAX_SUSPECTS.saturating_sub(self.asked.len());
        let plan = match (self.ready_catalog(), &self.evaluation) {
            (Some(catalog), Some(evaluation)) if !self.stopping && room > 0 => {
                Plan::of(catalog, evaluation, &self.asked, room)?
            }
            _ => return None,
        };
        self.asked.extend(plan.suspects.iter().map(|s| s.key()));
        self.outstanding += 1;
        Some(Effect::Diagnose { run: self.run, plan: Rc::new(plan) })
    }

    /// Writes the report once the probes have ended and every diagnosis asked for is back.
    fn finish_when_diagnosed(&mut self) -> Vec<Effect> {
        if self.outstanding > 0 {
            return Vec::new();
        }
        match self.ended.take() {
            // A cancel during the follow-up probes is the visitor's cancel too.
            Some((cancelled, stamp)) => {
                self.finish(cancelled || (self.stopping && !self.stopped_early), stamp)
            }
            None => Vec::new(),
        }
    }

    fn finish(&mut self, cancelled: bool, stamp: ReportStamp) -> Vec<Effect> {
        let Some(catalog) = self.ready_catalog().cloned() else { return Vec::new() };
        self.phase = Phase::Done;
        // Stopping a settled run is not the visitor's cancel.
        let cancelled = cancelled && !self.stopped_early;
        self.cancelled = cancelled;
        self.stopping = false;
        self.judge();
        let context = ReportContext {
            report_id: stamp.report_id,
            software_version: stamp.software_version,
            measurement_start_time: stamp.measurement_start_time,
            browser: stamp.browser,
            cancelled,
            circumstances: self.circumstances(),
        };
        let mut report = Report::of_run(&catalog, &self.measurements, context);
        report.test_keys.stopped_early = self.stopped_early;
        let mut history = vec![Entry::of(&report)];
        history.extend(self.history.iter().take(HISTORY_LIMIT - 1).cloned());
        self.history = Rc::new(history);
        self.report = Some(Rc::new(report));
        let page_load = std::mem::take(&mut self.page_load_send_waiting);
        vec![Effect::SaveHistory(self.history.clone()), Effect::SendQueued { page_load }]
    }
}

#[cfg(test)]
mod tests;

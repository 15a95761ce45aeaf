//! The app's state and its reducer: every change the UI shows goes through [`Action`].

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use reachcheck_core::attribution::Circumstances;
use reachcheck_core::baseline::Baseline;
use reachcheck_core::catalog::Catalog;
use reachcheck_core::evaluate::Evaluation;
use reachcheck_core::measurement::Measurement;
use reachcheck_core::outbox::Notice;
use reachcheck_core::report::Report;
use reachcheck_core::results::RunResults;
use yew::Reducible;

use crate::i18n::Lang;

/// How many runs the history keeps.
pub const HISTORY_LIMIT: usize = 20;

/// Where the catalog stands.
#[derive(Clone, Debug, PartialEq)]
pub enum CatalogState {
    Loading,
    Ready(Rc<Catalog>),
    /// The catalog could not be loaded; the message says where and why.
    Failed(String),
}

/// A loaded catalog and its optional baseline (docs/catalog.md, "Keeping a catalog honest").
#[derive(Clone, Debug, PartialEq)]
pub struct CatalogFiles {
    pub catalog: Catalog,
    /// `Ok(None)`: the catalog has no baseline (which changes nothing); `Err`: it has one that
    /// could not be read, and failures are judged without it.
    pub baseline: Result<Option<Baseline>, String>,
}

impl From<Catalog> for CatalogFiles {
    fn from(catalog: Catalog) -> CatalogFiles {
        CatalogFiles { catalog, baseline: Ok(None) }
    }
}

/// `data-run-state` on the app root; docs/automation.md lists the values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunState {
    Idle,
    Consent,
    Running,
    Done,
}

impl RunState {
    pub fn as_str(self) -> &'static str {
        match self {
            RunState::Idle => "idle",
            RunState::Consent => "consent",
            RunState::Running => "running",
            RunState::Done => "done",
        }
    }
}

/// A notice for the visitor, as data: it is translated when rendered, so a language switch
/// changes it too.
#[derive(Clone, Debug, PartialEq)]
pub enum PageNotice {
    /// Saved history could not be read and was ignored.
    HistoryIgnored,
    /// A share link could not be opened; why (from the decoder).
    ShareLinkBroken(String),
}

/// Results shown instead of the visitor's own: a share link or a run from the history.
#[derive(Clone, Debug, PartialEq)]
pub enum Viewing {
    Shared(Rc<RunResults>),
    History(Rc<RunResults>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct AppState {
    pub lang: Lang,
    pub catalog: CatalogState,
    /// The catalog's baseline, when it has a readable one for this catalog.
    pub baseline: Option<Rc<Baseline>>,
    /// Why the catalog's baseline could not be used (shown; the run goes on without it).
    pub baseline_problem: Option<String>,
    pub run: RunState,
    /// Counts runs begun in this page; the app starts the probes when it changes.
    pub run_id: u64,
    /// The visitor gave informed consent in this page (asked once per page load).
    pub consented: bool,
    pub cancelled: bool,
    /// Endpoints whose probe has started in this run.
    pub started: HashSet<String>,
    pub measurements: HashMap<String, Measurement>,
    /// When the browser reported a change of network in this run (ms since it began).
    pub network_changes: Vec<f64>,
    /// Verdicts for what has been measured so far (recomputed on each result).
    pub evaluation: Option<Evaluation>,
    /// The report of the last finished run.
    pub report: Option<Rc<Report>>,
    pub viewing: Option<Viewing>,
    /// Newest first.
    pub history: Rc<Vec<Report>>,
    pub show_history: bool,
    /// Something the visitor should know (a damaged share link, unreadable history); the view
    /// words it in the visitor's language when it renders.
    pub notice: Option<PageNotice>,
    /// What happened to reports queued on this device (delivered, still waiting).
    pub outbox: Option<Notice>,
    /// Collector endpoint from `?submit=` (wins) and from the app's `config.json` (loses to
    /// the catalog's `submit_url`).
    pub submit_param: Option<String>,
    pub submit_config: Option<String>,
}

impl AppState {
    pub fn new(lang: Lang) -> AppState {
        AppState {
            lang,
            catalog: CatalogState::Loading,
            baseline: None,
            baseline_problem: None,
            run: RunState::Idle,
            run_id: 0,
            consented: false,
            cancelled: false,
            started: HashSet::new(),
            measurements: HashMap::new(),
            network_changes: Vec::new(),
            evaluation: None,
            report: None,
            viewing: None,
            history: Rc::new(Vec::new()),
            show_history: false,
            notice: None,
            outbox: None,
            submit_param: None,
            submit_config: None,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    CatalogLoaded(Result<CatalogFiles, String>),
    /// The visitor pressed Start: ask for consent, unless given already.
    RequestStart,
    /// The visitor gave consent and the run begins.
    Consent,
    /// The visitor declined for now.
    DeclineConsent,
    EndpointStarted(String),
    EndpointFinished(Measurement),
    /// The browser reported a change of network this many ms into the run.
    NetworkChanged(f64),
    /// The run ended, completely or cancelled, with its report.
    Finished {
        cancelled: bool,
        report: Box<Report>,
    },
    HistoryLoaded {
        runs: Vec<Report>,
        /// Some stored runs could not be read and were dropped.
        ignored: bool,
    },
    ToggleHistory,
    OpenHistory(usize),
    OpenShared(Result<RunResults, String>),
    CloseViewing,
    SetLanguage(Lang),
    SubmitConfig {
        param: Option<String>,
        config: Option<String>,
    },
    Outbox(Notice),
}

impl AppState {
    pub fn apply(mut self, action: Action) -> AppState {
        match action {
            Action::CatalogLoaded(result) => {
                let (catalog, baseline) = match result {
                    Ok(files) => (CatalogState::Ready(Rc::new(files.catalog)), files.baseline),
                    Err(message) => (CatalogState::Failed(message), Ok(None)),
                };
                self.catalog = catalog;
                (self.baseline, self.baseline_problem) = match baseline {
                    Ok(baseline) => (baseline.map(Rc::new), None),
                    Err(problem) => (None, Some(problem)),
                };
            }
            Action::RequestStart if self.can_start() => {
                if self.consented {
                    self.begin_run();
                } else {
                    self.run = RunState::Consent;
                }
            }
            Action::Consent if self.run == RunState::Consent && self.ready_catalog().is_some() => {
                self.consented = true;
                self.begin_run();
            }
            Action::DeclineConsent if self.run == RunState::Consent => self.run = RunState::Idle,
            Action::EndpointStarted(id) if self.run == RunState::Running => {
                self.started.insert(id);
            }
            Action::EndpointFinished(measurement) if self.run == RunState::Running => {
                self.measurements.insert(measurement.endpoint_id.clone(), measurement);
                self.reevaluate();
            }
            Action::NetworkChanged(at_ms) if self.run == RunState::Running => {
                self.network_changes.push(at_ms);
                self.reevaluate();
            }
            Action::Finished { cancelled, report } if self.run == RunState::Running => {
                self.run = RunState::Done;
                self.cancelled = cancelled;
                self.reevaluate();
                let mut history = vec![(*report).clone()];
                history.extend(self.history.iter().take(HISTORY_LIMIT - 1).cloned());
                self.history = Rc::new(history);
                self.report = Some(Rc::new(*report));
            }
            Action::HistoryLoaded { runs, ignored } => {
                self.history = Rc::new(runs.into_iter().take(HISTORY_LIMIT).collect());
                self.notice = ignored.then_some(PageNotice::HistoryIgnored).or(self.notice);
            }
            Action::ToggleHistory => self.show_history = !self.show_history,
            Action::OpenHistory(index) => {
                if let Some(report) = self.history.get(index) {
                    self.viewing = Some(Viewing::History(Rc::new(RunResults::from_report(report))));
                    self.show_history = false;
                }
            }
            Action::OpenShared(Ok(results)) => self.viewing = Some(Viewing::Shared(Rc::new(results))),
            Action::OpenShared(Err(why)) => self.notice = Some(PageNotice::ShareLinkBroken(why)),
            Action::CloseViewing => self.viewing = None,
            Action::SetLanguage(lang) => self.lang = lang,
            Action::SubmitConfig { param, config } => {
                self.submit_param = param;
                self.submit_config = config;
            }
            Action::Outbox(message) => self.outbox = Some(message),
            // Anything else arrives in a state where it means nothing (a late probe result
            // after a cancel, a double click): ignore it.
            _ => {}
        }
        self
    }

    pub fn ready_catalog(&self) -> Option<&Rc<Catalog>> {
        match &self.catalog {
            CatalogState::Ready(catalog) => Some(catalog),
            _ => None,
        }
    }

    /// The visitor's own results (live or finished), if a run has started.
    pub fn own_results(&self) -> Option<RunResults> {
        let catalog = self.ready_catalog()?;
        if matches!(self.run, RunState::Idle | RunState::Consent) && self.report.is_none() {
            return None;
        }
        // Live results list every service, measured or not (a cancelled run shows what it skipped).
        let mut results = RunResults::live(catalog, self.evaluation.as_ref(), self.cancelled);
        results.measured_at = self.report.as_ref().map(|r| r.measurement_start_time.clone());
        Some(results)
    }

    /// Where opted-in reports go: `?submit=`, else the catalog's `submit_url`, else the app's
    /// configuration; `None` hides the option.
    pub fn submit_endpoint(&self) -> Option<&str> {
        let from_catalog = self.ready_catalog().and_then(|c| c.submit_url.as_deref());
        self.submit_param.as_deref().or(from_catalog).or(self.submit_config.as_deref())
    }

    fn can_start(&self) -> bool {
        self.ready_catalog().is_some() && self.run != RunState::Running
    }

    fn begin_run(&mut self) {
        self.run = RunState::Running;
        self.run_id += 1;
        self.viewing = None;
        self.cancelled = false;
        self.started.clear();
        self.measurements.clear();
        self.network_changes.clear();
        self.evaluation = None;
        self.report = None;
    }

    /// What the verdicts take into account besides the measurements.
    pub fn circumstances(&self) -> Circumstances<'_> {
        Circumstances { network_changes_ms: &self.network_changes, baseline: self.baseline.as_deref() }
    }

    fn reevaluate(&mut self) {
        if let Some(catalog) = self.ready_catalog() {
            self.evaluation = Some(Evaluation::judged(catalog, &self.measurements, self.circumstances()));
        }
    }
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new((*self).clone().apply(action))
    }
}

#[cfg(test)]
mod tests;

//! The app's state and its reducer: every change the UI shows goes through [`Action`].

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use reachcheck_core::catalog::Catalog;
use reachcheck_core::evaluate::Evaluation;
use reachcheck_core::measurement::Measurement;
use yew::Reducible;

/// Where the catalog stands.
#[derive(Clone, Debug, PartialEq)]
pub enum CatalogState {
    Loading,
    Ready(Rc<Catalog>),
    /// The catalog could not be loaded; the message says where and why.
    Failed(String),
}

/// `data-run-state` on the app root; docs/automation.md lists the values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunState {
    Idle,
    Running,
    Done,
}

impl RunState {
    pub fn as_str(self) -> &'static str {
        match self {
            RunState::Idle => "idle",
            RunState::Running => "running",
            RunState::Done => "done",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct AppState {
    pub catalog: CatalogState,
    pub run: RunState,
    pub cancelled: bool,
    /// Endpoints whose probe has started in this run.
    pub started: HashSet<String>,
    pub measurements: HashMap<String, Measurement>,
    /// Verdicts for what has been measured so far (recomputed on each result).
    pub evaluation: Option<Evaluation>,
}

impl Default for AppState {
    fn default() -> Self {
        AppState {
            catalog: CatalogState::Loading,
            run: RunState::Idle,
            cancelled: false,
            started: HashSet::new(),
            measurements: HashMap::new(),
            evaluation: None,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    CatalogLoaded(Result<Catalog, String>),
    /// A run begins: earlier results are cleared.
    Start,
    EndpointStarted(String),
    EndpointFinished(Measurement),
    /// The run ended, completely or cancelled.
    Finished {
        cancelled: bool,
    },
}

impl AppState {
    pub fn apply(mut self, action: Action) -> AppState {
        match action {
            Action::CatalogLoaded(result) => {
                self.catalog = match result {
                    Ok(catalog) => CatalogState::Ready(Rc::new(catalog)),
                    Err(message) => CatalogState::Failed(message),
                };
                self.run = RunState::Idle;
            }
            Action::Start if self.ready_catalog().is_some() && self.run != RunState::Running => {
                self.run = RunState::Running;
                self.cancelled = false;
                self.started.clear();
                self.measurements.clear();
                self.evaluation = None;
            }
            Action::Start => {}
            Action::EndpointStarted(id) if self.run == RunState::Running => {
                self.started.insert(id);
            }
            Action::EndpointFinished(measurement) if self.run == RunState::Running => {
                self.measurements.insert(measurement.endpoint_id.clone(), measurement);
                self.reevaluate();
            }
            Action::EndpointStarted(_) | Action::EndpointFinished(_) => {}
            Action::Finished { cancelled } if self.run == RunState::Running => {
                self.run = RunState::Done;
                self.cancelled = cancelled;
                self.reevaluate();
            }
            Action::Finished { .. } => {}
        }
        self
    }

    pub fn ready_catalog(&self) -> Option<&Rc<Catalog>> {
        match &self.catalog {
            CatalogState::Ready(catalog) => Some(catalog),
            _ => None,
        }
    }

    fn reevaluate(&mut self) {
        if let Some(catalog) = self.ready_catalog() {
            self.evaluation = Some(Evaluation::of(catalog, &self.measurements));
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
mod tests {
    use super::*;
    use reachcheck_core::catalog::{PageContext, ProbeKind};
    use reachcheck_core::measurement::{Outcome, Sample};
    use reachcheck_core::verdict::Verdict;

    const CATALOG: &str = r#"{ "catalog_format": 1, "id": "t", "version": "1",
      "controls": [ { "scope": "global", "id": "c", "kind": "fetch", "url": "https://c.example/", "timeout_ms": 1000, "source": "t" } ],
      "services": [ { "id": "s", "name": "S", "category": "x", "homepage": "https://s.example/", "endpoints": [
        { "id": "e", "kind": "fetch", "url": "https://e.example/", "timeout_ms": 1000, "source": "t" } ] } ] }"#;

    fn measured(id: &str, outcome: Outcome) -> Measurement {
        Measurement {
            endpoint_id: id.into(),
            kind: ProbeKind::Fetch,
            timeout_ms: 1000,
            obstacle: None,
            samples: vec![Sample { outcome, elapsed_ms: 10.0, status: None, phases: None, close_code: None }],
            transfer: None,
        }
    }

    fn loaded() -> AppState {
        let catalog = Catalog::load(CATALOG, PageContext::SECURE).unwrap();
        AppState::default().apply(Action::CatalogLoaded(Ok(catalog)))
    }

    #[test]
    fn a_run_goes_idle_running_done_and_judges_as_results_arrive() {
        let state = loaded().apply(Action::Start);
        assert_eq!(state.run, RunState::Running);
        let state = state
            .apply(Action::EndpointStarted("c".into()))
            .apply(Action::EndpointFinished(measured("c", Outcome::Ok)))
            .apply(Action::EndpointFinished(measured("e", Outcome::Timeout)));
        let evaluation = state.evaluation.as_ref().unwrap();
        assert_eq!(evaluation.endpoints["e"].verdict, Verdict::Blocked);
        let state = state.apply(Action::Finished { cancelled: false });
        assert_eq!((state.run, state.cancelled), (RunState::Done, false));
    }

    #[test]
    fn start_needs_a_catalog_and_clears_the_previous_run() {
        assert_eq!(AppState::default().apply(Action::Start).run, RunState::Idle);
        let failed = AppState::default().apply(Action::CatalogLoaded(Err("catalog: broken".into())));
        assert_eq!(failed.apply(Action::Start).run, RunState::Idle);
        let done = loaded()
            .apply(Action::Start)
            .apply(Action::EndpointFinished(measured("e", Outcome::Ok)))
            .apply(Action::Finished { cancelled: true });
        assert!(done.cancelled);
        let again = done.apply(Action::Start);
        assert!(again.measurements.is_empty() && again.evaluation.is_none() && !again.cancelled);
    }

    #[test]
    fn late_events_after_the_run_are_ignored() {
        let done = loaded().apply(Action::Start).apply(Action::Finished { cancelled: true });
        let after = done.clone().apply(Action::EndpointFinished(measured("e", Outcome::Ok)));
        assert_eq!(after, done);
    }
}

//! The page's state: the run lifecycle (core's pure [`Run`] machine) plus what only the page
//! has (language, what is being viewed, notices). Every change goes through [`Action`]; the
//! run's effects are queued for the shell to carry out (src/hooks.rs).

use std::cell::RefCell;
use std::rc::Rc;

use reachcheck_core::outbox::Notice;
use reachcheck_core::problem::ShareIssue;
use reachcheck_core::results::RunResults;
pub use reachcheck_core::run::{CatalogFiles, CatalogState, Phase as RunState, HISTORY_LIMIT};
use reachcheck_core::run::{Effect, Event, Run};
use yew::Reducible;

use crate::i18n::Lang;

/// A notice for the visitor, as data: it is translated when rendered, so a language switch
/// changes it too.
#[derive(Clone, Debug, PartialEq)]
pub enum PageNotice {
    /// Saved history could not be read and was ignored.
    HistoryIgnored,
    /// A share link could not be opened, and why.
    ShareLinkBroken(ShareIssue),
}

/// Results shown instead of the visitor's own: a share link or a run from the history.
#[derive(Clone, Debug, PartialEq)]
pub enum Viewing {
    Shared(Rc<RunResults>),
    History(Rc<RunResults>),
}

/// The run's effects waiting for the shell. Shared by every copy of the state, so effects of
/// actions dispatched before one render are all carried out after it, none lost.
#[derive(Clone, Debug, Default)]
pub struct Effects(Rc<RefCell<Vec<Effect>>>);

impl Effects {
    pub fn take(&self) -> Vec<Effect> {
        std::mem::take(&mut self.0.borrow_mut())
    }
}

impl PartialEq for Effects {
    fn eq(&self, other: &Effects) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct AppState {
    pub lang: Lang,
    pub run: Run,
    pub viewing: Option<Viewing>,
    pub show_history: bool,
    /// A share link that could not be opened.
    pub share_problem: Option<ShareIssue>,
    /// What happened to reports queued on this device (delivered, still waiting, given up).
    pub outbox: Option<Notice>,
    /// Collector endpoint from `?submit=` (wins) and from the app's `config.json` (loses to
    /// the catalog's `submit_url`).
    pub submit_param: Option<String>,
    pub submit_config: Option<String>,
    /// Private mode (the switch, or `?private=1`): nothing is written to storage.
    pub private: bool,
    /// The visitor asked to delete everything and is asked to confirm.
    pub confirm_delete: bool,
    /// How many stored items "delete everything" removed, once it ran.
    pub deleted: Option<usize>,
    /// A page started from the saved copy: a newer version has arrived in the copy since.
    pub new_version: bool,
    /// The consent's two statements, ticked or not (cleared at each start).
    pub consent_ticked: [bool; 2],
    pub effects: Effects,
}

impl AppState {
    pub fn new(lang: Lang) -> AppState {
        AppState {
            lang,
            run: Run::default(),
            viewing: None,
            show_history: false,
            share_problem: None,
            outbox: None,
            submit_param: None,
            submit_config: None,
            private: false,
            confirm_delete: false,
            deleted: None,
            new_version: false,
            consent_ticked: [false; 2],
            effects: Effects::default(),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// An event for the run lifecycle (core's [`Event`]).
    Run(Event),
    ToggleHistory,
    OpenHistory(usize),
    OpenShared(Result<RunResults, ShareIssue>),
    CloseViewing,
    SetLanguage(Lang),
    SubmitConfig {
        param: Option<String>,
        config: Option<String>,
    },
    Outbox(Notice),
    SetPrivate(bool),
    /// "Delete everything" pressed: ask first.
    AskDelete,
    CancelDelete,
    /// Everything was deleted (this many items); the page's own copies go too.
    Deleted(usize),
    /// A newer version is in the saved copy (it applies on reload).
    NewVersionSaved,
    /// One of the consent's statements was ticked or unticked.
    TickConsent(usize),
}

impl AppState {
    pub fn apply(mut self, action: Action) -> AppState {
        match action {
            Action::Run(event) => {
                if matches!(event, Event::Start) {
                    self.consent_ticked = [false; 2];
                }
                if matches!(event, Event::Start | Event::Consent) {
                    self.viewing = None;
                }
                let effects = self.run.update(event);
                self.effects.0.borrow_mut().extend(effects);
            }
            Action::ToggleHistory => self.show_history = !self.show_history,
            Action::OpenHistory(index) => {
                if let Some(run) = self.run.history.get(index) {
                    self.viewing = Some(Viewing::History(run.results.clone()));
                    self.show_history = false;
                }
            }
            Action::OpenShared(Ok(results)) => self.viewing = Some(Viewing::Shared(Rc::new(results))),
            Action::OpenShared(Err(why)) => self.share_problem = Some(why),
            Action::CloseViewing => self.viewing = None,
            Action::SetLanguage(lang) => self.lang = lang,
            Action::SubmitConfig { param, config } => {
                self.submit_param = param;
                self.submit_config = config;
            }
            Action::Outbox(message) => self.outbox = Some(message),
            Action::SetPrivate(private) => self.private = private,
            Action::AskDelete => self.confirm_delete = true,
            Action::CancelDelete => self.confirm_delete = false,
            Action::NewVersionSaved => self.new_version = true,
            Action::TickConsent(at) => {
                if let Some(ticked) = self.consent_ticked.get_mut(at) {
                    *ticked = !*ticked;
                }
            }
            Action::Deleted(count) => {
                self.confirm_delete = false;
                self.deleted = Some(count);
                self.outbox = None;
                self.viewing = None;
                self.run
                    .update(reachcheck_core::run::Event::HistoryLoaded { runs: Vec::new(), ignored: false });
            }
        }
        self
    }

    /// What the page should tell the visitor, if anything.
    pub fn notice(&self) -> Option<PageNotice> {
        let share = self.share_problem.clone().map(PageNotice::ShareLinkBroken);
        share.or(self.run.history_ignored.then_some(PageNotice::HistoryIgnored))
    }

    /// Where opted-in reports go: `?submit=`, else the catalog's `submit_url`, else the app's
    /// configuration; `None` hides the option.
    pub fn submit_endpoint(&self) -> Option<&str> {
        let from_catalog = self.run.ready_catalog().and_then(|c| c.submit_url.as_deref());
        self.submit_param.as_deref().or(from_catalog).or(self.submit_config.as_deref())
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

//! Every string the visitor reads, per language (`en.rs`, `ru.rs`), in structs so a language is
//! complete or does not compile: [`Strings`] for what the app and the widget both show,
//! [`AppStrings`] for the full app's own pages (kept apart so the widget's wasm does not carry
//! them), [`DashboardStrings`] for the researchers' dashboard (`dashboard.rs`). Templates take
//! `{name}` placeholders (see [`fill`]).

mod dashboard;
mod en;
mod ru;
mod ru_issues;

use reachcheck_core::diagnosis::Method;
use reachcheck_core::problem::{FetchFailure, Issue, LoadError, Problem, ShareIssue};
use reachcheck_core::results::{Advice, NetworkRow, NetworkState, RunResults, Tally};
use reachcheck_core::verdict::{Failure, Reason, ServiceStatus, ServiceSummary, Verdict};

/// Declares a struct of texts and `all_texts`, which lists every one of them by field name, so
/// the completeness tests cannot miss a text that is added later.
macro_rules! texts {
    ($(#[$meta:meta])* pub struct $name:ident { $($(#[$field_meta:meta])* pub $field:ident: $ty:ty,)* }) => {
        $(#[$meta])* pub struct $name { $($(#[$field_meta])* pub $field: $ty,)* }

        impl $name {
            /// Every fixed text, with its field name (tests look for untranslated ones).
            pub fn all_texts(&self) -> Vec<(&'static str, &'static str)> {
                let mut texts = Vec::new();
                $( Texts::collect(&self.$field, stringify!($field), &mut texts); )*
                texts
            }
        }
    };
}

/// The fixed texts a field holds (none for functions: their words are checked by calling them).
trait Texts {
    fn collect(&self, name: &'static str, into: &mut Vec<(&'static str, &'static str)>);
}

impl Texts for &'static str {
    fn collect(&self, name: &'static str, into: &mut Vec<(&'static str, &'static str)>) {
        into.push((name, self));
    }
}

impl Texts for &'static [&'static str] {
    fn collect(&self, name: &'static str, into: &mut Vec<(&'static str, &'static str)>) {
        into.extend(self.iter().map(|text| (name, *text)));
    }
}

impl Texts for fn(u64) -> usize {
    fn collect(&self, _: &'static str, _: &mut Vec<(&'static str, &'static str)>) {}
}

impl<A: ?Sized> Texts for fn(&A) -> String {
    fn collect(&self, _: &'static str, _: &mut Vec<(&'static str, &'static str)>) {}
}

/// What a badge shows: a service's status or an endpoint's verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Badge {
    Service(ServiceStatus),
    Endpoint(Verdict),
}

impl Badge {
    /// The machine name (`blocked`, `relay_only`, ...), for classes and data attributes.
    pub fn name(self) -> &'static str {
        match self {
            Badge::Service(status) => status.as_str(),
            Badge::Endpoint(verdict) => verdict.as_str(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lang {
    En,
    Ru,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Ru];

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ru => "ru",
        }
    }

    /// `en`, `en-GB`, `ru-RU`, ... → a supported language.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.split(['-', '_']).next()?.to_ascii_lowercase();
        Lang::ALL.into_iter().find(|l| l.code() == primary)
    }

    /// `?lang=` first, then the browser's preferred languages, then English.
    pub fn detect(param: Option<&str>, preferred: &[String]) -> Lang {
        param
            .and_then(Lang::from_tag)
            .or_else(|| preferred.iter().find_map(|tag| Lang::from_tag(tag)))
            .unwrap_or(Lang::En)
    }

    /// Text direction (`ltr` or `rtl`).
    pub fn dir(self) -> &'static str {
        match self {
            Lang::En | Lang::Ru => "ltr",
        }
    }

    pub fn strings(self) -> &'static Strings {
        match self {
            Lang::En => &en::EN,
            Lang::Ru => &ru::RU,
        }
    }

    /// The dashboard's texts (only `dashboard.html` links them).
    pub fn dashboard_strings(self) -> &'static DashboardStrings {
        match self {
            Lang::En => &dashboard::EN,
            Lang::Ru => &dashboard::RU,
        }
    }

    /// The full app's own texts (never referenced by the widget, so not linked into it).
    pub fn app_strings(self) -> &'static AppStrings {
        match self {
            Lang::En => &en::EN_APP,
            Lang::Ru => &ru::RU_APP,
        }
    }
}

texts! {
/// The texts of one language.
pub struct Strings {
    /// Index into plural forms for a count.
    pub plural: fn(u64) -> usize,
    pub start: &'static str,
    pub run_again: &'static str,
    pub cancel: &'static str,
    pub consent_heading: &'static str,
    pub consent_operator: &'static str,
    pub consent_publish: &'static str,
    pub consent_confirm: &'static str,
    pub consent_back: &'static str,
    pub catalog_loading: &'static str,
    pub catalog_failed: &'static str,
    pub catalog_label: &'static str,
    /// `{done}`, `{total}`
    pub progress_running: &'static str,
    pub progress_cancelled: &'static str,
    /// `{blocked}`, `{total}`, `{services}`
    pub summary_blocked: &'static str,
    /// `{n}` each
    pub summary_partial: &'static str,
    pub summary_throttled: &'static str,
    pub summary_slow: &'static str,
    pub summary_relay_only: &'static str,
    pub summary_inconclusive: &'static str,
    /// Forms of "service(s)" after "of N".
    pub services_of: &'static [&'static str],
    pub checks: &'static [&'static str],
    pub probing: &'static str,
    pub label_ok: &'static str,
    pub label_reachable: &'static str,
    pub label_slow: &'static str,
    pub label_throttled: &'static str,
    pub label_stalled: &'static str,
    pub label_partial: &'static str,
    pub label_blocked: &'static str,
    pub label_relay_only: &'static str,
    pub label_inconclusive: &'static str,
    pub failure_timeout: &'static str,
    pub failure_fast: &'static str,
    pub failure_slow: &'static str,
    pub reason_controls_failed: &'static str,
    pub reason_international_down: &'static str,
    pub reason_not_run: &'static str,
    pub reason_bad_port: &'static str,
    pub reason_csp: &'static str,
    pub reason_mixed_content: &'static str,
    pub reason_browser_refused: &'static str,
    pub reason_candidates_hidden: &'static str,
    pub reason_server_error: &'static str,
    pub reason_content_blocker: &'static str,
    pub reason_network_changed: &'static str,
    pub reason_endpoint_broken: &'static str,
    pub reason_udp_down: &'static str,
    pub reason_upload_refused: &'static str,
    /// `{status}`: the HTTP error status a reached server answered with.
    pub status_answered: &'static str,
    /// Shown when a canary was blocked by the visitor's browser or an extension.
    pub hint_content_blocker: &'static str,
    /// Shown when the network changed during the run, with a button to run again.
    pub hint_network_changed: &'static str,
    /// `{date}`: the day of the catalog's baseline.
    pub note_baseline: &'static str,
    /// `{why}`
    pub baseline_problem: &'static str,
    /// `{n}`, `{checks}`, `{ms}`
    pub explain_reachable: &'static str,
    /// `{ms}`, `{control}`
    pub explain_slow: &'static str,
    pub explain_throttled: &'static str,
    pub explain_relay_only: &'static str,
    /// `{blocked}`, `{n}`, `{failure}`
    pub explain_partial: &'static str,
    /// `{n}`, `{checks}`, `{control}`
    pub explain_blocked_timeout: &'static str,
    pub explain_blocked_fast: &'static str,
    pub explain_blocked_slow: &'static str,
    pub explain_controls_failed: &'static str,
    pub explain_international_down: &'static str,
    /// `{reason}`
    pub explain_browser: &'static str,
    /// `{reason}`: inconclusive for a cause that is neither the browser nor the network.
    pub explain_inconclusive: &'static str,
    pub explain_not_run: &'static str,
    /// The title of a service made only of call-path (webrtc) checks.
    pub calls_name: &'static str,
    pub widget_intro: &'static str,
    pub widget_details: &'static str,
    pub widget_config_error: &'static str,
    pub submit_opt_in: &'static str,
    pub submit_payload: &'static str,
    /// `{endpoint}`
    pub submit_note: &'static str,
    pub submit_send: &'static str,
    pub submit_sending: &'static str,
    pub submit_sent: &'static str,
    pub submit_queued: &'static str,
    /// The widget keeps nothing on other sites: a failed send is only reported.
    pub submit_unreachable: &'static str,
    /// `{why}`
    pub submit_refused: &'static str,
    /// A problem in a file or option, in this language.
    pub issue: fn(&Issue) -> String,
    /// `{url}`
    pub load_bad_url: &'static str,
    /// `{url}`, `{why}`: one of the `fetch_*` texts.
    pub load_fetch: &'static str,
    /// `{url}`, `{n}`: followed by the list of problems.
    pub load_invalid: &'static str,
    /// `{ids}`
    pub load_unknown_services: &'static str,
    pub fetch_network: &'static str,
    /// `{status}`
    pub fetch_status: &'static str,
    pub fetch_unreadable: &'static str,
    pub fetch_no_answer: &'static str,
    /// `{limit}`
    pub share_too_long: &'static str,
    pub share_other_version: &'static str,
    /// For any damage; the decoder's own detail is not shown.
    pub share_damaged: &'static str,
    /// No control answered: the run's headline.
    pub connection_down: &'static str,
    /// Only domestic controls answered.
    pub connection_allow_list: &'static str,
    /// `{n}`: the services collapsed into one line on a dead connection.
    pub services_not_judged: &'static str,
    /// `{n}` with the unit
    pub unit_ms: &'static str,
}
}

texts! {
/// The texts of the researchers' dashboard (`dashboard.html`, a binary of its own: neither the
/// app nor the widget carries them). Templates: `{service}`, `{measure}`, `{k}`, `{n}`, `{time}`.
pub struct DashboardStrings {
    /// The language's own name, for the switcher.
    pub name: &'static str,
    pub title: &'static str,
    pub intro: &'static str,
    pub language: &'static str,
    pub loading: &'static str,
    pub load_failed: &'static str,
    pub no_data: &'static str,
    pub filters: &'static str,
    pub filter_service: &'static str,
    pub filter_country: &'static str,
    pub filter_network: &'static str,
    pub filter_from: &'static str,
    pub filter_to: &'static str,
    pub filter_measure: &'static str,
    pub all_countries: &'static str,
    pub all_networks: &'static str,
    pub measure_blocked: &'static str,
    pub measure_throttled: &'static str,
    pub chart_by_country: &'static str,
    pub chart_by_network: &'static str,
    pub chart_summary: &'static str,
    pub more_lines: &'static str,
    pub table_view: &'static str,
    pub col_day: &'static str,
    pub col_country: &'static str,
    pub col_network: &'static str,
    pub col_reports: &'static str,
    pub col_share: &'static str,
    pub download_csv: &'static str,
    pub link_to_view: &'static str,
    pub generated: &'static str,
    pub unknown_country: &'static str,
    pub unknown_network: &'static str,
}
}

texts! {
/// The texts only the full app shows (landing page, tables, history, sharing). They live apart
/// from [`Strings`] so the embedded widget, which never shows them, does not carry them.
pub struct AppStrings {
    /// The language's own name, for the switcher.
    pub name: &'static str,
    pub tagline: &'static str,
    pub intro_heading: &'static str,
    pub intro_does: &'static str,
    pub operator_heading: &'static str,
    pub operator_text: &'static str,
    pub sent_heading: &'static str,
    pub sent_text: &'static str,
    pub intro_not_heading: &'static str,
    pub intro_does_not: &'static [&'static str],
    pub start_note: &'static str,
    pub results_heading: &'static str,
    pub controls_heading: &'static str,
    pub controls_explain: &'static str,
    pub details: &'static str,
    pub chart_caption: &'static str,
    pub col_check: &'static str,
    pub col_kind: &'static str,
    pub col_verdict: &'static str,
    pub col_failure: &'static str,
    pub col_time: &'static str,
    pub col_samples: &'static str,
    pub col_data: &'static str,
    pub waiting: &'static str,
    pub export: &'static str,
    pub copy_summary: &'static str,
    pub copied: &'static str,
    pub copy_failed: &'static str,
    pub share: &'static str,
    pub share_label: &'static str,
    pub share_note: &'static str,
    pub history: &'static str,
    pub history_heading: &'static str,
    pub history_empty: &'static str,
    pub clear_history: &'static str,
    pub open: &'static str,
    pub history_ignored: &'static str,
    pub viewing_shared: &'static str,
    /// `{time}`
    pub viewing_history: &'static str,
    pub back_to_own: &'static str,
    /// `{why}`
    pub share_error: &'static str,
    pub measured_at: &'static str,
    /// `{n}`
    pub outbox_delivered: &'static str,
    pub outbox_waiting: &'static str,
    /// `{n}`: reports dropped after the last attempt or a refusal.
    pub outbox_given_up: &'static str,
    pub language: &'static str,
    pub footer_note: &'static str,
    pub unit_kbps: &'static str,
    pub unit_kb: &'static str,
    /// `{frozen}`, `{total}`: a service grouped by hosting network.
    pub networks_freeze: &'static str,
    /// `{total}`
    pub networks_no_freeze: &'static str,
    /// `{n}`, appended
    pub networks_blocked: &'static str,
    /// `{n}`, appended
    pub networks_unknown: &'static str,
    pub network_works: &'static str,
    pub network_freezes: &'static str,
    pub network_blocked: &'static str,
    pub network_unknown: &'static str,
    pub col_network: &'static str,
    /// `{rate}`, `{control}`: after a throttled or slow service's explanation. The control rate
    /// can be a lower bound (a body too fast to time), hence "or more".
    pub rate_vs_controls: &'static str,
    /// `{rate}`: the same without a control rate.
    pub rate_alone: &'static str,
    pub private_mode: &'static str,
    pub private_on: &'static str,
    pub delete_everything: &'static str,
    pub delete_confirm: &'static str,
    pub delete_yes: &'static str,
    pub delete_no: &'static str,
    /// `{n}`
    pub deleted: &'static str,
    /// Before the first hex digits of the app's wasm digest in the footer.
    pub footer_digest: &'static str,
    /// How it is blocked (docs/verdicts.md, "How it is blocked"), after "How:".
    pub how_label: &'static str,
    pub method_dns: &'static str,
    pub method_name: &'static str,
    pub method_address: &'static str,
    pub method_unknown: &'static str,
    /// What the visitor can do, per advice (docs/verdicts.md, "What you can do").
    pub advice_label: &'static str,
    pub advice_dns: &'static str,
    pub advice_name: &'static str,
    pub advice_address: &'static str,
    pub advice_calls: &'static str,
    pub advice_throttled: &'static str,
    /// Shown while the follow-up probes run.
    pub diagnosing: &'static str,
    /// The compact list of every service's verdict above the cards.
    pub glance_heading: &'static str,
    /// The button that makes the summary picture, and its download link.
    pub picture: &'static str,
    pub picture_download: &'static str,
    pub picture_failed: &'static str,
    /// In the picture: the kind of network (`navigator.connection.type`).
    pub picture_mobile: &'static str,
    pub picture_fixed: &'static str,
    /// In the picture, when only domestic controls answered.
    pub picture_allow_list: &'static str,
    pub picture_footer: &'static str,
    /// "Others on your network saw…", a second opt-in after a run.
    pub others_heading: &'static str,
    /// `{host}`: the collector asked.
    pub others_explain: &'static str,
    pub others_ask: &'static str,
    pub others_asking: &'static str,
    pub others_failed: &'static str,
    /// Before the visitor's own verdict.
    pub others_you: &'static str,
    /// `{label}`, `{percent}`, `{n}`
    pub others_share: &'static str,
    /// `{k}`: the minimum cell size.
    pub others_too_few: &'static str,
    /// The page was started from the copy kept on the device (its host did not answer).
    pub offline_start: &'static str,
    pub new_version: &'static str,
    pub reload: &'static str,
    /// Under the share link of a page opened from a file.
    pub share_from_disk: &'static str,
    /// The one-file app opened from disk: what works differently.
    pub single_file_note: &'static str,
}
}

/// A number rounded to a whole, printed as an integer: the browser build avoids float
/// formatting code altogether (it is sizeable in wasm).
pub fn whole(value: f64) -> String {
    (value.round() as i64).to_string()
}

/// Replaces each `{name}` in `template` with its value.
pub fn fill(template: &str, values: &[(&str, String)]) -> String {
    values.iter().fold(template.to_owned(), |text, (name, value)| text.replace(&format!("{{{name}}}"), value))
}

impl Strings {
    /// The form of `forms` for count `n`.
    pub fn plural_form(&self, n: usize, forms: &'static [&'static str]) -> &'static str {
        forms.get((self.plural)(n as u64)).or(forms.last()).copied().unwrap_or("")
    }

    /// The visitor's word for a verdict or a service's status.
    pub fn label(&self, badge: Badge) -> &'static str {
        match badge {
            Badge::Endpoint(Verdict::Ok) => self.label_ok,
            Badge::Service(ServiceStatus::Reachable) => self.label_reachable,
            Badge::Endpoint(Verdict::Slow) | Badge::Service(ServiceStatus::Slow) => self.label_slow,
            Badge::Endpoint(Verdict::Throttled) | Badge::Service(ServiceStatus::Throttled) => {
                self.label_throttled
            }
            Badge::Endpoint(Verdict::Stalled) => self.label_stalled,
            Badge::Service(ServiceStatus::Partial) => self.label_partial,
            Badge::Endpoint(Verdict::Blocked) | Badge::Service(ServiceStatus::Blocked) => self.label_blocked,
            Badge::Endpoint(Verdict::RelayOnly) | Badge::Service(ServiceStatus::RelayOnly) => {
                self.label_relay_only
            }
            Badge::Endpoint(Verdict::Inconclusive) | Badge::Service(ServiceStatus::Inconclusive) => {
                self.label_inconclusive
            }
        }
    }

    /// A problem at its place (`data-lang: "de" is not one of en, ru`).
    pub fn problem(&self, problem: &Problem) -> String {
        let issue = (self.issue)(&problem.issue);
        if problem.at.is_empty() {
            issue
        } else {
            format!("{}: {issue}", problem.at)
        }
    }

    /// Why a catalog or baseline could not be used (its problems are listed apart: [`Self::problem`]).
    pub fn load_error(&self, error: &LoadError) -> String {
        match error {
            LoadError::BadUrl(url) => fill(self.load_bad_url, &[("url", url.clone())]),
            LoadError::Fetch { url, failure } => {
                let why = match failure {
                    FetchFailure::Network => self.fetch_network.to_owned(),
                    FetchFailure::Status(status) => {
                        fill(self.fetch_status, &[("status", status.to_string())])
                    }
                    FetchFailure::Unreadable => self.fetch_unreadable.to_owned(),
                    FetchFailure::NoAnswer => self.fetch_no_answer.to_owned(),
                };
                fill(self.load_fetch, &[("url", url.clone()), ("why", why)])
            }
            LoadError::Invalid { url, problems } => {
                fill(self.load_invalid, &[("url", url.clone()), ("n", problems.len().to_string())])
            }
            LoadError::UnknownServices(ids) => fill(self.load_unknown_services, &[("ids", ids.join(", "))]),
        }
    }

    /// A load error with its problems, in one line (for notes where a list does not fit).
    pub fn load_error_line(&self, error: &LoadError) -> String {
        let mut line = self.load_error(error);
        if let LoadError::Invalid { problems, .. } = error {
            let problems: Vec<String> = problems.iter().map(|p| self.problem(p)).collect();
            line = format!("{line} {}", problems.join("; "));
        }
        line
    }

    pub fn share_issue(&self, issue: &ShareIssue) -> String {
        match issue {
            ShareIssue::TooLong { limit } => fill(self.share_too_long, &[("limit", limit.to_string())]),
            ShareIssue::OtherVersion => self.share_other_version.to_owned(),
            ShareIssue::NotBase64 | ShareIssue::Damaged(_) => self.share_damaged.to_owned(),
        }
    }

    pub fn failure(&self, failure: Failure) -> &'static str {
        match failure {
            Failure::Timeout => self.failure_timeout,
            Failure::FastFail => self.failure_fast,
            Failure::SlowFail => self.failure_slow,
        }
    }

    pub fn reason(&self, reason: Reason) -> &'static str {
        match reason {
            Reason::ControlsFailed => self.reason_controls_failed,
            Reason::InternationalDown => self.reason_international_down,
            Reason::NotRun => self.reason_not_run,
            Reason::BadPort => self.reason_bad_port,
            Reason::ContentSecurityPolicy => self.reason_csp,
            Reason::MixedContent => self.reason_mixed_content,
            Reason::BrowserRefused => self.reason_browser_refused,
            Reason::CandidatesHidden => self.reason_candidates_hidden,
            Reason::ServerError => self.reason_server_error,
            Reason::ContentBlocker => self.reason_content_blocker,
            Reason::NetworkChanged => self.reason_network_changed,
            Reason::EndpointBroken => self.reason_endpoint_broken,
            Reason::UdpDown => self.reason_udp_down,
            Reason::UploadRefused => self.reason_upload_refused,
        }
    }

    pub fn ms(&self, ms: Option<f64>) -> String {
        ms.map_or_else(|| "—".to_owned(), |ms| fill(self.unit_ms, &[("n", whole(ms))]))
    }

    /// The one-line explanation of a service's verdict.
    pub fn explain(&self, summary: &ServiceSummary, control_ms: Option<f64>) -> String {
        let n = summary.endpoints - summary.inconclusive;
        let values = [
            ("n", n.to_string()),
            ("checks", self.plural_form(n, self.checks).to_owned()),
            ("blocked", summary.blocked.to_string()),
            ("ms", self.ms(summary.median_ms)),
            ("control", self.ms(control_ms)),
            ("failure", summary.failure.map_or("", |f| self.failure(f)).to_owned()),
        ];
        let template = match summary.status {
            ServiceStatus::Reachable => self.explain_reachable,
            ServiceStatus::Slow => self.explain_slow,
            ServiceStatus::Throttled => self.explain_throttled,
            ServiceStatus::RelayOnly => self.explain_relay_only,
            ServiceStatus::Partial => self.explain_partial,
            ServiceStatus::Blocked => match summary.failure {
                Some(Failure::Timeout) => self.explain_blocked_timeout,
                Some(Failure::FastFail) => self.explain_blocked_fast,
                _ => self.explain_blocked_slow,
            },
            ServiceStatus::Inconclusive => match summary.reason {
                Some(Reason::ControlsFailed) => self.explain_controls_failed,
                Some(Reason::InternationalDown) => self.explain_international_down,
                Some(Reason::NotRun) | None => self.explain_not_run,
                Some(
                    other @ (Reason::NetworkChanged
                    | Reason::EndpointBroken
                    | Reason::ServerError
                    | Reason::UdpDown
                    | Reason::UploadRefused),
                ) => return fill(self.explain_inconclusive, &[("reason", self.reason(other).to_owned())]),
                Some(other) => {
                    return fill(self.explain_browser, &[("reason", self.reason(other).to_owned())])
                }
            },
        };
        fill(template, &values)
    }

    /// "3 of 14 services look blocked from your network, 1 partly blocked, ..."
    pub fn run_summary(&self, tally: &Tally) -> String {
        let mut text = fill(
            self.summary_blocked,
            &[
                ("blocked", tally.blocked.to_string()),
                ("total", tally.services.to_string()),
                ("services", self.plural_form(tally.services, self.services_of).to_owned()),
            ],
        );
        for (count, template) in [
            (tally.partial, self.summary_partial),
            (tally.throttled, self.summary_throttled),
            (tally.slow, self.summary_slow),
            (tally.relay_only, self.summary_relay_only),
            (tally.inconclusive, self.summary_inconclusive),
        ] {
            if count > 0 {
                text.push_str(&fill(template, &[("n", count.to_string())]));
            }
        }
        text.push('.');
        text
    }

    /// A service's title: the catalog's name, except for call-path services, which get the
    /// language's own word for calls.
    pub fn service_name(&self, service: &reachcheck_core::results::ServiceRow) -> String {
        let calls = !service.endpoints.is_empty()
            && service.endpoints.iter().all(|e| e.kind == reachcheck_core::catalog::ProbeKind::Webrtc);
        if calls {
            self.calls_name.to_owned()
        } else {
            service.name.clone()
        }
    }
}

impl AppStrings {
    pub fn page_notice(&self, text: &Strings, notice: &crate::state::PageNotice) -> String {
        match notice {
            crate::state::PageNotice::HistoryIgnored => self.history_ignored.to_owned(),
            crate::state::PageNotice::ShareLinkBroken(why) => {
                fill(self.share_error, &[("why", text.share_issue(why))])
            }
        }
    }

    /// What became of reports queued on this device (empty when there is nothing to say).
    pub fn outbox_notice(&self, notice: &reachcheck_core::outbox::Notice) -> String {
        let lines = [
            (notice.delivered, self.outbox_delivered),
            (notice.waiting, self.outbox_waiting),
            (notice.given_up, self.outbox_given_up),
        ];
        let lines: Vec<String> = lines
            .iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, text)| fill(text, &[("n", n.to_string())]))
            .collect();
        lines.join(" ")
    }

    /// "Connections to 2 of 9 networks freeze after ~16 KB …", with what did not answer.
    pub fn networks_summary(&self, networks: &[NetworkRow]) -> String {
        let count = |state| networks.iter().filter(|n| n.state == state).count();
        let total = ("total", networks.len().to_string());
        let frozen = count(NetworkState::Freezes);
        let mut text = if frozen > 0 {
            fill(self.networks_freeze, &[("frozen", frozen.to_string()), total])
        } else {
            fill(self.networks_no_freeze, &[total])
        };
        for (n, template) in [
            (count(NetworkState::Blocked), self.networks_blocked),
            (count(NetworkState::Unknown), self.networks_unknown),
        ] {
            if n > 0 {
                text.push_str(&fill(template, &[("n", n.to_string())]));
            }
        }
        text
    }

    pub fn method(&self, method: Method) -> &'static str {
        match method {
            Method::Dns => self.method_dns,
            Method::Name => self.method_name,
            Method::Address => self.method_address,
            Method::Unknown => self.method_unknown,
        }
    }

    pub fn advice(&self, advice: Advice) -> &'static str {
        match advice {
            Advice::Dns => self.advice_dns,
            Advice::Name => self.advice_name,
            Advice::Address => self.advice_address,
            Advice::Calls => self.advice_calls,
            Advice::Throttled => self.advice_throttled,
        }
    }

    pub fn network_state(&self, state: NetworkState) -> &'static str {
        match state {
            NetworkState::Works => self.network_works,
            NetworkState::Freezes => self.network_freezes,
            NetworkState::Blocked => self.network_blocked,
            NetworkState::Unknown => self.network_unknown,
        }
    }

    /// "Data arrives at 31 kB/s; the control sites: 2400 kB/s."
    pub fn rate_note(&self, rate_bps: f64, control_bps: Option<f64>) -> String {
        let rate = ("rate", self.kbps(rate_bps));
        match control_bps {
            Some(control) => fill(self.rate_vs_controls, &[rate, ("control", self.kbps(control))]),
            None => fill(self.rate_alone, &[rate]),
        }
    }

    pub fn kbps(&self, bps: f64) -> String {
        fill(self.unit_kbps, &[("n", whole(bps / 1000.0))])
    }

    pub fn kb(&self, bytes: u64) -> String {
        let tenths = (bytes as f64 / 102.4).round() as u64;
        fill(self.unit_kb, &[("n", format!("{}.{}", tenths / 10, tenths % 10))])
    }

    /// A plain-text summary for the clipboard, in the language of `text`.
    pub fn text_summary(&self, text: &Strings, results: &RunResults) -> String {
        let mut lines = vec![format!("reachcheck — {}", text.run_summary(&results.tally()))];
        if let Some(time) = &results.measured_at {
            lines.push(format!("{} {time} UTC", self.measured_at));
        }
        for service in &results.services {
            if let Some(summary) = &service.summary {
                let label = text.label(Badge::Service(summary.status));
                lines.push(format!(
                    "{}: {label} — {}",
                    service.name,
                    text.explain(summary, results.control_median_ms)
                ));
            }
        }
        lines.join("\n")
    }
}

/// English plural forms: one, other.
pub fn plural_en(n: u64) -> usize {
    usize::from(n != 1)
}

/// Russian plural forms: one (1, 21, ...), few (2–4, 22–24, ...), many (0, 5–20, 25–30, ...).
pub fn plural_ru(n: u64) -> usize {
    match (n % 10, n % 100) {
        (1, r) if r != 11 => 0,
        (2..=4, r) if !(12..=14).contains(&r) => 1,
        _ => 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reachcheck_core::verdict::ServiceSummary;

    fn summary(status: ServiceStatus, failure: Option<Failure>, reason: Option<Reason>) -> ServiceSummary {
        ServiceSummary {
            status,
            endpoints: 4,
            reachable: 0,
            degraded: 0,
            blocked: 4,
            inconclusive: 0,
            failure,
            reason,
            median_ms: Some(60.0),
        }
    }

    #[test]
    fn detects_the_language() {
        assert_eq!(Lang::detect(Some("ru"), &[]), Lang::Ru);
        assert_eq!(Lang::detect(Some("xx"), &["ru-RU".into(), "en".into()]), Lang::Ru);
        assert_eq!(Lang::detect(None, &["de-DE".into(), "en-GB".into()]), Lang::En);
        assert_eq!(Lang::detect(None, &[]), Lang::En);
    }

    #[test]
    fn russian_plurals() {
        let forms: Vec<usize> =
            [0, 1, 2, 4, 5, 11, 12, 14, 21, 22, 25, 101, 111].iter().map(|&n| plural_ru(n)).collect();
        assert_eq!(forms, [2, 0, 1, 1, 2, 2, 2, 2, 0, 1, 2, 0, 2]);
    }

    #[test]
    fn explanations_carry_the_evidence() {
        let en = Lang::En.strings();
        let text = en.explain(&summary(ServiceStatus::Blocked, Some(Failure::Timeout), None), Some(40.0));
        assert_eq!(
            text,
            "All 4 checks got no answer while the control sites answered in 40 ms — looks blocked."
        );
        let ru = Lang::Ru.strings();
        let text = ru.explain(&summary(ServiceStatus::Blocked, Some(Failure::Timeout), None), Some(40.0));
        assert!(text.contains("40 мс") && text.contains('4'), "{text}");
        let csp = summary(ServiceStatus::Inconclusive, None, Some(Reason::ContentSecurityPolicy));
        assert!(en.explain(&csp, None).contains(en.reason_csp));
    }

    #[test]
    fn run_summaries_count_services() {
        let tally =
            Tally { services: 14, judged: 14, blocked: 3, partial: 1, reachable: 10, ..Tally::default() };
        assert_eq!(
            Lang::En.strings().run_summary(&tally),
            "3 of 14 services look blocked from your network, 1 partly blocked."
        );
        let ru = Lang::Ru.strings().run_summary(&tally);
        assert!(ru.contains("3 из 14 сервисов"), "{ru}");
    }

    /// One of every problem core can report (the Russian wording is an exhaustive `match`, so a
    /// new one does not compile until worded; this list makes the test see it too).
    fn every_issue() -> Vec<Issue> {
        use reachcheck_core::problem::UrlIssue;
        let s = || "x".to_owned();
        let mut issues = vec![
            Issue::TooLarge { bytes: 2, limit: 1 },
            Issue::Json(s()),
            Issue::UnsupportedFormat { found: 9, oldest: 1, newest: 2 },
            Issue::InvalidId(s()),
            Issue::Empty,
            Issue::TooLong { limit: 200 },
            Issue::NotWebUrl { scheme: s() },
            Issue::MixedContent { scheme: s() },
            Issue::NoControls,
            Issue::NoServices,
            Issue::TooManyEndpoints { count: 2, limit: 1 },
            Issue::TooManyResolvers { count: 4, limit: 3 },
            Issue::ResolverUrl,
            Issue::DuplicateId(s()),
            Issue::ControlNeedsScope,
            Issue::DomesticNeedsCountry,
            Issue::BadCountry(s()),
            Issue::CanaryKind { kind: "stream" },
            Issue::CanaryFilterListed,
            Issue::OnlyControls,
            Issue::ProtocolsNeedWebsocket,
            Issue::BadProtocol(s()),
            Issue::ProtocolTwice(s()),
            Issue::OutOfRange { value: 0, min: 1, max: 2 },
            Issue::SuccessNotObservable { success: "opens", kind: "fetch" },
            Issue::StreamNeedsSize,
            Issue::MustBePositive,
            Issue::OnlyStreamReadsBody,
            Issue::OnlyUploadsSend,
            Issue::CredentialsOnlyWebrtc,
            Issue::SchemeNotForKind { kind: "fetch", scheme: s() },
            Issue::NotAServiceId(s()),
            Issue::NotOneOf { value: s(), allowed: "a, b" },
            Issue::NotAColour(s()),
            Issue::NotADay(s()),
        ];
        issues.extend(
            [
                UrlIssue::Spaces,
                UrlIssue::NotAscii,
                UrlIssue::NoScheme,
                UrlIssue::Scheme(s()),
                UrlIssue::NoSlashes,
                UrlIssue::Credentials,
                UrlIssue::UnclosedBracket,
                UrlIssue::NoHost,
                UrlIssue::HostCharacters(s()),
                UrlIssue::Port(s()),
            ]
            .map(Issue::Url),
        );
        issues
    }

    #[test]
    fn every_language_fills_every_text() {
        let texts = |lang: Lang| {
            [lang.strings().all_texts(), lang.app_strings().all_texts(), lang.dashboard_strings().all_texts()]
                .concat()
        };
        let (en, ru) = (texts(Lang::En), texts(Lang::Ru));
        assert!(en.len() > 140, "all_texts lists every field: {}", en.len());
        for (lang, texts) in [(Lang::En, &en), (Lang::Ru, &ru)] {
            let empty: Vec<_> = texts.iter().filter(|(_, t)| t.trim().is_empty()).collect();
            assert!(empty.is_empty(), "{lang:?}: {empty:?}");
        }
        let by_name = |texts: &[(&'static str, &'static str)]| {
            let mut map = std::collections::BTreeMap::<&str, Vec<&str>>::new();
            texts.iter().for_each(|(name, text)| map.entry(name).or_default().push(text));
            map
        };
        let (en, ru) = (by_name(&en), by_name(&ru));
        assert_eq!(en.keys().collect::<Vec<_>>(), ru.keys().collect::<Vec<_>>());
        let same: Vec<_> =
            en.iter().filter(|(name, texts)| texts.iter().any(|t| ru[*name].contains(t))).collect();
        assert!(same.is_empty(), "untranslated: {same:?}");
        let badges = [
            ServiceStatus::Reachable,
            ServiceStatus::Slow,
            ServiceStatus::Throttled,
            ServiceStatus::Partial,
            ServiceStatus::Blocked,
            ServiceStatus::RelayOnly,
            ServiceStatus::Inconclusive,
        ]
        .map(Badge::Service)
        .into_iter()
        .chain(
            [
                Verdict::Ok,
                Verdict::Slow,
                Verdict::Throttled,
                Verdict::Stalled,
                Verdict::Blocked,
                Verdict::RelayOnly,
                Verdict::Inconclusive,
            ]
            .map(Badge::Endpoint),
        );
        for badge in badges {
            assert_ne!(Lang::En.strings().label(badge), Lang::Ru.strings().label(badge), "{badge:?}");
        }
    }

    #[test]
    fn every_problem_is_worded_in_every_language() {
        let (en, ru) = (Lang::En.strings(), Lang::Ru.strings());
        for issue in every_issue() {
            let problem = Problem::new("services[0].url", issue.clone());
            let (e, r) = (en.problem(&problem), ru.problem(&problem));
            assert_eq!(e, problem.to_string(), "English is core's own wording");
            assert!(r.starts_with("services[0].url: ") && r != e, "{issue:?}: {r}");
            assert!(r.chars().any(|c| ('а'..='я').contains(&c)), "{issue:?} is not in Russian: {r}");
        }
        let errors = [
            LoadError::BadUrl("x".into()),
            LoadError::Fetch { url: "u".into(), failure: FetchFailure::Network },
            LoadError::Fetch { url: "u".into(), failure: FetchFailure::Status(404) },
            LoadError::Fetch { url: "u".into(), failure: FetchFailure::Unreadable },
            LoadError::Fetch { url: "u".into(), failure: FetchFailure::NoAnswer },
            LoadError::Invalid { url: "u".into(), problems: vec![Problem::new("id", Issue::Empty)] },
            LoadError::UnknownServices(vec!["x".into()]),
        ];
        for error in errors {
            assert_ne!(en.load_error_line(&error), ru.load_error_line(&error), "{error:?}");
        }
        for issue in [ShareIssue::TooLong { limit: 1 }, ShareIssue::OtherVersion, ShareIssue::NotBase64] {
            assert_ne!(en.share_issue(&issue), ru.share_issue(&issue), "{issue:?}");
        }
    }
}

//! Every string the visitor reads, per language (`en.rs`, `ru.rs`), in structs so a language is
//! complete or does not compile: [`Strings`] for what the app and the widget both show,
//! [`AppStrings`] for the full app's own pages (kept apart so the widget's wasm does not carry
//! them). Templates take `{name}` placeholders (see [`fill`]).

mod en;
mod ru;

use reachcheck_core::results::{RunResults, Tally};
use reachcheck_core::verdict::{Failure, Reason, ServiceStatus, ServiceSummary};

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

    pub fn strings(self) -> &'static Strings {
        match self {
            Lang::En => &en::EN,
            Lang::Ru => &ru::RU,
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

/// The texts of one language.
pub struct Strings {
    /// Text direction (`ltr` or `rtl`).
    pub dir: &'static str,
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
    /// Visitor words for verdict and status names.
    pub labels: &'static [(&'static str, &'static str)],
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
    /// `{n}` with the unit
    pub unit_ms: &'static str,
}

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

    /// The visitor's word for a verdict or status name.
    pub fn label(&self, name: &str) -> &'static str {
        self.labels.iter().find(|(key, _)| *key == name).map_or("", |(_, label)| label)
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
                    | Reason::UdpDown),
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

    /// Every fixed text of the language (tests look for untranslated ones).
    pub fn all_texts(&self) -> Vec<&'static str> {
        let mut texts = vec![
            self.start,
            self.run_again,
            self.cancel,
            self.consent_heading,
            self.consent_operator,
            self.consent_publish,
            self.consent_confirm,
            self.consent_back,
            self.catalog_loading,
            self.catalog_failed,
            self.probing,
            self.failure_timeout,
            self.failure_fast,
            self.failure_slow,
            self.explain_inconclusive,
            self.reason_server_error,
            self.reason_content_blocker,
            self.reason_network_changed,
            self.reason_endpoint_broken,
            self.reason_udp_down,
            self.status_answered,
            self.hint_content_blocker,
            self.hint_network_changed,
            self.note_baseline,
            self.baseline_problem,
        ];
        texts.extend(self.labels.iter().map(|(_, label)| *label));
        texts
    }
}

impl AppStrings {
    pub fn page_notice(&self, notice: &crate::state::PageNotice) -> String {
        match notice {
            crate::state::PageNotice::HistoryIgnored => self.history_ignored.to_owned(),
            crate::state::PageNotice::ShareLinkBroken(why) => fill(self.share_error, &[("why", why.clone())]),
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
                let label = text.label(summary.status.as_str());
                lines.push(format!(
                    "{}: {label} — {}",
                    service.name,
                    text.explain(summary, results.control_median_ms)
                ));
            }
        }
        lines.join("\n")
    }

    /// Every fixed text of the app's own pages (tests look for untranslated ones).
    pub fn all_texts(&self) -> Vec<&'static str> {
        let mut texts = vec![
            self.tagline,
            self.intro_heading,
            self.intro_does,
            self.operator_heading,
            self.operator_text,
            self.sent_heading,
            self.sent_text,
            self.intro_not_heading,
            self.start_note,
            self.results_heading,
            self.controls_heading,
            self.controls_explain,
            self.details,
            self.chart_caption,
            self.col_check,
            self.col_kind,
            self.col_verdict,
            self.col_failure,
            self.col_time,
            self.col_samples,
            self.col_data,
            self.waiting,
            self.export,
            self.copy_summary,
            self.share,
            self.share_label,
            self.share_note,
            self.history,
            self.history_heading,
            self.history_empty,
            self.clear_history,
            self.open,
            self.viewing_shared,
            self.back_to_own,
            self.language,
            self.outbox_delivered,
            self.outbox_waiting,
            self.outbox_given_up,
            self.footer_note,
        ];
        texts.extend(self.intro_does_not);
        texts
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

    #[test]
    fn every_language_fills_every_text() {
        for lang in Lang::ALL {
            let strings = lang.strings();
            let texts = [strings.all_texts(), lang.app_strings().all_texts()].concat();
            assert!(texts.iter().all(|t| !t.trim().is_empty()), "{lang:?}");
            for name in [
                "ok",
                "reachable",
                "slow",
                "throttled",
                "stalled",
                "partial",
                "blocked",
                "relay_only",
                "inconclusive",
            ] {
                assert!(!strings.label(name).is_empty(), "{lang:?}: {name}");
            }
        }
        let texts = |lang: Lang| [lang.strings().all_texts(), lang.app_strings().all_texts()].concat();
        let (en, ru) = (texts(Lang::En), texts(Lang::Ru));
        let same: Vec<_> = en.iter().zip(&ru).filter(|(e, r)| e == r).collect();
        assert!(same.is_empty(), "untranslated: {same:?}");
    }
}

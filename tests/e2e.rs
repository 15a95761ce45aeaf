//! End-to-end: the built app in real headless Chromium, driven through WebDriver, against
//! reachcheck-lab. See tests/e2e_support for what they need and how they skip.
#![cfg(not(target_arch = "wasm32"))]

mod e2e_support;

use std::collections::BTreeMap;

use e2e_support::{start, Harness, Look, TempDir};
use fantoccini::Locator;
use reachcheck::i18n::{Badge, Lang};
use reachcheck_core::report::Report;
use reachcheck_core::verdict::ServiceStatus;

const TIMEOUT_MS: u32 = 2000;

fn lab_catalog(h: &Harness) -> String {
    h.lab_url(&format!("/_lab/catalog.json?timeout_ms={TIMEOUT_MS}"))
}

/// `data-verdict` of every service and endpoint row on the page.
async fn verdicts(h: &Harness, rows: &str, id_attr: &str) -> BTreeMap<String, (String, String)> {
    let mut found = BTreeMap::new();
    for row in h.client.find_all(Locator::Css(rows)).await.unwrap() {
        let id = row.attr(id_attr).await.unwrap().unwrap_or_default();
        let verdict = row.attr("data-verdict").await.unwrap().unwrap_or_default();
        let failure = row.attr("data-failure").await.unwrap().unwrap_or_default();
        found.insert(id, (verdict, failure));
    }
    found
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            out.push(u8::from_str_radix(&text[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "end-to-end: needs dist/ (./x build) and chromedriver; ./x test runs it"]
async fn a_visitor_consents_runs_and_sees_every_lab_verdict_and_an_export() {
    let h = start(Look::Desktop).await;
    h.client.goto(&h.app_url(&[("lang", "en"), ("catalog", &lab_catalog(&h))])).await.unwrap();
    h.wait_for("[data-action=start]:not([disabled])", 20).await;
    assert_eq!(h.probe_hits(), 0, "opening the page contacts no catalog endpoint");
    h.click("[data-action=start]").await;
    h.wait_for("[data-run-state=consent]", 5).await;
    assert_eq!(h.probe_hits(), 0, "pressing Start only asks for consent");
    assert!(h.attr("[data-action=consent]", "disabled").await.is_some(), "consent needs both boxes");
    h.click("input[name=operator]").await;
    h.click("input[name=publish]").await;
    h.click("[data-action=consent]:not([disabled])").await;
    h.wait_for("[data-run-state=done]", 60).await;
    assert!(h.probe_hits() > 0);

    // Every endpoint and service shows the verdict the lab expects.
    let expected = reachcheck_lab::catalog::expected_verdicts(TIMEOUT_MS);
    let endpoints = verdicts(&h, "tr[data-endpoint-id]", "data-endpoint-id").await;
    for (id, want) in expected["endpoints"].as_object().unwrap() {
        let failure = want["failure"].as_str().or(want["reason"].as_str()).unwrap_or("");
        let want = (want["verdict"].as_str().unwrap().to_owned(), failure.to_owned());
        assert_eq!(endpoints.get(id), Some(&want), "endpoint {id}");
    }
    let services = verdicts(&h, "li[data-service-id]", "data-service-id").await;
    for (id, status) in expected["services"].as_object().unwrap() {
        assert_eq!(services.get(id).map(|v| v.0.as_str()), status.as_str(), "service {id}");
    }
    let summary = h.wait_for("[data-summary]", 5).await.text().await.unwrap();
    let total = expected["services"].as_object().unwrap().len();
    let counted = format!("of {total} services look blocked from your network");
    assert!(summary.contains(&counted), "{summary} {services:?}");

    // Export: a report in the documented format.
    let report = exported(&h).await;
    assert_eq!(report.test_keys.catalog_id, "reachcheck-lab");
    assert_eq!(report.test_keys.services.len(), total);
    assert!(report.browser.starts_with("Chrome "), "{}", report.browser);
    h.close().await;
}

async fn exported(h: &Harness) -> Report {
    let href = h.attr("[data-action=export]", "href").await.unwrap();
    let json = percent_decode(href.strip_prefix("data:application/json;charset=utf-8,").unwrap());
    Report::parse(&json).expect("the export parses as a report")
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "end-to-end: needs dist/ (./x build) and chromedriver; ./x test runs it"]
async fn share_links_and_the_history_show_the_same_verdicts() {
    let h = start(Look::Desktop).await;
    h.client.goto(&h.app_url(&[("lang", "en"), ("catalog", &lab_catalog(&h))])).await.unwrap();
    h.consent_and_run().await;
    let endpoints = verdicts(&h, "tr[data-endpoint-id]", "data-endpoint-id").await;
    let services = verdicts(&h, "li[data-service-id]", "data-service-id").await;
    let report = exported(&h).await;

    // Share link: the same verdicts, marked as someone else's.
    h.click("[data-action=share]").await;
    let share_url = h.wait_for("[data-share-url]", 5).await.prop("value").await.unwrap().unwrap();
    assert!(share_url.contains("#r=1."), "{share_url}");
    h.client.goto("about:blank").await.unwrap();
    h.client.goto(&share_url).await.unwrap();
    h.wait_for("[data-viewing=shared]", 20).await;
    assert_eq!(verdicts(&h, "li[data-service-id]", "data-service-id").await, services);
    assert_eq!(verdicts(&h, "tr[data-endpoint-id]", "data-endpoint-id").await, endpoints);

    // History: after a reload the run is listed and opens.
    h.client.goto(&h.app_url(&[("lang", "en"), ("catalog", &lab_catalog(&h))])).await.unwrap();
    h.click("[data-action=history]").await;
    let entry = h.wait_for(&format!("[data-history] li[data-report-id='{}']", report.report_id), 10).await;
    entry.find(Locator::Css("[data-action=open-history]")).await.unwrap().click().await.unwrap();
    h.wait_for("[data-viewing=history]", 10).await;
    assert_eq!(verdicts(&h, "li[data-service-id]", "data-service-id").await, services);
    h.close().await;
}

/// The fixed parts of every English text (templates split at their `{placeholders}`) that a
/// page in Russian must not show: long enough to be text, not shared with the Russian table.
fn english_fragments() -> Vec<(&'static str, String)> {
    let all = |lang: Lang| [lang.strings().all_texts(), lang.app_strings().all_texts()].concat();
    let russian = all(Lang::Ru);
    let mut fragments = Vec::new();
    for (name, text) in all(Lang::En) {
        for part in text.split(['{', '}']).step_by(2) {
            let part = part.trim_matches(|c: char| c.is_whitespace() || c.is_ascii_punctuation());
            if part.chars().count() > 8 && !russian.iter().any(|(_, r)| r.contains(part)) {
                fragments.push((name, part.to_owned()));
            }
        }
    }
    let badges = [
        ServiceStatus::Reachable,
        ServiceStatus::Partial,
        ServiceStatus::Blocked,
        ServiceStatus::Throttled,
        ServiceStatus::RelayOnly,
        ServiceStatus::Inconclusive,
    ];
    fragments.extend(badges.map(|b| ("label", Lang::En.strings().label(Badge::Service(b)).to_owned())));
    fragments
}

/// No English text of the app left on the page: every text of the English table is checked.
async fn assert_no_english_left(h: &Harness) {
    // The report's payload is JSON, whose keys and values are the format's, not the visitor's.
    let script =
        "const text = document.body.innerText; const payload = document.querySelector('[data-payload]'); \
                  return payload ? text.replace(payload.innerText, '') : text";
    let page = h.script(script).await.as_str().unwrap().to_owned();
    let left: Vec<_> =
        english_fragments().into_iter().filter(|(_, part)| page.contains(part.as_str())).collect();
    assert!(left.is_empty(), "untranslated in Russian: {left:?}");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "end-to-end: needs dist/ (./x build) and chromedriver; ./x test runs it"]
async fn switching_to_russian_mid_run_and_after_translates_every_text() {
    let h = start(Look::Desktop).await;
    h.client.goto(&h.app_url(&[("lang", "en"), ("catalog", &lab_catalog(&h))])).await.unwrap();
    h.wait_for("[data-action=start]:not([disabled])", 20).await;
    h.consent_and_start().await;
    h.wait_for("[data-run-state=running]", 5).await;
    // Mid-run: everything shown so far and everything that arrives is Russian.
    h.click("[data-lang=ru]").await;
    h.wait_for("html[lang=ru]", 5).await;
    h.wait_for("[data-run-state=done]", 60).await;
    let calls = h.wait_for("li[data-service-id=lab-calls] h3", 5).await.text().await.unwrap();
    assert_eq!(calls, Lang::Ru.strings().calls_name);
    assert_no_english_left(&h).await;
    // After the run, on a results view from the history.
    h.click("[data-action=history]").await;
    h.click("[data-action=open-history]").await;
    h.wait_for("[data-viewing=history]", 10).await;
    assert_no_english_left(&h).await;
    let page = h.script("return document.body.innerText").await.as_str().unwrap().to_owned();
    assert!(page.contains(Lang::Ru.app_strings().back_to_own), "the Russian texts are shown");
    // And back to English: nothing stays Russian in the headings.
    h.click("[data-lang=en]").await;
    h.wait_for("html[lang=en]", 5).await;
    let calls = h.wait_for("li[data-service-id=lab-calls] h3", 5).await.text().await.unwrap();
    assert_eq!(calls, Lang::En.strings().calls_name);
    h.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "end-to-end: needs dist/ (./x build) and chromedriver; ./x test runs it"]
async fn errors_submit_states_and_notices_read_in_russian() {
    let h = start(Look::Desktop).await;
    let ru = Lang::Ru.strings();
    // A catalog that is not valid: the reasons, worded in Russian.
    h.client.goto(&h.app_url(&[("lang", "ru"), ("catalog", &h.lab_url("/c/ok"))])).await.unwrap();
    let error = h.wait_for("[data-catalog-error]", 10).await.text().await.unwrap();
    assert!(error.contains(ru.catalog_failed), "{error}");
    assert_no_english_left(&h).await;
    // A damaged share link.
    let broken = format!("{}#r=1.%%%%", h.app_url(&[("lang", "ru"), ("catalog", &lab_catalog(&h))]));
    h.client.goto(&broken).await.unwrap();
    let notice = h.wait_for("[data-notice]", 10).await.text().await.unwrap();
    assert!(notice.contains(ru.share_damaged), "{notice}");
    assert_no_english_left(&h).await;
    // Opted in with no collector answering: queued, then waiting on the next visit.
    let url = h.app_url(&[
        ("lang", "ru"),
        ("catalog", &lab_catalog(&h)),
        ("services", "lab-ok"),
        ("submit", "http://127.0.0.1:9/v1/reports"),
    ]);
    h.client.goto(&url).await.unwrap();
    h.consent_and_run().await;
    h.click("[data-action=opt-in]").await;
    h.click("[data-action=submit]").await;
    let status = h.wait_for("[data-submit-status=queued]", 20).await.text().await.unwrap();
    assert_eq!(status, ru.submit_queued);
    assert_no_english_left(&h).await;
    h.client.goto(&url).await.unwrap();
    h.wait_for("[data-outbox]", 20).await;
    assert_no_english_left(&h).await;
    h.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "end-to-end: needs dist/ (./x build) and chromedriver; ./x test runs it"]
async fn damaged_storage_share_links_and_catalogs_are_explained_never_crash() {
    let h = start(Look::Desktop).await;
    h.client.goto(&h.app_url(&[("lang", "en"), ("catalog", &lab_catalog(&h))])).await.unwrap();
    h.wait_for("[data-action=start]:not([disabled])", 20).await;
    h.script("localStorage.setItem('reachcheck.history.v1', '{not json'); return null").await;
    h.client.refresh().await.unwrap();
    let notice = h.wait_for("[data-notice]", 10).await.text().await.unwrap();
    assert_eq!(notice, Lang::En.app_strings().history_ignored);
    h.wait_for("[data-action=start]:not([disabled])", 20).await;

    let broken = format!("{}#r=1.%%%%", h.app_url(&[("lang", "en"), ("catalog", &lab_catalog(&h))]));
    h.client.goto(&broken).await.unwrap();
    let notice = h.wait_for("[data-notice]", 10).await.text().await.unwrap();
    assert!(notice.starts_with("This share link could not be opened"), "{notice}");

    h.client.goto(&h.app_url(&[("lang", "en"), ("catalog", &h.lab_url("/c/ok"))])).await.unwrap();
    let error = h.wait_for("[data-catalog-error]", 10).await.text().await.unwrap();
    assert!(error.contains("/c/ok") && error.contains("is not a valid list"), "{error}");
    assert!(h.attr("[data-action=start]", "disabled").await.is_some());
    assert_eq!(h.probe_hits(), 1, "only the broken catalog file itself was fetched");
    h.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "end-to-end: needs dist/ (./x build) and chromedriver; ./x test runs it"]
async fn services_param_selects_and_cancel_stops_a_run() {
    let h = start(Look::Desktop).await;
    let url =
        h.app_url(&[("lang", "en"), ("catalog", &lab_catalog(&h)), ("services", "lab-ok,lab-blackhole")]);
    h.client.goto(&url).await.unwrap();
    h.consent_and_start().await;
    h.wait_for("[data-run-state=running]", 5).await;
    h.click("[data-action=cancel]").await;
    h.wait_for("[data-run-state=done]", 5).await;
    let services = verdicts(&h, "li[data-service-id]", "data-service-id").await;
    assert_eq!(services.keys().cloned().collect::<Vec<_>>(), ["lab-blackhole", "lab-ok"]);
    let summary = h.wait_for("[data-summary]", 5).await.text().await.unwrap();
    assert!(summary.starts_with("Cancelled"), "{summary}");
    // Run again: consent is not asked twice in one visit.
    h.click("[data-action=start]").await;
    h.wait_for("[data-run-state=done]", 30).await;
    h.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "end-to-end: needs dist/ (./x build) and chromedriver; ./x test runs it"]
async fn reports_are_sent_only_on_opt_in_and_a_queued_one_is_delivered_exactly_once() {
    let h = start(Look::Desktop).await;
    let dir = TempDir::new("reachcheck-e2e");
    let config = |addr: &str| reachcheck_collector::Config::new(addr, dir.0.join("reports.sqlite"));
    let collector = reachcheck_collector::start(config("127.0.0.1:0")).await.unwrap();
    let collector_addr = collector.addr;
    let reports = |c: &reachcheck_collector::Running| c.state.store.lock().unwrap().count().unwrap();
    let submit = format!("http://{collector_addr}/v1/reports");
    let url = h.app_url(&[
        ("lang", "en"),
        ("catalog", &lab_catalog(&h)),
        ("services", "lab-ok,lab-reset"),
        ("submit", &submit),
    ]);

    // A run without opting in sends nothing.
    h.client.goto(&url).await.unwrap();
    h.consent_and_run().await;
    let opt_in = h.wait_for("[data-action=opt-in]", 5).await;
    assert!(!opt_in.is_selected().await.unwrap(), "sharing is off by default");
    assert_eq!(reports(&collector), 0);

    // Opted in with the collector down: the report is queued, and its payload was shown first.
    collector.shutdown().await;
    h.click("[data-action=opt-in]").await;
    let payload = h.wait_for("[data-payload]", 5).await.text().await.unwrap();
    let shown = Report::parse(&payload).expect("the payload shown is the report sent");
    h.click("[data-action=submit]").await;
    h.wait_for("[data-submit-status=queued]", 10).await;

    // The collector comes back; the next page load delivers the report, once.
    let collector = reachcheck_collector::start(config(&collector_addr.to_string())).await.unwrap();
    h.client.goto(&url).await.unwrap();
    h.wait_for("[data-outbox]", 10).await;
    assert_eq!(reports(&collector), 1);
    let stored = collector.state.store.lock().unwrap().get(&shown.report_id).unwrap();
    assert!(stored.is_some(), "the stored report is the one that was shown");
    h.client.refresh().await.unwrap();
    h.wait_for("[data-action=start]:not([disabled])", 20).await;
    assert!(h.client.find(Locator::Css("[data-outbox]")).await.is_err(), "nothing left to deliver");
    assert_eq!(reports(&collector), 1, "delivered exactly once");
    collector.shutdown().await;
    h.close().await;
}

/// `./x screenshots`: writes the README's pictures to docs/screenshots/.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "writes docs/screenshots/; run by ./x screenshots"]
async fn screenshots() {
    let dir = std::env::var_os("REACHCHECK_SCREENSHOTS").expect("REACHCHECK_SCREENSHOTS names the folder");
    let dir = std::path::PathBuf::from(dir);
    std::fs::create_dir_all(&dir).unwrap();
    // (file, look, language, details open, scrolled to)
    for (name, look, lang, expand, at) in [
        ("en-desktop.png", Look::Desktop, "en", false, ".progress"),
        ("en-results-expanded.png", Look::Desktop, "en", true, ".progress"),
        ("ru-mobile-360.png", Look::Mobile, "ru", false, ".progress"),
        ("ru-mobile-360-details.png", Look::Mobile, "ru", true, "#service-lab-dns-block"),
        ("ru-mobile-360-controls.png", Look::Mobile, "ru", false, ".controls"),
        ("dark-mode.png", Look::Dark, "en", false, ".progress"),
    ] {
        let h = start(look).await;
        h.client.goto(&h.app_url(&[("lang", lang), ("catalog", &lab_catalog(&h))])).await.unwrap();
        h.consent_and_run().await;
        if expand {
            h.script("document.querySelectorAll('details').forEach(d => d.open = true); return null").await;
        }
        h.script(&format!("window.scrollTo(0, document.querySelector('{at}').offsetTop - 10); return null"))
            .await;
        let png = h.client.screenshot().await.unwrap();
        std::fs::write(dir.join(name), png).unwrap();
        h.close().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "end-to-end: needs dist/ (./x build) and chromedriver; ./x test runs it"]
async fn hosting_networks_read_as_one_row_of_networks_in_en_and_ru() {
    let h = start(Look::Mobile).await;
    let url = h.app_url(&[("lang", "en"), ("catalog", &lab_catalog(&h)), ("services", "lab-hosting")]);
    h.client.goto(&url).await.unwrap();
    h.consent_and_run().await;
    let row = "li[data-service-id=lab-hosting]";
    let explanation = h.wait_for(&format!("{row} .explanation"), 5).await.text().await.unwrap();
    assert_eq!(
        explanation,
        "Connections to 2 of 3 networks freeze after ~16 KB: sites hosted there load partly or not at all."
    );
    let mut states = Vec::new();
    for network in h.client.find_all(Locator::Css(&format!("{row} li[data-network]"))).await.unwrap() {
        let name = network.attr("data-network").await.unwrap().unwrap();
        states.push((name, network.attr("data-network-state").await.unwrap().unwrap()));
    }
    let expected =
        [("Open network", "works"), ("Freezing network", "freezes"), ("Upload-freezing network", "freezes")];
    assert_eq!(states, expected.map(|(n, s)| (n.to_owned(), s.to_owned())));
    h.click("[data-lang=ru]").await;
    h.wait_for("html[lang=ru]", 5).await;
    let explanation = h.wait_for(&format!("{row} .explanation"), 5).await.text().await.unwrap();
    assert!(explanation.starts_with("Соединения с 2 из 3 сетей зависают"), "{explanation}");
    h.click(&format!("{row} details summary")).await;
    let open = h.wait_for(&format!("{row} li[data-network='Open network']"), 5).await.text().await.unwrap();
    assert_eq!(open, format!("Open network — {}", Lang::Ru.app_strings().network_works));
    assert_no_english_left(&h).await;
    h.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "end-to-end: needs dist/ (./x build) and chromedriver; ./x test runs it"]
async fn a_throttled_download_shows_its_rate_next_to_the_controls() {
    let h = start(Look::Desktop).await;
    let url =
        h.app_url(&[("lang", "en"), ("catalog", &lab_catalog(&h)), ("services", "lab-download-throttled")]);
    h.client.goto(&url).await.unwrap();
    h.consent_and_run().await;
    let row = "li[data-service-id=lab-download-throttled]";
    assert_eq!(h.attr(row, "data-verdict").await.as_deref(), Some("throttled"));
    let explanation = h.wait_for(&format!("{row} .explanation"), 5).await.text().await.unwrap();
    let rate: u32 = explanation
        .split("Data arrives at ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no rate in {explanation:?}"));
    assert!((12..=17).contains(&rate), "16 kB/s throttle measured as {rate} kB/s: {explanation}");
    assert!(explanation.contains("from the control sites at"), "{explanation}");
    h.close().await;
}

/// Keys of reachcheck's in localStorage and sessionStorage.
async fn stored_keys(h: &Harness) -> Vec<String> {
    let script = "return [localStorage, sessionStorage].flatMap(s => Object.keys(s)).filter(k => k.startsWith('reachcheck.'))";
    let keys = h.script(script).await;
    keys.as_array().unwrap().iter().map(|k| k.as_str().unwrap().to_owned()).collect()
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "end-to-end: needs dist/ (./x build) and chromedriver; ./x test runs it"]
async fn private_mode_writes_nothing_and_delete_everything_leaves_nothing() {
    let h = start(Look::Desktop).await;
    let dead_collector = "http://127.0.0.1:9/v1/reports";
    let query = |private: &'static str| {
        vec![("lang", "en"), ("services", "lab-ok"), ("submit", dead_collector), ("private", private)]
    };
    let catalog = lab_catalog(&h);
    let url = |private| {
        let mut query = query(private);
        query.push(("catalog", &catalog));
        h.app_url(&query)
    };
    // Private: a run and a report that cannot be sent leave nothing behind.
    h.client.goto(&url("1")).await.unwrap();
    h.wait_for("[data-action=private]", 20).await;
    let checked = h.script("return document.querySelector('[data-action=private]').checked").await;
    assert_eq!(checked, serde_json::json!(true), "?private=1 turns it on");
    h.consent_and_run().await;
    h.click("[data-action=opt-in]").await;
    h.click("[data-action=submit]").await;
    h.wait_for("[data-submit-status=unreachable]", 20).await;
    assert_eq!(stored_keys(&h).await, Vec::<String>::new(), "private mode stored something");
    let nothing = serde_json::json!({ "caches": 0, "registrations": 0 });
    assert_eq!(offline_copy(&h).await, nothing, "private mode keeps no copy of the app");
    // Not private: the run is kept, and so is the report for a retry, and a copy of the app ...
    h.client.goto(&url("0")).await.unwrap();
    controlled(&h).await;
    h.consent_and_run().await;
    h.click("[data-action=opt-in]").await;
    h.click("[data-action=submit]").await;
    h.wait_for("[data-submit-status=queued]", 20).await;
    let mut kept = stored_keys(&h).await;
    kept.sort();
    assert_eq!(kept, ["reachcheck.history.v1", "reachcheck.outbox.v1"]);
    // ... until "delete everything", which asks first.
    h.click("[data-action=delete-everything]").await;
    h.click("[data-action=cancel-delete]").await;
    assert_eq!(stored_keys(&h).await.len(), 2, "keeping is the default");
    h.click("[data-action=delete-everything]").await;
    h.click("[data-action=confirm-delete]").await;
    assert_eq!(h.attr("[data-deleted]", "data-deleted").await.as_deref(), Some("2"));
    assert_eq!(stored_keys(&h).await, Vec::<String>::new());
    // The copy of the app goes too (asynchronously: wait for it).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while offline_copy(&h).await != nothing {
        assert!(
            std::time::Instant::now() < deadline,
            "the app's copy was not removed: {}",
            offline_copy(&h).await
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let history = h.wait_for("[data-action=history]", 5).await.text().await.unwrap();
    assert!(history.ends_with("(0)"), "{history}");
    h.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "end-to-end: needs dist/ (./x build) and chromedriver; ./x test runs it"]
async fn the_footer_shows_the_digest_of_the_code_that_runs() {
    let h = start(Look::Desktop).await;
    h.client.goto(&h.app_url(&[("lang", "en")])).await.unwrap();
    let shown = h.wait_for("[data-wasm-digest]", 20).await.attr("data-wasm-digest").await.unwrap().unwrap();
    let sums =
        std::fs::read_to_string(e2e_support::dist().join("SHA256SUMS")).expect("./x build writes SHA256SUMS");
    let wasm_line = sums.lines().find(|l| l.ends_with("  reachcheck_bg.wasm")).expect("the wasm is listed");
    assert_eq!(shown, &wasm_line[..64], "the footer shows the digest the release lists");
    let wasm = std::fs::read(e2e_support::dist().join("reachcheck_bg.wasm")).unwrap();
    let served = h
        .script("return fetch('reachcheck_bg.wasm').then(r => r.arrayBuffer()).then(b => b.byteLength)")
        .await;
    assert_eq!(served, serde_json::json!(wasm.len()), "and the listed file is the one served");
    // It travelled as one of its precompressed copies (docs/mirrors.md), which Chromium decoded.
    let sizes = h
        .script(
            "const e = performance.getEntriesByType('resource').find(e => e.name.endsWith('/reachcheck_bg.wasm'));\
             return [e.encodedBodySize, e.decodedBodySize]",
        )
        .await;
    let copies: Vec<u64> = [".br", ".gz"]
        .iter()
        .map(|suffix| {
            std::fs::metadata(e2e_support::dist().join(format!("reachcheck_bg.wasm{suffix}"))).unwrap().len()
        })
        .collect();
    assert_eq!(sizes[1], serde_json::json!(wasm.len()), "{sizes}");
    assert!(copies.iter().any(|size| sizes[0] == serde_json::json!(size)), "{sizes} against {copies:?}");
    h.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "end-to-end: needs dist/ (./x build) and chromedriver; ./x test runs it"]
async fn how_a_service_is_blocked_is_shown_with_advice_and_exported() {
    use reachcheck_core::diagnosis::Method;
    let h = start(Look::Desktop).await;
    let services = "lab-dns-block,lab-name-block,lab-address-block,lab-reset";
    let url = |advice: &str| {
        h.app_url(&[
            ("lang", "en"),
            ("catalog", &lab_catalog(&h)),
            ("services", services),
            ("advice", advice),
        ])
    };
    h.client.goto(&url("1")).await.unwrap();
    h.consent_and_run().await;
    let expected = [
        ("lab-dns-block", "lab-dnsblock-fetch", "dns", Some("dns")),
        ("lab-name-block", "lab-sniblock-fetch", "name", Some("name")),
        ("lab-address-block", "lab-ipblock-fetch", "address", Some("address")),
        // A failure of one URL whose name answers: nothing to tell, nothing to advise.
        ("lab-reset", "lab-reset-fetch", "unknown", None),
    ];
    for (service, endpoint, method, advice) in expected {
        let row = format!("li[data-service-id={service}]");
        assert_eq!(h.attr(&row, "data-method").await.as_deref(), Some(method), "{service}");
        let cell = format!("tr[data-endpoint-id={endpoint}]");
        assert_eq!(h.attr(&cell, "data-method").await.as_deref(), Some(method), "{endpoint}");
        let shown = h
            .script(&format!("return document.querySelector('{row} .advice')?.dataset.advice ?? null"))
            .await;
        assert_eq!(shown.as_str(), advice, "{service}");
    }
    let how = h.wait_for("li[data-service-id=lab-dns-block] .how", 5).await.text().await.unwrap();
    assert!(how.contains("DNS"), "{how}");
    // The export carries the methods and the evidence behind them.
    let report = exported(&h).await;
    let method_of =
        |id: &str| report.test_keys.endpoints.iter().find(|e| e.endpoint_id == id).unwrap().verdict.method;
    assert_eq!(method_of("lab-dnsblock-fetch"), Some(Method::Dns));
    assert_eq!(method_of("lab-ipblock-fetch"), Some(Method::Address));
    assert_eq!(report.test_keys.diagnoses.len(), 4, "{:?}", report.test_keys.diagnoses);
    // In Russian.
    h.click("[data-lang=ru]").await;
    let how = h.wait_for("li[data-service-id=lab-name-block] .how", 5).await.text().await.unwrap();
    assert!(how.starts_with("Как:") && how.contains("DPI"), "{how}");
    // An embedding or linking site can switch the advice off.
    h.client.goto(&url("0")).await.unwrap();
    h.consent_and_run().await;
    assert_eq!(h.attr("li[data-service-id=lab-dns-block]", "data-method").await.as_deref(), Some("dns"));
    assert_eq!(h.script("return document.querySelectorAll('.advice').length").await, 0);
    h.close().await;
}

/// Cells (at the current width) narrower than the longest word they hold, as "id: word (word
/// px > cell px)": a squeezed column.
const SQUEEZED_CELLS: &str = r#"
    const canvas = document.createElement('canvas').getContext('2d');
    const squeezed = [];
    for (const cell of document.querySelectorAll('table.endpoints th, table.endpoints td')) {
        if (!cell.offsetParent || !cell.innerText.trim()) continue;
        // A header row kept only for screen readers (1 px, clipped) is not read by the eye.
        const head = cell.closest('thead');
        if (head && head.offsetHeight <= 1) continue;
        const style = getComputedStyle(cell);
        canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
        const inner = cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
        for (const word of cell.innerText.split(/\s+/)) {
            // Ids and URLs may wrap anywhere by design; words may not.
            if (word.length > 24) continue;
            const width = canvas.measureText(word).width;
            if (width > inner + 1) {
                squeezed.push(`${cell.closest('tr').dataset.endpointId}: ${word} (${width.toFixed(0)} px > ${inner.toFixed(0)} px)`);
            }
        }
    }
    return squeezed;
"#;

#[tokio::test(flavor = "multi_thread")]
#[ignore = "end-to-end: needs dist/ (./x build) and chromedriver; ./x test runs it"]
async fn results_read_at_a_glance_on_a_360_px_phone() {
    let h = start(Look::Mobile).await;
    h.client.goto(&h.app_url(&[("lang", "ru"), ("catalog", &lab_catalog(&h))])).await.unwrap();
    h.consent_and_run().await;
    // Worst first: every blocked service before any reachable one, in the cards and the glance.
    for css in ["li[data-service-id]", "[data-glance]"] {
        let mut statuses = Vec::new();
        for row in h.client.find_all(Locator::Css(css)).await.unwrap() {
            let class = row.attr("class").await.unwrap().unwrap_or_default();
            let verdict = row.attr("data-verdict").await.unwrap();
            statuses.push(verdict.unwrap_or(class));
        }
        let last_blocked = statuses.iter().rposition(|s| s.contains("blocked")).unwrap();
        let first_reachable = statuses.iter().position(|s| s.contains("reachable")).unwrap();
        assert!(last_blocked < first_reachable, "{css}: {statuses:?}");
    }
    // The glance reads without colour: the verdict in words, and it links to the card.
    let glance = h.wait_for("[data-glance=lab-reset] a", 5).await;
    assert!(glance.text().await.unwrap().contains(Lang::Ru.strings().label_blocked), "the verdict in words");
    assert_eq!(glance.attr("href").await.unwrap().as_deref(), Some("#service-lab-reset"));
    assert!(h.client.find(Locator::Css("#service-lab-reset")).await.is_ok());
    // Controls by name, the id beside it.
    let control = h.wait_for("tr[data-endpoint-id=lab-control-domestic] th", 5).await.text().await.unwrap();
    assert!(
        control.starts_with("Lab control (domestic)") && control.contains("lab-control-domestic"),
        "{control}"
    );
    // Every table, details open, reflows: no column narrower than a word, no sideways scroll.
    h.script("document.querySelectorAll('details').forEach(d => d.open = true); return null").await;
    let squeezed = h.script(SQUEEZED_CELLS).await;
    assert_eq!(squeezed, serde_json::json!([]), "squeezed cells at 360 px");
    let overflow = h.script("return document.documentElement.scrollWidth - window.innerWidth").await;
    assert!(overflow.as_f64().unwrap() <= 0.0, "the page scrolls sideways by {overflow} px");
    h.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "end-to-end: needs dist/ (./x build) and chromedriver; ./x test runs it"]
async fn the_summary_picture_is_a_png_of_every_verdict() {
    use reachcheck::services::picture::{colour, height, DOT_X, ROW_HEIGHT, TOP, WIDTH};
    let h = start(Look::Desktop).await;
    let services = "lab-reset,lab-ok,lab-throttle,lab-bad-port";
    h.client
        .goto(&h.app_url(&[("lang", "en"), ("catalog", &lab_catalog(&h)), ("services", services)]))
        .await
        .unwrap();
    h.consent_and_run().await;
    h.click("[data-action=picture]").await;
    let link = h.wait_for("[data-picture]", 5).await;
    let href = link.attr("href").await.unwrap().unwrap();
    assert!(link.attr("download").await.unwrap().unwrap().ends_with(".png"));
    // A real PNG: its signature and its IHDR size.
    let png = decode_base64(href.strip_prefix("data:image/png;base64,").expect("a PNG data URL"));
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let size = |at: usize| u32::from_be_bytes(png[at..at + 4].try_into().unwrap());
    assert_eq!((size(16), size(20)), (WIDTH, height(4)), "one row per service");
    // Its content: each row's dot has its verdict's colour, worst first.
    let script = format!(
        r#"const done = arguments[0];
           const image = new Image();
           image.onload = () => {{
               const canvas = document.createElement('canvas');
               canvas.width = image.width; canvas.height = image.height;
               const context = canvas.getContext('2d');
               context.drawImage(image, 0, 0);
               const dots = [];
               for (let i = 0; i < 4; i++) {{
                   const [r, g, b] = context.getImageData({DOT_X} - 10, {TOP} + {ROW_HEIGHT} * i + {ROW_HEIGHT} / 2, 1, 1).data;
                   dots.push('#' + [r, g, b].map(c => c.toString(16).padStart(2, '0')).join(''));
               }}
               done(dots);
           }};
           image.src = document.querySelector('[data-picture]').href;"#
    );
    let dots = h.client.execute_async(&script, vec![]).await.unwrap();
    use reachcheck_core::verdict::ServiceStatus::*;
    let expected: Vec<&str> = [Blocked, Throttled, Inconclusive, Reachable].into_iter().map(colour).collect();
    assert_eq!(dots, serde_json::json!(expected), "blocked, throttled, inconclusive, reachable");
    h.close().await;
}

fn decode_base64(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = 0u32;
    let mut count = 0;
    let mut out = Vec::new();
    for byte in text.bytes().filter(|b| *b != b'=') {
        bits = (bits << 6) | ALPHABET.iter().position(|c| *c == byte).expect("base64") as u32;
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "end-to-end: needs dist/ (./x build) and chromedriver; ./x test runs it"]
async fn others_on_the_network_are_asked_about_only_after_the_second_opt_in() {
    use std::sync::atomic::Ordering;
    let h = start(Look::Mobile).await;
    let dir = TempDir::new("reachcheck-e2e-network");
    // A GeoIP fixture: the browser's loopback address is in RU, AS12389.
    let (country, asn) = (dir.0.join("country.mmdb"), dir.0.join("asn.mmdb"));
    for (path, kind, value) in [
        (&country, "GeoLite2-Country", serde_json::json!({ "country": { "iso_code": "RU" } })),
        (&asn, "GeoLite2-ASN", serde_json::json!({ "autonomous_system_number": 12389 })),
    ] {
        let mut writer = mmdb_writer::Writer::new(kind);
        writer.insert("127.0.0.0/8".parse::<mmdb_writer::ipnet::IpNet>().unwrap(), &value).unwrap();
        std::fs::write(path, writer.to_bytes().unwrap()).unwrap();
    }
    let mut config = reachcheck_collector::Config::new("127.0.0.1:0", dir.0.join("reports.sqlite"));
    (config.geoip, config.geoip_asn) = (Some(country), Some(asn));
    let collector = reachcheck_collector::start(config).await.unwrap();
    let submit = format!("http://{}/v1/reports", collector.addr);
    let url = h.app_url(&[
        ("lang", "en"),
        ("catalog", &lab_catalog(&h)),
        ("services", "lab-ok,lab-reset"),
        ("submit", &submit),
    ]);
    h.client.goto(&url).await.unwrap();
    h.consent_and_run().await;

    // Ten earlier tests from the same network today, as the collector would have stored them.
    let mut earlier = exported(&h).await;
    (earlier.probe_cc, earlier.probe_asn) = ("RU".into(), "AS12389".into());
    for n in 0..10u32 {
        earlier.report_id = format!("{n:032x}");
        collector
            .state
            .writer
            .store(reachcheck_collector::store::Submission::new(earlier.clone(), None))
            .await
            .unwrap();
    }
    let panel = h.wait_for("[data-network-context=idle]", 5).await.text().await.unwrap();
    assert!(panel.contains(&collector.addr.to_string()), "the visitor is told who would be asked: {panel}");
    assert_eq!(
        collector.state.network_lookups.load(Ordering::Relaxed),
        0,
        "nothing is asked before the opt-in"
    );

    h.click("[data-action=network-context]").await;
    h.wait_for("[data-network-context=answered]", 10).await;
    assert_eq!(collector.state.network_lookups.load(Ordering::Relaxed), 1, "asked once");
    let reset = h.wait_for("[data-others=lab-reset]", 5).await.text().await.unwrap();
    assert!(
        reset.contains("you: blocked")
            && reset.contains("on your network today: blocked in 100 % of 10 tests"),
        "{reset}"
    );
    // lab-ok got 10 reports too, reachable.
    let ok = h.wait_for("[data-others=lab-ok]", 5).await.text().await.unwrap();
    assert!(ok.contains("reachable in 100 % of 10 tests"), "{ok}");
    collector.shutdown().await;
    h.close().await;
}

/// The reachcheck caches and service worker registrations of the page's origin.
async fn offline_copy(h: &Harness) -> serde_json::Value {
    let script = r#"const done = arguments[0];
        Promise.all([caches.keys(), navigator.serviceWorker.getRegistrations()])
            .then(([keys, registrations]) => done({
                caches: keys.filter(k => k.startsWith('reachcheck-')).length,
                registrations: registrations.length }));"#;
    h.client.execute_async(script, vec![]).await.unwrap()
}

/// Waits until a service worker controls the page (after the first visit's install).
async fn controlled(h: &Harness) {
    let script = r#"const done = arguments[0];
        const check = () => navigator.serviceWorker.controller ? done(true) : setTimeout(check, 50);
        check();"#;
    assert_eq!(h.client.execute_async(script, vec![]).await.unwrap(), serde_json::json!(true));
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "end-to-end: needs dist/ (./x build) and chromedriver; ./x test runs it"]
async fn after_one_visit_the_app_starts_and_runs_with_its_host_down_and_probes_still_reach_the_network() {
    use std::sync::atomic::Ordering;
    let h = start(Look::Desktop).await;
    let down = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let site = reachcheck_catalog::serve::Site {
        dir: Some(e2e_support::dist()),
        down: down.clone(),
        ..Default::default()
    };
    let host = reachcheck_catalog::serve::serve(site, None).await.unwrap();
    let catalog = lab_catalog(&h);
    let url =
        format!("http://{host}/?lang=en&services=lab-ok,lab-reset&catalog={}", e2e_support::encode(&catalog));
    let hits = |h: &Harness| {
        let mut hits = h.lab.hits.snapshot();
        hits.retain(|path, _| path.starts_with("/c/") || path == "/" || path == "/dns-query");
        hits
    };
    // First visit: the worker installs and keeps a copy; a run with it in control.
    h.client.goto(&url).await.unwrap();
    h.wait_for("[data-action=start]:not([disabled])", 20).await;
    controlled(&h).await;
    h.lab.hits.clear();
    h.consent_and_run().await;
    let online = hits(&h);
    assert!(!online.is_empty());
    // The host goes down; the app still starts, says so, and the same run reaches the lab with
    // every probe: none was answered from the worker's copy.
    down.store(true, Ordering::Relaxed);
    h.client.goto(&url).await.unwrap();
    h.wait_for("[data-action=start]:not([disabled])", 30).await;
    h.wait_for("[data-offline-start]", 5).await;
    h.lab.hits.clear();
    h.consent_and_run().await;
    assert_eq!(hits(&h), online, "the same requests reached the lab");
    assert_eq!(offline_copy(&h).await, serde_json::json!({ "caches": 1, "registrations": 1 }));
    h.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "end-to-end: needs dist/ (./x build) and chromedriver; ./x test runs it"]
async fn a_new_version_arriving_late_on_a_slow_link_announces_itself_and_applies_on_reload() {
    use reachcheck_catalog::serve::{ExtraFile, Site};
    let h = start(Look::Desktop).await;
    let site = Site { dir: Some(e2e_support::dist()), ..Default::default() };
    let swapped = site.swapped.clone();
    let host = reachcheck_catalog::serve::serve(site, None).await.unwrap();
    let url = format!("http://{host}/?lang=en&catalog={}", e2e_support::encode(&lab_catalog(&h)));
    h.client.goto(&url).await.unwrap();
    h.wait_for("[data-action=start]:not([disabled])", 20).await;
    controlled(&h).await;
    let old_digest = h.attr("[data-wasm-digest]", "data-wasm-digest").await.unwrap();
    // A new release on the host (its start page names another digest), answering after 6 s:
    // longer than the worker waits, so the next start is from the copy.
    let index = std::fs::read_to_string(e2e_support::dist().join("index.html")).unwrap();
    let new_digest = "f".repeat(64);
    let new_index = index.replace(&old_digest, &new_digest);
    assert_ne!(new_index, index);
    let slow = std::time::Duration::from_secs(6);
    let page = |path: &str| ExtraFile {
        path: path.into(),
        content_type: "text/html; charset=utf-8",
        body: new_index.clone().into_bytes(),
    };
    *swapped.lock().unwrap() = vec![(page("/"), slow), (page("/index.html"), slow)];
    h.client.goto(&url).await.unwrap();
    h.wait_for("[data-offline-start]", 20).await;
    assert!(h.client.find(Locator::Css("[data-new-version]")).await.is_err(), "nothing to announce yet");
    // The late answer brings the new release into the copy; the page says so.
    let notice = h.wait_for("[data-new-version]", 40).await.text().await.unwrap();
    assert!(notice.contains(Lang::En.app_strings().new_version), "{notice}");
    assert_eq!(
        h.attr("[data-wasm-digest]", "data-wasm-digest").await.unwrap(),
        old_digest,
        "not applied by itself"
    );
    // Reloading applies it (from the copy: the host is still slow).
    h.click("[data-action=reload]").await;
    h.wait_for(&format!("[data-wasm-digest='{new_digest}']"), 20).await;
    h.wait_for("[data-action=start]:not([disabled])", 20).await;
    h.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "end-to-end: needs dist/ (./x build) and chromedriver; ./x test runs it"]
async fn the_one_file_app_runs_from_disk_against_the_lab() {
    let file = e2e_support::dist().join("reachcheck.html");
    let size = std::fs::metadata(&file).expect("./x build writes dist/reachcheck.html").len();
    assert!(size <= 450 * 1024, "{size} bytes");
    let h = start(Look::Desktop).await;
    // The built-in catalog is inside the file: it loads with nothing to fetch.
    h.client.goto(&format!("file://{}?lang=en", file.display())).await.unwrap();
    h.wait_for("[data-single-file-note]", 30).await;
    h.wait_for("[data-action=start]:not([disabled])", 20).await;
    assert!(h.client.find(Locator::Css("[data-catalog-error]")).await.is_err(), "the inline catalog loads");
    // A run against the lab from a page opened from disk.
    let query =
        format!("?lang=en&services=lab-ok,lab-reset&catalog={}", e2e_support::encode(&lab_catalog(&h)));
    h.client.goto(&format!("file://{}{query}", file.display())).await.unwrap();
    h.wait_for("[data-action=start]:not([disabled])", 30).await;
    h.consent_and_run().await;
    let services = verdicts(&h, "li[data-service-id]", "data-service-id").await;
    assert_eq!(services["lab-ok"].0, "reachable");
    assert_eq!(services["lab-reset"].0, "blocked");
    // Share links from a file say they open only here.
    h.click("[data-action=share]").await;
    h.wait_for("[data-share-from-disk]", 5).await;
    h.close().await;
}

/// Published aggregates as a collector writes them: WhatsApp blocked more and more in Russia
/// over five days on two named networks, less in Kazakhstan; Telegram throttled.
fn dashboard_fixture() -> String {
    let mut rows = Vec::new();
    let mut cell = |service: &str, cc: &str, asn: &str, day: u32, reports: u64, status: &str, hits: u64| {
        let mut counts = serde_json::Map::new();
        counts.insert(status.into(), hits.into());
        if reports > hits {
            counts.insert("reachable".into(), (reports - hits).into());
        }
        rows.push(serde_json::json!({ "service_id": service, "probe_cc": cc, "probe_asn": asn,
            "day": format!("2026-11-{day:02}"), "reports": reports, "counts": counts, "methods": {} }));
    };
    for day in 1..=5 {
        let day64 = u64::from(day);
        cell("whatsapp", "RU", "AS12389", day, 40, "blocked", 20 + 3 * day64);
        cell("whatsapp", "RU", "AS8359", day, 20, "blocked", 10 + 2 * day64);
        cell("whatsapp", "KZ", "AS9198", day, 10 + day64, "blocked", day64);
        cell("telegram", "RU", "AS12389", day, 30, "throttled", 15);
    }
    serde_json::json!({ "format": "reachcheck-aggregates-2", "generated_at": "2026-11-06 00:00:00",
        "min_cell": 10, "networks": { "AS12389": "Rostelecom", "AS8359": "MTS, PJSC" }, "rows": rows })
    .to_string()
}

async fn dashboard_at(look: Look) -> (Harness, String) {
    let h = start(look).await;
    let site = e2e_support::serve_dist_with(vec![
        ("/v1/aggregates.json", "application/json", dashboard_fixture()),
        ("/broken.json", "application/json", r#"{"format": "reachcheck-aggregates-9", "rows": []}"#.into()),
    ])
    .await;
    (h, format!("http://{site}/dashboard.html"))
}

async fn count(h: &Harness, css: &str) -> usize {
    h.client.find_all(Locator::Css(css)).await.unwrap().len()
}

/// Chooses `value` in the dashboard's `<select name=…>` as a visitor would.
async fn choose(h: &Harness, name: &str, value: &str) {
    let select = h.wait_for(&format!("select[name={name}]"), 5).await;
    select.select_by_value(value).await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "end-to-end: needs dist/ (./x build) and chromedriver; ./x test runs it"]
async fn the_dashboard_charts_the_published_aggregates_with_tables_csv_and_links_that_keep_the_filter() {
    use reachcheck_core::aggregates::{Chart, Document, Filter, Grouping};
    let (h, page) = dashboard_at(Look::Desktop).await;
    h.client.goto(&format!("{page}?service=whatsapp&lang=en")).await.unwrap();
    h.wait_for("[data-chart=country] g.line", 10).await;
    assert_eq!(count(&h, "[data-chart=country] g.line").await, 2, "RU and KZ");
    assert_eq!(count(&h, "[data-chart=network] g.line").await, 3);
    assert_eq!(count(&h, "[data-chart=network] g.line circle").await, 15, "a point per network and day");
    // Services by their names in the catalog beside the page (the built-in one).
    let named = r#"const done = arguments[0];
        const check = () => document.querySelector('[data-chart=country] h2').textContent.includes('where WhatsApp was')
            ? done(document.querySelector('select[name=service] option[value=whatsapp]').textContent) : setTimeout(check, 50);
        check();"#;
    let option = h.client.execute_async(named, vec![]).await.unwrap();
    assert_eq!(option, "WhatsApp (365)", "the service list names services too");
    let legend = h.wait_for("[data-chart=network] .legend", 5).await.text().await.unwrap();
    assert!(legend.contains("AS12389 Rostelecom") && legend.contains("AS8359 MTS, PJSC"), "{legend}");
    // The table view: every value, as the core computes it from the same document.
    let document = Document::parse(&dashboard_fixture()).unwrap();
    let filter = Filter { service: Some("whatsapp".into()), ..Filter::default() };
    let by_country = Chart::of(&document, &filter, Grouping::Country).unwrap();
    h.click("[data-chart=country] details summary").await;
    assert_eq!(count(&h, "[data-chart=country] tbody tr").await, 10);
    let ru_day_3 = h.wait_for("[data-chart=country] tr[data-series=RU][data-day='2026-11-03']", 5).await;
    let point = &by_country.series[0].points[2];
    assert_eq!((point.reports, point.hits), (60, 45), "RU on day 3: (29 + 16) of (40 + 20)");
    assert_eq!(ru_day_3.text().await.unwrap(), "2026-11-03 RU 60 75 %");
    // The CSV behind each chart is the chart's own data.
    let by_network = Chart::of(&document, &filter, Grouping::Network).unwrap();
    let href = h.attr("[data-chart=network] a[data-csv]", "href").await.unwrap();
    let csv = percent_decode(href.strip_prefix("data:text/csv;charset=utf-8,").unwrap());
    assert_eq!(csv, by_network.csv());
    assert_eq!(
        h.attr("[data-chart=network] a[data-csv]", "download").await.as_deref(),
        Some("reachcheck-whatsapp-blocked-by-network.csv")
    );
    // Filters: the address follows them, and the link reopens the same view.
    choose(&h, "cc", "RU").await;
    h.wait_for("[data-chart=network] g.line[data-series=AS8359]", 5).await;
    assert_eq!(count(&h, "[data-chart=network] g.line").await, 2, "networks in RU only");
    choose(&h, "measure", "throttled").await;
    h.wait_for("select[name=measure] option[value=throttled]:checked", 5).await;
    let link = h.attr("[data-link-to-view]", "href").await.unwrap();
    assert!(
        link.contains("service=whatsapp") && link.contains("cc=RU") && link.contains("measure=throttled"),
        "{link}"
    );
    let address = h.client.current_url().await.unwrap().to_string();
    assert_eq!(address, link, "the address is the link");
    h.client.goto("about:blank").await.unwrap();
    h.client.goto(&link).await.unwrap();
    h.wait_for("[data-chart=network] g.line", 10).await;
    let cc = h.script("return document.querySelector('select[name=cc]').value").await;
    assert_eq!(cc, "RU");
    assert_eq!(count(&h, "[data-chart=network] g.line").await, 2);
    let caption = h.wait_for("[data-chart=country] h2", 5).await.text().await.unwrap();
    assert!(caption.contains("throttled"), "{caption}");
    // The language switch: the same view in Russian, the address says so.
    h.click("[data-lang=ru]").await;
    h.wait_for("[data-lang=ru][aria-pressed=true]", 5).await;
    assert_eq!(h.wait_for("h1", 5).await.text().await.unwrap(), Lang::Ru.dashboard_strings().title);
    assert!(h.attr("[data-link-to-view]", "href").await.unwrap().contains("lang=ru"));
    assert_eq!(count(&h, "[data-chart=network] g.line").await, 2, "the same view");
    // Data that cannot be used: a clear message, nothing else breaks.
    for (data, expected) in [("missing.json", "404"), ("broken.json", "reachcheck-aggregates-9")] {
        h.client.goto(&format!("{page}?data={data}")).await.unwrap();
        let problem = h.wait_for("[data-load-error]", 10).await.text().await.unwrap();
        assert!(problem.contains(expected), "{data}: {problem}");
    }
    h.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "end-to-end: needs dist/ (./x build) and chromedriver; ./x test runs it"]
async fn the_dashboard_reads_in_russian_and_english_on_a_360_px_phone() {
    let (h, page) = dashboard_at(Look::Mobile).await;
    for lang in [Lang::Ru, Lang::En] {
        h.client.goto(&format!("{page}?lang={}&service=whatsapp", lang.code())).await.unwrap();
        h.wait_for("[data-chart=network] g.line", 10).await;
        let texts = lang.dashboard_strings();
        assert_eq!(h.wait_for("h1", 5).await.text().await.unwrap(), texts.title);
        h.script("document.querySelectorAll('details').forEach(d => d.open = true); return null").await;
        let body = h.wait_for("body", 5).await.text().await.unwrap();
        if lang == Lang::Ru {
            let english = Lang::En.dashboard_strings();
            // The switcher names each language in its own words ("English").
            for (name, text) in english.all_texts().into_iter().filter(|(name, _)| *name != "name") {
                let russian = texts.all_texts().into_iter().find(|(n, _)| *n == name).unwrap().1;
                for part in
                    text.split(['{', '}']).step_by(2).map(|p| p.trim_matches(|c: char| !c.is_alphanumeric()))
                {
                    if part.chars().count() > 4 && !russian.contains(part) {
                        assert!(!body.contains(part), "English {name:?} on the Russian page: {part:?}");
                    }
                }
            }
        }
        assert!(body.contains(texts.table_view) && body.contains(texts.download_csv));
        assert_eq!(count(&h, "[data-chart=country] tbody tr").await, 10, "{lang:?}: the table view");
        let overflow = h.script("return document.documentElement.scrollWidth - window.innerWidth").await;
        assert!(overflow.as_f64().unwrap() <= 0.0, "{lang:?}: the page scrolls sideways by {overflow} px");
        let width = h
            .script("return document.querySelector('[data-chart=country] svg').getBoundingClientRect().width")
            .await;
        assert!(width.as_f64().unwrap() <= 360.0 && width.as_f64().unwrap() > 250.0, "{lang:?}: {width}");
    }
    h.close().await;
}

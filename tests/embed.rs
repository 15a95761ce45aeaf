//! The widget embedded in a host page of another origin, with hostile CSS and a strict CSP, in
//! both modes, in real headless Chromium (see tests/e2e_support for requirements).
#![cfg(not(target_arch = "wasm32"))]

mod e2e_support;

use e2e_support::{serve_page, start, Harness, Look, TempDir};
use reachcheck::i18n::Lang;
use serde_json::Value;

const TIMEOUT_MS: u32 = 2000;

/// The host page's strict CSP: only the app's scripts (and wasm) and styles, and connections to
/// the app and `connect` (docs/embedding.md lists these lines for site owners).
fn strict_csp(app: &str, connect: &str) -> String {
    format!(
        "default-src 'none'; script-src {app} 'wasm-unsafe-eval'; style-src 'unsafe-inline' {app}; \
         connect-src {app} {connect}"
    )
}

fn host_page(h: &Harness) -> String {
    let app = format!("http://{}", h.app);
    let lab_port = h.lab.addr.port();
    let labs =
        format!("http://127.0.0.1:{lab_port} http://*.localhost:{lab_port} ws://*.localhost:{lab_port}");
    let catalog = h.lab_url(&format!("/_lab/catalog.json?timeout_ms={TIMEOUT_MS}"));
    let csp = format!("{}; img-src {labs}; frame-src {app}", strict_csp(&app, &labs));
    format!(
        r##"<!doctype html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<style>* {{ color: red !important; font-size: 40px !important; }} p.host {{ font-family: serif; }}
button {{ background: yellow !important; }}</style></head><body>
<p class="host" id="host-text">A news site's own text.</p>
<button id="host-button">the site's button</button>
<iframe data-reachcheck-frame id="frame" style="width: 100%; height: 150px; border: 0"
  src="{app}/embed.html?services=lab-ok,lab-blackhole&amp;lang=en&amp;catalog={catalog_q}"></iframe>
<script src="{app}/embed.js"></script>
<div data-reachcheck id="w1" data-services="lab-ok,lab-reset" data-catalog="{catalog}" data-lang="en" data-accent="#c2185b"></div>
<div data-reachcheck id="w2" data-services="lab-blackhole" data-catalog="{catalog}" data-lang="en" data-theme="dark" data-layout="full"></div>
<div data-reachcheck id="bad" data-theme="purple"></div>
<script type="module" src="{app}/widget.js"></script>
</body></html>"##,
        catalog_q = e2e_support::encode(&catalog),
    )
}

/// Runs JavaScript against widget `id`'s shadow root (`root`), returning its value.
async fn in_widget(h: &Harness, id: &str, code: &str) -> Value {
    let script =
        format!("const root = document.getElementById('{id}').shadowRoot; if (!root) return null; {code}");
    h.script(&script).await
}

async fn run_state(h: &Harness, id: &str) -> String {
    let value = in_widget(
        h,
        id,
        "const a = root.querySelector('[data-run-state]'); return a && a.getAttribute('data-run-state');",
    )
    .await;
    value.as_str().unwrap_or("").to_owned()
}

async fn wait_state(h: &Harness, id: &str, want: &str) {
    for _ in 0..400 {
        if run_state(h, id).await == want {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("widget {id} never reached {want} (is {})", run_state(h, id).await);
}

async fn click(h: &Harness, id: &str, selector: &str) {
    let clicked = in_widget(
        h,
        id,
        &format!("const e = root.querySelector('{selector}'); if (!e) return false; e.click(); return true;"),
    )
    .await;
    assert_eq!(clicked, Value::Bool(true), "no {selector} in widget {id}");
}

async fn consent_and_run(h: &Harness, id: &str) {
    // Start stays disabled until the catalog (and its optional baseline) has loaded.
    for _ in 0..400 {
        let ready =
            in_widget(h, id, "return !!root.querySelector('[data-action=start]:not([disabled])');").await;
        if ready == Value::Bool(true) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    click(h, id, "[data-action=start]").await;
    wait_state(h, id, "consent").await;
    click(h, id, "input[name=operator]").await;
    click(h, id, "input[name=publish]").await;
    click(h, id, "[data-action=consent]").await;
    wait_state(h, id, "done").await;
}

async fn verdicts(h: &Harness, id: &str) -> Value {
    in_widget(h, id, "return Object.fromEntries([...root.querySelectorAll('[data-service-id]')].map(e => [e.dataset.serviceId, e.dataset.verdict]));").await
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "end-to-end: needs dist/ (./x build) and chromedriver; ./x test runs it"]
async fn widgets_in_both_modes_resist_the_host_page_and_run_independently() {
    let h = start(Look::Desktop).await;
    let host = serve_page(host_page(&h)).await;
    assert_ne!(host.port(), h.app.port(), "the host page is another origin");
    h.client.goto(&format!("http://{host}/")).await.unwrap();
    wait_state(&h, "w1", "idle").await;
    wait_state(&h, "w2", "idle").await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(h.probe_hits(), 0, "loading widgets contacts no catalog endpoint");

    // A wrong setting is shown, specifically.
    let problem = in_widget(&h, "bad", "return root.querySelector('[data-config-error]').textContent;").await;
    assert!(
        problem.as_str().unwrap().contains("data-theme: \"purple\" is not one of light, dark, auto"),
        "{problem}"
    );

    // Host CSS does not reach in; widget CSS does not leak out.
    let inside = in_widget(
        &h,
        "w1",
        "const s = getComputedStyle(root.querySelector('.rc-widget')); return [s.color, s.fontSize];",
    )
    .await;
    assert_eq!(inside, serde_json::json!(["rgb(26, 26, 26)", "16px"]));
    let button = in_widget(
        &h,
        "w1",
        "return getComputedStyle(root.querySelector('[data-action=start]')).backgroundColor;",
    )
    .await;
    assert_eq!(button, "rgb(194, 24, 91)", "the accent colour, not the host's yellow");
    let outside = h.script("const s = getComputedStyle(document.getElementById('host-text')); const b = getComputedStyle(document.getElementById('host-button')); return [s.color, s.fontSize, s.fontFamily, b.backgroundColor, document.styleSheets.length];").await;
    assert_eq!(outside, serde_json::json!(["rgb(255, 0, 0)", "40px", "serif", "rgb(255, 255, 0)", 1]));

    // Two script widgets: running one leaves the other alone.
    consent_and_run(&h, "w1").await;
    assert_eq!(
        verdicts(&h, "w1").await,
        serde_json::json!({ "lab-ok": "reachable", "lab-reset": "blocked" })
    );
    assert_eq!(run_state(&h, "w2").await, "idle");
    consent_and_run(&h, "w2").await;
    assert_eq!(verdicts(&h, "w2").await, serde_json::json!({ "lab-blackhole": "blocked" }));
    let details = in_widget(&h, "w1", "return root.querySelector('[data-action=details]').href;").await;
    assert!(details.as_str().unwrap().contains("/index.html?lang=en#r=1."), "{details}");

    // The iframe: the same widget, and the loader resizes the frame to it.
    let before = h.script("return document.getElementById('frame').getBoundingClientRect().height;").await;
    let frame = h.client.find(fantoccini::Locator::Id("frame")).await.unwrap();
    frame.enter_frame().await.unwrap();
    wait_state_in_frame(&h).await;
    h.client.enter_parent_frame().await.unwrap();
    let after = h.script("return document.getElementById('frame').getBoundingClientRect().height;").await;
    assert_ne!(before, after, "the loader resized the iframe to its content");
    assert!(after.as_f64().unwrap() > 150.0, "{after}");
    h.close().await;
}

/// Inside the iframe the widget is mounted on #reachcheck-embed; run it there.
async fn wait_state_in_frame(h: &Harness) {
    let in_frame = |code: String| async move {
        h.script(&format!("const root = document.getElementById('reachcheck-embed').shadowRoot; if (!root) return null; {code}")).await
    };
    for step in
        ["[data-action=start]", "input[name=operator]", "input[name=publish]", "[data-action=consent]"]
    {
        let click = format!("const e = root.querySelector('{step}'); if (!e || e.disabled) return false; e.click(); return true;");
        for _ in 0..200 {
            if in_frame(click.clone()).await == Value::Bool(true) {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }
    let state = "return root.querySelector('[data-run-state]').getAttribute('data-run-state');".to_owned();
    for _ in 0..400 {
        if in_frame(state.clone()).await == "done" {
            let verdicts = "return Object.fromEntries([...root.querySelectorAll('[data-service-id]')].map(e => [e.dataset.serviceId, e.dataset.verdict]));";
            assert_eq!(
                in_frame(verdicts.to_owned()).await,
                serde_json::json!({ "lab-ok": "reachable", "lab-blackhole": "blocked" })
            );
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the iframe widget never finished");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "end-to-end: needs dist/ (./x build) and chromedriver; ./x test runs it"]
async fn widgets_send_only_on_opt_in_and_keep_nothing_when_the_collector_is_down() {
    let h = start(Look::Desktop).await;
    let dir = TempDir::new("reachcheck-e2e");
    let config = reachcheck_collector::Config::new("127.0.0.1:0", dir.0.join("reports.sqlite"));
    let collector = reachcheck_collector::start(config).await.unwrap();
    let reports = || collector.state.store.lock().unwrap().count().unwrap();
    let live = format!("http://{}/v1/reports", collector.addr);
    // A port nothing listens on: the collector is down.
    let dead = format!("http://127.0.0.1:{}/v1/reports", h.lab.refused_port);
    let app = format!("http://{}", h.app);
    let catalog = h.lab_url(&format!("/_lab/catalog.json?timeout_ms={TIMEOUT_MS}"));
    let csp = strict_csp(&app, &format!("{} {live} {dead}", h.lab_url("")));
    let page = format!(
        r#"<!doctype html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}"></head><body>
<div data-reachcheck id="live" data-services="lab-ok" data-catalog="{catalog}" data-lang="en" data-submit="{live}"></div>
<div data-reachcheck id="dead" data-services="lab-ok" data-catalog="{catalog}" data-lang="en" data-submit="{dead}"></div>
<script type="module" src="{app}/widget.js"></script></body></html>"#
    );
    let host = serve_page(page).await;
    h.client.goto(&format!("http://{host}/")).await.unwrap();
    for id in ["live", "dead"] {
        wait_state(&h, id, "idle").await;
        consent_and_run(&h, id).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(reports(), 0, "nothing is sent without opting in");

    let send = |id: &'static str| {
        let h = &h;
        async move {
            click(h, id, "[data-action=opt-in]").await;
            click(h, id, "[data-action=submit]").await;
            for _ in 0..200 {
                let status = in_widget(h, id, "const s = root.querySelector('[data-submit-status]'); return s && s.dataset.submitStatus;").await;
                if status != Value::Null && status != "sending" {
                    return status;
                }
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
            panic!("widget {id} never finished sending");
        }
    };
    assert_eq!(send("live").await, "sent");
    assert_eq!(reports(), 1);
    assert_eq!(send("dead").await, "unreachable");
    let retry = in_widget(&h, "dead", "return root.querySelector('[data-action=submit]').disabled;").await;
    assert_eq!(retry, Value::Bool(false), "the visitor may send again");
    let kept = h.script("return Object.keys(localStorage).filter(k => k.startsWith('reachcheck'));").await;
    assert_eq!(kept, serde_json::json!([]), "the widget keeps nothing in the host site's storage");
    collector.shutdown().await;
    h.close().await;
}

/// The widget links only the texts it shows: the full app's own pages stay out of its wasm
/// (docs/embedding.md, "Size").
#[test]
#[ignore = "end-to-end: needs dist/ (./x build) and chromedriver; ./x test runs it"]
fn the_widget_carries_the_shared_texts_only() {
    let dist = e2e_support::dist();
    let read = |name: &str| std::fs::read(dist.join(name));
    e2e_support::check_prerequisites();
    let (app, widget) = (read("reachcheck_bg.wasm").unwrap(), read("reachcheck-widget_bg.wasm").unwrap());
    let has = |wasm: &[u8], text: &str| wasm.windows(text.len()).any(|w| w == text.as_bytes());
    for lang in Lang::ALL {
        let (shared, own) = (lang.strings(), lang.app_strings());
        for text in [shared.widget_intro, shared.consent_operator, shared.explain_blocked_timeout] {
            assert!(has(&widget, text) && has(&app, text), "{text}");
        }
        for text in [own.intro_does, own.operator_text, own.share_note, own.history_heading] {
            assert!(has(&app, text), "the app shows {text}");
            assert!(!has(&widget, text), "the widget carries the app-only {text}");
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "end-to-end: needs dist/ (./x build) and chromedriver; ./x test runs it"]
async fn the_widget_never_shows_in_the_host_pages_styles_before_its_own_arrive() {
    let h = start(Look::Desktop).await;
    // The app's files again, with widget.css held back as on a slow link.
    let delay = std::time::Duration::from_millis(1500);
    let site = reachcheck_catalog::serve::Site {
        dir: Some(e2e_support::dist()),
        delayed: vec![("/widget.css".into(), delay)],
        ..Default::default()
    };
    let slow = reachcheck_catalog::serve::serve(site, None).await.unwrap();
    let app = format!("http://{slow}");
    let catalog = h.lab_url(&format!("/_lab/catalog.json?timeout_ms={TIMEOUT_MS}"));
    let csp = strict_csp(&app, &format!("http://127.0.0.1:{}", h.lab.addr.port()));
    let page = format!(
        r##"<!doctype html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<style>* {{ color: red !important; font-size: 40px !important; }}</style></head><body>
<div data-reachcheck id="w1" data-services="lab-ok" data-catalog="{catalog}" data-lang="en"></div>
<script type="module" src="{app}/widget.js"></script></body></html>"##
    );
    let host = serve_page(page).await;
    h.client.goto(&format!("http://{host}/")).await.unwrap();
    let look = "const w = root.querySelector('.rc-widget'); if (!w) return null; \
                return [getComputedStyle(w.parentElement).display, getComputedStyle(w).fontSize, \
                        !!root.querySelector('link').sheet];";
    let mut first = Value::Null;
    for _ in 0..500 {
        first = in_widget(&h, "w1", look).await;
        if !first.is_null() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert_eq!(first[2], false, "the first render came before widget.css (the case under test): {first}");
    assert_eq!(first[0], "none", "at its first render, before widget.css, the widget is not shown: {first}");
    let mut styled = Value::Null;
    for _ in 0..400 {
        styled = in_widget(&h, "w1", look).await;
        if styled[0] != "none" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(styled[1], "16px", "shown with its own styles once they apply: {styled}");
    h.close().await;
}

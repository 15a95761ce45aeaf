//! The built-in catalog (static/catalog.json) is valid for an https page and respects the browser
//! traps documented in docs/catalog.md. It is data: nothing here contacts the services.

use reachcheck_core::catalog::{Catalog, ControlScope, PageContext, ProbeKind};
use reachcheck_core::target::Scheme;

fn builtin() -> Catalog {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../static/catalog.json");
    let text = std::fs::read_to_string(path).expect("static/catalog.json exists");
    Catalog::load(&text, PageContext::SECURE).unwrap_or_else(|err| panic!("{err}"))
}

#[test]
fn has_the_services_visitors_ask_about() {
    let catalog = builtin();
    assert_eq!(catalog.id, "reachcheck-builtin");
    for id in [
        "whatsapp",
        "telegram",
        "signal",
        "max",
        "youtube",
        "instagram",
        "facebook",
        "x",
        "discord",
        "viber",
        "apple",
        "torproject",
        "proton",
        "wikipedia",
        "foreign-hosting",
    ] {
        let service =
            catalog.services.iter().find(|s| s.id == id).unwrap_or_else(|| panic!("no service {id}"));
        assert!(service.endpoints.len() >= 2, "{id}: one endpoint down for everyone would look blocked");
    }
}

#[test]
fn has_global_russian_and_throughput_controls() {
    let catalog = builtin();
    let global = catalog.controls.iter().filter(|c| c.scope == Some(ControlScope::Global)).count();
    let russian = catalog.controls.iter().filter(|c| c.country.as_deref() == Some("RU")).count();
    assert!(global >= 2 && russian >= 2, "global {global}, RU {russian}");
    assert!(
        catalog.controls.iter().any(|c| c.kind == ProbeKind::Stream),
        "a stream control gives the throughput reference"
    );
}

#[test]
fn every_endpoint_is_secure_and_explained() {
    for (_, endpoint) in builtin().endpoints() {
        let target = endpoint.target().unwrap();
        assert!(
            matches!(target.scheme, Scheme::Https | Scheme::Wss | Scheme::Stun),
            "{}: {}",
            endpoint.id,
            endpoint.url
        );
        assert!(!target.is_bad_port(), "{}", endpoint.id);
        assert!(endpoint.source.trim().len() >= 5, "{}: a source note says why this endpoint", endpoint.id);
    }
}

#[test]
fn avoids_the_known_browser_traps() {
    let catalog = builtin();
    for (service, endpoint) in catalog.endpoints() {
        let host = endpoint.target().unwrap().host;
        let id = &endpoint.id;
        // Signal's service hosts use Signal's private CA: TLS fails in any browser.
        for private in [
            "chat.signal.org",
            "cdsi.signal.org",
            "storage.signal.org",
            "textsecure-service.whispersystems.org",
        ] {
            assert_ne!(host, private, "{id}: {private} cannot be validated by a browser");
        }
        // Origin-checking WebSockets reject a foreign page exactly like a block.
        if endpoint.kind == ProbeKind::Websocket {
            assert!(
                !host.ends_with("whatsapp.com") && !host.ends_with("whatsapp.net"),
                "{id}: WhatsApp checks Origin"
            );
            assert!(!host.ends_with("max.ru") && !host.ends_with("oneme.ru"), "{id}: MAX checks Origin");
        }
        // Telegram's data centres speak plain HTTP only; their IPs cannot be reached from https.
        if service.is_some_and(|s| s.id == "telegram") {
            assert!(!host.starts_with("149.154.") && !host.starts_with("91.108."), "{id}: a plain-HTTP DC");
        }
    }
    let apple = catalog.services.iter().find(|s| s.id == "apple").unwrap();
    assert!(apple.notes.contains("UDP"), "Apple's notes must say FaceTime media (UDP) is not testable");
    let signal = catalog.services.iter().find(|s| s.id == "signal").unwrap();
    assert!(
        signal.notes.to_lowercase().contains("private"),
        "Signal's notes must explain the private-CA limit"
    );
}

#[test]
fn the_calls_row_tests_udp_with_stun_servers() {
    let catalog = builtin();
    let calls = catalog.services.iter().find(|s| s.id == "calls").unwrap();
    assert!(calls
        .endpoints
        .iter()
        .all(|e| e.kind == ProbeKind::Webrtc && e.target().unwrap().scheme == Scheme::Stun));
    assert!(calls.endpoints.iter().all(|e| e.timeout_ms <= 5000), "decide within 5 s, not Chromium's ~40 s");
}

/// Hosts on the lists content blockers and tracking protection use (Disconnect "Social" and
/// "Analytics", EasyPrivacy): a visitor's extension may block them like a reset.
const TRACKER_LIST_HOSTS: [&str; 8] = [
    "facebook.com",
    "facebook.net",
    "twitter.com",
    "x.com",
    "vk.com",
    "mail.ru",
    "google-analytics.com",
    "mc.yandex.ru",
];

fn on_tracker_lists(host: &str) -> bool {
    TRACKER_LIST_HOSTS.iter().any(|listed| host == *listed || host.ends_with(&format!(".{listed}")))
}

#[test]
fn canaries_detect_content_blockers_and_controls_stay_off_their_lists() {
    let catalog = builtin();
    assert!(catalog.canaries.len() >= 2, "a canary per kind of list");
    for canary in &catalog.canaries {
        assert!(on_tracker_lists(&canary.target().unwrap().host), "{}: a canary is a listed host", canary.id);
    }
    for control in &catalog.controls {
        let host = control.target().unwrap().host;
        assert!(!on_tracker_lists(&host), "{}: a control on a tracker list skews the reference", control.id);
    }
    for (_, endpoint) in catalog.endpoints().filter(|(s, _)| s.is_some()) {
        let host = endpoint.target().unwrap().host;
        if on_tracker_lists(&host) {
            assert!(
                endpoint.filter_listed,
                "{}: {host} is on tracker lists: mark it filter_listed",
                endpoint.id
            );
        }
    }
}

#[test]
fn catalog_corrections_of_2026_12_are_in() {
    let catalog = builtin();
    let url = |id: &str| catalog.endpoints().find(|(_, e)| e.id == id).map(|(_, e)| e.clone());
    for id in ["telegram-ws-kws2", "telegram-ws-kws4-1"] {
        assert_eq!(url(id).unwrap().protocols, ["binary"], "{id}: Telegram Web offers 'binary'");
    }
    assert!(url("telegram-ws-vesta").is_none(), "unverified without a subprotocol");
    assert_eq!(url("whatsapp-www").unwrap().url, "https://www.whatsapp.com/");
    assert_eq!(url("whatsapp-web").unwrap().url, "https://web.whatsapp.com/");
    assert_eq!(url("protonvpn-vpn-api-ping").unwrap().url, "https://vpn-api.proton.me/tests/ping");
    let broker = url("tor-snowflake-broker-debug").unwrap();
    assert_eq!(broker.success, Some(reachcheck_core::catalog::Success::OkStatus));
    let udp = catalog.controls.iter().filter(|c| c.kind == ProbeKind::Webrtc).collect::<Vec<_>>();
    assert!(udp.iter().any(|c| c.country.as_deref() == Some("RU")), "a domestic UDP control for calls");
    assert!(catalog.controls.iter().any(|c| c.url == "https://vk.ru/"), "vk.ru, not vk.com");
}

#[test]
fn a_fully_measured_run_fits_in_a_report() {
    use reachcheck_core::measurement::{Measurement, Outcome, Sample, Transfer, TransferEnd};
    use reachcheck_core::report::{Report, ReportContext, MAX_REPORT_BYTES};
    let catalog = builtin();
    // The largest a run can record: every sample taken, with its start, status and the
    // thinned transfer points of every stream.
    let measurements = catalog
        .probe_order()
        .into_iter()
        .map(|e| {
            let sample =
                Sample { at_ms: Some(12345.678), status: Some(200), ..Sample::new(Outcome::Ok, 1234.567) };
            let transfer = e.kind.is_transfer().then(|| Transfer {
                points: (0..48u32)
                    .map(|i| (1000.123 + f64::from(i) * 77.7, u64::from(i) * 100_000))
                    .collect(),
                expected_bytes: 4_800_000,
                end: TransferEnd::Complete,
            });
            let m = Measurement {
                endpoint_id: e.id.clone(),
                kind: e.kind,
                timeout_ms: e.timeout_ms,
                obstacle: None,
                samples: vec![sample; usize::from(e.samples())],
                transfer,
                ice: None,
            };
            (e.id.clone(), m)
        })
        .collect();
    let context = ReportContext {
        report_id: "0".repeat(32),
        software_version: "0.1.0",
        measurement_start_time: "2026-12-01 12:00:00".into(),
        browser: "Chrome 156".into(),
        cancelled: false,
        circumstances: Default::default(),
    };
    let json = Report::of_run(&catalog, &measurements, context).to_json();
    assert!(json.len() < MAX_REPORT_BYTES, "{} bytes: the collector would refuse it", json.len());
    eprintln!("a fully measured built-in run: {} bytes of {MAX_REPORT_BYTES}", json.len());
}

#[test]
fn foreign_hosting_tests_the_freeze_on_named_networks_in_both_directions() {
    let catalog = builtin();
    let hosting = catalog.services.iter().find(|s| s.id == "foreign-hosting").expect("the hosting row");
    let mut networks: Vec<&str> = Vec::new();
    for endpoint in &hosting.endpoints {
        let network = endpoint.network.as_deref().unwrap_or_else(|| panic!("{}: no network", endpoint.id));
        assert!(endpoint.kind.is_transfer(), "{}: a freeze needs data to move", endpoint.id);
        assert!(endpoint.source.len() > 20, "{}: where the hosting fact comes from", endpoint.id);
        if !networks.contains(&network) {
            networks.push(network);
        }
    }
    for required in
        ["Cloudflare", "Fastly", "AWS", "Google Cloud", "Azure", "Hetzner", "OVH", "DigitalOcean", "Gcore"]
    {
        assert!(networks.contains(&required), "no {required} in {networks:?}");
    }
    let directions =
        |kinds: &[ProbeKind]| hosting.endpoints.iter().filter(|e| kinds.contains(&e.kind)).count();
    assert!(directions(&[ProbeKind::Upload]) >= 8, "uploads find an upstream freeze");
    assert!(directions(&[ProbeKind::Stream, ProbeKind::Download]) >= 3, "downloads a downstream one");
    // Every download is large enough to cross the freeze, and small enough not to waste data.
    for endpoint in catalog.endpoints().map(|(_, e)| e).filter(|e| e.kind == ProbeKind::Download) {
        if let Some(bytes) = endpoint.expected_bytes {
            assert!((64 * 1024..=1024 * 1024).contains(&bytes), "{}: {bytes} bytes", endpoint.id);
        }
    }
    let uploaded: u64 = catalog
        .endpoints()
        .filter(|(_, e)| e.kind == ProbeKind::Upload)
        .map(|(_, e)| u64::from(e.upload_bytes.unwrap_or(reachcheck_core::catalog::DEFAULT_UPLOAD_BYTES)))
        .sum();
    assert!(uploaded <= 512 * 1024, "a run uploads {uploaded} bytes of the visitor's data");
}

#[test]
fn youtube_and_telegram_move_data_on_their_own_hosts() {
    let catalog = builtin();
    for (id, kind, host) in
        [("youtube", ProbeKind::Download, "i.ytimg.com"), ("telegram", ProbeKind::Upload, "telegram.org")]
    {
        let service = catalog.services.iter().find(|s| s.id == id).unwrap();
        assert!(
            service.endpoints.iter().any(|e| e.kind == kind && e.target().unwrap().host == host),
            "{id}: a {} endpoint on {host}",
            kind.as_str()
        );
    }
}

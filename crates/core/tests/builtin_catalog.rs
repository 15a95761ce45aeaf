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

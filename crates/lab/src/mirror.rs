//! Any catalog mirrored onto the lab: every endpoint keeps its kind, timeout and samples but
//! points at a lab condition that a profile picks for its service — what a visitor in Russia
//! met in 2026 — so a whole run of the built-in catalog can be timed and watched with no
//! internet (`./x bench`; `reachcheck-lab --mirror static/catalog.json --write-catalog F`).

use reachcheck_core::catalog::{Catalog, ControlScope, Endpoint, ProbeKind, Service};

use crate::Ports;

/// What a profile does to a service's endpoints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Treatment {
    Open,
    /// The name no longer resolves (dropped from the national DNS): fails at once. Mirrored as
    /// a refused connection, which a page cannot tell from NXDOMAIN (both a fast `TypeError`),
    /// so the figure does not depend on how the machine's resolver treats `.invalid` names
    /// (some lookups waited 5 s here).
    DnsDropped,
    /// Packets are dropped: no answer until the timeout.
    Blackholed,
    /// Small requests answer, data crawls at 16 kB/s.
    Throttled,
    /// Connections freeze after 16 KiB (the 2025 foreign-hosting freeze).
    Frozen,
}

/// A network to mirror a catalog onto: what it does to controls (by scope) and to services.
#[derive(Clone, Copy)]
pub struct Profile {
    pub name: &'static str,
    pub control: fn(ControlScope) -> Treatment,
    pub service: fn(&Service) -> Treatment,
}

/// Russia, 2026 (public reports; docs/verdicts.md): WhatsApp, YouTube, Facebook, Instagram and
/// Tor dropped from the national DNS, other foreign messengers and VPNs blocked by DPI,
/// Telegram throttled, foreign hosting frozen after ~16 KB, domestic services open.
pub const RUSSIA_2026: Profile =
    Profile { name: "Russia 2026", control: |_| Treatment::Open, service: |s| russia_2026(&s.id) };
/// Nothing answers at all.
pub const DEAD_NETWORK: Profile =
    Profile { name: "dead network", control: |_| Treatment::Blackholed, service: |_| Treatment::Blackholed };
/// Mobile internet under an allow-list: only domestic sites answer (the services with a
/// `country`; of the built-in ones, MAX).
pub const ALLOW_LIST: Profile = Profile {
    name: "allow-list",
    control: |scope| if scope == ControlScope::Domestic { Treatment::Open } else { Treatment::Blackholed },
    service: |s| if s.country.is_some() { Treatment::Open } else { Treatment::Blackholed },
};

fn russia_2026(service_id: &str) -> Treatment {
    match service_id {
        "whatsapp" | "youtube" | "facebook" | "instagram" | "torproject" => Treatment::DnsDropped,
        "x" | "discord" | "signal" | "viber" | "proton" | "calls" => Treatment::Blackholed,
        "telegram" => Treatment::Throttled,
        "foreign-hosting" => Treatment::Frozen,
        _ => Treatment::Open,
    }
}

/// `catalog` with every endpoint on the lab at `ports`: controls and canaries open, services
/// as `profile` says. Nothing is sent anywhere else, and nowhere are reports sent.
pub fn mirror(catalog: &Catalog, ports: &Ports, profile: Profile) -> Catalog {
    let mut mirrored = catalog.clone();
    mirrored.id = format!("{}-on-lab", catalog.id);
    mirrored.submit_url = None;
    mirrored.resolvers = crate::catalog::lab_resolvers(ports);
    for control in &mut mirrored.controls {
        let treatment = (profile.control)(control.scope.unwrap_or(ControlScope::Global));
        point(control, ports, treatment);
    }
    for canary in &mut mirrored.canaries {
        point(canary, ports, Treatment::Open);
    }
    for service in &mut mirrored.services {
        let treatment = (profile.service)(service);
        for endpoint in &mut service.endpoints {
            point(endpoint, ports, treatment);
        }
    }
    mirrored
}

fn point(endpoint: &mut Endpoint, ports: &Ports, treatment: Treatment) {
    let host = format!("{}.localhost", endpoint.id);
    // Blackholed by name, as DPI does (src/raw.rs `name_filter`): any path, while the address answers.
    let filtered = format!("{}-sniblock.localhost", endpoint.id);
    let (main, alt, freeze) = (ports.addr.port(), ports.alt, ports.freeze);
    let ip = ports.addr.ip();
    let bytes = endpoint.expected_bytes.unwrap_or(crate::catalog::TRANSFER_BYTES);
    let turn = endpoint.url.starts_with("turn");
    endpoint.url = match (endpoint.kind, treatment) {
        (ProbeKind::Webrtc, Treatment::Open) if turn => {
            format!("turn:{ip}:{}?transport=tcp", ports.stun.turn_tcp)
        }
        (ProbeKind::Webrtc, Treatment::Open) => format!("stun:{ip}:{}", ports.stun.ok),
        (ProbeKind::Webrtc, _) => format!("stun:{ip}:{}", ports.stun.drop),
        (ProbeKind::Websocket, Treatment::DnsDropped) => format!("ws://{host}:{}/", ports.refused),
        (ProbeKind::Websocket, Treatment::Blackholed) => format!("ws://{filtered}:{alt}/"),
        (ProbeKind::Websocket, _) => format!("ws://{host}:{main}/c/ws-ok"),
        (_, Treatment::DnsDropped) => format!("http://{host}:{}/", ports.refused),
        (_, Treatment::Blackholed) => format!("http://{filtered}:{main}/"),
        (kind, Treatment::Open) => format!("http://{host}:{main}{}", answer(kind, bytes)),
        (kind @ (ProbeKind::Stream | ProbeKind::Download), Treatment::Throttled) => {
            let cors = if kind == ProbeKind::Download { "&cors=0" } else { "" };
            format!("http://{host}:{main}/c/throttle=16000?bytes={bytes}{cors}")
        }
        (kind, Treatment::Throttled) => format!("http://{host}:{main}{}", answer(kind, bytes)),
        (kind, Treatment::Frozen) => format!("http://{host}:{freeze}{}", answer(kind, bytes)),
    };
    let lab_turn = endpoint.kind == ProbeKind::Webrtc && turn && treatment == Treatment::Open;
    endpoint.username = lab_turn.then(|| crate::turn::USERNAME.to_owned());
    endpoint.credential = lab_turn.then(|| crate::turn::PASSWORD.to_owned());
}

/// The lab path that answers a probe of `kind` the way its target would.
fn answer(kind: ProbeKind, bytes: u64) -> String {
    match kind {
        ProbeKind::Image => "/c/ok?type=png".into(),
        ProbeKind::Stream => format!("/c/ok?bytes={bytes}"),
        ProbeKind::Download => format!("/c/ok?bytes={bytes}&cors=0"),
        ProbeKind::Upload => "/c/ok?cors=0".into(),
        _ => "/c/ok".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reachcheck_core::catalog::PageContext;
    use std::net::SocketAddr;

    fn builtin() -> Catalog {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../static/catalog.json");
        Catalog::load(&std::fs::read_to_string(path).unwrap(), PageContext::SECURE).unwrap()
    }

    fn ports() -> Ports {
        let stun = crate::stun::StunPorts { ok: 5, delay: 6, drop: 7, closed: 8, delay_ms: 200, turn_tcp: 9 };
        Ports {
            addr: SocketAddr::from(([127, 0, 0, 1], 1)),
            refused: 2,
            alt: 3,
            freeze: 4,
            upload_freeze: 10,
            blackhole: 11,
            stun,
        }
    }

    #[test]
    fn the_builtin_catalog_mirrors_onto_the_lab_only() {
        let builtin = builtin();
        let mirrored = mirror(&builtin, &ports(), RUSSIA_2026);
        let text = mirrored.to_json();
        let loaded =
            Catalog::load(&text, PageContext { secure: false }).expect("the mirror is a valid catalog");
        assert_eq!(loaded.endpoints().count(), builtin.endpoints().count());
        for (_, endpoint) in loaded.endpoints().chain(loaded.canaries.iter().map(|c| (None, c))) {
            let host = endpoint.target().unwrap().host;
            assert!(host.ends_with(".localhost") || host == "127.0.0.1", "{}: {host}", endpoint.id);
        }
        let url = |id: &str| loaded.endpoints().find(|(_, e)| e.id == id).unwrap().1.url.clone();
        assert_eq!(url("whatsapp-register"), "http://whatsapp-register.localhost:2/", "a refused port");
        assert!(url("hosting-hetzner-upload").contains(":4/"), "foreign hosting sits behind the freeze");
        assert_eq!(url("ctl-ru-ya"), "http://ctl-ru-ya.localhost:1/c/ok");
        assert!(
            loaded.resolvers.iter().all(|r| r.starts_with("http://127.0.0.1:")),
            "{:?}",
            loaded.resolvers
        );
        let allow_list = mirror(&builtin, &ports(), ALLOW_LIST);
        let control = |id: &str| allow_list.controls.iter().find(|c| c.id == id).unwrap().url.clone();
        assert!(
            control("ctl-gstatic-204").contains("-sniblock.localhost")
                && control("ctl-ru-ya").ends_with("/c/ok")
        );
    }
}

//! The lab's own catalog: one service per condition, pointing at this lab, with the verdict each
//! endpoint must get. The browser tests and `?catalog=` runs of the app use it.

use reachcheck_core::catalog::{
    Catalog, ControlScope, Endpoint, ProbeKind, Service, Success, CATALOG_FORMAT,
};
use reachcheck_core::diagnosis::Method;
use reachcheck_core::verdict::{Failure, Reason, ServiceStatus, Verdict};

use crate::Ports;

pub const DEFAULT_TIMEOUT_MS: u32 = 4000;
/// The timeout of `long` endpoints, when the catalog's is shorter.
pub const LONG_TIMEOUT_MS: u32 = 8000;
/// Body size of the lab's transfer endpoints.
pub const TRANSFER_BYTES: u64 = 256 * 1024;
/// The lab catalog's canary; its host is `lab-canary.localhost`.
pub const LAB_CANARY_ID: &str = "lab-canary";

/// What one lab endpoint reproduces and the verdict the rules must give it.
pub struct LabEndpoint {
    pub id: &'static str,
    pub kind: ProbeKind,
    /// Path and query on the lab, or a full URL when it does not point at the lab.
    pub target: Target,
    pub verdict: Verdict,
    pub failure: Option<Failure>,
    pub reason: Option<Reason>,
    /// `success` when not the kind's default (`ok_status` fetches).
    pub success: Option<Success>,
    /// On the filter lists content blockers use (the test extension blocks its host).
    pub filter_listed: bool,
    /// For `download`: the asset's size.
    pub expected_bytes: Option<u64>,
    /// At least [`LONG_TIMEOUT_MS`]: 64 KiB at 16 kB/s take longer than the usual timeouts.
    pub long: bool,
    /// The (pretend) hosting network, for results grouped by network.
    pub network: Option<&'static str>,
    /// How a blocked endpoint is blocked, as the follow-up probes must tell it (`None`: not
    /// diagnosed — not blocked, a call path, or an address without a name).
    pub method: Option<Method>,
}

pub enum Target {
    Lab(String),
    /// A path on the lab's second port.
    AltPort(&'static str),
    /// A path behind the middlebox that freezes connections after 16 KiB either way …
    FreezePort(&'static str),
    /// … or after 16 KiB upstream.
    UploadFreezePort(&'static str),
    /// One of the lab's STUN ports, by condition.
    Stun(StunCondition),
    /// The lab's TURN server over TCP, with its credentials.
    TurnTcp,
    RefusedPort,
    /// A path on the port where nothing is ever answered (an address that is cut).
    BlackholePort(&'static str),
    Url(&'static str),
}

#[derive(Clone, Copy)]
pub enum StunCondition {
    Ok,
    Drop,
}

/// One lab service per condition, and the status its summary must get.
pub struct LabService {
    pub id: &'static str,
    pub name: &'static str,
    pub notes: &'static str,
    pub status: ServiceStatus,
    pub endpoints: Vec<LabEndpoint>,
}

fn endpoint(id: &'static str, kind: ProbeKind, target: Target, verdict: Verdict) -> LabEndpoint {
    LabEndpoint {
        id,
        kind,
        target,
        verdict,
        failure: None,
        reason: None,
        success: None,
        filter_listed: false,
        expected_bytes: None,
        long: false,
        network: None,
        method: None,
    }
}

fn on_network(network: &'static str, endpoint: LabEndpoint) -> LabEndpoint {
    LabEndpoint { network: Some(network), ..endpoint }
}

fn download(id: &'static str, target: Target, bytes: u64, verdict: Verdict) -> LabEndpoint {
    LabEndpoint { expected_bytes: Some(bytes), ..endpoint(id, ProbeKind::Download, target, verdict) }
}

fn inconclusive(id: &'static str, kind: ProbeKind, target: Target, reason: Reason) -> LabEndpoint {
    LabEndpoint { reason: Some(reason), ..endpoint(id, kind, target, Verdict::Inconclusive) }
}

/// A blocked endpoint whose failure is its URL's alone: its name's root page answers, so the
/// diagnosis cannot name a method.
fn failing(id: &'static str, kind: ProbeKind, target: Target, failure: Failure) -> LabEndpoint {
    blocked_by(Method::Unknown, id, kind, target, failure)
}

/// A call path that fails: not diagnosed (its server is reached over UDP, not by a page's request).
fn call_failing(id: &'static str, target: Target) -> LabEndpoint {
    LabEndpoint { method: None, ..failing(id, ProbeKind::Webrtc, target, Failure::Timeout) }
}

fn blocked_by(
    method: Method,
    id: &'static str,
    kind: ProbeKind,
    target: Target,
    failure: Failure,
) -> LabEndpoint {
    LabEndpoint {
        failure: Some(failure),
        method: Some(method),
        ..endpoint(id, kind, target, Verdict::Blocked)
    }
}

fn service(
    id: &'static str,
    name: &'static str,
    notes: &'static str,
    status: ServiceStatus,
    endpoints: Vec<LabEndpoint>,
) -> LabService {
    LabService { id, name, notes, status, endpoints }
}

/// Every lab service with its expected verdicts. `slow_ms` must exceed the slow threshold
/// against loopback controls (their median + 1000 ms) and stay below the timeout.
pub fn lab_services(timeout_ms: u32) -> Vec<LabService> {
    use ProbeKind::*;
    use ServiceStatus as S;
    use Target::*;
    let lab = |path: &str| Lab(path.to_owned());
    vec![
        service(
            "lab-ok",
            "Answers",
            "Every probe kind, answered at once.",
            S::Reachable,
            vec![
                endpoint("lab-ok-fetch", Fetch, lab("/c/ok"), Verdict::Ok),
                endpoint("lab-ok-image", Image, lab("/c/ok?type=png"), Verdict::Ok),
                endpoint("lab-ok-ws", Websocket, lab("/c/ws-ok"), Verdict::Ok),
                endpoint("lab-ok-stream", Stream, lab("/c/ok?bytes=262144"), Verdict::Ok),
            ],
        ),
        service(
            "lab-delay",
            "Delay 300 ms",
            "Slow-ish but fine: never blocked.",
            S::Reachable,
            vec![endpoint("lab-delay-fetch", Fetch, lab("/c/delay=300"), Verdict::Ok)],
        ),
        service(
            "lab-slow",
            "Very slow",
            "Answers after half the timeout and more.",
            S::Slow,
            vec![endpoint(
                "lab-slow-fetch",
                Fetch,
                Lab(format!("/c/delay={}", timeout_ms / 2 + 500)),
                Verdict::Slow,
            )],
        ),
        service(
            "lab-dns-block",
            "Name does not resolve",
            "Fails at once for its name, whatever the path, while its address answers and public \
            resolvers know it: the provider's DNS.",
            S::Blocked,
            vec![blocked_by(Method::Dns, "lab-dnsblock-fetch", Fetch, lab("/c/ok"), Failure::FastFail)],
        ),
        service(
            "lab-name-block",
            "Filtered by name",
            "No answer for its name, whatever the path, while its address answers: DPI on the \
            name (SNI).",
            S::Blocked,
            vec![blocked_by(Method::Name, "lab-sniblock-fetch", Fetch, lab("/c/ok"), Failure::Timeout)],
        ),
        service(
            "lab-address-block",
            "Address cut",
            "Neither its name nor its address ever answers: blocked by address (IP).",
            S::Blocked,
            vec![blocked_by(
                Method::Address,
                "lab-ipblock-fetch",
                Fetch,
                BlackholePort("/"),
                Failure::Timeout,
            )],
        ),
        service(
            "lab-blackhole",
            "Blackhole",
            "Accepts, never answers: DPI dropping packets.",
            S::Blocked,
            vec![
                failing("lab-blackhole-fetch", Fetch, lab("/c/blackhole"), Failure::Timeout),
                failing("lab-blackhole-ws", Websocket, AltPort("/c/ws-blackhole"), Failure::Timeout),
            ],
        ),
        service(
            "lab-reset",
            "Reset",
            "Reads the request, then resets the connection.",
            S::Blocked,
            vec![failing("lab-reset-fetch", Fetch, lab("/c/reset"), Failure::FastFail)],
        ),
        service(
            "lab-refuse",
            "Refused",
            "A closed port: the connection is refused.",
            S::Blocked,
            vec![LabEndpoint {
                method: None,
                ..failing("lab-refuse-fetch", Fetch, RefusedPort, Failure::FastFail)
            }],
        ),
        service(
            "lab-nxdomain",
            "NXDOMAIN",
            "A name that does not resolve, for public resolvers too: fails at once, whatever the \
            path (served by the lab's name filter, so no test depends on the machine's resolver).",
            S::Blocked,
            vec![failing("lab-nxdomain-fetch", Fetch, lab("/"), Failure::FastFail)],
        ),
        service(
            "lab-ws-reject",
            "WebSocket refused",
            "The upgrade is answered with 403.",
            S::Blocked,
            vec![failing("lab-ws-reject-ws", Websocket, lab("/c/ws-reject"), Failure::FastFail)],
        ),
        service(
            "lab-throttle",
            "Throttled",
            "The body trickles at 16 kB/s.",
            S::Throttled,
            vec![endpoint(
                "lab-throttle-stream",
                Stream,
                lab("/c/throttle=16000?bytes=262144"),
                Verdict::Throttled,
            )],
        ),
        service(
            "lab-freeze",
            "Frozen after 16 KB",
            "Sends 16 KiB, then stalls: the 2025 TLS freeze.",
            S::Throttled,
            vec![endpoint(
                "lab-freeze-stream",
                Stream,
                lab("/c/freeze-after=16384?bytes=262144"),
                Verdict::Stalled,
            )],
        ),
        service(
            "lab-download",
            "Download, no CORS",
            "A 256 KiB asset without CORS or Timing-Allow-Origin, timed to its last byte.",
            S::Reachable,
            vec![download("lab-download-ok", lab("/c/ok?bytes=262144&cors=0"), TRANSFER_BYTES, Verdict::Ok)],
        ),
        service(
            "lab-download-throttled",
            "Download at 16 kB/s, no CORS",
            "64 KiB at 16 kB/s (Russia's 128 kbit/s YouTube cap): throttled, never blocked.",
            S::Throttled,
            vec![LabEndpoint {
                long: true,
                ..download(
                    "lab-download-throttled",
                    lab("/c/throttle=16000?bytes=65536&cors=0"),
                    65_536,
                    Verdict::Throttled,
                )
            }],
        ),
        service(
            "lab-hosting",
            "Hosting networks",
            "Three networks, as a visitor in Russia meets foreign hosting: one open, one behind a \
            middlebox that freezes connections after 16 KiB either way, one that counts only \
            uploads. Results group them by network.",
            S::Throttled,
            vec![
                on_network(
                    "Open network",
                    endpoint("lab-upload-ok", Upload, lab("/c/ok?cors=0"), Verdict::Ok),
                ),
                on_network(
                    "Freezing network",
                    download(
                        "lab-download-frozen",
                        FreezePort("/c/ok?bytes=262144&cors=0"),
                        TRANSFER_BYTES,
                        Verdict::Stalled,
                    ),
                ),
                on_network(
                    "Freezing network",
                    endpoint("lab-upload-frozen", Upload, FreezePort("/c/ok?cors=0"), Verdict::Stalled),
                ),
                on_network(
                    "Upload-freezing network",
                    endpoint(
                        "lab-upload-frozen-up",
                        Upload,
                        UploadFreezePort("/c/ok?cors=0"),
                        Verdict::Stalled,
                    ),
                ),
                on_network(
                    "Upload-freezing network",
                    download(
                        "lab-upload-frozen-down",
                        UploadFreezePort("/c/ok?bytes=262144&cors=0"),
                        TRANSFER_BYTES,
                        Verdict::Ok,
                    ),
                ),
            ],
        ),
        service(
            "lab-status",
            "HTTP 503",
            "An error status: a no-cors probe cannot see it.",
            S::Reachable,
            vec![endpoint("lab-status-fetch", Fetch, lab("/c/status=503"), Verdict::Ok)],
        ),
        service(
            "lab-server-error",
            "Server errors",
            "The server answers with an error status (CORS, so the page sees it): reached, never \
            blocked; a stream gets no transfer to measure.",
            S::Reachable,
            vec![
                inconclusive(
                    "lab-server-error-stream-503",
                    Stream,
                    lab("/c/status=503"),
                    Reason::ServerError,
                ),
                inconclusive(
                    "lab-server-error-stream-404",
                    Stream,
                    lab("/c/status=404"),
                    Reason::ServerError,
                ),
                LabEndpoint {
                    success: Some(Success::OkStatus),
                    ..endpoint("lab-server-error-fetch-500", Fetch, lab("/c/status=500"), Verdict::Ok)
                },
            ],
        ),
        service(
            "lab-tracker",
            "On tracker lists",
            "Answers, but its host is on the lists content blockers use: with the test extension \
            (tests/fixtures/blocker) it is inconclusive, never blocked.",
            S::Reachable,
            vec![LabEndpoint {
                filter_listed: true,
                ..endpoint("lab-tracker-fetch", Fetch, lab("/c/ok"), Verdict::Ok)
            }],
        ),
        service(
            "lab-image-404",
            "Image answers 404",
            "An image probe cannot tell a 404 from a network error: looks blocked unless a baseline \
            knows the endpoint is broken.",
            S::Blocked,
            vec![failing("lab-image-404-image", Image, lab("/c/status=404"), Failure::FastFail)],
        ),
        service(
            "lab-ws-origin",
            "WebSocket for its own origin only",
            "Refuses upgrades from foreign origins (403): to a page exactly like a reset, so only a \
            baseline can tell.",
            S::Blocked,
            vec![failing("lab-ws-origin-ws", Websocket, lab("/c/ws-origin-check"), Failure::FastFail)],
        ),
        service(
            "lab-corp",
            "CORP same-origin",
            "A browser rule, not the network: looks like a reset. \
            Catalogs must avoid such targets.",
            S::Blocked,
            vec![failing("lab-corp-fetch", Fetch, lab("/c/ok?corp=same-origin"), Failure::FastFail)],
        ),
        service(
            "lab-bad-port",
            "Bad port",
            "Port 6666 is a fetch bad port: not probed at all.",
            S::Inconclusive,
            vec![inconclusive("lab-bad-port-fetch", Fetch, Url("http://127.0.0.1:6666/"), Reason::BadPort)],
        ),
        service(
            "lab-calls",
            "Calls",
            "A STUN server that answers: UDP call paths work.",
            S::Reachable,
            vec![endpoint("lab-calls-stun", Webrtc, Stun(StunCondition::Ok), Verdict::Ok)],
        ),
        service(
            "lab-calls-blocked",
            "Calls, UDP dropped",
            "A STUN server whose UDP requests are silently dropped.",
            S::Blocked,
            vec![call_failing("lab-calls-blocked-stun", Stun(StunCondition::Drop))],
        ),
        service(
            "lab-calls-relay",
            "Calls, UDP dropped, TURN over TCP works",
            "UDP to the STUN server is dropped; a TURN relay over TCP allocates.",
            S::RelayOnly,
            vec![
                call_failing("lab-calls-relay-stun", Stun(StunCondition::Drop)),
                endpoint("lab-calls-relay-turn", Webrtc, TurnTcp, Verdict::RelayOnly),
            ],
        ),
    ]
}

/// The lab catalog for a lab at `addr`. Each endpoint gets its own `*.localhost` host name (all
/// loopback) so browsers do not queue its requests behind another endpoint's blackhole.
pub fn lab_catalog(ports: &Ports, timeout_ms: u32) -> Catalog {
    let Ports { addr, refused: refused_port, alt: alt_port, stun, .. } = *ports;
    let port = addr.port();
    let ip = addr.ip();
    let url = |id: &str, kind: ProbeKind, target: &Target| match target {
        Target::Lab(path) => format!("{}://{id}.localhost:{port}{path}", scheme(kind)),
        Target::AltPort(path) => format!("{}://{id}.localhost:{alt_port}{path}", scheme(kind)),
        Target::FreezePort(path) => format!("http://{id}.localhost:{}{path}", ports.freeze),
        Target::UploadFreezePort(path) => format!("http://{id}.localhost:{}{path}", ports.upload_freeze),
        Target::RefusedPort => format!("http://127.0.0.1:{refused_port}/"),
        Target::BlackholePort(path) => format!("http://{id}.localhost:{}{path}", ports.blackhole),
        // IP literals: `stun:localhost` makes Chromium try IPv6 too, which never completes here.
        Target::Stun(StunCondition::Ok) => format!("stun:{ip}:{}", stun.ok),
        Target::Stun(StunCondition::Drop) => format!("stun:{ip}:{}", stun.drop),
        Target::TurnTcp => format!("turn:{ip}:{}?transport=tcp", stun.turn_tcp),
        Target::Url(url) => (*url).to_owned(),
    };
    let make = |id: &str, kind: ProbeKind, target: &Target, source: &str| Endpoint {
        id: id.to_owned(),
        name: None,
        kind,
        url: url(id, kind, target),
        timeout_ms,
        success: None,
        protocols: Vec::new(),
        filter_listed: false,
        expected_bytes: (kind == ProbeKind::Stream).then_some(TRANSFER_BYTES),
        upload_bytes: None,
        network: None,
        samples: None,
        scope: None,
        country: None,
        username: matches!(target, Target::TurnTcp).then(|| crate::turn::USERNAME.to_owned()),
        credential: matches!(target, Target::TurnTcp).then(|| crate::turn::PASSWORD.to_owned()),
        browser_notes: String::new(),
        source: source.to_owned(),
    };
    let control = |scope, country: Option<&str>, id: &str, kind, path: &str| Endpoint {
        name: Some(control_name(id)),
        scope: Some(scope),
        country: country.map(str::to_owned),
        ..make(id, kind, &Target::Lab(path.to_owned()), "reachcheck-lab control")
    };
    Catalog {
        catalog_format: CATALOG_FORMAT,
        id: "reachcheck-lab".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        submit_url: None,
        description: "Conditions served by a local reachcheck-lab (docs/lab.md)".into(),
        controls: vec![
            control(ControlScope::Global, None, "lab-control", ProbeKind::Fetch, "/c/ok"),
            control(
                ControlScope::Global,
                None,
                "lab-control-stream",
                ProbeKind::Stream,
                "/c/ok?bytes=262144",
            ),
            control(ControlScope::Domestic, Some("RU"), "lab-control-domestic", ProbeKind::Fetch, "/c/ok"),
        ],
        resolvers: lab_resolvers(ports),
        advice: true,
        // A third-party canary on a host the test extension blocks, as blockers block trackers.
        canaries: vec![make(
            LAB_CANARY_ID,
            ProbeKind::Fetch,
            &Target::Lab("/c/ok".into()),
            "reachcheck-lab canary",
        )],
        services: lab_services(timeout_ms)
            .into_iter()
            .map(|s| Service {
                id: s.id.into(),
                name: s.name.into(),
                category: "lab".into(),
                homepage: format!("http://{}.localhost:{port}/", s.id),
                notes: s.notes.into(),
                sources: vec!["docs/lab.md".into()],
                country: None,
                endpoints: s
                    .endpoints
                    .iter()
                    .map(|e| {
                        let endpoint = make(e.id, e.kind, &e.target, "docs/lab.md");
                        Endpoint {
                            success: e.success,
                            filter_listed: e.filter_listed,
                            expected_bytes: e.expected_bytes.or(endpoint.expected_bytes),
                            timeout_ms: if e.long { timeout_ms.max(LONG_TIMEOUT_MS) } else { timeout_ms },
                            network: e.network.map(str::to_owned),
                            ..endpoint
                        }
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// Two resolvers (the lab's DNS-over-HTTPS responder on both of its ports), as a real catalog
/// lists more than one in case one is itself blocked.
pub fn lab_resolvers(ports: &Ports) -> Vec<String> {
    [ports.addr.port(), ports.alt]
        .into_iter()
        .map(|port| format!("http://{}:{port}/dns-query?type=A&name=", ports.addr.ip()))
        .collect()
}

/// "Lab control (stream)" for `lab-control-stream`: the controls' names, as a real catalog
/// names its controls after their sites.
fn control_name(id: &str) -> String {
    match id.strip_prefix("lab-control").unwrap_or(id).trim_start_matches('-') {
        "" => "Lab control".into(),
        variant => format!("Lab control ({variant})"),
    }
}

fn scheme(kind: ProbeKind) -> &'static str {
    if kind == ProbeKind::Websocket {
        "ws"
    } else {
        "http"
    }
}

/// `{"endpoints": {id: {verdict, failure?, reason?}}, "services": {id: status}}`.
pub fn expected_verdicts(timeout_ms: u32) -> serde_json::Value {
    let services = lab_services(timeout_ms);
    let endpoints: serde_json::Map<String, serde_json::Value> = services
        .iter()
        .flat_map(|s| &s.endpoints)
        .map(|e| {
            let expected = serde_json::json!({
                "verdict": e.verdict, "failure": e.failure, "reason": e.reason, "method": e.method,
            });
            (e.id.to_owned(), expected)
        })
        .collect();
    let statuses: serde_json::Map<String, serde_json::Value> =
        services.iter().map(|s| (s.id.to_owned(), serde_json::json!(s.status))).collect();
    serde_json::json!({ "endpoints": endpoints, "services": statuses })
}

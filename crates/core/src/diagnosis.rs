//! How a service is blocked: follow-up probes for endpoints that failed while the controls
//! answered, and the rule that names the method (docs/verdicts.md, "How it is blocked").
//!
//! For each failed host the page asks DNS-over-HTTPS resolvers (from the catalog) for its
//! addresses, requests the name's root (`/`), and requests each address directly. A name that
//! fails while its address answers is filtered by name — fast (a failed lookup: the provider's
//! DNS) or with no answer (DPI on the name); an address that gets no answer is cut. Everything a
//! page cannot separate stays `unknown`.

use std::net::Ipv4Addr;

use serde::{Deserialize, Serialize};

use crate::catalog::{Catalog, ProbeKind};
use crate::evaluate::Evaluation;
use crate::measurement::{Outcome, Sample};
use crate::target::{Scheme, Target};
use crate::verdict::{ControlReference, Failure, Verdict};

/// At most this many hosts are diagnosed in a run (in the order they failed) …
pub const MAX_SUSPECTS: usize = 24;
/// … at most this many of each service (so the services that fail first do not take every
/// place: one service's method needs one host that shows it) …
pub const MAX_HOSTS_PER_SERVICE: usize = 2;
/// … each through at most this many resolvers (a catalog lists no more) …
pub const MAX_RESOLVERS: usize = 3;
/// … and at most this many of its addresses: so a run adds at most 24 × (3 + 1 + 2) requests.
pub const MAX_ADDRESSES: usize = 2;
/// How long a resolver may take to answer.
pub const LOOKUP_TIMEOUT_MS: u32 = 5000;
/// How long a root or address probe waits for an answer: no more than the endpoint did, and no
/// more than this (or 10 × the controls' median on a slow network) — a name that has not
/// answered in 5 s while the controls answer in tens of ms has not answered.
pub const PROBE_WAIT_MS: u32 = 5000;

/// The wait of a root or address probe for an endpoint with `timeout_ms`.
pub fn probe_wait_ms(timeout_ms: u32, reference: &ControlReference) -> u32 {
    let slow_network = reference.median_ms.map_or(0.0, |ms| 10.0 * ms) as u32;
    timeout_ms.min(PROBE_WAIT_MS.max(slow_network))
}

/// A catalog's resolver is the URL of a DNS-over-HTTPS resolver with a JSON API and CORS
/// (Google's and Cloudflare's schema), ending with the query parameter that takes the name.
/// (Plain strings: a struct per resolver costs the wasm ~1 KB of deserializer.)
pub fn lookup_url(resolver: &str, name: &str) -> String {
    // Host names are ASCII letters, digits, '-' and '.': nothing to encode.
    format!("{resolver}{name}")
}

/// How reports name a resolver: its host and port (`dns.google:443`).
pub fn resolver_id(resolver: &str) -> String {
    Target::parse(resolver).map_or_else(|_| resolver.to_owned(), |t| t.host_key())
}

/// How it is blocked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    /// The name fails at once while public resolvers give it addresses that answer: the
    /// provider's DNS does not resolve it (or, alike to a page, a reset on seeing the name).
    Dns,
    /// The name gets no answer while its addresses answer: filtering by name (SNI/DPI).
    Name,
    /// The name's addresses get no answer either: the addresses are cut.
    Address,
    /// The resolvers are unreachable or disagree, the name does not exist for them, or the
    /// name itself answers (the failure is this URL's alone): a page cannot tell.
    Unknown,
}

crate::names::json_names! {
    Method { Dns => "dns", Name => "name", Address => "address", Unknown => "unknown" }
    Answer { Addresses => "addresses", NoSuchName => "no_such_name", Failed => "failed" }
}

/// A service's method from its blocked endpoints' methods: the first that says more than
/// `unknown` (one endpoint may fail for its own reasons while another shows the block).
pub fn service_method(methods: impl IntoIterator<Item = Method>) -> Option<Method> {
    methods.into_iter().reduce(|found, next| if found == Method::Unknown { next } else { found })
}

/// One host to diagnose.
#[derive(Clone, Debug, PartialEq)]
pub struct Suspect {
    pub host: String,
    /// `http`/`https` (a WebSocket's host is asked over its http scheme).
    pub scheme: Scheme,
    pub port: Option<u16>,
    pub timeout_ms: u32,
    /// The failed endpoints on this host.
    pub endpoints: Vec<String>,
}

impl Suspect {
    /// `host:port`, what a diagnosis is filed under (the unit a censor and a browser see).
    pub fn key(&self) -> String {
        Target { scheme: self.scheme, host: self.host.clone(), port: self.port }.host_key()
    }

    /// The name's root page.
    pub fn root_url(&self) -> String {
        self.url_for(&self.host)
    }

    /// The same scheme and port, on a bare address (its certificate cannot match: over https a
    /// fast TLS failure is the answer).
    pub fn address_url(&self, address: Ipv4Addr) -> String {
        // By its octets: `Ipv4Addr`'s own Display costs the wasm more than this.
        let [a, b, c, d] = address.octets();
        self.url_for(&format!("{a}.{b}.{c}.{d}"))
    }

    fn url_for(&self, host: &str) -> String {
        match self.port {
            Some(port) => format!("{}://{host}:{port}/", self.scheme),
            None => format!("{}://{host}/", self.scheme),
        }
    }
}

/// What the shell must probe after a run.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    pub resolvers: Vec<String>,
    pub suspects: Vec<Suspect>,
}

impl Plan {
    /// The hosts to diagnose: those of service endpoints judged `blocked` (so the controls
    /// answered), reached over http(s)/ws(s) by name, except the hosts (`Suspect::key`) already
    /// asked about, at most `room` of them; none without resolvers in the catalog.
    pub fn of(catalog: &Catalog, evaluation: &Evaluation, asked: &[String], room: usize) -> Option<Plan> {
        let mut suspects: Vec<Suspect> = Vec::new();
        for (service, endpoint) in catalog.endpoints() {
            let blocked =
                evaluation.endpoints.get(&endpoint.id).is_some_and(|v| v.verdict == Verdict::Blocked);
            let Some(service) = service.filter(|_| blocked && endpoint.kind != ProbeKind::Webrtc) else {
                continue;
            };
            let Ok(target) = endpoint.target() else { continue };
            let scheme = match target.scheme {
                Scheme::Http | Scheme::Ws => Scheme::Http,
                Scheme::Https | Scheme::Wss => Scheme::Https,
                _ => continue,
            };
            if !is_name(&target) {
                continue; // no name: nothing to tell apart
            }
            if asked.contains(&target.host_key()) {
                continue;
            }
            // The service's hosts asked about before or in this plan (a linear count: a few
            // endpoints, and no sort in the wasm).
            let mut hosts: Vec<String> = Vec::new();
            for key in service.endpoints.iter().filter_map(|e| Some(e.target().ok()?.host_key())) {
                let asked_before = asked.contains(&key) || suspects.iter().any(|s| s.key() == key);
                if asked_before && !hosts.contains(&key) {
                    hosts.push(key);
                }
            }
            let full = suspects.len() >= room || hosts.len() >= MAX_HOSTS_PER_SERVICE;
            match suspects.iter_mut().find(|s| s.host == target.host && s.port == target.port) {
                Some(suspect) => suspect.endpoints.push(endpoint.id.clone()),
                None if !full => suspects.push(Suspect {
                    host: target.host,
                    scheme,
                    port: target.port,
                    timeout_ms: probe_wait_ms(endpoint.timeout_ms, &evaluation.reference),
                    endpoints: vec![endpoint.id.clone()],
                }),
                None => {}
            }
        }
        let resolvers: Vec<String> = catalog.resolvers.iter().take(MAX_RESOLVERS).cloned().collect();
        (!suspects.is_empty() && !resolvers.is_empty()).then_some(Plan { resolvers, suspects })
    }
}

/// What one resolver said of a name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    /// At least one IPv4 address.
    Addresses,
    /// The name does not exist (NXDOMAIN) or has no IPv4 address.
    NoSuchName,
    /// No usable answer: unreachable, an error status, or not the JSON API's shape.
    Failed,
}

/// One resolver's answer, without the addresses themselves: a public resolver's answer for a
/// CDN can depend on the asker's subnet (EDNS client subnet), so reports keep only the count.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lookup {
    /// [`resolver_id`]: the resolver's host and port.
    pub resolver: String,
    pub answer: Answer,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub addresses: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// Reads a JSON API answer (`{"Status": 0, "Answer": [{"type": 1, "data": "192.0.2.1"}]}`):
/// the IPv4 addresses it gives (at most [`MAX_ADDRESSES`]; anything that is not one is
/// ignored, so a hostile answer cannot put anything else into a URL).
pub fn read_answer(json: &str) -> (Answer, Vec<Ipv4Addr>) {
    #[derive(Deserialize)]
    struct Reply {
        #[serde(rename = "Status")]
        status: u32,
        #[serde(rename = "Answer", default)]
        answer: Vec<Record>,
    }
    #[derive(Deserialize)]
    struct Record {
        #[serde(rename = "type")]
        kind: u32,
        data: String,
    }
    const NXDOMAIN: u32 = 3;
    const TYPE_A: u32 = 1;
    match serde_json::from_str::<Reply>(json) {
        Ok(reply) if reply.status == 0 => {
            let mut addresses: Vec<Ipv4Addr> = reply
                .answer
                .iter()
                .filter(|r| r.kind == TYPE_A)
                .filter_map(|r| r.data.parse().ok())
                .collect();
            addresses.dedup();
            addresses.truncate(MAX_ADDRESSES);
            let answer = if addresses.is_empty() { Answer::NoSuchName } else { Answer::Addresses };
            (answer, addresses)
        }
        Ok(reply) if reply.status == NXDOMAIN => (Answer::NoSuchName, Vec::new()),
        _ => (Answer::Failed, Vec::new()),
    }
}

/// What the follow-up probes saw of one host.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Diagnosis {
    /// `host:port` ([`Suspect::key`]); every blocked endpoint there gets the method.
    pub host: String,
    /// The endpoints on the host that had failed when it was diagnosed.
    pub endpoints: Vec<String>,
    pub lookups: Vec<Lookup>,
    /// The name's root page; absent when the run was stopped before it ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub root: Option<Sample>,
    /// The resolved addresses, requested directly (in the lookups' order).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<Sample>,
}

/// How a probe of a name or an address ended, as the method rule sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Reply {
    Answered,
    FastError,
    Silent,
}

fn reply(sample: &Sample, reference: &ControlReference) -> Reply {
    match sample.outcome {
        Outcome::Ok => Reply::Answered,
        Outcome::Error if sample.elapsed_ms <= reference.fast_fail_limit_ms() => Reply::FastError,
        // A slow error (a handshake that stalled, then broke) is no answer as far as the method
        // goes: nothing came back in a round trip.
        Outcome::Error | Outcome::Timeout => Reply::Silent,
    }
}

impl Diagnosis {
    /// The method, from the lookups, the address probes and how the name failed (its root,
    /// else the endpoint's own failure).
    pub fn method(&self, failure: Option<Failure>, reference: &ControlReference) -> Method {
        let answered = |a: Answer| self.lookups.iter().any(|l| l.answer == a);
        // Resolvers that contradict each other, or none that answered, settle nothing.
        if answered(Answer::Addresses) == answered(Answer::NoSuchName) {
            return Method::Unknown;
        }
        if answered(Answer::NoSuchName) {
            return Method::Unknown; // the name does not exist anywhere: broken, not blocked
        }
        let name = match (&self.root, failure) {
            (Some(root), _) => reply(root, reference),
            (None, Some(Failure::FastFail)) => Reply::FastError,
            (None, Some(_)) => Reply::Silent,
            (None, None) => return Method::Unknown,
        };
        if name == Reply::Answered {
            return Method::Unknown; // the name works: the failure is this URL's alone
        }
        let addresses: Vec<Reply> = self.addresses.iter().map(|s| reply(s, reference)).collect();
        if addresses.iter().any(|r| *r != Reply::Silent) {
            // Over https a bare address fails its certificate check at once: that is an answer.
            if name == Reply::FastError {
                Method::Dns
            } else {
                Method::Name
            }
        } else if addresses.is_empty() {
            Method::Unknown
        } else {
            Method::Address
        }
    }
}

/// Whether the host of a target is a name (what a resolver is asked for), not an address: IPv6
/// literals have colons, and no top-level domain is all digits. (No `IpAddr` parser: it costs
/// the wasm more.)
pub fn is_name(target: &Target) -> bool {
    let last_label = target.host.rsplit('.').next().unwrap_or_default();
    !target.host.contains(':') && !last_label.chars().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests;

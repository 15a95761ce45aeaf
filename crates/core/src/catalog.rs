//! The service catalog: which services to test, through which endpoints, against which controls.
//! The format is documented in `docs/catalog.md`; every rule enforced here is listed there.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::problem::{Issue, Problem, UrlIssue};
use crate::target::{Scheme, Target};

/// The catalog format this code writes. Version 2 added `canaries`, `filter_listed` and
/// `protocols`; version 3 the `download` and `upload` kinds, `upload_bytes` and `network`;
/// version 4 `resolvers` and `advice`. Older catalogs are still read (each is a valid catalog of
/// the newer formats).
pub const CATALOG_FORMAT: u32 = 4;
/// The oldest catalog format this code reads.
pub const OLDEST_CATALOG_FORMAT: u32 = 1;
/// Catalog files larger than this are refused before parsing.
pub const MAX_CATALOG_BYTES: usize = 2 * 1024 * 1024;
pub const MIN_TIMEOUT_MS: u32 = 500;
pub const MAX_TIMEOUT_MS: u32 = 60_000;
pub const MAX_SAMPLES: u8 = 5;
const MAX_ENDPOINTS: usize = 2000;
/// What an `upload` endpoint sends when it does not say: well past the 16–20 KB at which
/// connections to foreign networks freeze in Russia (docs/verdicts.md, "Freezes").
pub const DEFAULT_UPLOAD_BYTES: u32 = 64 * 1024;
/// Uploads are between these sizes: below the lower one a freeze cannot show, above the upper
/// one the visitor's data costs more than the measurement is worth.
pub const MIN_UPLOAD_BYTES: u32 = 32 * 1024;
pub const MAX_UPLOAD_BYTES: u32 = 256 * 1024;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalog {
    pub catalog_format: u32,
    /// Identifies the catalog in reports, e.g. `reachcheck-builtin`.
    pub id: String,
    /// The catalog's own version (a date or a counter), reported with every result.
    pub version: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Where opted-in reports go (a collector's `/v1/reports`), unless the page says otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submit_url: Option<String>,
    /// Endpoints of sites that are rarely blocked, measured in the same run, so that "your
    /// network is down" can be told apart from "this service is blocked". Each has a `scope`.
    pub controls: Vec<Endpoint>,
    /// Endpoints that common content blockers and tracking protection block, and censors have
    /// no reason to: when one fails while the controls answer, the visitor's own browser blocks
    /// requests, and `filter_listed` endpoints that fail are not called blocked.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub canaries: Vec<Endpoint>,
    /// DNS-over-HTTPS resolvers (JSON API, CORS) that tell how a failed host is blocked
    /// (docs/verdicts.md, "How it is blocked"); none: failures are not diagnosed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resolvers: Vec<String>,
    /// Whether results suggest what the visitor can do (default yes; an embedding page can
    /// switch it off too).
    #[serde(default = "yes", skip_serializing_if = "Clone::clone")]
    pub advice: bool,
    pub services: Vec<Service>,
}

fn yes() -> bool {
    true
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    pub id: String,
    pub name: String,
    pub category: String,
    pub homepage: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    /// ISO 3166 code of the country the service is hosted in, for a domestic one (`RU` for
    /// MAX): under an allow-list (only domestic controls answer) a run waits for its endpoints
    /// and no others (docs/verdicts.md, "runs that end when settled").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    pub endpoints: Vec<Endpoint>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ControlScope {
    /// Hosted abroad / internationally (e.g. a big CDN).
    Global,
    /// Hosted in the visitor's country; answers even when only domestic traffic flows.
    Domestic,
}

/// One thing to probe. Controls are endpoints with a `scope` (and a `country` when domestic);
/// service endpoints have neither. (One struct rather than a control wrapping a flattened
/// endpoint: serde's `flatten` costs the widget's wasm ~6 KB gzip.)
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Endpoint {
    /// Controls only: where the control is hosted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<ControlScope>,
    /// Controls only: ISO 3166 country code of a domestic control (e.g. `RU`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    pub id: String,
    /// What the visitor reads for it (`Yandex`), where the id would not say (controls); the id
    /// is shown beside it in the details.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub kind: ProbeKind,
    pub url: String,
    pub timeout_ms: u32,
    /// What counts as success; defaults to what the kind can observe (see [`Success`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success: Option<Success>,
    /// For `stream` (required) and `download` (optional): the body size to expect; a stream's
    /// transfer is complete when it is read, a download's rate is this size over its duration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_bytes: Option<u64>,
    /// For `upload`: how many bytes to send (default [`DEFAULT_UPLOAD_BYTES`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upload_bytes: Option<u32>,
    /// The hosting or CDN network the host is on (`Hetzner`, `Cloudflare`), for results that
    /// group endpoints by network; say where that fact comes from in `source`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network: Option<String>,
    /// How many times to measure (1–5). Timed-out endpoints are never retried in a run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub samples: Option<u8>,
    /// TURN credentials for `turn:`/`turns:` webrtc endpoints. They are visible to every visitor
    /// of a page that runs the catalog: use restricted, short-lived credentials only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential: Option<String>,
    /// WebSocket subprotocols to offer (`Sec-WebSocket-Protocol`), e.g. `["binary"]` for
    /// Telegram's web client: a server that requires one refuses an opening without it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub protocols: Vec<String>,
    /// The host is on filter lists that content blockers and tracking protection use (EasyList,
    /// Disconnect, ...): a visitor's extension may block it, which looks exactly like a reset.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub filter_listed: bool,
    /// What a browser can and cannot see of this target.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub browser_notes: String,
    /// Where the choice of this endpoint comes from (a spec, an OONI list, a measurement).
    pub source: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ProbeKind {
    /// `fetch` in `no-cors` mode: any answer (even an opaque one) means the server was reached.
    Fetch,
    /// `fetch` in `cors` mode whose body is read as a stream, to measure throughput and stalls.
    Stream,
    /// `<img>` load: for targets that only allow that.
    Image,
    /// `WebSocket` open handshake.
    Websocket,
    /// WebRTC ICE gathering against a STUN (or TURN) server: does UDP reach it? (`stun:`,
    /// `turn:`, `turns:` URLs; docs/verdicts.md, "Calls").
    Webrtc,
    /// `fetch` in `no-cors` mode of a sizeable asset, timed to its last byte by Resource Timing
    /// (no CORS needed): throttling and the freeze downstream, on any host.
    Download,
    /// A small `no-cors` GET, then a `no-cors` POST of `upload_bytes`: a freeze upstream shows
    /// as an upload that is never answered.
    Upload,
}

crate::names::json_names! {
    ControlScope { Global => "global", Domestic => "domestic" }
    ProbeKind { Fetch => "fetch", Stream => "stream", Image => "image", Websocket => "websocket",
                Webrtc => "webrtc", Download => "download", Upload => "upload" }
    Success { AnyResponse => "any_response", OkStatus => "ok_status", BodyComplete => "body_complete",
              ImageLoads => "image_loads", Opens => "opens", UdpPath => "udp_path",
              UploadAnswered => "upload_answered" }
}

impl ProbeKind {
    /// Kinds that move a measured amount of data (judged for throughput and stalls).
    pub fn is_transfer(self) -> bool {
        matches!(self, ProbeKind::Stream | ProbeKind::Download | ProbeKind::Upload)
    }

    fn allows_scheme(self, scheme: Scheme) -> bool {
        match self {
            ProbeKind::Websocket => matches!(scheme, Scheme::Ws | Scheme::Wss),
            ProbeKind::Webrtc => matches!(scheme, Scheme::Stun | Scheme::Turn | Scheme::Turns),
            _ => matches!(scheme, Scheme::Http | Scheme::Https),
        }
    }

    fn default_success(self) -> Success {
        match self {
            ProbeKind::Fetch => Success::AnyResponse,
            ProbeKind::Stream | ProbeKind::Download => Success::BodyComplete,
            ProbeKind::Upload => Success::UploadAnswered,
            ProbeKind::Image => Success::ImageLoads,
            ProbeKind::Websocket => Success::Opens,
            ProbeKind::Webrtc => Success::UdpPath,
        }
    }

    fn allows_success(self, success: Success) -> bool {
        match self {
            ProbeKind::Fetch => matches!(success, Success::AnyResponse | Success::OkStatus),
            _ => success == self.default_success(),
        }
    }
}

/// What counts as a successful probe.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Success {
    /// Any HTTP answer, even an opaque `no-cors` one (status unknown).
    AnyResponse,
    /// A 2xx status; needs the target to allow CORS, so the fetch runs in `cors` mode.
    OkStatus,
    /// The whole expected body arrives.
    BodyComplete,
    /// The image decodes (`load` event).
    ImageLoads,
    /// The WebSocket opens.
    Opens,
    /// A server-reflexive (`srflx`) ICE candidate appears: UDP reaches the STUN server.
    UdpPath,
    /// The host answers a small request, then answers the upload too.
    UploadAnswered,
}

impl Endpoint {
    pub fn success(&self) -> Success {
        self.success.unwrap_or_else(|| self.kind.default_success())
    }

    pub fn samples(&self) -> u8 {
        self.samples.unwrap_or(match self.kind {
            ProbeKind::Fetch | ProbeKind::Image => 3,
            _ => 1,
        })
    }

    /// The parsed URL; valid for every endpoint of a loaded catalog.
    pub fn target(&self) -> Result<Target, UrlIssue> {
        Target::parse(&self.url)
    }
}

/// The page the catalog will run on, which decides what a browser allows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageContext {
    /// The page is served over https: plain http/ws targets are mixed content.
    pub secure: bool,
}

impl PageContext {
    pub const SECURE: PageContext = PageContext { secure: true };
}

/// A catalog that failed to load: every problem found, each at its path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CatalogError {
    pub problems: Vec<Problem>,
}

impl std::fmt::Display for CatalogError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let problems: Vec<String> = self.problems.iter().map(Problem::to_string).collect();
        write!(f, "the catalog is not valid: {}", problems.join("; "))
    }
}

impl std::error::Error for CatalogError {}

/// The problems found so far, each at a path.
struct Problems(Vec<Problem>);

impl Problems {
    fn add(&mut self, at: impl Into<String>, issue: Issue) {
        self.0.push(Problem::new(at, issue));
    }
}

impl Catalog {
    /// Parses and validates a catalog for a page; never panics, whatever the input.
    pub fn load(json: &str, page: PageContext) -> Result<Catalog, CatalogError> {
        let fail = |at: String, issue| CatalogError { problems: vec![Problem::new(at, issue)] };
        if json.len() > MAX_CATALOG_BYTES {
            let issue = Issue::TooLarge { bytes: json.len(), limit: MAX_CATALOG_BYTES };
            return Err(fail(String::new(), issue));
        }
        let catalog: Catalog = crate::json::from_str_with_path(json).map_err(|(path, problem)| {
            let path = if path == "." { String::new() } else { path };
            fail(path, Issue::Json(problem))
        })?;
        let problems = catalog.problems(page);
        if problems.is_empty() {
            Ok(catalog)
        } else {
            Err(CatalogError { problems })
        }
    }

    /// Every endpoint, controls first, with the service it belongs to (`None` for controls).
    pub fn endpoints(&self) -> impl Iterator<Item = (Option<&Service>, &Endpoint)> {
        let controls = self.controls.iter().map(|c| (None, c));
        let services = self.services.iter().flat_map(|s| s.endpoints.iter().map(move |e| (Some(s), e)));
        controls.chain(services)
    }

    /// The order probes start in: controls first (every verdict is judged against them), then
    /// domestic services (under an allow-list a run ends once they are in: they must not queue
    /// behind foreign endpoints that wait out their timeouts), then the endpoints that may wait
    /// longest (a run lasts as long as its last probe: starting the long ones first keeps it
    /// near its largest timeout under the concurrency cap), and among equal timeouts one
    /// endpoint of each service in turn, so every service makes progress early.
    pub fn probe_order(&self) -> Vec<&Endpoint> {
        let mut order: Vec<&Endpoint> = self.controls.iter().chain(&self.canaries).collect();
        order.extend(self.services.iter().filter(|s| s.country.is_some()).flat_map(|s| &s.endpoints));
        let mut rest = Vec::new();
        let rounds = self.services.iter().map(|s| s.endpoints.len()).max().unwrap_or(0);
        for round in 0..rounds {
            let foreign = self.services.iter().filter(|s| s.country.is_none());
            rest.extend(foreign.filter_map(|s| s.endpoints.get(round)));
        }
        // Longest first, the turns kept within each timeout.
        let mut timeouts =
            crate::sorting::sorted_by_key(rest.iter().map(|e| e.timeout_ms), |ms| f64::from(*ms));
        timeouts.dedup();
        for timeout in timeouts.into_iter().rev() {
            order.extend(rest.iter().filter(|e| e.timeout_ms == timeout));
        }
        order
    }

    /// Keeps only the named services (`?services=`); `Err` names the ids it does not have.
    pub fn select_services(&mut self, ids: &[&str]) -> Result<(), Vec<String>> {
        let unknown: Vec<String> = ids
            .iter()
            .filter(|id| !self.services.iter().any(|s| s.id == **id))
            .map(|id| (*id).to_owned())
            .collect();
        if !unknown.is_empty() {
            return Err(unknown);
        }
        self.services.retain(|s| ids.contains(&s.id.as_str()));
        Ok(())
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    fn problems(&self, page: PageContext) -> Vec<Problem> {
        let mut problems = Problems(Vec::new());
        if !(OLDEST_CATALOG_FORMAT..=CATALOG_FORMAT).contains(&self.catalog_format) {
            let issue = Issue::UnsupportedFormat {
                found: self.catalog_format,
                oldest: OLDEST_CATALOG_FORMAT,
                newest: CATALOG_FORMAT,
            };
            problems.add("catalog_format", issue);
            return problems.0;
        }
        check_id(&mut problems, "id", &self.id);
        check_text(&mut problems, "version", &self.version);
        if let Some(url) = &self.submit_url {
            check_web_url(&mut problems, "submit_url", url, Some(page));
        }
        if self.controls.is_empty() {
            problems.add("controls", Issue::NoControls);
        }
        if self.services.is_empty() {
            problems.add("services", Issue::NoServices);
        }
        let endpoint_count = self.endpoints().count() + self.canaries.len();
        if endpoint_count > MAX_ENDPOINTS {
            problems.add("services", Issue::TooManyEndpoints { count: endpoint_count, limit: MAX_ENDPOINTS });
        }
        let mut endpoint_ids = HashSet::new();
        for (i, control) in self.controls.iter().enumerate() {
            let path = format!("controls[{i}]");
            check_control(&mut problems, &path, control);
            check_endpoint(&mut problems, &path, control, page, &mut endpoint_ids);
        }
        for (i, canary) in self.canaries.iter().enumerate() {
            let path = format!("canaries[{i}]");
            check_not_a_control(&mut problems, &path, canary);
            check_canary(&mut problems, &path, canary);
            check_endpoint(&mut problems, &path, canary, page, &mut endpoint_ids);
        }
        self.check_resolvers(&mut problems, page);
        let mut service_ids = HashSet::new();
        for (i, service) in self.services.iter().enumerate() {
            let path = format!("services[{i}]");
            check_id(&mut problems, &format!("{path}.id"), &service.id);
            if !service_ids.insert(service.id.as_str()) {
                problems.add(format!("{path}.id"), Issue::DuplicateId(service.id.clone()));
            }
            check_text(&mut problems, &format!("{path}.name"), &service.name);
            check_text(&mut problems, &format!("{path}.category"), &service.category);
            check_web_url(&mut problems, &format!("{path}.homepage"), &service.homepage, None);
            if let Some(cc) = &service.country {
                check_country(&mut problems, &path, cc);
            }
            if service.endpoints.is_empty() {
                problems.add(format!("{path}.endpoints"), Issue::Empty);
            }
            for (j, endpoint) in service.endpoints.iter().enumerate() {
                let path = format!("{path}.endpoints[{j}]");
                check_not_a_control(&mut problems, &path, endpoint);
                check_endpoint(&mut problems, &path, endpoint, page, &mut endpoint_ids);
            }
        }
        problems.0
    }
}

impl Catalog {
    fn check_resolvers(&self, problems: &mut Problems, page: PageContext) {
        use crate::diagnosis::MAX_RESOLVERS;
        if self.resolvers.len() > MAX_RESOLVERS {
            let issue = Issue::TooManyResolvers { count: self.resolvers.len(), limit: MAX_RESOLVERS };
            problems.add("resolvers", issue);
        }
        let mut ids = HashSet::new();
        for (i, resolver) in self.resolvers.iter().enumerate() {
            let path = format!("resolvers[{i}]");
            check_web_url(problems, &path, resolver, Some(page));
            if !resolver.contains('?') || !resolver.ends_with('=') {
                problems.add(&path, Issue::ResolverUrl);
            }
            let id = crate::diagnosis::resolver_id(resolver);
            if !ids.insert(id.clone()) {
                problems.add(&path, Issue::DuplicateId(id));
            }
        }
    }
}

/// Whether `id` is a valid id: 1-64 of a-z, 0-9, '-', '_', starting with a letter or digit.
pub fn is_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        && id.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
}

fn check_id(problems: &mut Problems, path: &str, id: &str) {
    if !is_id(id) {
        problems.add(path, Issue::InvalidId(id.to_owned()));
    }
}

fn check_text(problems: &mut Problems, path: &str, text: &str) {
    if text.trim().is_empty() {
        problems.add(path, Issue::Empty);
    } else if text.len() > 200 {
        problems.add(path, Issue::TooLong { limit: 200 });
    }
}

/// An http(s) URL; with `page`, also one that page may send to (no mixed content).
fn check_web_url(problems: &mut Problems, path: &str, url: &str, page: Option<PageContext>) {
    match Target::parse(url) {
        Ok(target) if !matches!(target.scheme, Scheme::Http | Scheme::Https) => {
            problems.add(path, Issue::NotWebUrl { scheme: target.scheme.to_string() })
        }
        Ok(target) if is_mixed_content(&target, page) => {
            problems.add(path, Issue::MixedContent { scheme: target.scheme.to_string() })
        }
        Ok(_) => {}
        Err(issue) => problems.add(path, Issue::Url(issue)),
    }
}

/// A plain http/ws target from an https page (loopback is allowed: it is trustworthy).
fn is_mixed_content(target: &Target, page: Option<PageContext>) -> bool {
    page.is_some_and(|p| p.secure)
        && matches!(target.scheme, Scheme::Http | Scheme::Ws)
        && !target.is_loopback()
}

fn check_control(problems: &mut Problems, path: &str, control: &Endpoint) {
    match (control.scope, &control.country) {
        (None, _) => problems.add(format!("{path}.scope"), Issue::ControlNeedsScope),
        (Some(ControlScope::Domestic), None) => {
            problems.add(format!("{path}.country"), Issue::DomesticNeedsCountry)
        }
        (_, Some(cc)) => check_country(problems, path, cc),
        _ => {}
    }
}

fn check_country(problems: &mut Problems, path: &str, cc: &str) {
    if cc.len() != 2 || !cc.chars().all(|c| c.is_ascii_uppercase()) {
        problems.add(format!("{path}.country"), Issue::BadCountry(cc.to_owned()))
    }
}

fn check_canary(problems: &mut Problems, path: &str, canary: &Endpoint) {
    if !matches!(canary.kind, ProbeKind::Fetch | ProbeKind::Image) {
        problems.add(format!("{path}.kind"), Issue::CanaryKind { kind: canary.kind.as_str() });
    }
    if canary.filter_listed {
        problems.add(format!("{path}.filter_listed"), Issue::CanaryFilterListed);
    }
}

fn check_not_a_control(problems: &mut Problems, path: &str, endpoint: &Endpoint) {
    if endpoint.scope.is_some() {
        problems.add(format!("{path}.scope"), Issue::OnlyControls);
    }
    if endpoint.country.is_some() {
        problems.add(format!("{path}.country"), Issue::OnlyControls);
    }
}

/// Subprotocols are HTTP tokens (RFC 6455 §4.1), offered once each; `new WebSocket` throws a
/// `SyntaxError` otherwise.
fn check_protocols(problems: &mut Problems, path: &str, endpoint: &Endpoint) {
    if endpoint.protocols.is_empty() {
        return;
    }
    if endpoint.kind != ProbeKind::Websocket {
        return problems.add(format!("{path}.protocols"), Issue::ProtocolsNeedWebsocket);
    }
    let token = |p: &str| {
        !p.is_empty()
            && p.len() <= 64
            && p.bytes().all(|b| b.is_ascii_graphic() && !b"()<>@,;:\\\"/[]?={}".contains(&b))
    };
    for (i, protocol) in endpoint.protocols.iter().enumerate() {
        let at = format!("{path}.protocols[{i}]");
        if !token(protocol) {
            problems.add(at, Issue::BadProtocol(protocol.clone()));
        } else if endpoint.protocols[..i].contains(protocol) {
            problems.add(at, Issue::ProtocolTwice(protocol.clone()));
        }
    }
}

fn check_name(problems: &mut Problems, path: &str, endpoint: &Endpoint) {
    if let Some(name) = &endpoint.name {
        check_text(problems, &format!("{path}.name"), name);
    }
}

fn check_endpoint<'a>(
    problems: &mut Problems,
    path: &str,
    endpoint: &'a Endpoint,
    page: PageContext,
    seen_ids: &mut HashSet<&'a str>,
) {
    check_id(problems, &format!("{path}.id"), &endpoint.id);
    if !seen_ids.insert(endpoint.id.as_str()) {
        problems.add(format!("{path}.id"), Issue::DuplicateId(endpoint.id.clone()));
    }
    check_text(problems, &format!("{path}.source"), &endpoint.source);
    check_name(problems, path, endpoint);
    check_range(problems, format!("{path}.timeout_ms"), endpoint.timeout_ms, MIN_TIMEOUT_MS, MAX_TIMEOUT_MS);
    if let Some(samples) = endpoint.samples {
        check_range(problems, format!("{path}.samples"), samples, 1, MAX_SAMPLES);
    }
    let kind = endpoint.kind;
    if let Some(success) = endpoint.success {
        if !kind.allows_success(success) {
            let issue = Issue::SuccessNotObservable { success: success.as_str(), kind: kind.as_str() };
            problems.add(format!("{path}.success"), issue);
        }
    }
    let expected_bytes = format!("{path}.expected_bytes");
    match (kind, endpoint.expected_bytes) {
        (ProbeKind::Stream, None) => problems.add(expected_bytes, Issue::StreamNeedsSize),
        (ProbeKind::Stream | ProbeKind::Download, Some(0)) => {
            problems.add(expected_bytes, Issue::MustBePositive)
        }
        (ProbeKind::Stream | ProbeKind::Download, _) | (_, None) => {}
        (_, Some(_)) => problems.add(expected_bytes, Issue::OnlyStreamReadsBody),
    }
    match (kind, endpoint.upload_bytes) {
        (ProbeKind::Upload, Some(bytes)) => {
            check_range(problems, format!("{path}.upload_bytes"), bytes, MIN_UPLOAD_BYTES, MAX_UPLOAD_BYTES)
        }
        (_, Some(_)) => problems.add(format!("{path}.upload_bytes"), Issue::OnlyUploadsSend),
        (_, None) => {}
    }
    if let Some(network) = &endpoint.network {
        check_text(problems, &format!("{path}.network"), network);
    }
    if (endpoint.username.is_some() || endpoint.credential.is_some()) && kind != ProbeKind::Webrtc {
        problems.add(format!("{path}.username"), Issue::CredentialsOnlyWebrtc);
    }
    check_protocols(problems, path, endpoint);
    let url_path = format!("{path}.url");
    let target = match Target::parse(&endpoint.url) {
        Ok(target) => target,
        Err(issue) => return problems.add(url_path, Issue::Url(issue)),
    };
    let scheme = target.scheme.to_string();
    if !kind.allows_scheme(target.scheme) {
        problems.add(url_path, Issue::SchemeNotForKind { kind: kind.as_str(), scheme });
    } else if is_mixed_content(&target, Some(page)) {
        problems.add(url_path, Issue::MixedContent { scheme });
    }
}

fn check_range<N: Copy + PartialOrd + Into<u64>>(
    problems: &mut Problems,
    at: String,
    value: N,
    min: N,
    max: N,
) {
    if !(min..=max).contains(&value) {
        problems.add(at, Issue::OutOfRange { value: value.into(), min: min.into(), max: max.into() });
    }
}

#[cfg(test)]
mod tests;

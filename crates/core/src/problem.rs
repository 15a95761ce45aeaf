//! What can be wrong with outside input (a catalog, a baseline, a URL, a share link, a widget
//! option), as data: each problem is an enum with its parameters, so the app words it in the
//! visitor's language when it renders (src/i18n) and the tools print the English wording of
//! [`std::fmt::Display`] here. Places (`services[2].endpoints[0].url`) and values stay as
//! written: they are the file's own words.

use std::fmt;

/// One problem, at a place in the input (a field path, an option name; empty for the whole).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub at: String,
    pub issue: Issue,
}

impl Problem {
    pub fn new(at: impl Into<String>, issue: Issue) -> Problem {
        Problem { at: at.into(), issue }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Issue {
    /// The file is larger than reachcheck reads.
    TooLarge {
        bytes: usize,
        limit: usize,
    },
    /// The JSON parser's own message (serde's wording, in English in every language).
    Json(String),
    UnsupportedFormat {
        found: u32,
        oldest: u32,
        newest: u32,
    },
    InvalidId(String),
    Empty,
    TooLong {
        limit: usize,
    },
    /// A URL that must be http(s) has this scheme.
    NotWebUrl {
        scheme: String,
    },
    /// A plain http:// or ws:// URL from an https page.
    MixedContent {
        scheme: String,
    },
    NoControls,
    NoServices,
    TooManyEndpoints {
        count: usize,
        limit: usize,
    },
    TooManyResolvers {
        count: usize,
        limit: usize,
    },
    /// A resolver URL must end in a query parameter that takes the name (`…?name=`).
    ResolverUrl,
    DuplicateId(String),
    ControlNeedsScope,
    DomesticNeedsCountry,
    BadCountry(String),
    CanaryKind {
        kind: &'static str,
    },
    CanaryFilterListed,
    /// `scope` and `country` belong to controls only.
    OnlyControls,
    ProtocolsNeedWebsocket,
    BadProtocol(String),
    ProtocolTwice(String),
    OutOfRange {
        value: u64,
        min: u64,
        max: u64,
    },
    SuccessNotObservable {
        success: &'static str,
        kind: &'static str,
    },
    StreamNeedsSize,
    MustBePositive,
    OnlyStreamReadsBody,
    OnlyUploadsSend,
    CredentialsOnlyWebrtc,
    SchemeNotForKind {
        kind: &'static str,
        scheme: String,
    },
    Url(UrlIssue),
    NotAServiceId(String),
    NotOneOf {
        value: String,
        allowed: &'static str,
    },
    NotAColour(String),
    NotADay(String),
}

/// Why a URL cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UrlIssue {
    Spaces,
    NotAscii,
    NoScheme,
    Scheme(String),
    NoSlashes,
    Credentials,
    UnclosedBracket,
    NoHost,
    HostCharacters(String),
    Port(String),
}

/// Why a file reachcheck needs could not be fetched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FetchFailure {
    /// A network error or a CORS refusal (the browser does not say which).
    Network,
    Status(u16),
    Unreadable,
    /// Nothing arrived within the time allowed.
    NoAnswer,
}

/// A catalog or baseline that could not be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoadError {
    /// The URL itself cannot be resolved by the page.
    BadUrl(String),
    Fetch {
        url: String,
        failure: FetchFailure,
    },
    /// The file arrived but is not valid: every problem found.
    Invalid {
        url: String,
        problems: Vec<Problem>,
    },
    /// `?services=` names services the catalog does not have.
    UnknownServices(Vec<String>),
}

/// Why a share link cannot be opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ShareIssue {
    TooLong {
        limit: usize,
    },
    OtherVersion,
    NotBase64,
    /// Valid base64url whose content is not results (the parser's own message).
    Damaged(String),
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.at.is_empty() {
            write!(f, "{}", self.issue)
        } else {
            write!(f, "{}: {}", self.at, self.issue)
        }
    }
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Issue::*;
        match self {
            TooLarge { bytes, limit } => write!(f, "{bytes} bytes is larger than the limit of {limit} bytes"),
            Json(message) => write!(f, "{message}"),
            UnsupportedFormat { found, oldest, newest } => {
                write!(
                    f,
                    "version {found} is not supported (this reachcheck reads versions {oldest} to {newest})"
                )
            }
            InvalidId(id) => write!(f, "\"{id}\" is not a valid id (1-64 of a-z, 0-9, '-', '_')"),
            Empty => f.write_str("must not be empty"),
            TooLong { limit } => write!(f, "longer than {limit} characters"),
            NotWebUrl { scheme } => write!(f, "must be an http(s) URL, not {scheme}://"),
            MixedContent { scheme } => {
                write!(f, "{scheme}:// is not allowed from an https page (mixed content)")
            }
            NoControls => f.write_str(
                "at least one control endpoint is needed to tell a blocked service from a dead network",
            ),
            NoServices => f.write_str("the catalog has no services"),
            TooManyEndpoints { count, limit } => {
                write!(f, "{count} endpoints is more than the limit of {limit}")
            }
            TooManyResolvers { count, limit } => {
                write!(f, "{count} resolvers is more than the limit of {limit}")
            }
            ResolverUrl => {
                f.write_str("must end with the query parameter that takes the name, e.g. \"…/resolve?name=\"")
            }
            DuplicateId(id) => write!(f, "duplicate id \"{id}\""),
            ControlNeedsScope => f.write_str("a control needs a scope (global or domestic)"),
            DomesticNeedsCountry => f.write_str("a domestic control needs its country code (e.g. \"RU\")"),
            BadCountry(code) => write!(f, "\"{code}\" is not a two-letter upper-case country code"),
            CanaryKind { kind } => write!(f, "a canary is a fetch or image probe, not {kind}"),
            CanaryFilterListed => f.write_str("canaries are filter-listed by definition; leave it out"),
            OnlyControls => f.write_str("only controls have this field"),
            ProtocolsNeedWebsocket => f.write_str("only websocket endpoints offer subprotocols"),
            BadProtocol(name) => write!(f, "\"{name}\" is not a valid subprotocol name"),
            ProtocolTwice(name) => write!(f, "\"{name}\" is offered twice"),
            OutOfRange { value, min, max } => write!(f, "{value} is outside {min}..={max}"),
            SuccessNotObservable { success, kind } => {
                write!(f, "{success} cannot be observed by a {kind} probe")
            }
            StreamNeedsSize => f.write_str("a stream probe needs the body size to expect"),
            MustBePositive => f.write_str("must be more than 0"),
            OnlyStreamReadsBody => f.write_str("only stream and download probes read the body"),
            OnlyUploadsSend => f.write_str("only upload probes send data"),
            CredentialsOnlyWebrtc => f.write_str("credentials are only for webrtc (TURN) endpoints"),
            SchemeNotForKind { kind, scheme } => write!(f, "{kind} probes cannot use {scheme}://"),
            Url(issue) => write!(f, "{issue}"),
            NotAServiceId(id) => write!(f, "\"{id}\" is not a service id (a-z, 0-9, '-', '_')"),
            NotOneOf { value, allowed } => write!(f, "\"{value}\" is not one of {allowed}"),
            NotAColour(value) => write!(f, "\"{value}\" is not a colour like #0b57d0"),
            NotADay(value) => write!(f, "\"{value}\" is not a day (YYYY-MM-DD)"),
        }
    }
}

impl fmt::Display for UrlIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use UrlIssue::*;
        match self {
            Spaces => f.write_str("must be a non-empty URL without surrounding spaces"),
            NotAscii => f.write_str("must be ASCII without spaces (write IDN hosts in punycode)"),
            NoScheme => f.write_str("is not an absolute URL (no scheme)"),
            Scheme(scheme) => {
                write!(
                    f,
                    "scheme {scheme}:// is not supported (use https, wss, http, ws, stun, turn or turns)"
                )
            }
            NoSlashes => f.write_str("is not an absolute URL (missing //)"),
            Credentials => f.write_str("must not carry user names or passwords"),
            UnclosedBracket => f.write_str("has an unclosed [IPv6] host"),
            NoHost => f.write_str("has no host"),
            HostCharacters(host) => write!(f, "host \"{host}\" has characters a host name cannot have"),
            Port(port) => write!(f, "port \"{port}\" is not a port number (1-65535)"),
        }
    }
}

impl fmt::Display for FetchFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FetchFailure::Network => f.write_str("could not be fetched (network error or CORS)"),
            FetchFailure::Status(status) => write!(f, "answered HTTP {status}"),
            FetchFailure::Unreadable => f.write_str("could not be read"),
            FetchFailure::NoAnswer => f.write_str("did not answer"),
        }
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::BadUrl(url) => write!(f, "\"{url}\" is not a URL this page can load"),
            LoadError::Fetch { url, failure } => write!(f, "{url} {failure}"),
            LoadError::Invalid { url, problems } => {
                let problems: Vec<String> = problems.iter().map(Problem::to_string).collect();
                write!(f, "{url} is not valid: {}", problems.join("; "))
            }
            LoadError::UnknownServices(ids) => {
                write!(f, "?services=: unknown service id(s): {}", ids.join(", "))
            }
        }
    }
}

impl fmt::Display for ShareIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShareIssue::TooLong { limit } => write!(f, "the link is longer than {limit} characters"),
            ShareIssue::OtherVersion => f.write_str("the link is from another version of reachcheck"),
            ShareIssue::NotBase64 => f.write_str("the link is damaged (it is not valid base64url)"),
            ShareIssue::Damaged(message) => write!(f, "the link is damaged ({message})"),
        }
    }
}

impl std::error::Error for LoadError {}

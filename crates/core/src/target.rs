//! The parts of an endpoint URL that decide how a browser treats it: scheme, host and port.
//!
//! A deliberately small parser (no `url` crate, which would add ~100 KB of IDNA tables to the
//! wasm app): catalog URLs are ASCII, absolute, without credentials.

use std::fmt;

use crate::problem::UrlIssue;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scheme {
    Http,
    Https,
    Ws,
    Wss,
    Stun,
    Turn,
    Turns,
}

impl Scheme {
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Http => "http",
            Scheme::Https => "https",
            Scheme::Ws => "ws",
            Scheme::Wss => "wss",
            Scheme::Stun => "stun",
            Scheme::Turn => "turn",
            Scheme::Turns => "turns",
        }
    }

    fn parse(text: &str) -> Option<Scheme> {
        Some(match text.to_ascii_lowercase().as_str() {
            "http" => Scheme::Http,
            "https" => Scheme::Https,
            "ws" => Scheme::Ws,
            "wss" => Scheme::Wss,
            "stun" => Scheme::Stun,
            "turn" => Scheme::Turn,
            "turns" => Scheme::Turns,
            _ => return None,
        })
    }

    /// Whether a secure (https) page may use this scheme without mixed-content blocking.
    pub fn is_secure(self) -> bool {
        matches!(self, Scheme::Https | Scheme::Wss | Scheme::Turns)
    }

    /// STUN/TURN URIs have no `//` and no path (RFC 7064/7065).
    fn is_ice(self) -> bool {
        matches!(self, Scheme::Stun | Scheme::Turn | Scheme::Turns)
    }

    pub fn default_port(self) -> u16 {
        match self {
            Scheme::Http | Scheme::Ws => 80,
            Scheme::Https | Scheme::Wss => 443,
            Scheme::Stun | Scheme::Turn => 3478,
            Scheme::Turns => 5349,
        }
    }
}

/// A parsed absolute URL of a probe target.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub scheme: Scheme,
    /// Lower-cased host name or IP literal (IPv6 without brackets).
    pub host: String,
    pub port: Option<u16>,
}

impl Target {
    pub fn parse(url: &str) -> Result<Target, UrlIssue> {
        if url.trim() != url || url.is_empty() {
            return Err(UrlIssue::Spaces);
        }
        if !url.is_ascii() || url.chars().any(|c| c.is_ascii_control() || c == ' ') {
            return Err(UrlIssue::NotAscii);
        }
        let (scheme_text, rest) = url.split_once(':').ok_or(UrlIssue::NoScheme)?;
        let scheme = Scheme::parse(scheme_text).ok_or_else(|| UrlIssue::Scheme(scheme_text.to_owned()))?;
        let rest = if scheme.is_ice() {
            rest.split('?').next().unwrap_or_default()
        } else {
            let rest = rest.strip_prefix("//").ok_or(UrlIssue::NoSlashes)?;
            rest.split(['/', '?', '#']).next().unwrap_or_default()
        };
        if rest.contains('@') {
            return Err(UrlIssue::Credentials);
        }
        let (host, port) = split_host_port(rest)?;
        Ok(Target { scheme, host: host.to_ascii_lowercase(), port })
    }

    pub fn effective_port(&self) -> u16 {
        self.port.unwrap_or_else(|| self.scheme.default_port())
    }

    /// `host:port`, the unit browsers queue connections by (and so does the scheduler).
    pub fn host_key(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.effective_port())
        } else {
            format!("{}:{}", self.host, self.effective_port())
        }
    }

    /// Loopback targets are "potentially trustworthy": browsers allow them from https pages.
    pub fn is_loopback(&self) -> bool {
        self.host == "localhost"
            || self.host.ends_with(".localhost")
            || self.host == "::1"
            || self.host.starts_with("127.") && self.host.split('.').count() == 4
    }

    /// The Fetch standard's "bad ports": browsers refuse them without sending anything.
    pub fn is_bad_port(&self) -> bool {
        matches!(self.scheme, Scheme::Http | Scheme::Https | Scheme::Ws | Scheme::Wss)
            && BAD_PORTS.contains(&self.effective_port())
    }
}

impl fmt::Display for Scheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

fn split_host_port(authority: &str) -> Result<(&str, Option<u16>), UrlIssue> {
    let (host, port) = if let Some(bracketed) = authority.strip_prefix('[') {
        let (host, after) = bracketed.split_once(']').ok_or(UrlIssue::UnclosedBracket)?;
        (host, after.strip_prefix(':'))
    } else {
        match authority.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    if host.is_empty() {
        return Err(UrlIssue::NoHost);
    }
    if !host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ':')) {
        return Err(UrlIssue::HostCharacters(host.to_owned()));
    }
    let port = match port {
        None => None,
        Some(text) => match text.parse::<u16>() {
            Ok(0) | Err(_) => return Err(UrlIssue::Port(text.to_owned())),
            Ok(port) => Some(port),
        },
    };
    Ok((host, port))
}

/// <https://fetch.spec.whatwg.org/#bad-port>
pub const BAD_PORTS: &[u16] = &[
    1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104,
    109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515,
    526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049,
    3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_scheme_host_and_port() {
        let t = Target::parse("https://Web.WhatsApp.com/favicon.ico?x=1").unwrap();
        assert_eq!((t.scheme, t.host.as_str(), t.port), (Scheme::Https, "web.whatsapp.com", None));
        assert_eq!(t.host_key(), "web.whatsapp.com:443");
        let t = Target::parse("ws://127.0.0.1:7357/ws").unwrap();
        assert_eq!((t.scheme, t.effective_port()), (Scheme::Ws, 7357));
        assert!(t.is_loopback());
        let t = Target::parse("http://[::1]:8080/").unwrap();
        assert_eq!((t.host.as_str(), t.host_key()), ("::1", "[::1]:8080".to_owned()));
        let t = Target::parse("stun:stun.l.google.com:19302").unwrap();
        assert_eq!((t.scheme, t.effective_port()), (Scheme::Stun, 19302));
    }

    #[test]
    fn rejects_what_browsers_or_catalogs_must_not_use() {
        for (url, problem) in [
            ("ftp://example.org/", "scheme ftp://"),
            ("//example.org/", "scheme"),
            ("https:example.org", "missing //"),
            ("https://user:pw@example.org/", "passwords"),
            ("https://:443/", "no host"),
            ("https://example.org:0/", "not a port"),
            ("https://example.org:99999/", "not a port"),
            ("https://exa mple.org/", "ASCII without spaces"),
            ("https://пример.рф/", "punycode"),
            (" https://example.org/", "surrounding spaces"),
            ("https://ex\"ample.org/", "characters"),
        ] {
            let err = Target::parse(url).unwrap_err().to_string();
            assert!(err.contains(problem), "{url}: {err}");
        }
    }

    #[test]
    fn knows_the_fetch_bad_ports() {
        assert!(Target::parse("https://example.org:25/").unwrap().is_bad_port());
        assert!(Target::parse("http://example.org:6667/").unwrap().is_bad_port());
        assert!(!Target::parse("https://example.org/").unwrap().is_bad_port());
        assert!(!Target::parse("stun:example.org:25").unwrap().is_bad_port());
    }
}

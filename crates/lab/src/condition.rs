//! Named interference conditions, addressed as `/c/<condition>?<options>`, e.g.
//! `/c/delay=300`, `/c/freeze-after=16384?bytes=262144`, `/c/ok?cors=0&corp=same-origin`.
//! docs/lab.md lists them with what each reproduces.

use std::time::Duration;

/// Default body size of transfer conditions (throttle, freeze-after) without `bytes=`.
pub const DEFAULT_BODY_BYTES: u64 = 256 * 1024;
/// Bodies are capped so a typo cannot make the lab allocate or stream gigabytes.
pub const MAX_BODY_BYTES: u64 = 64 * 1024 * 1024;
const MAX_DELAY_MS: u64 = 120_000;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Condition {
    /// Answers at once.
    Ok,
    /// Answers after a delay: slow but fine.
    Delay(Duration),
    /// Accepts the connection, reads the request, never answers (DPI dropping packets).
    Blackhole,
    /// Accepts, reads the request, then resets the connection (TCP RST).
    Reset,
    /// Accepts, reads the request, and waits until the lab's network changes
    /// (`POST /_lab/network-change`), then resets: what a browser sees when the visitor's
    /// network changes under requests in flight.
    Hang,
    /// Sends the body at this many bytes per second.
    Throttle(u64),
    /// Sends this many body bytes, then stalls with the connection open (the 16 KB freeze).
    FreezeAfter(u64),
    /// Answers with this HTTP status.
    Status(u16),
    /// WebSocket that opens and echoes.
    WsOk,
    /// WebSocket upgrade request that is never answered.
    WsBlackhole,
    /// WebSocket upgrade refused with 403.
    WsReject,
    /// WebSocket that opens only for pages of its own origin (`Origin` equal to the request's
    /// host), 403 otherwise: a server that rejects foreign origins, as some real ones do.
    WsOriginCheck,
}

impl Condition {
    pub fn parse(text: &str) -> Result<Condition, String> {
        let (name, value) = text.split_once('=').map_or((text, None), |(n, v)| (n, Some(v)));
        let number = |max: u64| -> Result<u64, String> {
            let value = value.ok_or(format!("{name} needs a value, e.g. {name}=1000"))?;
            match value.parse::<u64>() {
                Ok(n) if (1..=max).contains(&n) => Ok(n),
                _ => Err(format!("{name}={value}: expected a whole number from 1 to {max}")),
            }
        };
        let condition = match name {
            "ok" => Condition::Ok,
            "delay" => Condition::Delay(Duration::from_millis(number(MAX_DELAY_MS)?)),
            "blackhole" => Condition::Blackhole,
            "reset" => Condition::Reset,
            "hang" => Condition::Hang,
            "throttle" => Condition::Throttle(number(MAX_BODY_BYTES)?),
            "freeze-after" => Condition::FreezeAfter(number(MAX_BODY_BYTES)?),
            "status" => Condition::Status(
                u16::try_from(number(599)?).ok().filter(|s| *s >= 200).ok_or("status: expected 200-599")?,
            ),
            "ws-ok" => Condition::WsOk,
            "ws-blackhole" => Condition::WsBlackhole,
            "ws-reject" => Condition::WsReject,
            "ws-origin-check" => Condition::WsOriginCheck,
            _ => return Err(format!("unknown condition {name:?} (see GET / for the list)")),
        };
        if value.is_some()
            && matches!(
                name,
                "ok" | "blackhole"
                    | "reset"
                    | "hang"
                    | "ws-ok"
                    | "ws-blackhole"
                    | "ws-reject"
                    | "ws-origin-check"
            )
        {
            return Err(format!("{name} takes no value"));
        }
        Ok(condition)
    }

    /// Conditions handled on the raw socket, before (or instead of) any HTTP answer.
    pub fn is_raw(&self) -> bool {
        matches!(self, Condition::Blackhole | Condition::Reset | Condition::Hang | Condition::WsBlackhole)
    }
}

/// Per-request response options, from the query string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// Body size for `ok`, `delay`, `throttle`, `freeze-after` (default: a short text for ok/delay).
    pub bytes: Option<u64>,
    /// Send `Access-Control-Allow-Origin: *` (default yes; `cors=0` leaves it out).
    pub cors: bool,
    /// `Cross-Origin-Resource-Policy` value (`corp=none` leaves it out; default `cross-origin`).
    pub corp: Option<String>,
    /// Send `Timing-Allow-Origin: *` (`tao=1`), exposing Resource Timing phases.
    pub tao: bool,
    /// Serve a tiny PNG (`type=png`), for image probes.
    pub png: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { bytes: None, cors: true, corp: Some("cross-origin".into()), tao: false, png: false }
    }
}

impl Options {
    pub fn parse(query: &str) -> Result<Options, String> {
        let mut options = Options::default();
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            match key {
                "bytes" => match value.parse::<u64>() {
                    Ok(n) if n <= MAX_BODY_BYTES => options.bytes = Some(n),
                    _ => return Err(format!("bytes={value}: expected 0 to {MAX_BODY_BYTES}")),
                },
                "cors" => options.cors = flag(key, value)?,
                "tao" => options.tao = flag(key, value)?,
                "corp" => {
                    options.corp = match value {
                        "none" => None,
                        "cross-origin" | "same-origin" | "same-site" => Some(value.to_owned()),
                        _ => {
                            return Err(format!(
                                "corp={value}: expected none, cross-origin, same-site or same-origin"
                            ))
                        }
                    }
                }
                "type" if value == "png" => options.png = true,
                // Cache-busting parameters of probes, and anything else, are ignored.
                _ => {}
            }
        }
        Ok(options)
    }
}

fn flag(key: &str, value: &str) -> Result<bool, String> {
    match value {
        "1" | "yes" | "true" => Ok(true),
        "0" | "no" | "false" => Ok(false),
        _ => Err(format!("{key}={value}: expected 1 or 0")),
    }
}

/// The condition part of a lab path (`/c/<condition>`), if the path is one.
pub fn condition_of_path(path: &str) -> Option<&str> {
    path.strip_prefix("/c/").map(|rest| rest.split(['?', '#']).next().unwrap_or(rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_condition() {
        for (text, expected) in [
            ("ok", Condition::Ok),
            ("delay=300", Condition::Delay(Duration::from_millis(300))),
            ("blackhole", Condition::Blackhole),
            ("reset", Condition::Reset),
            ("hang", Condition::Hang),
            ("ws-origin-check", Condition::WsOriginCheck),
            ("throttle=50000", Condition::Throttle(50_000)),
            ("freeze-after=16384", Condition::FreezeAfter(16_384)),
            ("status=503", Condition::Status(503)),
            ("ws-ok", Condition::WsOk),
            ("ws-blackhole", Condition::WsBlackhole),
            ("ws-reject", Condition::WsReject),
        ] {
            assert_eq!(Condition::parse(text), Ok(expected));
        }
    }

    #[test]
    fn rejects_bad_conditions_with_a_reason() {
        for (text, problem) in [
            ("delay", "needs a value"),
            ("delay=abc", "whole number"),
            ("delay=0", "whole number"),
            ("delay=999999999", "whole number"),
            ("throttle=-5", "whole number"),
            ("status=99", "200-599"),
            ("status=600", "whole number"),
            ("status=150", "200-599"),
            ("ok=1", "takes no value"),
            ("teleport", "unknown condition"),
        ] {
            let err = Condition::parse(text).unwrap_err();
            assert!(err.contains(problem), "{text}: {err}");
        }
    }

    #[test]
    fn parses_options() {
        assert_eq!(Options::parse("").unwrap(), Options::default());
        let o = Options::parse("bytes=1000&cors=0&corp=same-origin&tao=1&rc=abc").unwrap();
        assert_eq!(
            (o.bytes, o.cors, o.corp.as_deref(), o.tao),
            (Some(1000), false, Some("same-origin"), true)
        );
        assert_eq!(Options::parse("corp=none").unwrap().corp, None);
        assert!(Options::parse("bytes=1e9").is_err());
        assert!(Options::parse("corp=maybe").is_err());
        assert!(Options::parse("cors=perhaps").is_err());
    }

    #[test]
    fn finds_the_condition_in_a_path() {
        assert_eq!(condition_of_path("/c/delay=300?bytes=10"), Some("delay=300"));
        assert_eq!(condition_of_path("/ok"), None);
    }
}

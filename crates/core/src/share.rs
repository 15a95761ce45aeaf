//! Share links: a run's verdicts, compactly encoded in the URL fragment (`#r=1.<base64url>`), so
//! no server ever sees them. The link carries verdicts and timings only — no measurement
//! details, no time finer than the hour — and opens read-only, marked as someone else's.

use serde::{Deserialize, Serialize};

use crate::catalog::ProbeKind;
use crate::diagnosis::Method;
use crate::problem::ShareIssue;
use crate::results::{EndpointRow, RunResults, ServiceRow};
use crate::verdict::{EndpointVerdict, Failure, Reason, Verdict};

/// The fragment parameter and version of share links.
pub const FRAGMENT_PREFIX: &str = "r=1.";
/// Fragments longer than this are refused before decoding.
pub const MAX_FRAGMENT_BYTES: usize = 48 * 1024;

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Shared {
    c: String,
    v: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    t: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    x: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    m: Option<u32>,
    k: Vec<SharedEndpoint>,
    s: Vec<SharedService>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SharedService {
    i: String,
    n: String,
    e: Vec<SharedEndpoint>,
}

/// One endpoint; times in whole milliseconds, throughput in bytes per second.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SharedEndpoint {
    i: String,
    k: ProbeKind,
    o: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    v: Option<Verdict>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    f: Option<Failure>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    r: Option<Reason>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    m: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    a: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    b: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    p: Option<u64>,
    /// An HTTP error status the server answered with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    h: Option<u16>,
    #[serde(default)]
    n: usize,
    #[serde(default)]
    y: usize,
    /// The hosting network (catalog `network`), when the catalog names one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    w: Option<String>,
    /// How it is blocked (docs/verdicts.md, "How it is blocked").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    d: Option<Method>,
    /// The catalog's name for the endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    l: Option<String>,
}

fn ms(value: Option<f64>) -> Option<u32> {
    value.map(|v| v.round().clamp(0.0, f64::from(u32::MAX)) as u32)
}

impl SharedEndpoint {
    fn of(row: &EndpointRow) -> SharedEndpoint {
        let v = row.verdict.as_ref();
        SharedEndpoint {
            i: row.id.clone(),
            k: row.kind,
            o: row.timeout_ms,
            v: v.map(|v| v.verdict),
            f: v.and_then(|v| v.failure),
            r: v.and_then(|v| v.reason),
            m: ms(v.and_then(|v| v.median_ms)),
            a: ms(v.and_then(|v| v.failed_after_ms)),
            b: v.and_then(|v| v.bytes),
            p: v.and_then(|v| v.throughput_bps).map(|bps| bps.round() as u64),
            h: v.and_then(|v| v.status),
            n: v.map_or(0, |v| v.samples),
            y: v.map_or(0, |v| v.failed_samples),
            w: row.network.clone(),
            d: v.and_then(|v| v.method),
            l: row.name.clone(),
        }
    }

    fn row(self) -> EndpointRow {
        let verdict = self.v.map(|verdict| EndpointVerdict {
            verdict,
            failure: self.f,
            reason: self.r,
            median_ms: self.m.map(f64::from),
            spread_ms: None,
            failed_after_ms: self.a.map(f64::from),
            throughput_bps: self.p.map(|p| p as f64),
            bytes: self.b,
            status: self.h,
            method: self.d,
            samples: self.n,
            failed_samples: self.y.min(self.n),
        });
        EndpointRow { id: self.i, name: self.l, kind: self.k, timeout_ms: self.o, network: self.w, verdict }
    }
}

/// The fragment (without `#`) that carries `results`.
pub fn encode(results: &RunResults) -> String {
    let shared = Shared {
        c: results.catalog_id.clone(),
        v: results.catalog_version.clone(),
        t: results.measured_at.clone(),
        x: results.cancelled,
        m: ms(results.control_median_ms),
        k: results.controls.iter().map(SharedEndpoint::of).collect(),
        s: results
            .services
            .iter()
            .map(|s| SharedService {
                i: s.id.clone(),
                n: s.name.clone(),
                e: s.endpoints.iter().map(SharedEndpoint::of).collect(),
            })
            .collect(),
    };
    let json = serde_json::to_vec(&shared).unwrap_or_default();
    format!("{FRAGMENT_PREFIX}{}", base64url_encode(&json))
}

/// Whether a fragment (without `#`) is a share link at all.
pub fn is_share_fragment(fragment: &str) -> bool {
    fragment.starts_with("r=")
}

/// Reads a share fragment back into results; every failure is a sentence for the visitor.
pub fn decode(fragment: &str) -> Result<RunResults, ShareIssue> {
    if fragment.len() > MAX_FRAGMENT_BYTES {
        return Err(ShareIssue::TooLong { limit: MAX_FRAGMENT_BYTES });
    }
    let payload = fragment.strip_prefix(FRAGMENT_PREFIX).ok_or(ShareIssue::OtherVersion)?;
    let json = base64url_decode(payload).ok_or(ShareIssue::NotBase64)?;
    // Read as text, as every other JSON is: a second reader (`from_slice`) would be linked too.
    let json = String::from_utf8(json).map_err(|_| ShareIssue::Damaged("not UTF-8 text".into()))?;
    let shared: Shared = serde_json::from_str(&json).map_err(|err| ShareIssue::Damaged(err.to_string()))?;
    let mut results = RunResults {
        catalog_id: shared.c,
        catalog_version: shared.v,
        measured_at: shared.t.filter(|t| crate::anonymize::is_hour_timestamp(t)),
        cancelled: shared.x,
        // A share link carries verdicts only: the hint follows from the endpoints' reasons.
        content_blocker: false,
        baseline_date: None,
        control_median_ms: shared.m.map(f64::from),
        control_throughput_bps: None,
        connection: None,
        controls: shared.k.into_iter().map(SharedEndpoint::row).collect(),
        services: shared
            .s
            .into_iter()
            .map(|s| ServiceRow {
                id: s.i,
                name: s.n,
                summary: None,
                endpoints: s.e.into_iter().map(SharedEndpoint::row).collect(),
            })
            .collect(),
    };
    results.resummarize();
    results.content_blocker = results.count_reason(crate::verdict::Reason::ContentBlocker) > 0;
    Ok(results)
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// RFC 4648 §5 base64url without padding.
pub fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

pub fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    if text.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    for chunk in text.as_bytes().chunks(4) {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            let value = ALPHABET.iter().position(|&a| a == c)? as u32;
            n |= value << (18 - 6 * i);
        }
        out.extend((0..chunk.len() - 1).map(|i| (n >> (16 - 8 * i)) as u8));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::tests::sample_report;

    #[test]
    fn base64url_matches_rfc_4648_vectors() {
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg"),
            ("fo", "Zm8"),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg"),
            ("fooba", "Zm9vYmE"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64url_encode(plain.as_bytes()), encoded);
            assert_eq!(base64url_decode(encoded).unwrap(), plain.as_bytes());
        }
        assert_eq!(base64url_encode(&[0xfb, 0xff]), "-_8");
        assert_eq!(base64url_decode("-_8").unwrap(), [0xfb, 0xff]);
        assert!(base64url_decode("a").is_none() && base64url_decode("a+b/").is_none());
    }

    #[test]
    fn a_share_link_carries_the_verdicts() {
        let results = (*crate::history::Entry::of(&sample_report()).results).clone();
        let fragment = encode(&results);
        assert!(fragment.starts_with("r=1.") && fragment.len() < 1200, "{} bytes", fragment.len());
        let decoded = decode(&fragment).unwrap();
        assert_eq!(
            decoded.services[0].summary.as_ref().map(|s| s.status),
            results.services[0].summary.as_ref().map(|s| s.status)
        );
        assert_eq!(decoded.services[0].name, "<b>Service</b>");
        let verdict =
            |r: &RunResults| r.services[0].endpoints[0].verdict.as_ref().map(|v| (v.verdict, v.failure));
        assert_eq!(verdict(&decoded), verdict(&results));
        assert_eq!(decoded.measured_at, results.measured_at);
        assert_eq!(decoded.tally(), results.tally());
    }

    #[test]
    fn damaged_links_are_explained_not_panicked_on() {
        for (fragment, why) in [
            ("r=2.abc", "another version"),
            ("r=1.!!!!", "not valid base64url"),
            (&format!("r=1.{}", base64url_encode(b"{\"c\":1}")), "damaged"),
            (&format!("r=1.{}", base64url_encode(b"[]")), "damaged"),
            (&"r=1.".repeat(20_000), "longer than"),
        ] {
            let err = decode(fragment).unwrap_err();
            assert!(err.to_string().contains(why), "{fragment:.40}: {err}");
        }
        assert!(is_share_fragment("r=1.x") && !is_share_fragment("top"));
    }
}

//! The baseline of a catalog (`baseline.json`, docs/catalog.md "Keeping a catalog honest"): what
//! each endpoint did in a run from an uncensored network, in a real browser from an https page.
//! An endpoint that failed there is broken for everyone (a retired host, a CORP header, an Origin
//! check), so when it fails for a visitor it is `inconclusive` (`endpoint_broken`), not blocked.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::catalog::Catalog;
use crate::problem::{Issue, Problem};
use crate::report::Report;
use crate::verdict::{Reason, Verdict};

/// The baseline format this code reads and writes.
pub const BASELINE_FORMAT: u32 = 1;
/// Baseline files larger than this are refused before parsing.
pub const MAX_BASELINE_BYTES: usize = 512 * 1024;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub baseline_format: u32,
    pub catalog_id: String,
    pub catalog_version: String,
    /// UTC day of the run, `YYYY-MM-DD`.
    pub date: String,
    /// The browser it ran in (`Chrome 156`).
    pub browser: String,
    /// Where it ran from, in the maintainer's words (e.g. "CI runner, US, unfiltered").
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub network: String,
    /// By endpoint id (a `HashMap`, as elsewhere in the app: a `BTreeMap` would add its own code
    /// to the widget's wasm; `to_json` writes the ids sorted all the same).
    pub endpoints: HashMap<String, BaselineEntry>,
}

/// What one endpoint did in the baseline run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineEntry {
    /// It measured what it is meant to: false for a failure, an error status on a transfer, or
    /// a browser rule that stopped it.
    pub works: bool,
    /// The verdict, failure class and reason by their docs/verdicts.md names, for the people
    /// reading the file; the app reads only `works` (kept as text so the browser needs no
    /// parser for them: the widget's size budget).
    pub verdict: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// An HTTP error status the endpoint answered with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
}

impl Baseline {
    /// The baseline of a finished run. Refused when the run cannot serve as one: cancelled, or
    /// the controls did not all answer (then the network it ran on was not unfiltered).
    pub fn from_report(report: &Report, date: &str, network: &str) -> Result<Baseline, String> {
        let keys = &report.test_keys;
        if keys.cancelled {
            return Err("the run was cancelled".into());
        }
        let reference = &keys.reference;
        if reference.global_reached < reference.global_total
            || reference.domestic_reached < reference.domestic_total
        {
            return Err(format!(
                "only {} of {} global and {} of {} domestic controls answered: a baseline must come \
                 from a network where nothing is filtered",
                reference.global_reached,
                reference.global_total,
                reference.domestic_reached,
                reference.domestic_total
            ));
        }
        if keys.content_blocker {
            return Err("a canary was blocked: run the baseline in a browser without extensions".into());
        }
        let endpoints = keys
            .endpoints
            .iter()
            .map(|e| {
                let v = &e.verdict;
                let entry = BaselineEntry {
                    works: !failed(v.verdict, v.reason),
                    verdict: v.verdict.as_str().to_owned(),
                    failure: v.failure.map(|f| f.as_str().to_owned()),
                    reason: v.reason.map(|r| r.as_str().to_owned()),
                    status: v.status,
                };
                (e.endpoint_id.clone(), entry)
            })
            .collect();
        Ok(Baseline {
            baseline_format: BASELINE_FORMAT,
            catalog_id: keys.catalog_id.clone(),
            catalog_version: keys.catalog_version.clone(),
            date: date.to_owned(),
            browser: report.browser.clone(),
            network: network.to_owned(),
            endpoints,
        })
    }

    /// Parses a baseline; never panics, whatever the input.
    pub fn parse(json: &str) -> Result<Baseline, Problem> {
        if json.len() > MAX_BASELINE_BYTES {
            return Err(Problem::new("", Issue::TooLarge { bytes: json.len(), limit: MAX_BASELINE_BYTES }));
        }
        let baseline: Baseline = crate::json::from_str_with_path(json).map_err(|(path, problem)| {
            Problem::new(if path == "." { "" } else { &path }, Issue::Json(problem))
        })?;
        if baseline.baseline_format != BASELINE_FORMAT {
            let (found, oldest, newest) = (baseline.baseline_format, BASELINE_FORMAT, BASELINE_FORMAT);
            return Err(Problem::new("baseline_format", Issue::UnsupportedFormat { found, oldest, newest }));
        }
        if !is_day(&baseline.date) {
            return Err(Problem::new("date", Issue::NotADay(baseline.date)));
        }
        Ok(baseline)
    }

    /// Whether this baseline was made for `catalog` (same id; the version may be older, since
    /// endpoint ids outlive versions).
    pub fn applies_to(&self, catalog: &Catalog) -> bool {
        self.catalog_id == catalog.id
    }

    /// The endpoint failed in the baseline run.
    pub fn broken(&self, endpoint_id: &str) -> bool {
        self.endpoints.get(endpoint_id).is_some_and(|e| !e.works)
    }

    /// Ids of the endpoints that failed in the baseline, sorted.
    pub fn broken_ids(&self) -> Vec<&str> {
        let mut ids: Vec<&str> =
            self.endpoints.iter().filter(|(_, e)| !e.works).map(|(id, _)| id.as_str()).collect();
        ids.sort_unstable();
        ids
    }

    /// Pretty JSON with the endpoint ids sorted, so a published baseline diffs well.
    pub fn to_json(&self) -> String {
        // serde_json's own map keeps its keys sorted.
        let value = serde_json::to_value(self).unwrap_or_default();
        serde_json::to_string_pretty(&value).unwrap_or_default()
    }
}

/// What counts as broken in an unfiltered run: a failure, a transfer the server refused, or a
/// browser rule (CSP, mixed content, a bad port, a refused URL) that will stop it for everyone.
fn failed(verdict: Verdict, reason: Option<Reason>) -> bool {
    match verdict {
        Verdict::Blocked | Verdict::Stalled => true,
        Verdict::Inconclusive => matches!(
            reason,
            Some(
                Reason::ServerError
                    | Reason::BadPort
                    | Reason::ContentSecurityPolicy
                    | Reason::MixedContent
                    | Reason::BrowserRefused
            )
        ),
        _ => false,
    }
}

fn is_day(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| if i == 4 || i == 7 { *c == b'-' } else { c.is_ascii_digit() })
}

#[cfg(test)]
mod tests;

//! Follow-up probes that tell how a failed host is blocked (core's `diagnosis` has the rule):
//! the host's addresses from DNS-over-HTTPS resolvers, its root page by name, then each address
//! directly. Only for the hosts core's plan names, as they fail (at most 24 in a run).

use std::net::Ipv4Addr;

use futures::channel::oneshot;
use futures::future::{join, join_all, select, Either};
use futures::stream::{FuturesUnordered, StreamExt};
use gloo_net::http::Request;
use reachcheck_core::catalog::Success;
use reachcheck_core::diagnosis::{
    lookup_url, read_answer, resolver_id, Answer, Diagnosis, Lookup, Plan, Suspect, LOOKUP_TIMEOUT_MS,
};
use reachcheck_core::measurement::{Outcome, Sample};
use web_sys::RequestMode;

use super::clock::{within, AbortOnDrop};
use super::{cache_busted, fetch, sample_after};

/// Resolver answers larger than this are not read (an A lookup's answer is a few hundred bytes).
const MAX_ANSWER_BYTES: usize = 64 * 1024;

/// Diagnoses every suspect of `plan` at once; when `cancel` fires, returns the diagnoses that
/// had ended by then (dropping the requests in flight). In the plan's order either way.
pub async fn diagnose(plan: &Plan, mut cancel: oneshot::Receiver<()>) -> Vec<Diagnosis> {
    let mut running: FuturesUnordered<_> = plan
        .suspects
        .iter()
        .enumerate()
        .map(|(i, suspect)| async move { (i, diagnose_one(suspect, &plan.resolvers).await) })
        .collect();
    let mut done: Vec<Option<Diagnosis>> = vec![None; plan.suspects.len()];
    while let Either::Left((Some((i, diagnosis)), _)) = select(running.next(), &mut cancel).await {
        done[i] = Some(diagnosis);
    }
    done.into_iter().flatten().collect()
}

async fn diagnose_one(suspect: &Suspect, resolvers: &[String]) -> Diagnosis {
    let lookups = join_all(resolvers.iter().map(|resolver| lookup(resolver, &suspect.host)));
    let root = answer_of(suspect.root_url(), suspect.timeout_ms);
    let (lookups, root) = join(lookups, root).await;
    let mut addresses: Vec<Ipv4Addr> = Vec::new();
    for address in lookups.iter().flat_map(|(_, found)| found) {
        if !addresses.contains(address) && addresses.len() < reachcheck_core::diagnosis::MAX_ADDRESSES {
            addresses.push(*address);
        }
    }
    let probes = addresses.iter().map(|a| answer_of(suspect.address_url(*a), suspect.timeout_ms));
    Diagnosis {
        host: suspect.key(),
        endpoints: suspect.endpoints.clone(),
        lookups: lookups.into_iter().map(|(lookup, _)| lookup).collect(),
        root: Some(root),
        addresses: join_all(probes).await,
    }
}

/// A `no-cors` GET like the fetch probe's: any answer, or how it failed.
async fn answer_of(url: String, timeout_ms: u32) -> Sample {
    let url = cache_busted(&url);
    fetch::attempt(&url, Success::AnyResponse, timeout_ms)
        .await
        .unwrap_or_else(|_| sample_after(Outcome::Error, 0.0))
}

/// Asks one resolver for the name's IPv4 addresses.
async fn lookup(resolver: &str, name: &str) -> (Lookup, Vec<Ipv4Addr>) {
    let (answer, addresses) = match ask(&lookup_url(resolver, name)).await {
        Some(text) => read_answer(&text),
        None => (Answer::Failed, Vec::new()),
    };
    (Lookup { resolver: resolver_id(resolver), answer, addresses: addresses.len() }, addresses)
}

/// The resolver's answer as text, if it gave one in time.
async fn ask(url: &str) -> Option<String> {
    let abort = AbortOnDrop::new()?;
    let signal = abort.signal();
    // `Accept` with this value is CORS-safelisted: no preflight.
    let request = fetch::request(Request::get(url), RequestMode::Cors, &signal)
        .header("accept", "application/dns-json");
    let read = async {
        let response = request.send().await.ok().filter(|r| r.ok())?;
        let text = response.text().await.ok()?;
        (text.len() <= MAX_ANSWER_BYTES).then_some(text)
    };
    within(f64::from(LOOKUP_TIMEOUT_MS), read).await.flatten()
}

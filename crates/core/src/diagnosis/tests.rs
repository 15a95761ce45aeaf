use std::collections::HashMap;

use super::*;
use crate::catalog::PageContext;
use crate::measurement::Measurement;

fn reference() -> ControlReference {
    // Controls answered in 40 ms: errors within 1000 ms are fast.
    ControlReference { global_reached: 1, global_total: 1, median_ms: Some(40.0), ..Default::default() }
}

fn lookup(answer: Answer) -> Lookup {
    Lookup { resolver: "r".into(), answer, addresses: usize::from(answer == Answer::Addresses) }
}

fn sample(outcome: Outcome, ms: f64) -> Sample {
    Sample::new(outcome, ms)
}

fn diagnosis(lookups: &[Answer], root: Option<Sample>, addresses: Vec<Sample>) -> Diagnosis {
    Diagnosis {
        host: "h.example".into(),
        endpoints: vec!["e".into()],
        lookups: lookups.iter().map(|a| lookup(*a)).collect(),
        root,
        addresses,
    }
}

use Answer::{Addresses, Failed, NoSuchName};

#[test]
fn a_name_that_fails_fast_while_its_address_answers_is_dns() {
    let d = diagnosis(
        &[Addresses, Addresses],
        Some(sample(Outcome::Error, 20.0)),
        vec![sample(Outcome::Error, 30.0)], // a bare address over https: certificate error
    );
    assert_eq!(d.method(Some(Failure::FastFail), &reference()), Method::Dns);
}

#[test]
fn a_name_without_answer_while_its_address_answers_is_filtered_by_name() {
    let d = diagnosis(&[Addresses], Some(sample(Outcome::Timeout, 4000.0)), vec![sample(Outcome::Ok, 5.0)]);
    assert_eq!(d.method(Some(Failure::Timeout), &reference()), Method::Name);
    // A slow error is no answer in a round trip either.
    let slow = diagnosis(&[Addresses], Some(sample(Outcome::Error, 3000.0)), vec![sample(Outcome::Ok, 5.0)]);
    assert_eq!(slow.method(Some(Failure::SlowFail), &reference()), Method::Name);
}

#[test]
fn addresses_that_get_no_answer_are_cut() {
    let d = diagnosis(
        &[Addresses],
        Some(sample(Outcome::Timeout, 4000.0)),
        vec![sample(Outcome::Timeout, 4000.0), sample(Outcome::Timeout, 4000.0)],
    );
    assert_eq!(d.method(Some(Failure::Timeout), &reference()), Method::Address);
    // One address of two answering is enough for the addresses not to be cut.
    let one = diagnosis(
        &[Addresses],
        Some(sample(Outcome::Timeout, 4000.0)),
        vec![sample(Outcome::Timeout, 4000.0), sample(Outcome::Ok, 9.0)],
    );
    assert_eq!(one.method(Some(Failure::Timeout), &reference()), Method::Name);
}

#[test]
fn resolvers_that_fail_or_disagree_or_know_no_such_name_settle_nothing() {
    let answers = vec![sample(Outcome::Ok, 5.0)];
    let root = Some(sample(Outcome::Timeout, 4000.0));
    for lookups in [&[Failed, Failed][..], &[Addresses, NoSuchName], &[NoSuchName], &[]] {
        let d = diagnosis(lookups, root.clone(), answers.clone());
        assert_eq!(d.method(Some(Failure::Timeout), &reference()), Method::Unknown, "{lookups:?}");
    }
    // One resolver failing (itself blocked) while another answers is fine.
    let d = diagnosis(&[Failed, Addresses], root, answers);
    assert_eq!(d.method(Some(Failure::Timeout), &reference()), Method::Name);
}

#[test]
fn a_name_whose_root_answers_is_not_blocked_by_name_or_address() {
    // A 404 image, a CORP header, a refused WebSocket: the failure is the URL's alone.
    let d = diagnosis(&[Addresses], Some(sample(Outcome::Ok, 8.0)), vec![sample(Outcome::Ok, 5.0)]);
    assert_eq!(d.method(Some(Failure::FastFail), &reference()), Method::Unknown);
}

#[test]
fn without_a_root_probe_the_endpoints_own_failure_decides() {
    let answers = vec![sample(Outcome::Ok, 5.0)];
    let d = diagnosis(&[Addresses], None, answers.clone());
    assert_eq!(d.method(Some(Failure::FastFail), &reference()), Method::Dns);
    assert_eq!(d.method(Some(Failure::Timeout), &reference()), Method::Name);
    assert_eq!(d.method(None, &reference()), Method::Unknown);
    // A stopped diagnosis without address probes cannot say.
    assert_eq!(
        diagnosis(&[Addresses], None, Vec::new()).method(Some(Failure::Timeout), &reference()),
        Method::Unknown
    );
}

#[test]
fn answers_are_read_as_google_and_cloudflare_send_them() {
    let google = r#"{"Status":0,"TC":false,"Question":[{"name":"web.whatsapp.com.","type":1}],
        "Answer":[{"name":"web.whatsapp.com.","type":5,"TTL":300,"data":"mmx-ds.cdn.whatsapp.net."},
                  {"name":"mmx-ds.cdn.whatsapp.net.","type":1,"TTL":60,"data":"157.240.0.60"},
                  {"name":"mmx-ds.cdn.whatsapp.net.","type":1,"TTL":60,"data":"157.240.0.61"},
                  {"name":"mmx-ds.cdn.whatsapp.net.","type":1,"TTL":60,"data":"157.240.0.62"}]}"#;
    let (answer, addresses) = read_answer(google);
    assert_eq!(answer, Addresses);
    assert_eq!(addresses, ["157.240.0.60".parse::<Ipv4Addr>().unwrap(), "157.240.0.61".parse().unwrap()]);
    assert_eq!(read_answer(r#"{"Status":3,"Question":[{"name":"x.invalid.","type":1}]}"#).0, NoSuchName);
    assert_eq!(read_answer(r#"{"Status":0,"Answer":[]}"#).0, NoSuchName);
    assert_eq!(read_answer(r#"{"Status":2}"#).0, Failed);
    assert_eq!(read_answer("<html>blocked</html>").0, Failed);
}

#[test]
fn addresses_are_not_names() {
    let target = |url: &str| Target::parse(url).unwrap();
    assert!(is_name(&target("https://web.whatsapp.com/")) && is_name(&target("https://x.example:8443/")));
    assert!(!is_name(&target("https://192.0.2.1/")) && !is_name(&target("https://[2001:db8::1]/")));
}

#[test]
fn a_hostile_answer_puts_nothing_but_addresses_into_urls() {
    let hostile = r#"{"Status":0,"Answer":[{"type":1,"data":"evil.example/x?"},{"type":1,"data":"1.2.3.4:99"},
        {"type":1,"data":"10.0.0.1"}]}"#;
    let (answer, addresses) = read_answer(hostile);
    assert_eq!((answer, addresses), (Addresses, vec!["10.0.0.1".parse().unwrap()]));
}

const CATALOG: &str = r#"{ "catalog_format": 4, "id": "t", "version": "1",
  "resolvers": [ "https://dns.example/resolve?type=A&name=" ],
  "controls": [ { "scope": "global", "id": "c", "kind": "fetch", "url": "https://c.example/", "timeout_ms": 1000, "source": "t" } ],
  "services": [ { "id": "s", "name": "S", "category": "x", "homepage": "https://s.example/", "endpoints": [
    { "id": "e1", "kind": "fetch", "url": "https://s.example/a", "timeout_ms": 1000, "source": "t" },
    { "id": "e2", "kind": "websocket", "url": "wss://s.example/ws", "timeout_ms": 1000, "source": "t" },
    { "id": "e3", "kind": "fetch", "url": "https://ok.example:8443/", "timeout_ms": 2000, "source": "t" },
    { "id": "e4", "kind": "fetch", "url": "https://192.0.2.1/", "timeout_ms": 1000, "source": "t" },
    { "id": "e5", "kind": "webrtc", "url": "stun:stun.example:3478", "timeout_ms": 1000, "source": "t" } ] } ] }"#;

fn measured(id: &str, kind: ProbeKind, outcome: Outcome) -> (String, Measurement) {
    let samples = vec![Sample::new(outcome, if outcome == Outcome::Timeout { 1000.0 } else { 10.0 })];
    (
        id.into(),
        Measurement {
            endpoint_id: id.into(),
            kind,
            timeout_ms: 1000,
            obstacle: None,
            samples,
            transfer: None,
            ice: None,
        },
    )
}

#[test]
fn the_plan_asks_about_each_blocked_host_by_name_once() {
    let catalog = Catalog::load(CATALOG, PageContext::SECURE).unwrap();
    let measurements: HashMap<String, Measurement> = [
        measured("c", ProbeKind::Fetch, Outcome::Ok),
        measured("e1", ProbeKind::Fetch, Outcome::Timeout),
        measured("e2", ProbeKind::Websocket, Outcome::Timeout),
        measured("e3", ProbeKind::Fetch, Outcome::Ok),
        measured("e4", ProbeKind::Fetch, Outcome::Timeout),
        measured("e5", ProbeKind::Webrtc, Outcome::Timeout),
    ]
    .into();
    let evaluation = Evaluation::of(&catalog, &measurements);
    let plan = Plan::of(&catalog, &evaluation, &[], MAX_SUSPECTS).expect("a blocked host");
    assert_eq!(plan.resolvers.len(), 1);
    // One suspect for s.example (fetch and websocket share it), none for the answering host, the
    // IP literal or the call path.
    assert_eq!(plan.suspects.len(), 1);
    let suspect = &plan.suspects[0];
    assert_eq!(suspect.endpoints, ["e1", "e2"]);
    assert_eq!(suspect.key(), "s.example:443");
    // Controls at 10 ms: a root or address probe waits 5 s, not the endpoint's whole timeout.
    assert_eq!(suspect.timeout_ms, 1000.min(PROBE_WAIT_MS));
    assert_eq!(probe_wait_ms(8000, &reference()), PROBE_WAIT_MS);
    let slow = ControlReference { median_ms: Some(900.0), ..reference() };
    assert_eq!(probe_wait_ms(15_000, &slow), 9000, "10 x the controls on a slow network");
    assert_eq!(suspect.root_url(), "https://s.example/");
    assert_eq!(suspect.address_url("192.0.2.7".parse().unwrap()), "https://192.0.2.7/");
    assert_eq!(
        lookup_url(&plan.resolvers[0], &suspect.host),
        "https://dns.example/resolve?type=A&name=s.example"
    );
    assert_eq!(resolver_id(&plan.resolvers[0]), "dns.example:443");
}

#[test]
fn nothing_is_diagnosed_on_a_dead_network_or_without_resolvers() {
    let catalog = Catalog::load(CATALOG, PageContext::SECURE).unwrap();
    let dead: HashMap<String, Measurement> = [
        measured("c", ProbeKind::Fetch, Outcome::Timeout),
        measured("e1", ProbeKind::Fetch, Outcome::Timeout),
    ]
    .into();
    assert_eq!(Plan::of(&catalog, &Evaluation::of(&catalog, &dead), &[], MAX_SUSPECTS), None);
    let mut without = catalog.clone();
    without.resolvers.clear();
    let blocked: HashMap<String, Measurement> =
        [measured("c", ProbeKind::Fetch, Outcome::Ok), measured("e1", ProbeKind::Fetch, Outcome::Timeout)]
            .into();
    assert_eq!(Plan::of(&without, &Evaluation::of(&without, &blocked), &[], MAX_SUSPECTS), None);
}

#[test]
fn the_plan_is_bounded_per_run_and_per_service() {
    // Many services of one host each, and one service of five hosts.
    let endpoint = |i: usize| {
        format!(
            r#"{{ "id": "e{i}", "kind": "fetch", "url": "https://h{i}.example/", "timeout_ms": 1000, "source": "t" }}"#
        )
    };
    let service = |id: String, endpoints: Vec<String>| {
        format!(
            r#"{{ "id": "{id}", "name": "S", "category": "x", "homepage": "https://s.example/", "endpoints": [{}] }}"#,
            endpoints.join(",")
        )
    };
    let mut services = vec![service("wide".into(), (100..105).map(endpoint).collect())];
    services.extend((0..MAX_SUSPECTS + 5).map(|i| service(format!("s{i}"), vec![endpoint(i)])));
    let json = format!(
        r#"{{ "catalog_format": 4, "id": "t", "version": "1", "resolvers": [ "https://dns.example/resolve?name=" ],
             "controls": [ {{ "scope": "global", "id": "c", "kind": "fetch", "url": "https://c.example/", "timeout_ms": 1000, "source": "t" }} ],
             "services": [{}] }}"#,
        services.join(",")
    );
    let catalog = Catalog::load(&json, PageContext::SECURE).unwrap();
    let mut measurements: HashMap<String, Measurement> =
        [measured("c", ProbeKind::Fetch, Outcome::Ok)].into();
    for (_, e) in catalog.endpoints().skip(1) {
        measurements.extend([measured(&e.id, ProbeKind::Fetch, Outcome::Timeout)]);
    }
    let evaluation = Evaluation::of(&catalog, &measurements);
    let plan = Plan::of(&catalog, &evaluation, &[], MAX_SUSPECTS).unwrap();
    assert_eq!(plan.suspects.len(), MAX_SUSPECTS);
    let is_wide = |s: &Suspect| (100..105).any(|i| s.host == format!("h{i}.example"));
    let wide = plan.suspects.iter().filter(|s| is_wide(s)).count();
    assert_eq!(wide, MAX_HOSTS_PER_SERVICE, "one service does not take every place");
    // Hosts already asked about are not asked again, and the room left bounds the rest.
    let asked: Vec<String> = plan.suspects.iter().map(Suspect::key).collect();
    let rest = Plan::of(&catalog, &evaluation, &asked, 3).unwrap();
    assert_eq!(rest.suspects.len(), 3);
    assert!(rest.suspects.iter().all(|s| !asked.contains(&s.key()) && !is_wide(s)));
}

#[test]
fn catalogs_with_bad_resolvers_are_refused() {
    let bad = |resolvers: &str| {
        let json = CATALOG.replace(r#"[ "https://dns.example/resolve?type=A&name=" ]"#, resolvers);
        Catalog::load(&json, PageContext::SECURE).unwrap_err().to_string()
    };
    assert!(bad(r#"[ "https://dns.example/resolve" ]"#)
        .contains("resolvers[0]: must end with the query parameter"));
    assert!(bad(r#"[ "http://dns.example/r?name=" ]"#).contains("resolvers[0]"), "mixed content");
    let four: Vec<String> = (0..4).map(|i| format!(r#""https://dns{i}.example/r?name=""#)).collect();
    assert!(bad(&format!("[{}]", four.join(","))).contains("4 resolvers"));
    let twice = r#"[ "https://a.example/r?name=", "https://a.example/other?name=" ]"#;
    assert!(bad(twice).contains("duplicate id \"a.example:443\""));
}

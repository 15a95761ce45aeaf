use super::*;
use serde_json::{json, Value};

fn valid() -> Value {
    json!({
        "catalog_format": 1,
        "id": "test",
        "version": "1",
        "controls": [
            { "scope": "global", "id": "ctl-global", "kind": "fetch", "url": "https://www.example.com/favicon.ico",
              "timeout_ms": 8000, "source": "test" },
            { "scope": "domestic", "country": "RU", "id": "ctl-ru", "kind": "fetch", "url": "https://ya.ru/favicon.ico",
              "timeout_ms": 8000, "source": "test" }
        ],
        "services": [
            { "id": "chat", "name": "Chat", "category": "messaging", "homepage": "https://chat.example/",
              "endpoints": [
                { "id": "chat-web", "kind": "fetch", "url": "https://web.chat.example/", "timeout_ms": 8000, "source": "test" },
                { "id": "chat-ws", "kind": "websocket", "url": "wss://ws.chat.example/", "timeout_ms": 8000, "source": "test" }
              ] },
            { "id": "video", "name": "Video", "category": "video", "homepage": "https://video.example/",
              "endpoints": [
                { "id": "video-cdn", "kind": "stream", "url": "https://cdn.video.example/1mb", "timeout_ms": 15000,
                  "expected_bytes": 1048576, "source": "test" },
                { "id": "video-thumb", "kind": "image", "url": "https://img.video.example/t.png", "timeout_ms": 8000, "source": "test" }
              ] }
        ]
    })
}

fn load(value: &Value) -> Result<Catalog, CatalogError> {
    Catalog::load(&value.to_string(), PageContext::SECURE)
}

/// Applies `change` to a valid catalog and returns the problems it causes.
fn problems_after(change: impl FnOnce(&mut Value)) -> Vec<String> {
    let mut catalog = valid();
    change(&mut catalog);
    load(&catalog)
        .expect_err("the change must make the catalog invalid")
        .problems
        .iter()
        .map(|p| p.to_string())
        .collect()
}

#[test]
fn a_valid_catalog_loads_with_defaults() {
    let catalog = load(&valid()).unwrap();
    assert_eq!(catalog.services.len(), 2);
    let web = &catalog.services[0].endpoints[0];
    assert_eq!((web.success(), web.samples()), (Success::AnyResponse, 3));
    let stream = &catalog.services[1].endpoints[0];
    assert_eq!((stream.success(), stream.samples()), (Success::BodyComplete, 1));
    assert_eq!(catalog.endpoints().count(), 6);
    assert!(catalog.endpoints().take(2).all(|(service, _)| service.is_none()), "controls come first");
}

#[test]
fn a_catalog_survives_a_json_round_trip() {
    let catalog = load(&valid()).unwrap();
    assert_eq!(Catalog::load(&catalog.to_json(), PageContext::SECURE).unwrap(), catalog);
}

#[test]
fn malformed_catalogs_name_the_path_and_the_problem() {
    type Change = Box<dyn FnOnce(&mut Value)>;
    let cases: Vec<(&str, Change)> = vec![
        ("catalog_format: version 5 is not supported", Box::new(|c| c["catalog_format"] = json!(5))),
        (
            "missing field `services`",
            Box::new(|c| {
                c.as_object_mut().unwrap().remove("services");
            }),
        ),
        ("extra: unknown field `extra`", Box::new(|c| c["extra"] = json!(true))),
        ("id: \"Bad Id\" is not a valid id", Box::new(|c| c["id"] = json!("Bad Id"))),
        ("version: must not be empty", Box::new(|c| c["version"] = json!(" "))),
        ("controls: at least one control endpoint", Box::new(|c| c["controls"] = json!([]))),
        ("services: the catalog has no services", Box::new(|c| c["services"] = json!([]))),
        ("services[1].id: duplicate id \"chat\"", Box::new(|c| c["services"][1]["id"] = json!("chat"))),
        ("services[0].name: must not be empty", Box::new(|c| c["services"][0]["name"] = json!(""))),
        (
            "services[0].homepage: must be an http(s) URL",
            Box::new(|c| c["services"][0]["homepage"] = json!("wss://x.example/")),
        ),
        ("services[0].endpoints: must not be empty", Box::new(|c| c["services"][0]["endpoints"] = json!([]))),
        (
            "services[0].endpoints[1].url: ws:// is not allowed from an https page",
            Box::new(|c| c["services"][0]["endpoints"][1]["url"] = json!("ws://ws.chat.example/")),
        ),
        (
            "services[0].endpoints[0].url: http:// is not allowed from an https page",
            Box::new(|c| c["services"][0]["endpoints"][0]["url"] = json!("http://web.chat.example/")),
        ),
        (
            "services[0].endpoints[0].url: scheme ftp:// is not supported",
            Box::new(|c| c["services"][0]["endpoints"][0]["url"] = json!("ftp://web.chat.example/")),
        ),
        (
            "services[0].endpoints[0].url: fetch probes cannot use wss://",
            Box::new(|c| c["services"][0]["endpoints"][0]["url"] = json!("wss://web.chat.example/")),
        ),
        (
            "services[0].endpoints[1].url: websocket probes cannot use https://",
            Box::new(|c| c["services"][0]["endpoints"][1]["url"] = json!("https://ws.chat.example/")),
        ),
        (
            "services[0].endpoints[0].url: must not carry user names or passwords",
            Box::new(|c| c["services"][0]["endpoints"][0]["url"] = json!("https://a:b@web.chat.example/")),
        ),
        (
            "services[0].endpoints[0].url: is not an absolute URL",
            Box::new(|c| c["services"][0]["endpoints"][0]["url"] = json!("/relative")),
        ),
        (
            "services[0].endpoints[0].kind: unknown variant `tcp`",
            Box::new(|c| c["services"][0]["endpoints"][0]["kind"] = json!("tcp")),
        ),
        (
            "services[0].endpoints[0].timeout_ms: 100 is outside 500..=60000",
            Box::new(|c| c["services"][0]["endpoints"][0]["timeout_ms"] = json!(100)),
        ),
        (
            "services[0].endpoints[0].timeout_ms: 600000 is outside",
            Box::new(|c| c["services"][0]["endpoints"][0]["timeout_ms"] = json!(600000)),
        ),
        (
            "services[0].endpoints[0].timeout_ms: invalid value: integer `-1`",
            Box::new(|c| c["services"][0]["endpoints"][0]["timeout_ms"] = json!(-1)),
        ),
        (
            "services[0].endpoints[0].timeout_ms: invalid type: string",
            Box::new(|c| c["services"][0]["endpoints"][0]["timeout_ms"] = json!("8s")),
        ),
        (
            "services[1].endpoints[0].id: duplicate id \"chat-web\"",
            Box::new(|c| c["services"][1]["endpoints"][0]["id"] = json!("chat-web")),
        ),
        (
            "services[0].endpoints[0].id: duplicate id \"ctl-global\"",
            Box::new(|c| c["services"][0]["endpoints"][0]["id"] = json!("ctl-global")),
        ),
        (
            "services[1].endpoints[0].expected_bytes: a stream probe needs the body size",
            Box::new(|c| {
                c["services"][1]["endpoints"][0].as_object_mut().unwrap().remove("expected_bytes");
            }),
        ),
        (
            "services[0].endpoints[0].expected_bytes: only stream and download probes read the body",
            Box::new(|c| c["services"][0]["endpoints"][0]["expected_bytes"] = json!(10)),
        ),
        (
            "services[0].endpoints[1].success: any_response cannot be observed by a websocket probe",
            Box::new(|c| c["services"][0]["endpoints"][1]["success"] = json!("any_response")),
        ),
        (
            "services[0].endpoints[0].samples: 9 is outside 1..=5",
            Box::new(|c| c["services"][0]["endpoints"][0]["samples"] = json!(9)),
        ),
        (
            "services[0].endpoints[0].source: must not be empty",
            Box::new(|c| c["services"][0]["endpoints"][0]["source"] = json!("")),
        ),
        (
            "controls[1].country: a domestic control needs its country code",
            Box::new(|c| {
                c["controls"][1].as_object_mut().unwrap().remove("country");
            }),
        ),
        (
            "controls[1].country: \"ru\" is not a two-letter upper-case country code",
            Box::new(|c| c["controls"][1]["country"] = json!("ru")),
        ),
        (
            "submit_url: http:// is not allowed from an https page",
            Box::new(|c| c["submit_url"] = json!("http://collector.example/v1/reports")),
        ),
        (
            "submit_url: must be an http(s) URL, not wss://",
            Box::new(|c| c["submit_url"] = json!("wss://collector.example/")),
        ),
        (
            "controls[0].colour: unknown field `colour`",
            Box::new(|c| c["controls"][0]["colour"] = json!("red")),
        ),
        (
            "controls[0].scope: a control needs a scope (global or domestic)",
            Box::new(|c| {
                c["controls"][0].as_object_mut().unwrap().remove("scope");
            }),
        ),
        (
            "services[0].endpoints[0].scope: only controls have this field",
            Box::new(|c| c["services"][0]["endpoints"][0]["scope"] = json!("global")),
        ),
        (
            "services[0].endpoints[0].country: only controls have this field",
            Box::new(|c| c["services"][0]["endpoints"][0]["country"] = json!("RU")),
        ),
        (
            "controls[0].scope: unknown variant `local`",
            Box::new(|c| c["controls"][0]["scope"] = json!("local")),
        ),
    ];
    assert!(cases.len() >= 20);
    for (expected, change) in cases {
        let problems = problems_after(change);
        assert!(problems.iter().any(|p| p.starts_with(expected)), "expected {expected:?}, got {problems:?}");
    }
}

#[test]
fn reports_every_problem_at_once() {
    let problems = problems_after(|c| {
        c["services"][0]["endpoints"][0]["timeout_ms"] = json!(1);
        c["services"][1]["name"] = json!("");
    });
    assert_eq!(problems.len(), 2, "{problems:?}");
}

#[test]
fn garbage_never_panics() {
    for input in [
        "",
        "null",
        "[]",
        "{",
        "{\"catalog_format\": 1}",
        "\u{0}",
        "{\"catalog_format\": \"1\"}",
        "9999999999999999999999",
    ] {
        let err = Catalog::load(input, PageContext::SECURE).unwrap_err();
        assert!(!err.problems.is_empty() && !err.problems[0].to_string().is_empty(), "{input:?} -> {err}");
    }
    let huge = format!("{{\"id\": \"{}\"}}", "x".repeat(MAX_CATALOG_BYTES));
    assert!(Catalog::load(&huge, PageContext::SECURE)
        .unwrap_err()
        .to_string()
        .contains("larger than the limit"));
}

#[test]
fn plain_http_targets_are_fine_on_http_pages_and_loopback() {
    let mut catalog = valid();
    catalog["services"][0]["endpoints"][0]["url"] = json!("http://web.chat.example/");
    assert!(Catalog::load(&catalog.to_string(), PageContext { secure: false }).is_ok());
    catalog["services"][0]["endpoints"][0]["url"] = json!("http://lab.localhost:7357/c/ok");
    assert!(load(&catalog).is_ok(), "browsers treat loopback as potentially trustworthy");
}

#[test]
fn probes_start_with_controls_then_the_longest_timeouts_then_take_turns_between_services() {
    let catalog = load(&valid()).unwrap();
    let order: Vec<&str> = catalog.probe_order().iter().map(|e| e.id.as_str()).collect();
    // video-cdn waits 15 s, the others 8 s.
    assert_eq!(order, ["ctl-global", "ctl-ru", "video-cdn", "chat-web", "chat-ws", "video-thumb"]);
    // A domestic service comes right after the controls, whatever its timeouts.
    let mut domestic = valid();
    domestic["services"][0]["country"] = json!("RU");
    let catalog = load(&domestic).unwrap();
    let order: Vec<&str> = catalog.probe_order().iter().map(|e| e.id.as_str()).collect();
    assert_eq!(order, ["ctl-global", "ctl-ru", "chat-web", "chat-ws", "video-cdn", "video-thumb"]);
    domestic["services"][0]["country"] = json!("Russia");
    assert!(load(&domestic).unwrap_err().to_string().contains("services[0].country"));
}

#[test]
fn selects_services_by_id() {
    let mut catalog = load(&valid()).unwrap();
    assert_eq!(catalog.select_services(&["video", "nope"]).unwrap_err(), ["nope"]);
    catalog.select_services(&["video"]).unwrap();
    assert_eq!(catalog.services.len(), 1);
    assert_eq!(catalog.controls.len(), 2, "controls always stay");
}

#[test]
fn success_names_are_the_catalog_spelling() {
    for &success in Success::VARIANTS {
        assert_eq!(serde_json::to_value(success).unwrap(), success.as_str());
    }
}

#[test]
fn version_2_fields_are_checked() {
    let mut catalog = valid();
    catalog["catalog_format"] = json!(2);
    catalog["canaries"] = json!([{ "id": "canary", "kind": "fetch", "url": "https://t.example/ads.js?v=1",
                                   "timeout_ms": 3000, "source": "test" }]);
    catalog["services"][0]["endpoints"][1]["protocols"] = json!(["binary"]);
    catalog["services"][0]["endpoints"][0]["filter_listed"] = json!(true);
    let loaded = load(&catalog).unwrap();
    assert_eq!(loaded.services[0].endpoints[1].protocols, ["binary"]);
    assert!(loaded.services[0].endpoints[0].filter_listed);
    let order: Vec<&str> = loaded.probe_order().iter().map(|e| e.id.as_str()).collect();
    assert_eq!(&order[..3], ["ctl-global", "ctl-ru", "canary"], "canaries run with the controls");
    assert_eq!(Catalog::load(&loaded.to_json(), PageContext::SECURE).unwrap(), loaded);

    type Change = Box<dyn FnOnce(&mut Value)>;
    let cases: Vec<(&str, Change)> = vec![
        (
            "services[0].endpoints[0].protocols: only websocket endpoints offer subprotocols",
            Box::new(|c| c["services"][0]["endpoints"][0]["protocols"] = json!(["binary"])),
        ),
        (
            "services[0].endpoints[1].protocols[0]: \"two words\" is not a valid subprotocol name",
            Box::new(|c| c["services"][0]["endpoints"][1]["protocols"] = json!(["two words"])),
        ),
        (
            "services[0].endpoints[1].protocols[1]: \"binary\" is offered twice",
            Box::new(|c| c["services"][0]["endpoints"][1]["protocols"] = json!(["binary", "binary"])),
        ),
        (
            "canaries[0].kind: a canary is a fetch or image probe, not websocket",
            Box::new(|c| {
                c["canaries"] = json!([{ "id": "k", "kind": "websocket", "url": "wss://t.example/",
                                         "timeout_ms": 3000, "source": "test" }])
            }),
        ),
        (
            "canaries[0].filter_listed: canaries are filter-listed by definition",
            Box::new(|c| {
                c["canaries"] = json!([{ "id": "k", "kind": "fetch", "url": "https://t.example/",
                                         "timeout_ms": 3000, "filter_listed": true, "source": "test" }])
            }),
        ),
        (
            "canaries[0].scope: only controls have this field",
            Box::new(|c| {
                c["canaries"] = json!([{ "scope": "global", "id": "k", "kind": "fetch", "url": "https://t.example/",
                                         "timeout_ms": 3000, "source": "test" }])
            }),
        ),
        (
            "services[0].endpoints[0].id: duplicate id \"chat-web\"",
            Box::new(|c| {
                c["canaries"] = json!([{ "id": "chat-web", "kind": "fetch", "url": "https://t.example/",
                                         "timeout_ms": 3000, "source": "test" }])
            }),
        ),
    ];
    for (expected, change) in cases {
        let problems = problems_after(change);
        assert!(problems.iter().any(|p| p.starts_with(expected)), "wanted {expected:?}, got {problems:?}");
    }
}

#[test]
fn version_3_transfer_kinds_are_checked() {
    let transfer = |kind: &str, extra: Value| {
        let mut endpoint = json!({ "id": "t", "kind": kind, "url": "https://t.example/a.bin", "timeout_ms": 8000,
                                   "source": "test", "network": "Hetzner" });
        endpoint.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        move |c: &mut Value| c["services"][0]["endpoints"][0] = endpoint
    };
    let mut catalog = valid();
    transfer("download", json!({ "expected_bytes": 131072 }))(&mut catalog);
    let loaded = load(&catalog).unwrap();
    assert_eq!(loaded.services[0].endpoints[0].network.as_deref(), Some("Hetzner"));
    let mut catalog = valid();
    transfer("upload", json!({}))(&mut catalog);
    let endpoint = &load(&catalog).unwrap().services[0].endpoints[0];
    assert_eq!((endpoint.success(), endpoint.samples()), (Success::UploadAnswered, 1));
    for (expected, extra, kind) in [
        (
            "services[0].endpoints[0].upload_bytes: 1000 is outside 32768..=262144",
            json!({ "upload_bytes": 1000 }),
            "upload",
        ),
        (
            "services[0].endpoints[0].upload_bytes: only upload probes send data",
            json!({ "upload_bytes": 65536 }),
            "download",
        ),
        (
            "services[0].endpoints[0].expected_bytes: must be more than 0",
            json!({ "expected_bytes": 0 }),
            "download",
        ),
        ("services[0].endpoints[0].network: must not be empty", json!({ "network": " " }), "upload"),
        (
            "services[0].endpoints[0].url: upload probes cannot use wss://",
            json!({ "url": "wss://t.example/" }),
            "upload",
        ),
    ] {
        let problems = problems_after(transfer(kind, extra));
        assert!(problems.iter().any(|p| p.starts_with(expected)), "wanted {expected:?}, got {problems:?}");
    }
}

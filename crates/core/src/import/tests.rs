use std::path::PathBuf;

use super::*;
use crate::catalog::{Catalog, ControlScope, PageContext, CATALOG_FORMAT};

fn options(http_urls: HttpUrls) -> ImportOptions {
    ImportOptions { list_name: "test.csv".into(), timeout_ms: 8000, http_urls, categories: vec![] }
}

const LIST: &str = "url,category_code,category_description,date_added,source,notes\n\
https://www.example.org/,NEWS,News Media,2014-04-15,citizenlab,\"blocked, critical\"\n\
http://plain.example.net/path,HUMR,Human Rights Issues,2017-01-01,ooni,\n\
https://www.example.org/second,NEWS,News Media,2018-02-02,citizenlab,\n\
ftp://files.example.com/,FILE,File-sharing,2019-01-01,x,\n\
https://пример.рф/,NEWS,News Media,2019-01-01,x,\n\
https://example.com/путь,NEWS,News Media,2019-01-01,x,\"multi\nline note\"\n\
https://bad.example:25/,NEWS,News Media,2019-01-01,x,\n\
https://short.example/,NEWS\n";

/// A catalog around imported services, with one control, as the CLI builds it.
fn catalog_with(services: Vec<Service>) -> Catalog {
    Catalog {
        catalog_format: CATALOG_FORMAT,
        id: "imported".into(),
        version: "1".into(),
        submit_url: None,
        description: String::new(),
        resolvers: Vec::new(),
        advice: true,
        controls: vec![Endpoint {
            scope: Some(ControlScope::Global),
            country: None,
            id: "control".into(),
            name: None,
            kind: ProbeKind::Fetch,
            url: "https://control.example/".into(),
            timeout_ms: 8000,
            success: None,
            expected_bytes: None,
            upload_bytes: None,
            network: None,
            samples: None,
            username: None,
            credential: None,
            protocols: Vec::new(),
            filter_listed: false,
            browser_notes: String::new(),
            source: "test".into(),
        }],
        canaries: Vec::new(),
        services,
    }
}

#[test]
fn parses_quoted_fields_escapes_and_newlines() {
    let records = parse_csv("a,\"b,c\",\"say \"\"hi\"\"\"\r\n\"x\ny\",,z\n\n").unwrap();
    assert_eq!(records.len(), 2);
    assert_eq!(records[0], (1, vec!["a".to_owned(), "b,c".into(), "say \"hi\"".into()]));
    assert_eq!(records[1], (2, vec!["x\ny".to_owned(), "".into(), "z".into()]));
    assert!(parse_csv("a,\"open\n").unwrap_err().contains("never closed"));
    assert_eq!(parse_csv("last,row").unwrap(), vec![(1, vec!["last".to_owned(), "row".into()])]);
}

#[test]
fn imports_hosts_as_services_and_urls_as_endpoints() {
    let imported = import_test_list(LIST, &options(HttpUrls::Upgrade)).unwrap();
    assert_eq!(imported.rows, 8);
    let ids: Vec<&str> = imported.services.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["example-org", "plain-example-net", "example-com"]);
    let example = &imported.services[0];
    assert_eq!((example.name.as_str(), example.category.as_str()), ("www.example.org", "NEWS (News Media)"));
    assert_eq!(example.notes, "blocked, critical");
    let endpoint_ids: Vec<&str> = example.endpoints.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(endpoint_ids, ["example-org", "example-org-2"]);
    assert_eq!(
        example.endpoints[0].source,
        "citizenlab/test-lists test.csv (NEWS, added 2014-04-15 by citizenlab)"
    );
    let plain = &imported.services[1].endpoints[0];
    assert_eq!(plain.url, "https://plain.example.net/path");
    assert!(plain.browser_notes.contains("listed as http://plain.example.net/path"));
    assert_eq!(imported.services[2].endpoints[0].url, "https://example.com/%D0%BF%D1%83%D1%82%D1%8C");
    assert_eq!(imported.skipped.len(), 4, "{:?}", imported.skipped);
    for (skip, why) in
        imported.skipped.iter().zip(["ftp:// is not", "punycode", "blocked by browsers", "2 fields"])
    {
        assert!(skip.contains(why), "{skip}");
    }
    assert!(
        imported.skipped[2].starts_with("line 9:"),
        "lines count the quoted newline: {:?}",
        imported.skipped
    );
    Catalog::load(&catalog_with(imported.services).to_json(), PageContext::SECURE).expect("valid");
}

#[test]
fn http_urls_can_be_kept_or_skipped_and_categories_filtered() {
    let kept = import_test_list(LIST, &options(HttpUrls::Keep)).unwrap();
    assert_eq!(kept.services[1].endpoints[0].url, "http://plain.example.net/path");
    let skipped = import_test_list(LIST, &options(HttpUrls::Skip)).unwrap();
    assert!(skipped.skipped.iter().any(|s| s.contains("http:// cannot be fetched")));
    let humr = ImportOptions { categories: vec!["HUMR".into()], ..options(HttpUrls::Upgrade) };
    let only = import_test_list(LIST, &humr).unwrap();
    assert_eq!(only.services.len(), 1);
}

#[test]
fn a_file_that_is_not_a_test_list_is_an_error() {
    assert!(import_test_list("", &options(HttpUrls::Upgrade)).unwrap_err().contains("empty"));
    let err = import_test_list("name,url\nx,https://x/\n", &options(HttpUrls::Upgrade)).unwrap_err();
    assert!(err.starts_with("line 1: expected the header"), "{err}");
}

/// The real Citizen Lab lists, whole. ../shared exists only beside the development checkout, so
/// the test is ignored in a plain `cargo test`; `./x test` runs it when ../shared is there and
/// says so when it is not.
#[test]
#[ignore = "needs ../shared/data/citizenlab-test-lists beside the checkout; ./x test runs it when present"]
fn imports_the_real_citizenlab_lists() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/citizenlab-test-lists");
    assert!(dir.is_dir(), "{} is absent (it exists only beside the development checkout)", dir.display());
    for name in ["ru.csv", "global.csv", "ir.csv", "cn.csv", "by.csv"] {
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        let opts = ImportOptions { list_name: name.into(), ..options(HttpUrls::Upgrade) };
        let imported = import_test_list(&text, &opts).unwrap_or_else(|e| panic!("{name}: {e}"));
        let endpoints: usize = imported.services.iter().map(|s| s.endpoints.len()).sum();
        assert_eq!(
            endpoints + imported.skipped.len(),
            imported.rows,
            "{name}: every row is imported or skipped"
        );
        assert!(
            imported.rows > 400 && endpoints * 10 > imported.rows * 9,
            "{name}: {endpoints} of {}",
            imported.rows
        );
        let catalog = catalog_with(imported.services);
        if let Err(err) = Catalog::load(&catalog.to_json(), PageContext::SECURE) {
            panic!(
                "{name}: the imported catalog does not validate: {:?}",
                &err.problems[..err.problems.len().min(5)]
            );
        }
    }
}

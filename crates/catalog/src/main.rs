//! reachcheck-catalog: tools for catalog authors.
//!
//!   reachcheck-catalog check FILE [--http-page]
//!       validates a catalog; prints each problem with its path, exits 1 if there is one
//!   reachcheck-catalog import-csv LIST.csv [--controls CATALOG] [--id ID] [--timeout-ms N]
//!                                 [--http upgrade|keep|skip] [--category CODE]...
//!       turns a Citizen Lab test list into a catalog (JSON on stdout, skipped rows on stderr),
//!       taking the controls from CATALOG (default: static/catalog.json)
//!   reachcheck-catalog baseline FILE [--dist DIR] [--out FILE] [--network TEXT]
//!       runs the catalog in headless Chromium from an https page (the built app in DIR, default
//!       dist/) and writes its baseline (default: baseline.json beside FILE); run it from an
//!       unfiltered network (docs/catalog.md, "Keeping a catalog honest")

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use reachcheck_catalog::baseline::BaselineRun;
use reachcheck_catalog::chromium;
use reachcheck_core::catalog::{Catalog, PageContext, CATALOG_FORMAT};
use reachcheck_core::import::{import_test_list, HttpUrls, ImportOptions};

const USAGE: &str = "usage: reachcheck-catalog check FILE [--http-page]
       reachcheck-catalog import-csv LIST.csv [--controls CATALOG] [--id ID] [--timeout-ms N] \
[--http upgrade|keep|skip] [--category CODE]...
       reachcheck-catalog baseline FILE [--dist DIR] [--out FILE] [--network TEXT]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("check") => check(&args[1..]),
        Some("import-csv") => import(&args[1..]),
        Some("baseline") => baseline(&args[1..]),
        _ => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("reachcheck-catalog: {message}");
            ExitCode::FAILURE
        }
    }
}

fn read(path: &str) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|err| format!("cannot read {path}: {err}"))
}

fn check(args: &[String]) -> Result<(), String> {
    let path = args.first().ok_or(USAGE)?;
    let page = PageContext { secure: !args.iter().any(|a| a == "--http-page") };
    let catalog = Catalog::load(&read(path)?, page).map_err(|err| {
        let problems: Vec<String> = err.problems.iter().map(ToString::to_string).collect();
        format!("{path} is not valid:\n  {}", problems.join("\n  "))
    })?;
    println!(
        "{path}: valid catalog {} {} — {} controls, {} services, {} endpoints",
        catalog.id,
        catalog.version,
        catalog.controls.len(),
        catalog.services.len(),
        catalog.endpoints().count() - catalog.controls.len()
    );
    Ok(())
}

fn import(args: &[String]) -> Result<(), String> {
    let list = args.first().ok_or(USAGE)?;
    let mut controls_path = "static/catalog.json".to_owned();
    let mut id = "imported".to_owned();
    let mut options = ImportOptions {
        list_name: list.rsplit('/').next().unwrap_or(list).to_owned(),
        timeout_ms: 8000,
        http_urls: HttpUrls::Upgrade,
        categories: Vec::new(),
    };
    let mut rest = args[1..].iter();
    while let Some(flag) = rest.next() {
        let value = rest.next().ok_or(format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--controls" => controls_path = value.clone(),
            "--id" => id = value.clone(),
            "--timeout-ms" => {
                options.timeout_ms = value.parse().map_err(|_| format!("--timeout-ms {value:?}"))?
            }
            "--category" => options.categories.push(value.clone()),
            "--http" => {
                options.http_urls = match value.as_str() {
                    "upgrade" => HttpUrls::Upgrade,
                    "keep" => HttpUrls::Keep,
                    "skip" => HttpUrls::Skip,
                    other => return Err(format!("--http {other:?}: expected upgrade, keep or skip")),
                }
            }
            other => return Err(format!("unknown option {other:?}\n{USAGE}")),
        }
    }
    let base =
        Catalog::load(&read(&controls_path)?, PageContext { secure: options.http_urls != HttpUrls::Keep })
            .map_err(|err| format!("{controls_path}: {err}"))?;
    let imported = import_test_list(&read(list)?, &options).map_err(|err| format!("{list}: {err}"))?;
    for skipped in &imported.skipped {
        eprintln!("skipped {skipped}");
    }
    let catalog = Catalog {
        catalog_format: CATALOG_FORMAT,
        id,
        version: base.version.clone(),
        submit_url: base.submit_url.clone(),
        description: format!("Imported from citizenlab/test-lists {}", options.list_name),
        controls: base.controls,
        canaries: base.canaries,
        resolvers: base.resolvers,
        advice: base.advice,
        services: imported.services,
    };
    let endpoints = catalog.services.iter().map(|s| s.endpoints.len()).sum::<usize>();
    let json = catalog.to_json();
    let page = PageContext { secure: options.http_urls != HttpUrls::Keep };
    Catalog::load(&json, page).map_err(|err| format!("the imported catalog is not valid: {err}"))?;
    println!("{json}");
    eprintln!("imported {endpoints} of {} rows ({} skipped)", imported.rows, imported.skipped.len());
    Ok(())
}

fn baseline(args: &[String]) -> Result<(), String> {
    let path = args.first().ok_or(USAGE)?;
    let mut dist = PathBuf::from("dist");
    let mut out = Path::new(path).with_file_name("baseline.json");
    let mut network = String::new();
    let mut rest = args[1..].iter();
    while let Some(flag) = rest.next() {
        let value = rest.next().ok_or(format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--dist" => dist = value.into(),
            "--out" => out = value.into(),
            "--network" => network = value.clone(),
            other => return Err(format!("unknown option {other:?}\n{USAGE}")),
        }
    }
    let chromedriver = chromium::chromedriver_path().ok_or("no chromedriver on PATH (or $CHROMEDRIVER)")?;
    let run =
        BaselineRun { catalog_json: read(path)?, dist, chromedriver, network, browser: Default::default() };
    let runtime = tokio::runtime::Runtime::new().map_err(|err| format!("no async runtime: {err}"))?;
    let baseline = runtime.block_on(reachcheck_catalog::baseline::record(run))?;
    std::fs::write(&out, baseline.to_json() + "\n")
        .map_err(|err| format!("cannot write {}: {err}", out.display()))?;
    let broken = baseline.broken_ids();
    eprintln!(
        "{}: {} endpoints, {} broken{}{}",
        out.display(),
        baseline.endpoints.len(),
        broken.len(),
        if broken.is_empty() { "" } else { ": " },
        broken.join(", ")
    );
    Ok(())
}

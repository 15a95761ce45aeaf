//! Import of Citizen Lab test lists (`url,category_code,category_description,date_added,source,notes`)
//! into catalog services, so researchers can reuse the lists OONI and others maintain.
//! Each host becomes a service; each URL of it a `fetch` endpoint.

use std::collections::{HashMap, HashSet};

use crate::catalog::{Endpoint, ProbeKind, Service};
use crate::target::{Scheme, Target};

const HEADER: [&str; 6] = ["url", "category_code", "category_description", "date_added", "source", "notes"];
const MAX_ID_LEN: usize = 64;

/// What to do with `http://` URLs, which an https page cannot fetch (mixed content).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HttpUrls {
    /// Probe them over https (most sites serve both); noted on the endpoint.
    Upgrade,
    /// Keep them as they are (for catalogs run from an http page).
    Keep,
    /// Leave them out, listed as skipped.
    Skip,
}

#[derive(Clone, Debug)]
pub struct ImportOptions {
    /// Named in every source note, e.g. `ru.csv`.
    pub list_name: String,
    pub timeout_ms: u32,
    pub http_urls: HttpUrls,
    /// Only rows of these category codes (all when empty).
    pub categories: Vec<String>,
}

#[derive(Clone, Debug, Default)]
pub struct Imported {
    pub services: Vec<Service>,
    /// One line per row that was not imported: `line N: <url>: <why>`.
    pub skipped: Vec<String>,
    pub rows: usize,
}

/// Imports a whole test list. Fails only when the file is not a test list at all; rows that
/// cannot be used are skipped and listed.
pub fn import_test_list(csv: &str, options: &ImportOptions) -> Result<Imported, String> {
    let records = parse_csv(csv)?;
    let (header, rows) = records.split_first().ok_or("the file is empty")?;
    let header: Vec<&str> = header.1.iter().map(|h| h.trim().trim_start_matches('\u{feff}')).collect();
    if header != HEADER {
        return Err(format!(
            "line 1: expected the header {:?}, found {:?}",
            HEADER.join(","),
            header.join(",")
        ));
    }
    let mut imported = Imported { rows: rows.len(), ..Imported::default() };
    let mut by_host: HashMap<String, usize> = HashMap::new();
    // Service and endpoint ids share one namespace in a catalog.
    let mut used_ids: HashSet<String> = HashSet::new();
    for (line, row) in rows {
        if row.len() != HEADER.len() {
            imported.skipped.push(format!("line {line}: {} fields instead of {}", row.len(), HEADER.len()));
            continue;
        }
        let field = |name: &str| row[HEADER.iter().position(|h| *h == name).unwrap_or(0)].trim();
        if !options.categories.is_empty() && !options.categories.iter().any(|c| c == field("category_code")) {
            continue;
        }
        let url = field("url");
        let (url, target) = match usable_url(url, options.http_urls) {
            Ok(usable) => usable,
            Err(why) => {
                imported.skipped.push(format!("line {line}: {url}: {why}"));
                continue;
            }
        };
        let source = format!(
            "citizenlab/test-lists {} ({}, added {} by {})",
            options.list_name,
            field("category_code"),
            field("date_added"),
            field("source")
        );
        let index = *by_host.entry(target.host.clone()).or_insert_with(|| {
            let id = unique_id(slug(target.host.trim_start_matches("www.")), &mut used_ids);
            imported.services.push(new_service(id, &target, &url, row, field("notes")));
            imported.services.len() - 1
        });
        let service = &mut imported.services[index];
        let id = if service.endpoints.is_empty() {
            service.id.clone()
        } else {
            unique_id(service.id.clone(), &mut used_ids)
        };
        let browser_notes = if url != field("url") {
            format!("listed as {}; probed over https (an https page cannot fetch http)", field("url"))
        } else {
            String::new()
        };
        service.endpoints.push(Endpoint {
            id,
            name: None,
            kind: ProbeKind::Fetch,
            url,
            timeout_ms: options.timeout_ms,
            success: None,
            expected_bytes: None,
            upload_bytes: None,
            network: None,
            samples: None,
            scope: None,
            country: None,
            username: None,
            credential: None,
            protocols: Vec::new(),
            filter_listed: false,
            browser_notes,
            source: truncate(&source, 200),
        });
    }
    Ok(imported)
}

fn new_service(id: String, target: &Target, url: &str, row: &[String], notes: &str) -> Service {
    let description = row[2].trim();
    Service {
        id,
        name: truncate(&target.host, 200),
        category: truncate(&format!("{} ({description})", row[1].trim()), 200),
        homepage: url.to_owned(),
        notes: notes.to_owned(),
        sources: vec!["citizenlab/test-lists".into()],
        country: None,
        endpoints: Vec::new(),
    }
}

/// The URL to probe, or why the row cannot be used.
fn usable_url(url: &str, http_urls: HttpUrls) -> Result<(String, Target), String> {
    let url = percent_encode_non_ascii_path(url);
    let target = Target::parse(&url).map_err(|issue| issue.to_string())?;
    let url = match (target.scheme, http_urls) {
        (Scheme::Https, _) | (Scheme::Http, HttpUrls::Keep) => url,
        (Scheme::Http, HttpUrls::Upgrade) => format!("https{}", &url[4..]),
        (Scheme::Http, HttpUrls::Skip) => return Err("http:// cannot be fetched from an https page".into()),
        (scheme, _) => return Err(format!("{scheme}:// is not a web URL")),
    };
    if target.is_bad_port() {
        return Err(format!("port {} is blocked by browsers", target.effective_port()));
    }
    let target = Target::parse(&url).map_err(|issue| issue.to_string())?;
    Ok((url, target))
}

/// Lists carry URLs with Cyrillic or other non-ASCII paths; encode those bytes so the URL is
/// what a browser would send. Hosts are left alone: IDN hosts need punycode and are skipped.
fn percent_encode_non_ascii_path(url: &str) -> String {
    let path_start =
        url.find("://").map(|i| i + 3).and_then(|start| url[start..].find('/').map(|p| start + p));
    let Some(path_start) = path_start else { return url.to_owned() };
    let (head, path) = url.split_at(path_start);
    let mut encoded = String::with_capacity(url.len());
    encoded.push_str(head);
    for byte in path.bytes() {
        if byte.is_ascii_graphic() {
            encoded.push(byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

/// A valid catalog id from a host name: lower-case, `.` → `-`, at most 64 characters.
fn slug(host: &str) -> String {
    let mut id: String = host
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' })
        .collect::<String>()
        .trim_matches('-')
        .to_owned();
    if id.is_empty() {
        id = "site".into();
    }
    truncate(&id, MAX_ID_LEN - 4)
}

/// `base`, or `base-2`, `base-3`, ... whichever is still free; marks it used.
fn unique_id(base: String, used: &mut HashSet<String>) -> String {
    let id = if used.contains(&base) {
        (2..).map(|n| format!("{base}-{n}")).find(|candidate| !used.contains(candidate)).unwrap_or_default()
    } else {
        base
    };
    used.insert(id.clone());
    id
}

fn truncate(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

/// RFC 4180 CSV: quoted fields, `""` escapes, newlines inside quotes, CRLF or LF. Returns each
/// record with the line it starts on.
pub fn parse_csv(text: &str) -> Result<Vec<(usize, Vec<String>)>, String> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let (mut line, mut record_line) = (1, 1);
    let mut in_quotes = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, in_quotes) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            ('"', true) => in_quotes = false,
            ('"', false) if field.is_empty() => in_quotes = true,
            (',', false) => record.push(std::mem::take(&mut field)),
            ('\r', false) if chars.peek() == Some(&'\n') => {}
            ('\n', false) => {
                record.push(std::mem::take(&mut field));
                if !(record.len() == 1 && record[0].is_empty()) {
                    records.push((record_line, std::mem::take(&mut record)));
                }
                record.clear();
                line += 1;
                record_line = line;
            }
            (c, _) => {
                if c == '\n' {
                    line += 1;
                }
                field.push(c);
            }
        }
    }
    if in_quotes {
        return Err(format!("line {record_line}: a quoted field is never closed"));
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        records.push((record_line, record));
    }
    Ok(records)
}

#[cfg(test)]
mod tests;

//! A static file server for a built `dist/` (plus extra files such as a catalog under test), over
//! plain http or https with a throwaway certificate: what the baseline and the end-to-end tests
//! open in Chromium. It serves as a static host would: correct MIME types, `/` is `index.html`,
//! CORS on every answer (a CDN serving the widget must send it), nothing outside the directory,
//! and a file's precompressed `.br` or `.gz` beside it (`./x build` writes them) when the browser
//! accepts that encoding, as nginx's `gzip_static`/`brotli_static` do.

use std::net::SocketAddr;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpListener;

/// A file served from memory instead of the directory.
#[derive(Clone, Debug)]
pub struct ExtraFile {
    /// The URL path, e.g. `/catalog-under-test.json`.
    pub path: String,
    pub content_type: &'static str,
    pub body: Vec<u8>,
}

/// What to serve.
#[derive(Clone, Debug, Default)]
pub struct Site {
    pub dir: Option<PathBuf>,
    pub extra: Vec<ExtraFile>,
    /// Paths answered only after a delay (a slow link, for tests of what shows before a file
    /// has arrived).
    pub delayed: Vec<(String, std::time::Duration)>,
    /// While set, every connection is closed unanswered: the host is down (tests of the offline
    /// start).
    pub down: Arc<std::sync::atomic::AtomicBool>,
    /// Files swapped in while the site runs, each served (after its delay) instead of whatever
    /// else answers its path: a new release arriving, over a slow link.
    pub swapped: Arc<std::sync::Mutex<Vec<(ExtraFile, std::time::Duration)>>>,
}

/// Serves `site` on a free loopback port until the process ends; https when `tls` is given.
pub async fn serve(site: Site, tls: Option<tokio_rustls::TlsAcceptor>) -> std::io::Result<SocketAddr> {
    serve_on(SocketAddr::from(([127, 0, 0, 1], 0)), site, tls).await
}

/// [`serve`] on a given address (port 0: a free one).
pub async fn serve_on(
    addr: SocketAddr,
    site: Site,
    tls: Option<tokio_rustls::TlsAcceptor>,
) -> std::io::Result<SocketAddr> {
    let listener = TcpListener::bind(addr).await?;
    let addr = listener.local_addr()?;
    let site = Arc::new(site);
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            if site.down.load(std::sync::atomic::Ordering::Relaxed) {
                continue; // dropped: closed without an answer
            }
            let (site, tls) = (site.clone(), tls.clone());
            tokio::spawn(async move {
                match tls {
                    Some(acceptor) => {
                        if let Ok(stream) = acceptor.accept(stream).await {
                            answer(stream, &site).await;
                        }
                    }
                    None => answer(stream, &site).await,
                }
            });
        }
    });
    Ok(addr)
}

async fn answer(mut stream: impl AsyncRead + AsyncWrite + Unpin, site: &Site) {
    let mut buffer = vec![0u8; 8192];
    let Ok(n) = stream.read(&mut buffer).await else { return };
    let request = String::from_utf8_lossy(&buffer[..n]);
    let path = request_path(&request);
    if let Some((_, delay)) = site.delayed.iter().find(|(delayed, _)| *delayed == path) {
        tokio::time::sleep(*delay).await;
    }
    let swapped = {
        let swapped = site.swapped.lock().unwrap_or_else(|p| p.into_inner());
        swapped.iter().find(|(file, _)| file.path == path).map(|(file, delay)| (file.clone(), *delay))
    };
    let found = match swapped {
        Some((file, delay)) => {
            tokio::time::sleep(delay).await;
            Some(Found { content_type: file.content_type, encoding: None, body: file.body })
        }
        None => lookup(site, &path, &accepted_encodings(&request)),
    };
    let (status, found) = match found {
        Some(found) => ("200 OK", found),
        None => (
            "404 Not Found",
            Found { content_type: "text/plain", encoding: None, body: b"not found".to_vec() },
        ),
    };
    let Found { content_type, encoding, body } = found;
    let encoding = encoding.map(|e| format!("Content-Encoding: {e}\r\n")).unwrap_or_default();
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\n{encoding}Vary: Accept-Encoding\r\n\
         Content-Length: {}\r\nAccess-Control-Allow-Origin: *\r\nCache-Control: no-store\r\n\
         Connection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes()).await;
    let _ = stream.write_all(&body).await;
    let _ = stream.shutdown().await;
}

/// The path of a request line, without query or fragment (`/` when there is none).
pub fn request_path(request: &str) -> String {
    let target = request.split(' ').nth(1).unwrap_or("/");
    target.split(['?', '#']).next().unwrap_or("/").to_owned()
}

/// What answers a path: its type, the encoding of the body (`None`: the file as it is), the body.
#[derive(Debug, PartialEq)]
pub struct Found {
    pub content_type: &'static str,
    pub encoding: Option<&'static str>,
    pub body: Vec<u8>,
}

/// The precompressed files looked for beside a file, best first: (`Content-Encoding`, suffix).
const PRECOMPRESSED: [(&str, &str); 2] = [("br", ".br"), ("gzip", ".gz")];

/// An extra file, else a file of the directory that stays inside it (`..` and absolute
/// components are refused), precompressed when `accepted` names an encoding it has beside it.
pub fn lookup(site: &Site, path: &str, accepted: &[String]) -> Option<Found> {
    if let Some(extra) = site.extra.iter().find(|f| f.path == path) {
        return Some(Found { content_type: extra.content_type, encoding: None, body: extra.body.clone() });
    }
    let relative = if path == "/" { "index.html" } else { path.trim_start_matches('/') };
    let inside = Path::new(relative).components().all(|c| matches!(c, Component::Normal(_)));
    let file = site.dir.as_ref()?.join(relative);
    if !inside || !file.is_file() {
        return None;
    }
    let content_type = mime(relative);
    let precompressed = PRECOMPRESSED.iter().filter(|(encoding, _)| accepted.iter().any(|a| a == encoding));
    for (encoding, suffix) in precompressed {
        let mut encoded = file.clone().into_os_string();
        encoded.push(suffix);
        if let Ok(body) = std::fs::read(&encoded) {
            return Some(Found { content_type, encoding: Some(encoding), body });
        }
    }
    Some(Found { content_type, encoding: None, body: std::fs::read(file).ok()? })
}

/// The encodings a request's `Accept-Encoding` allows (lower case, those with `q=0` left out).
pub fn accepted_encodings(request: &str) -> Vec<String> {
    let header = request.lines().find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.trim().eq_ignore_ascii_case("accept-encoding").then_some(value)
    });
    let refused =
        |params: &str| params.split(';').any(|p| matches!(p.trim(), "q=0" | "q=0.0" | "q=0.00" | "q=0.000"));
    header
        .unwrap_or("")
        .split(',')
        .filter_map(|item| {
            let (name, params) = item.split_once(';').unwrap_or((item, ""));
            let name = name.trim().to_ascii_lowercase();
            (!name.is_empty() && !refused(params)).then_some(name)
        })
        .collect()
}

pub fn mime(file: &str) -> &'static str {
    match file.rsplit('.').next() {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css",
        Some("json") => "application/json",
        Some("png") => "image/png",
        _ => "application/octet-stream",
    }
}

/// A TLS acceptor with a fresh self-signed certificate for `localhost` and `127.0.0.1`. Browsers
/// must be told to accept it (`--ignore-certificate-errors`); it lives only as long as the process.
pub fn self_signed_tls() -> Result<tokio_rustls::TlsAcceptor, String> {
    let names = vec!["localhost".to_owned(), "127.0.0.1".to_owned()];
    let certified = rcgen::generate_simple_self_signed(names).map_err(|err| format!("certificate: {err}"))?;
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(certified.key_pair.serialize_der().into());
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|err| format!("TLS: {err}"))?
        .with_no_client_auth()
        .with_single_cert(vec![certified.cert.der().clone()], key)
        .map_err(|err| format!("TLS: {err}"))?;
    Ok(tokio_rustls::TlsAcceptor::from(Arc::new(config)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_directory() {
        let dir = std::env::temp_dir().join(format!("reachcheck-serve-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("canary")).unwrap();
        std::fs::write(dir.join("index.html"), "<p>app</p>").unwrap();
        std::fs::write(dir.join("canary/a.js"), "//").unwrap();
        let extra =
            ExtraFile { path: "/c.json".into(), content_type: "application/json", body: b"{}".to_vec() };
        let site = Site { dir: Some(dir.clone()), extra: vec![extra], ..Site::default() };
        let found = |path| lookup(&site, path, &[]);
        assert_eq!(found("/").map(|f| f.content_type), Some("text/html; charset=utf-8"));
        assert_eq!(found("/canary/a.js").map(|f| f.body), Some(b"//".to_vec()));
        assert_eq!(found("/c.json").map(|f| f.body), Some(b"{}".to_vec()));
        for outside in ["/../etc/passwd", "/canary/../../x", "//etc/passwd", "/missing.js"] {
            assert_eq!(found(outside), None, "{outside}");
        }
        assert_eq!(request_path("GET /a.js?x=1 HTTP/1.1\r\n"), "/a.js");
        assert_eq!(request_path("garbage"), "/");
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_precompressed_file_answers_when_its_encoding_is_accepted() {
        let dir = std::env::temp_dir().join(format!("reachcheck-serve-encoded-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("app.js"), "plain").unwrap();
        std::fs::write(dir.join("app.js.gz"), "gzipped").unwrap();
        std::fs::write(dir.join("app.js.br"), "brotli").unwrap();
        std::fs::write(dir.join("only.css"), "plain").unwrap();
        std::fs::write(dir.join("only.css.gz"), "gzipped").unwrap();
        let site = Site { dir: Some(dir.clone()), ..Site::default() };
        let answer = |path, request: &str| {
            let found = lookup(&site, path, &accepted_encodings(request)).unwrap();
            (found.encoding, String::from_utf8(found.body).unwrap())
        };
        let chromium = "GET /app.js HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip, deflate, br, zstd\r\n\r\n";
        assert_eq!(answer("/app.js", chromium), (Some("br"), "brotli".into()));
        assert_eq!(answer("/only.css", chromium), (Some("gzip"), "gzipped".into()));
        assert_eq!(
            answer("/app.js", "GET / HTTP/1.1\r\naccept-encoding: GZIP\r\n\r\n"),
            (Some("gzip"), "gzipped".into())
        );
        assert_eq!(
            answer("/app.js", "GET / HTTP/1.1\r\nAccept-Encoding: br;q=0, gzip;q=0.5\r\n\r\n"),
            (Some("gzip"), "gzipped".into())
        );
        assert_eq!(answer("/app.js", "GET / HTTP/1.1\r\n\r\n"), (None, "plain".into()));
        assert_eq!(
            answer("/app.js", "GET / HTTP/1.1\r\nAccept-Encoding: identity\r\n\r\n"),
            (None, "plain".into())
        );
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[tokio::test]
    async fn serves_over_https_with_a_throwaway_certificate() {
        let site = Site {
            dir: None,
            extra: vec![ExtraFile { path: "/x".into(), content_type: "text/plain", body: b"hi".to_vec() }],
            ..Site::default()
        };
        let addr = serve(site, Some(self_signed_tls().unwrap())).await.unwrap();
        // A TLS handshake starts: the server answers a ClientHello with a ServerHello record (0x16).
        let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
        let hello = client_hello();
        stream.write_all(&hello).await.unwrap();
        let mut first = [0u8; 1];
        stream.read_exact(&mut first).await.unwrap();
        assert_eq!(first[0], 0x16, "a TLS handshake record");
    }

    /// A minimal TLS 1.2 ClientHello (one ECDHE suite, SNI localhost, the curves ring offers).
    fn client_hello() -> Vec<u8> {
        let mut body = vec![0x03, 0x03];
        body.extend([7u8; 32]);
        body.push(0);
        body.extend([0x00, 0x02, 0xc0, 0x2b]); // TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 (rcgen: P-256)
        body.extend([0x01, 0x00]);
        let mut extensions = Vec::new();
        let name = b"localhost";
        let mut sni = vec![0x00];
        sni.extend((name.len() as u16).to_be_bytes());
        sni.extend(name);
        let mut list = ((sni.len()) as u16).to_be_bytes().to_vec();
        list.extend(sni);
        extensions.extend([0x00, 0x00]);
        extensions.extend((list.len() as u16).to_be_bytes());
        extensions.extend(list);
        extensions.extend([0x00, 0x0a, 0x00, 0x04, 0x00, 0x02, 0x00, 0x17]); // secp256r1
        extensions.extend([0x00, 0x0b, 0x00, 0x02, 0x01, 0x00]); // uncompressed points
        extensions.extend([0x00, 0x0d, 0x00, 0x04, 0x00, 0x02, 0x04, 0x03]); // ecdsa_secp256r1_sha256
        body.extend((extensions.len() as u16).to_be_bytes());
        body.extend(extensions);
        let mut handshake = vec![0x01, 0x00];
        handshake.extend((body.len() as u16).to_be_bytes());
        handshake.extend(body);
        let mut record = vec![0x16, 0x03, 0x01];
        record.extend((handshake.len() as u16).to_be_bytes());
        record.extend(handshake);
        record
    }
}

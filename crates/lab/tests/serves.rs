//! The lab serves what docs/lab.md promises, checked over real loopback sockets.

use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use reachcheck_core::catalog::{Catalog, PageContext};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;

async fn start_lab() -> reachcheck_lab::Lab {
    let (lab, _task) = reachcheck_lab::start("127.0.0.1:0").await.expect("lab starts");
    lab
}

/// How reading a response ended.
#[derive(Debug, PartialEq)]
enum End {
    /// The server closed the connection normally.
    Closed,
    /// The connection was reset.
    Reset,
    /// Nothing more arrived within the wait.
    Silent,
}

/// Sends a GET and reads for at most `wait`: the bytes received and how it ended.
async fn get(lab: &reachcheck_lab::Lab, path: &str, wait: Duration) -> (String, End) {
    get_from(lab.addr, &lab.addr.to_string(), path, wait).await
}

/// Sends a GET to `addr` with `host` as its `Host`.
async fn get_from(addr: std::net::SocketAddr, host: &str, path: &str, wait: Duration) -> (String, End) {
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    let request = format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nOrigin: http://127.0.0.1:9\r\n\r\n");
    stream.write_all(request.as_bytes()).await.expect("send");
    let mut received = Vec::new();
    let deadline = Instant::now() + wait;
    let end = loop {
        let mut buffer = [0u8; 65536];
        match tokio::time::timeout_at(deadline.into(), stream.read(&mut buffer)).await {
            Err(_) => break End::Silent,
            Ok(Ok(0)) => break End::Closed,
            Ok(Ok(n)) => received.extend_from_slice(&buffer[..n]),
            Ok(Err(err)) if err.kind() == std::io::ErrorKind::ConnectionReset => break End::Reset,
            Ok(Err(err)) => panic!("read failed: {err}"),
        }
    };
    (String::from_utf8_lossy(&received).into_owned(), end)
}

async fn get_complete(lab: &reachcheck_lab::Lab, path: &str) -> String {
    let (response, end) = get(lab, path, Duration::from_secs(10)).await;
    assert_eq!(end, End::Closed, "{path}: {response}");
    response
}

fn header<'a>(response: &'a str, name: &str) -> Option<&'a str> {
    let head = response.split("\r\n\r\n").next()?;
    head.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.eq_ignore_ascii_case(name).then(|| value.trim())
    })
}

fn body(response: &str) -> &str {
    response.split_once("\r\n\r\n").map_or("", |(_, body)| body)
}

fn status(response: &str) -> u16 {
    response.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0)
}

#[tokio::test]
async fn ok_answers_with_cross_origin_headers_and_closes() {
    let lab = start_lab().await;
    for path in ["/ok", "/c/ok"] {
        let response = get_complete(&lab, path).await;
        assert_eq!(status(&response), 200);
        assert_eq!(body(&response), reachcheck_lab::routes::OK_BODY);
        assert_eq!(header(&response, "access-control-allow-origin"), Some("*"));
        assert_eq!(header(&response, "cross-origin-resource-policy"), Some("cross-origin"));
        assert_eq!(header(&response, "connection"), Some("close"));
        assert_eq!(header(&response, "timing-allow-origin"), None);
    }
}

#[tokio::test]
async fn header_options_change_the_headers() {
    let lab = start_lab().await;
    let response = get_complete(&lab, "/c/ok?cors=0&corp=same-origin&tao=1").await;
    assert_eq!(header(&response, "access-control-allow-origin"), None);
    assert_eq!(header(&response, "cross-origin-resource-policy"), Some("same-origin"));
    assert_eq!(header(&response, "timing-allow-origin"), Some("*"));
    let response = get_complete(&lab, "/c/ok?corp=none&bytes=1000").await;
    assert_eq!(header(&response, "cross-origin-resource-policy"), None);
    assert_eq!(body(&response).len(), 1000);
    let png = get_complete(&lab, "/c/ok?type=png").await;
    assert_eq!(header(&png, "content-type"), Some("image/png"));
}

#[tokio::test]
async fn delay_answers_after_the_delay() {
    let lab = start_lab().await;
    let started = Instant::now();
    let response = get_complete(&lab, "/c/delay=300").await;
    assert_eq!(status(&response), 200);
    assert!(started.elapsed() >= Duration::from_millis(300), "{:?}", started.elapsed());
}

#[tokio::test]
async fn blackhole_never_answers_and_counts_as_in_flight() {
    let lab = start_lab().await;
    for path in ["/c/blackhole", "/c/ws-blackhole"] {
        let (response, end) = get(&lab, path, Duration::from_millis(400)).await;
        assert_eq!((response.as_str(), end), ("", End::Silent), "{path}");
    }
    assert_eq!(lab.hits.get("/c/blackhole"), 1);
    assert_eq!(lab.gauge.peak(), 1, "each blackholed connection was released when the client left");
}

#[tokio::test]
async fn reset_resets_the_connection() {
    let lab = start_lab().await;
    let (response, end) = get(&lab, "/c/reset", Duration::from_secs(5)).await;
    assert_eq!((response.as_str(), end), ("", End::Reset));
    assert_eq!(lab.hits.get("/c/reset"), 1);
}

#[tokio::test]
async fn the_refused_port_refuses() {
    let lab = start_lab().await;
    let err = TcpStream::connect(("127.0.0.1", lab.refused_port)).await.expect_err("nothing listens there");
    assert_eq!(err.kind(), std::io::ErrorKind::ConnectionRefused);
    let info: serde_json::Value =
        serde_json::from_str(body(&get_complete(&lab, "/_lab/info").await)).unwrap();
    assert_eq!(info["refused_port"], lab.refused_port);
}

#[tokio::test]
async fn throttle_paces_the_body() {
    let lab = start_lab().await;
    let started = Instant::now();
    let response = get_complete(&lab, "/c/throttle=20000?bytes=20000").await;
    assert_eq!(body(&response).len(), 20_000);
    let took = started.elapsed();
    assert!(took >= Duration::from_millis(900) && took < Duration::from_secs(3), "{took:?}");
}

#[tokio::test]
async fn freeze_after_sends_that_much_then_stalls() {
    let lab = start_lab().await;
    let (response, end) = get(&lab, "/c/freeze-after=16384?bytes=262144", Duration::from_millis(800)).await;
    assert_eq!(end, End::Silent);
    assert_eq!(header(&response, "content-length"), Some("262144"));
    assert_eq!(body(&response).len(), 16_384);
}

#[tokio::test]
async fn status_answers_with_that_status() {
    let lab = start_lab().await;
    assert_eq!(status(&get_complete(&lab, "/c/status=503").await), 503);
}

#[tokio::test]
async fn bad_conditions_are_400_with_the_reason() {
    let lab = start_lab().await;
    let response = get_complete(&lab, "/c/delay=soon").await;
    assert_eq!(status(&response), 400);
    assert!(body(&response).contains("expected a whole number"), "{response}");
    assert_eq!(status(&get_complete(&lab, "/c/teleport").await), 400);
    assert_eq!(status(&get_complete(&lab, "/no-such-thing").await), 404);
}

#[tokio::test]
async fn counts_probe_hits_but_not_control_requests() {
    let lab = start_lab().await;
    get_complete(&lab, "/ok").await;
    get_complete(&lab, "/c/ok?rc=1").await;
    let counts = get_complete(&lab, "/_lab/hits").await;
    let parsed: serde_json::Value = serde_json::from_str(body(&counts)).expect("hits are JSON");
    assert_eq!(parsed, serde_json::json!({ "/ok": 1, "/c/ok": 1 }));
    assert_eq!(lab.hits.total(), 2, "/_lab/ requests are not counted");
}

#[tokio::test]
async fn websockets_echo_reject_and_blackhole() {
    let lab = start_lab().await;
    for path in ["/ws/echo", "/c/ws-ok"] {
        let (mut socket, _) =
            tokio_tungstenite::connect_async(format!("ws://{}{path}", lab.addr)).await.unwrap();
        socket.send(Message::text("hello lab")).await.unwrap();
        assert_eq!(socket.next().await.unwrap().unwrap(), Message::text("hello lab"));
        socket.send(Message::binary(vec![1u8, 2, 3])).await.unwrap();
        assert_eq!(socket.next().await.unwrap().unwrap(), Message::binary(vec![1u8, 2, 3]));
        socket.close(None).await.unwrap();
    }
    let rejected = tokio_tungstenite::connect_async(format!("ws://{}/c/ws-reject", lab.addr)).await;
    match rejected {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => assert_eq!(response.status(), 403),
        other => panic!("expected a 403, got {other:?}"),
    }
    let hanging = tokio_tungstenite::connect_async(format!("ws://{}/c/ws-blackhole", lab.addr));
    assert!(tokio::time::timeout(Duration::from_millis(400), hanging).await.is_err());
}

#[tokio::test]
async fn hang_waits_for_a_network_change_then_resets_everything_at_once() {
    let lab = start_lab().await;
    let pending =
        futures_util::future::join_all((0..3).map(|_| get(&lab, "/c/hang", Duration::from_secs(5))));
    let change = async {
        tokio::time::sleep(Duration::from_millis(300)).await;
        (Instant::now(), post(&lab, "/_lab/network-change").await)
    };
    let (ends, (started, response)) = futures_util::future::join(pending, change).await;
    assert_eq!(status(&response), 200, "{response}");
    assert!(ends.iter().all(|(text, end)| *end == End::Reset && text.is_empty()), "{ends:?}");
    assert!(started.elapsed() < Duration::from_secs(1), "reset at the change, not at a timeout");
    // Without a change, hang is a blackhole.
    assert_eq!(get(&lab, "/c/hang", Duration::from_millis(300)).await.1, End::Silent);
}

#[tokio::test]
async fn the_origin_checking_websocket_opens_only_for_its_own_origin() {
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let lab = start_lab().await;
    let url = format!("ws://{}/c/ws-origin-check", lab.addr);
    let with_origin = |origin: String| {
        let mut request = url.as_str().into_client_request().unwrap();
        request.headers_mut().insert("origin", origin.parse().unwrap());
        request
    };
    let (mut socket, _) =
        tokio_tungstenite::connect_async(with_origin(format!("http://{}", lab.addr))).await.unwrap();
    socket.close(None).await.unwrap();
    match tokio_tungstenite::connect_async(with_origin("https://other.example".into())).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => assert_eq!(response.status(), 403),
        other => panic!("expected a 403, got {other:?}"),
    }
}

async fn post(lab: &reachcheck_lab::Lab, path: &str) -> String {
    let mut stream = TcpStream::connect(lab.addr).await.expect("connect");
    let request = format!("POST {path} HTTP/1.1\r\nHost: {}\r\nContent-Length: 0\r\n\r\n", lab.addr);
    stream.write_all(request.as_bytes()).await.expect("send");
    let mut response = String::new();
    stream.read_to_string(&mut response).await.expect("read");
    response
}

#[tokio::test]
async fn serves_a_valid_catalog_of_its_own_conditions() {
    let lab = start_lab().await;
    let response = get_complete(&lab, "/_lab/catalog.json?timeout_ms=3000").await;
    let catalog =
        Catalog::load(body(&response), PageContext { secure: false }).expect("the lab catalog is valid");
    let services = reachcheck_lab::catalog::lab_services(3000);
    assert_eq!(catalog.services.len(), services.len());
    // Every endpoint has the asked timeout, but transfers at 16 kB/s, which get longer.
    let long = |id: &str| services.iter().flat_map(|s| &s.endpoints).any(|e| e.id == id && e.long);
    assert!(catalog
        .endpoints()
        .all(|(_, e)| e.timeout_ms
            == if long(&e.id) { reachcheck_lab::catalog::LONG_TIMEOUT_MS } else { 3000 }));
    let port = lab.addr.port().to_string();
    let blackhole = catalog.endpoints().find(|(_, e)| e.id == "lab-blackhole-fetch").unwrap().1;
    assert_eq!(blackhole.url, format!("http://lab-blackhole-fetch.localhost:{port}/c/blackhole"));
    let refused = catalog.endpoints().find(|(_, e)| e.id == "lab-refuse-fetch").unwrap().1;
    assert_eq!(refused.url, format!("http://127.0.0.1:{}/", lab.refused_port));
}

/// Sends `request` on `stream` and reads what comes back within `ms`.
async fn exchange(stream: &mut tokio::net::TcpStream, request: &[u8], ms: u64) -> Vec<u8> {
    stream.write_all(request).await.expect("send");
    let mut got = Vec::new();
    let mut buffer = [0u8; 16 * 1024];
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_millis(ms);
    while let Ok(Ok(n)) = tokio::time::timeout_at(deadline, stream.read(&mut buffer)).await {
        if n == 0 {
            break;
        }
        got.extend_from_slice(&buffer[..n]);
    }
    got
}

fn get_request(path: &str) -> Vec<u8> {
    format!("GET {path} HTTP/1.1\r\nHost: lab\r\n\r\n").into_bytes()
}

#[tokio::test]
async fn the_freezing_port_stops_a_connection_after_16_kib_across_keep_alive_requests() {
    let lab = start_lab().await;
    let mut stream = tokio::net::TcpStream::connect((lab.addr.ip(), lab.ports.freeze)).await.unwrap();
    // A first small answer keeps the connection alive and counts towards the freeze.
    let first = exchange(&mut stream, &get_request("/c/ok?bytes=10000"), 500).await;
    assert!(String::from_utf8_lossy(&first).starts_with("HTTP/1.1 200"), "first answer");
    assert!(!String::from_utf8_lossy(&first).to_ascii_lowercase().contains("connection: close"));
    let second = exchange(&mut stream, &get_request("/c/ok?bytes=262144"), 800).await;
    let total = first.len() + second.len();
    assert_eq!(total as u64, reachcheck_lab::middlebox::FREEZE_BYTES, "the count spans both answers");
    // A new connection starts a new count.
    let mut fresh = tokio::net::TcpStream::connect((lab.addr.ip(), lab.ports.freeze)).await.unwrap();
    assert!(exchange(&mut fresh, &get_request("/c/ok?bytes=1000"), 500).await.len() > 1000);
}

#[tokio::test]
async fn the_upload_freezing_port_lets_downloads_through_and_never_answers_an_upload() {
    let lab = start_lab().await;
    let connect = || tokio::net::TcpStream::connect((lab.addr.ip(), lab.ports.upload_freeze));
    let mut stream = connect().await.unwrap();
    let download = exchange(&mut stream, &get_request("/c/ok?bytes=262144"), 1000).await;
    assert!(download.len() > 262_144, "{} bytes", download.len());
    let mut upload =
        format!("POST /c/ok HTTP/1.1\r\nHost: lab\r\nContent-Length: {}\r\n\r\n", 65_536).into_bytes();
    upload.extend(std::iter::repeat_n(b'x', 65_536));
    let mut stream = connect().await.unwrap();
    assert!(exchange(&mut stream, &upload, 800).await.is_empty(), "a frozen upload gets no answer");
    // On the main port the same upload is read and answered.
    let mut open = tokio::net::TcpStream::connect(lab.addr).await.unwrap();
    let answer = String::from_utf8(exchange(&mut open, &upload, 1000).await).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200") && answer.contains("received 65536 bytes"), "{answer}");
}

#[tokio::test]
async fn the_resolver_knows_localhost_names_only() {
    let lab = start_lab().await;
    let known = get_complete(&lab, "/dns-query?type=A&name=lab-dnsblock-fetch.localhost").await;
    assert_eq!(header(&known, "access-control-allow-origin"), Some("*"), "{known}");
    let answer = reachcheck_core::diagnosis::read_answer(body(&known));
    assert_eq!(answer, (reachcheck_core::diagnosis::Answer::Addresses, vec![[127, 0, 0, 1].into()]));
    let unknown = get_complete(&lab, "/dns-query?type=A&name=lab-nxdomain.invalid").await;
    assert_eq!(
        reachcheck_core::diagnosis::read_answer(body(&unknown)).0,
        reachcheck_core::diagnosis::Answer::NoSuchName
    );
    let unknown = get_complete(&lab, "/dns-query?type=A&name=lab-nxdomain-fetch.localhost").await;
    assert_eq!(
        reachcheck_core::diagnosis::read_answer(body(&unknown)).0,
        reachcheck_core::diagnosis::Answer::NoSuchName
    );
}

#[tokio::test]
async fn names_are_filtered_whatever_the_path_while_the_address_answers() {
    let lab = start_lab().await;
    let port = lab.addr.port();
    let wait = Duration::from_millis(1500);
    let (_, end) = get_from(lab.addr, &format!("x-dnsblock.localhost:{port}"), "/c/ok", wait).await;
    assert_eq!(end, End::Reset, "a name that does not resolve fails at once");
    let (_, end) = get_from(lab.addr, &format!("x-sniblock.localhost:{port}"), "/", wait).await;
    assert_eq!(end, End::Silent, "a name filtered by DPI gets no answer");
    let (response, end) = get_from(lab.addr, &format!("127.0.0.1:{port}"), "/", wait).await;
    assert_eq!((end, status(&response)), (End::Closed, 200), "the address answers");
    let blackhole = std::net::SocketAddr::new(lab.addr.ip(), lab.ports.blackhole);
    let (response, end) = get_from(blackhole, "127.0.0.1", "/", wait).await;
    assert_eq!((end, response.as_str()), (End::Silent, ""), "a cut address never answers");
}

//! The lab serves what docs/lab.md promises: checked over real loopback sockets.

use futures_util::{SinkExt, StreamExt};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;

async fn start_lab() -> reachcheck_lab::Lab {
    let (lab, _task) = reachcheck_lab::start("127.0.0.1:0").await.expect("lab starts");
    lab
}

/// A minimal HTTP/1.1 client: returns the raw response (head and body).
async fn http_get(lab: &reachcheck_lab::Lab, path: &str, origin: Option<&str>) -> String {
    let mut stream = TcpStream::connect(lab.addr).await.expect("connect");
    let origin = origin.map(|o| format!("Origin: {o}\r\n")).unwrap_or_default();
    let request = format!("GET {path} HTTP/1.1\r\nHost: {}\r\n{origin}Connection: close\r\n\r\n", lab.addr);
    stream.write_all(request.as_bytes()).await.expect("send");
    let mut response = String::new();
    stream.read_to_string(&mut response).await.expect("read");
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

#[tokio::test]
async fn ok_serves_its_body_with_cross_origin_headers() {
    let lab = start_lab().await;
    let response = http_get(&lab, "/ok", Some("http://127.0.0.1:9")).await;
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert_eq!(body(&response), reachcheck_lab::routes::OK_BODY);
    assert_eq!(header(&response, "access-control-allow-origin"), Some("*"));
    assert_eq!(header(&response, "cross-origin-resource-policy"), Some("cross-origin"));
}

#[tokio::test]
async fn unknown_paths_are_404() {
    let lab = start_lab().await;
    assert!(http_get(&lab, "/no-such-thing", None).await.starts_with("HTTP/1.1 404"));
}

#[tokio::test]
async fn counts_probe_hits_but_not_control_requests() {
    let lab = start_lab().await;
    assert_eq!(lab.hits.total(), 0);
    http_get(&lab, "/ok", None).await;
    http_get(&lab, "/ok", None).await;
    let counts = http_get(&lab, "/_lab/hits", None).await;
    assert_eq!(lab.hits.get("/ok"), 2);
    assert_eq!(lab.hits.total(), 2, "the /_lab/hits request itself is not counted");
    let parsed: serde_json::Value = serde_json::from_str(body(&counts)).expect("hits are JSON");
    assert_eq!(parsed, serde_json::json!({ "/ok": 2 }));
}

#[tokio::test]
async fn websocket_echoes_text_and_binary() {
    let lab = start_lab().await;
    let url = format!("ws://{}/ws/echo", lab.addr);
    let (mut socket, _) = tokio_tungstenite::connect_async(url).await.expect("ws opens");
    socket.send(Message::text("hello lab")).await.unwrap();
    assert_eq!(socket.next().await.unwrap().unwrap(), Message::text("hello lab"));
    socket.send(Message::binary(vec![1u8, 2, 3])).await.unwrap();
    assert_eq!(socket.next().await.unwrap().unwrap(), Message::binary(vec![1u8, 2, 3]));
    socket.close(None).await.unwrap();
    assert_eq!(lab.hits.get("/ws/echo"), 1);
}

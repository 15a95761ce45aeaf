//! A STUN server (RFC 5389 Binding) on UDP, in the conditions a call path meets: answering,
//! answering late, silently dropping, and a closed port (which a browser cannot tell from a
//! drop: Chromium ignores ICMP). One UDP port per condition, since STUN URLs have no path.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Duration;

use tokio::net::UdpSocket;

use crate::stun_message::{Message, Request, XOR_MAPPED_ADDRESS};

const BINDING_REQUEST: u16 = 0x0001;
const BINDING_SUCCESS: u16 = 0x0101;
/// The mapped address the lab reports: a documentation address (TEST-NET-3), never the real
/// one — Chromium drops a srflx candidate that equals a local address.
pub const MAPPED_IP: Ipv4Addr = Ipv4Addr::new(203, 0, 113, 7);

/// The ports of the call-path servers: STUN (UDP) per condition, and TURN over TCP.
#[derive(Clone, Copy, Debug)]
pub struct StunPorts {
    pub ok: u16,
    pub delay: u16,
    pub drop: u16,
    pub closed: u16,
    pub delay_ms: u64,
    /// TURN over TCP (`turn.rs`, started beside): a relay works though UDP may not.
    pub turn_tcp: u16,
}

#[derive(Clone, Copy)]
enum Behaviour {
    Answer,
    AnswerAfter(Duration),
    Drop,
}

/// Starts the STUN conditions; `turn_tcp` is the port of the TURN server started beside them.
pub async fn start(ip: IpAddr, delay_ms: u64, turn_tcp: u16) -> std::io::Result<StunPorts> {
    let bind = || UdpSocket::bind(SocketAddr::new(ip, 0));
    let (ok, delay, drop, closed) = (bind().await?, bind().await?, bind().await?, bind().await?);
    let ports = StunPorts {
        ok: ok.local_addr()?.port(),
        delay: delay.local_addr()?.port(),
        drop: drop.local_addr()?.port(),
        // Bound only to learn a free port number, then closed: nothing listens there.
        closed: closed.local_addr()?.port(),
        delay_ms,
        turn_tcp,
    };
    std::mem::drop(closed);
    tokio::spawn(serve(ok, Behaviour::Answer));
    tokio::spawn(serve(delay, Behaviour::AnswerAfter(Duration::from_millis(delay_ms))));
    tokio::spawn(serve(drop, Behaviour::Drop));
    Ok(ports)
}

async fn serve(socket: UdpSocket, behaviour: Behaviour) {
    let socket = std::sync::Arc::new(socket);
    let mut buffer = [0u8; 1500];
    loop {
        let Ok((length, peer)) = socket.recv_from(&mut buffer).await else { continue };
        let Some(response) = binding_response(&buffer[..length], peer) else { continue };
        match behaviour {
            Behaviour::Answer => {
                let _ = socket.send_to(&response, peer).await;
            }
            Behaviour::AnswerAfter(delay) => {
                let socket = socket.clone();
                tokio::spawn(async move {
                    tokio::time::sleep(delay).await;
                    let _ = socket.send_to(&response, peer).await;
                });
            }
            Behaviour::Drop => {}
        }
    }
}

/// The Binding success response to a Binding request, or `None` for anything else.
pub fn binding_response(request: &[u8], peer: SocketAddr) -> Option<Vec<u8>> {
    let request = Request::parse(request)?;
    if request.kind != BINDING_REQUEST {
        return None;
    }
    let mut response = Message::new(BINDING_SUCCESS, request.transaction);
    response.xor_address(XOR_MAPPED_ADDRESS, SocketAddr::new(MAPPED_IP.into(), peer.port()));
    Some(response.bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stun_message::MAGIC_COOKIE;

    fn request() -> Vec<u8> {
        let mut request = vec![0x00, 0x01, 0x00, 0x00];
        request.extend_from_slice(&MAGIC_COOKIE.to_be_bytes());
        request.extend_from_slice(&[7u8; 12]);
        request
    }

    #[test]
    fn answers_a_binding_request_with_the_xor_mapped_address() {
        let peer: SocketAddr = "127.0.0.1:50000".parse().unwrap();
        let response = binding_response(&request(), peer).unwrap();
        assert_eq!(&response[0..2], &[0x01, 0x01]);
        assert_eq!(&response[8..20], &[7u8; 12], "same transaction id");
        let port = u16::from_be_bytes([response[26], response[27]]) ^ 0x2112;
        let ip = u32::from_be_bytes([response[28], response[29], response[30], response[31]]) ^ MAGIC_COOKIE;
        assert_eq!((port, Ipv4Addr::from(ip)), (50000, MAPPED_IP));
    }

    #[test]
    fn ignores_everything_else() {
        let peer: SocketAddr = "127.0.0.1:1".parse().unwrap();
        assert!(binding_response(&request()[..19], peer).is_none());
        let mut not_binding = request();
        not_binding[1] = 0x03;
        assert!(binding_response(&not_binding, peer).is_none());
        let mut no_cookie = request();
        no_cookie[4] = 0;
        assert!(binding_response(&no_cookie, peer).is_none());
    }

    #[tokio::test]
    async fn serves_each_condition_on_its_own_port() {
        let ports = start("127.0.0.1".parse().unwrap(), 150, 0).await.unwrap();
        let client = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let ask = |port: u16| {
            let client = &client;
            async move {
                client.send_to(&request(), ("127.0.0.1", port)).await.unwrap();
                let mut buffer = [0u8; 64];
                let started = std::time::Instant::now();
                let answer =
                    tokio::time::timeout(Duration::from_millis(600), client.recv_from(&mut buffer)).await;
                (answer.is_ok(), started.elapsed())
            }
        };
        let (answered, _) = ask(ports.ok).await;
        assert!(answered);
        let (answered, took) = ask(ports.delay).await;
        assert!(answered && took >= Duration::from_millis(150), "{took:?}");
        assert!(!ask(ports.drop).await.0, "drop never answers");
    }
}

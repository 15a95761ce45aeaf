//! A STUN server (RFC 5389 Binding) on UDP, in the conditions a call path meets: answering,
//! answering late, silently dropping, and a closed port (which a browser cannot tell from a
//! drop: Chromium ignores ICMP). One UDP port per condition, since STUN URLs have no path.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Duration;

use tokio::net::UdpSocket;

const MAGIC_COOKIE: u32 = 0x2112_A442;
const BINDING_REQUEST: u16 = 0x0001;
const BINDING_SUCCESS: u16 = 0x0101;
const XOR_MAPPED_ADDRESS: u16 = 0x0020;
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
    /// TURN over TCP (`turn.rs`): a relay works though UDP may not.
    pub turn_tcp: u16,
}

#[derive(Clone, Copy)]
enum Behaviour {
    Answer,
    AnswerAfter(Duration),
    Drop,
}

pub async fn start(ip: IpAddr, delay_ms: u64) -> std::io::Result<StunPorts> {
    let bind = || UdpSocket::bind(SocketAddr::new(ip, 0));
    let (ok, delay, drop, closed) = (bind().await?, bind().await?, bind().await?, bind().await?);
    let ports = StunPorts {
        ok: ok.local_addr()?.port(),
        delay: delay.local_addr()?.port(),
        drop: drop.local_addr()?.port(),
        // Bound only to learn a free port number, then closed: nothing listens there.
        closed: closed.local_addr()?.port(),
        delay_ms,
        turn_tcp: crate::turn::start(ip).await?,
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

/// A STUN request (RFC 5389): its method and class, transaction id and attributes.
pub struct Request<'a> {
    pub kind: u16,
    pub transaction: [u8; 12],
    /// The whole message, for integrity checks.
    pub raw: &'a [u8],
    /// `(type, value, offset of the attribute in raw)`.
    pub attributes: Vec<(u16, &'a [u8], usize)>,
}

impl<'a> Request<'a> {
    /// A well-formed STUN message with the magic cookie, or `None`.
    pub fn parse(raw: &'a [u8]) -> Option<Request<'a>> {
        if raw.len() < 20 || raw[0] & 0xC0 != 0 {
            return None;
        }
        let kind = u16::from_be_bytes([raw[0], raw[1]]);
        let length = usize::from(u16::from_be_bytes([raw[2], raw[3]]));
        let cookie = u32::from_be_bytes([raw[4], raw[5], raw[6], raw[7]]);
        if cookie != MAGIC_COOKIE || raw.len() != 20 + length {
            return None;
        }
        let mut attributes = Vec::new();
        let mut at = 20;
        while at + 4 <= raw.len() {
            let kind = u16::from_be_bytes([raw[at], raw[at + 1]]);
            let length = usize::from(u16::from_be_bytes([raw[at + 2], raw[at + 3]]));
            let value = raw.get(at + 4..at + 4 + length)?;
            attributes.push((kind, value, at));
            at += 4 + length.next_multiple_of(4);
        }
        Some(Request { kind, transaction: raw[8..20].try_into().ok()?, raw, attributes })
    }

    pub fn attribute(&self, kind: u16) -> Option<&'a [u8]> {
        self.attributes.iter().find(|(k, _, _)| *k == kind).map(|(_, value, _)| *value)
    }
}

/// A STUN response being built.
pub struct Message {
    bytes: Vec<u8>,
}

impl Message {
    pub fn new(kind: u16, transaction: [u8; 12]) -> Message {
        let mut bytes = Vec::with_capacity(64);
        bytes.extend_from_slice(&kind.to_be_bytes());
        bytes.extend_from_slice(&0u16.to_be_bytes());
        bytes.extend_from_slice(&MAGIC_COOKIE.to_be_bytes());
        bytes.extend_from_slice(&transaction);
        Message { bytes }
    }

    /// Appends an attribute (padded to 4 bytes) and updates the header's length.
    pub fn attribute(&mut self, kind: u16, value: &[u8]) {
        self.bytes.extend_from_slice(&kind.to_be_bytes());
        self.bytes.extend_from_slice(&(value.len() as u16).to_be_bytes());
        self.bytes.extend_from_slice(value);
        self.bytes.resize(self.bytes.len().next_multiple_of(4), 0);
        self.set_length(self.bytes.len() - 20);
    }

    /// An IPv4 address attribute XOR-ed with the magic cookie (XOR-MAPPED-ADDRESS and kin).
    pub fn xor_address(&mut self, kind: u16, address: SocketAddr) {
        let IpAddr::V4(ip) = address.ip() else { return };
        let mut value = vec![0, 0x01]; // IPv4
        value.extend_from_slice(&(address.port() ^ (MAGIC_COOKIE >> 16) as u16).to_be_bytes());
        value.extend_from_slice(&(u32::from(ip) ^ MAGIC_COOKIE).to_be_bytes());
        self.attribute(kind, &value);
    }

    fn set_length(&mut self, length: usize) {
        self.bytes[2..4].copy_from_slice(&(length as u16).to_be_bytes());
    }

    pub fn bytes(self) -> Vec<u8> {
        self.bytes
    }

    /// The message so far as it is covered by a MESSAGE-INTEGRITY attribute appended next: the
    /// header's length already counts that attribute (RFC 5389, section 15.4).
    pub fn integrity_input(&mut self) -> &[u8] {
        self.set_length(self.bytes.len() - 20 + 24);
        &self.bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let ports = start("127.0.0.1".parse().unwrap(), 150).await.unwrap();
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

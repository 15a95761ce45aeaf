//! A TURN server over TCP (RFC 5766), just far enough for a browser to gather a `relay`
//! candidate: an Allocate is challenged (401 with realm and nonce), then answered with a relayed
//! address when it carries the lab's long-term credentials. Nothing is ever relayed. Over TCP a
//! call path works even where UDP is dropped, which is what `relay_only` describes.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use hmac::{Hmac, Mac};
use md5::{Digest, Md5};
use sha1::Sha1;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::stun::MAPPED_IP;
use crate::stun_message::{Message, Request, XOR_MAPPED_ADDRESS};

/// The lab's TURN credentials (public on purpose: the lab relays nothing).
pub const USERNAME: &str = "reachcheck-lab";
pub const PASSWORD: &str = "lab-credential";
const REALM: &str = "reachcheck-lab";
const NONCE: &str = "reachcheck-lab-nonce";
/// The relayed address the lab hands out: a documentation address (TEST-NET-3).
pub const RELAYED: SocketAddr = SocketAddr::new(IpAddr::V4(Ipv4Addr::new(203, 0, 113, 8)), 49152);

const ALLOCATE_REQUEST: u16 = 0x0003;
const ALLOCATE_SUCCESS: u16 = 0x0103;
const ALLOCATE_ERROR: u16 = 0x0113;
const USERNAME_ATTR: u16 = 0x0006;
const MESSAGE_INTEGRITY: u16 = 0x0008;
const ERROR_CODE: u16 = 0x0009;
const LIFETIME: u16 = 0x000D;
const REALM_ATTR: u16 = 0x0014;
const NONCE_ATTR: u16 = 0x0015;
const XOR_RELAYED_ADDRESS: u16 = 0x0016;

/// Listens on a free TCP port of `ip`; returns the port.
pub async fn start(ip: IpAddr) -> std::io::Result<u16> {
    let listener = TcpListener::bind(SocketAddr::new(ip, 0)).await?;
    let port = listener.local_addr()?.port();
    tokio::spawn(async move {
        while let Ok((stream, peer)) = listener.accept().await {
            tokio::spawn(serve(stream, peer));
        }
    });
    Ok(port)
}

/// STUN messages over TCP follow each other unframed; each header gives its length.
async fn serve(mut stream: TcpStream, peer: SocketAddr) {
    let mut header = [0u8; 20];
    while stream.read_exact(&mut header).await.is_ok() {
        let mut message = header.to_vec();
        message.resize(20 + usize::from(u16::from_be_bytes([header[2], header[3]])), 0);
        if stream.read_exact(&mut message[20..]).await.is_err() {
            return;
        }
        if let Some(response) = allocate_response(&message, peer) {
            if stream.write_all(&response).await.is_err() {
                return;
            }
        }
    }
}

/// The answer to an Allocate request: a 401 challenge unless it carries valid credentials,
/// else a success with the relayed address. `None` for anything else (refreshes, permissions).
pub fn allocate_response(message: &[u8], peer: SocketAddr) -> Option<Vec<u8>> {
    let request = Request::parse(message)?;
    if request.kind != ALLOCATE_REQUEST {
        return None;
    }
    if !authenticated(&request) {
        let mut challenge = Message::new(ALLOCATE_ERROR, request.transaction);
        challenge.attribute(ERROR_CODE, &[&[0, 0, 4, 1][..], b"Unauthorized"].concat()); // class 4, number 1
        challenge.attribute(REALM_ATTR, REALM.as_bytes());
        challenge.attribute(NONCE_ATTR, NONCE.as_bytes());
        return Some(challenge.bytes());
    }
    let mut success = Message::new(ALLOCATE_SUCCESS, request.transaction);
    success.xor_address(XOR_RELAYED_ADDRESS, RELAYED);
    success.xor_address(XOR_MAPPED_ADDRESS, SocketAddr::new(MAPPED_IP.into(), peer.port()));
    success.attribute(LIFETIME, &600u32.to_be_bytes());
    let integrity = integrity(PASSWORD, success.integrity_input());
    success.attribute(MESSAGE_INTEGRITY, &integrity);
    Some(success.bytes())
}

/// The lab's user, and a MESSAGE-INTEGRITY that matches the lab's password.
fn authenticated(request: &Request) -> bool {
    request.attribute(USERNAME_ATTR) == Some(USERNAME.as_bytes()) && integrity_matches(request)
}

fn integrity_matches(message: &Request) -> bool {
    let Some((_, claimed, offset)) =
        message.attributes.iter().find(|(kind, _, _)| *kind == MESSAGE_INTEGRITY)
    else {
        return false;
    };
    // The integrity covers the message up to the attribute, with the header's length ending
    // right after it (RFC 5389, section 15.4).
    let mut covered = message.raw[..*offset].to_vec();
    covered[2..4].copy_from_slice(&((offset + 24 - 20) as u16).to_be_bytes());
    integrity(PASSWORD, &covered).as_slice() == *claimed
}

/// HMAC-SHA1 with the long-term key MD5(username:realm:password).
fn integrity(password: &str, covered: &[u8]) -> [u8; 20] {
    let key = Md5::digest(format!("{USERNAME}:{REALM}:{password}"));
    let mut mac = Hmac::<Sha1>::new_from_slice(&key).expect("HMAC takes any key length");
    mac.update(covered);
    mac.finalize().into_bytes().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    const PEER: SocketAddr = SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 50000);

    /// An Allocate as a browser sends it, with credentials when `password` is given.
    fn allocate(password: Option<&str>) -> Vec<u8> {
        let mut message = Message::new(ALLOCATE_REQUEST, [9; 12]);
        message.attribute(0x0019, &[17, 0, 0, 0]); // REQUESTED-TRANSPORT: UDP
        if let Some(password) = password {
            message.attribute(USERNAME_ATTR, USERNAME.as_bytes());
            message.attribute(REALM_ATTR, REALM.as_bytes());
            message.attribute(NONCE_ATTR, NONCE.as_bytes());
            let integrity = integrity(password, message.integrity_input());
            message.attribute(MESSAGE_INTEGRITY, &integrity);
        }
        message.bytes()
    }

    fn xor_address(value: &[u8]) -> SocketAddr {
        let port = u16::from_be_bytes([value[2], value[3]]) ^ 0x2112;
        let ip = u32::from_be_bytes([value[4], value[5], value[6], value[7]]) ^ 0x2112_A442;
        SocketAddr::new(Ipv4Addr::from(ip).into(), port)
    }

    #[test]
    fn challenges_an_allocate_without_credentials() {
        let response = allocate_response(&allocate(None), PEER).unwrap();
        let response = Request::parse(&response).unwrap();
        assert_eq!(response.kind, ALLOCATE_ERROR);
        assert_eq!(response.transaction, [9; 12]);
        assert_eq!(&response.attribute(ERROR_CODE).unwrap()[2..4], &[4, 1], "401");
        assert_eq!(response.attribute(REALM_ATTR), Some(REALM.as_bytes()));
        assert_eq!(response.attribute(NONCE_ATTR), Some(NONCE.as_bytes()));
    }

    #[test]
    fn refuses_a_wrong_password() {
        let response = allocate_response(&allocate(Some("guess")), PEER).unwrap();
        assert_eq!(Request::parse(&response).unwrap().kind, ALLOCATE_ERROR);
    }

    #[test]
    fn allocates_with_the_lab_credentials_and_signs_the_answer() {
        let bytes = allocate_response(&allocate(Some(PASSWORD)), PEER).unwrap();
        let response = Request::parse(&bytes).unwrap();
        assert_eq!(response.kind, ALLOCATE_SUCCESS);
        assert_eq!(xor_address(response.attribute(XOR_RELAYED_ADDRESS).unwrap()), RELAYED);
        let mapped = xor_address(response.attribute(XOR_MAPPED_ADDRESS).unwrap());
        assert_eq!(mapped, SocketAddr::new(MAPPED_IP.into(), PEER.port()));
        assert_eq!(response.attribute(LIFETIME), Some(&600u32.to_be_bytes()[..]));
        assert!(integrity_matches(&response), "the answer's integrity verifies with the same key");
    }

    #[test]
    fn ignores_other_requests() {
        let mut refresh = allocate(Some(PASSWORD));
        refresh[1] = 0x04;
        assert!(allocate_response(&refresh, PEER).is_none());
        assert!(allocate_response(&[0; 10], PEER).is_none());
    }

    #[tokio::test]
    async fn answers_over_tcp() {
        let port = start(Ipv4Addr::LOCALHOST.into()).await.unwrap();
        let mut stream = TcpStream::connect((Ipv4Addr::LOCALHOST, port)).await.unwrap();
        for (password, kind) in [(None, ALLOCATE_ERROR), (Some(PASSWORD), ALLOCATE_SUCCESS)] {
            stream.write_all(&allocate(password)).await.unwrap();
            let mut header = [0u8; 20];
            stream.read_exact(&mut header).await.unwrap();
            let mut body = vec![0u8; usize::from(u16::from_be_bytes([header[2], header[3]]))];
            stream.read_exact(&mut body).await.unwrap();
            assert_eq!(u16::from_be_bytes([header[0], header[1]]), kind);
        }
    }
}

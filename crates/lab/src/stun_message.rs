//! STUN messages (RFC 5389), as the lab's STUN (`stun.rs`) and TURN (`turn.rs`) servers read
//! and write them.

use std::net::{IpAddr, SocketAddr};

pub const MAGIC_COOKIE: u32 = 0x2112_A442;
pub const XOR_MAPPED_ADDRESS: u16 = 0x0020;

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

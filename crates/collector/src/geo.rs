//! Country and network of a connecting address, from optional MaxMind-format databases. The
//! address goes in and only `probe_cc` / `probe_asn` come out.

use std::net::IpAddr;
use std::path::Path;

use maxminddb::{geoip2, Reader};
use reachcheck_core::report::{UNKNOWN_ASN, UNKNOWN_CC};

pub struct Geo {
    country: Option<Reader<Vec<u8>>>,
    asn: Option<Reader<Vec<u8>>>,
}

fn open(path: Option<&Path>) -> Result<Option<Reader<Vec<u8>>>, String> {
    path.map(|p| Reader::open_readfile(p).map_err(|err| format!("{}: {err}", p.display()))).transpose()
}

impl Geo {
    pub fn open(country: Option<&Path>, asn: Option<&Path>) -> Result<Geo, String> {
        Ok(Geo { country: open(country)?, asn: open(asn)? })
    }

    /// (`probe_cc`, `probe_asn`), `ZZ` / `AS0` when unknown.
    pub fn locate(&self, address: IpAddr) -> (String, String) {
        let cc = self
            .country
            .as_ref()
            .and_then(|r| r.lookup::<geoip2::Country>(address).ok().flatten())
            .and_then(|c| c.country.and_then(|c| c.iso_code).map(str::to_owned))
            .filter(|cc| cc.len() == 2 && cc.chars().all(|c| c.is_ascii_uppercase()))
            .unwrap_or_else(|| UNKNOWN_CC.to_owned());
        let asn = self
            .asn
            .as_ref()
            .and_then(|r| r.lookup::<geoip2::Asn>(address).ok().flatten())
            .and_then(|a| a.autonomous_system_number)
            .map_or_else(|| UNKNOWN_ASN.to_owned(), |n| format!("AS{n}"));
        (cc, asn)
    }
}

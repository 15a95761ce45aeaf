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
        let place = self.place(address);
        (place.cc, place.asn)
    }

    /// Country, network and the network's name (for the published aggregates).
    pub fn place(&self, address: IpAddr) -> Place {
        let cc = self
            .country
            .as_ref()
            .and_then(|r| r.lookup::<geoip2::Country>(address).ok().flatten())
            .and_then(|c| c.country.and_then(|c| c.iso_code).map(str::to_owned))
            .filter(|cc| cc.len() == 2 && cc.chars().all(|c| c.is_ascii_uppercase()))
            .unwrap_or_else(|| UNKNOWN_CC.to_owned());
        let network = self.asn.as_ref().and_then(|r| r.lookup::<geoip2::Asn>(address).ok().flatten());
        let number = network.as_ref().and_then(|a| a.autonomous_system_number);
        let asn = number.map_or_else(|| UNKNOWN_ASN.to_owned(), |n| format!("AS{n}"));
        let network_name = number
            .and(network.and_then(|a| a.autonomous_system_organization))
            .map(|name| name.chars().filter(|c| !c.is_control()).take(MAX_NAME_CHARS).collect::<String>())
            .filter(|name| !name.trim().is_empty());
        Place { cc, asn, network_name }
    }
}

/// Where a connection comes from, as far as the reports say.
pub struct Place {
    pub cc: String,
    pub asn: String,
    /// The ASN database's name of the network ("Rostelecom"); public, about the network only.
    pub network_name: Option<String>,
}

/// Network names are kept to this many characters.
const MAX_NAME_CHARS: usize = 100;

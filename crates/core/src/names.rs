//! Unit-only enums written as their snake_case names in JSON (catalogs, reports, share links),
//! in docs and in `data-*` attributes: each name is written once, in a `json_names!` table.
//!
//! serde's derive would make a visitor and an identifier parser per enum (~1.3 KB of wasm
//! each, thirteen enums, in the app and the widget alike); here every enum reads its name with
//! the one `NameIndex` visitor.

use std::fmt;

use serde::de::{Deserializer, Error, Visitor};

/// Reads a name and gives its place in `names`; an unknown name is serde's own
/// ``unknown variant `x`, expected one of …`` error.
pub fn deserialize_index<'de, D: Deserializer<'de>>(
    deserializer: D,
    names: &'static [&'static str],
) -> Result<usize, D::Error> {
    deserializer.deserialize_str(NameIndex(names))
}

struct NameIndex(&'static [&'static str]);

impl Visitor<'_> for NameIndex {
    type Value = usize;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("variant identifier")
    }

    fn visit_str<E: Error>(self, name: &str) -> Result<usize, E> {
        self.0.iter().position(|known| *known == name).ok_or_else(|| E::unknown_variant(name, self.0))
    }
}

/// `Type { Variant => "name", … }`: `as_str`, `Serialize` and `Deserialize` from one table.
macro_rules! json_names {
    ($($ty:ident { $($variant:ident => $name:literal),+ $(,)? })*) => {$(
        impl $ty {
            /// Every variant, in the order of the table.
            pub const VARIANTS: &'static [$ty] = &[$($ty::$variant),+];
            const NAMES: &'static [&'static str] = &[$($name),+];

            /// The name used in JSON, docs and `data-*` attributes.
            pub fn as_str(self) -> &'static str {
                match self { $($ty::$variant => $name),+ }
            }
        }

        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                $crate::names::deserialize_index(deserializer, Self::NAMES).map(|at| Self::VARIANTS[at])
            }
        }
    )*};
}

pub(crate) use json_names;

#[cfg(test)]
mod tests {
    use crate::catalog::{ControlScope, ProbeKind, Success};
    use crate::diagnosis::{Answer, Method};
    use crate::measurement::{Obstacle, Outcome, TransferEnd};
    use crate::verdict::{Connection, Failure, Reason, ServiceStatus, Verdict};

    fn round_trips<T>(variants: &[T])
    where
        T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug + Copy,
    {
        for variant in variants {
            let json = serde_json::to_string(variant).unwrap();
            assert!(
                json.starts_with('"')
                    && json[1..json.len() - 1].bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{json}"
            );
            assert_eq!(serde_json::from_str::<T>(&json).unwrap(), *variant, "{json}");
        }
    }

    #[test]
    fn every_name_reads_back_as_its_variant() {
        round_trips(Verdict::VARIANTS);
        round_trips(Failure::VARIANTS);
        round_trips(Reason::VARIANTS);
        round_trips(Connection::VARIANTS);
        round_trips(ServiceStatus::VARIANTS);
        round_trips(ControlScope::VARIANTS);
        round_trips(ProbeKind::VARIANTS);
        round_trips(Success::VARIANTS);
        round_trips(Method::VARIANTS);
        round_trips(Answer::VARIANTS);
        round_trips(Outcome::VARIANTS);
        round_trips(TransferEnd::VARIANTS);
        round_trips(Obstacle::VARIANTS);
    }

    #[test]
    fn names_are_as_the_docs_write_them() {
        assert_eq!(Verdict::RelayOnly.as_str(), "relay_only");
        assert_eq!(
            serde_json::to_string(&Reason::ContentSecurityPolicy).unwrap(),
            "\"content_security_policy\""
        );
        assert_eq!(serde_json::from_str::<ProbeKind>("\"webrtc\"").unwrap(), ProbeKind::Webrtc);
    }

    #[test]
    fn an_unknown_or_misshapen_name_is_refused_with_what_is_known() {
        let err = serde_json::from_str::<Failure>("\"reset\"").unwrap_err().to_string();
        assert!(
            err.starts_with("unknown variant `reset`, expected one of `timeout`, `fast_fail`, `slow_fail`"),
            "{err}"
        );
        assert!(serde_json::from_str::<Failure>("3").is_err());
        assert!(serde_json::from_str::<Failure>("{\"timeout\":null}").is_err());
        // Map keys are names too (e.g. counts by verdict).
        let map: std::collections::HashMap<Verdict, u32> = serde_json::from_str("{\"blocked\":2}").unwrap();
        assert_eq!(map[&Verdict::Blocked], 2);
    }
}

//! The shared named enums ([`App`](super::App), [`Profile`](super::Profile), …) are declared
//! with [`named_enum!`], which writes each value's name once and derives from it everything
//! that spells it: serde, clap's `ValueEnum`, the JSON Schema, `as_str`, `Display` and
//! `FromStr` (with [`UnknownName`] as its error).
//!
//! A macro rather than `strum`: strum's derives would take the case rule a second time (serde's
//! `rename_all` and strum's `serialize_all`, clap a third by default) and its `FromStr` neither
//! trims nor names the values there are, so `FromStr` would stay hand-written for each enum.

/// A name that is not one of an enum's values (`--app saml`, `"oauth".parse::<AuthMode>()`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} {value:?}: expected {expected}")]
pub struct UnknownName {
    /// What was being named, e.g. `app`.
    pub what: &'static str,
    /// What was given.
    pub value: String,
    /// The names there are, e.g. `oin, aiw, entra or entra-compliant`.
    pub expected: String,
}

/// The value of `all` named `s` (case-insensitive, trimmed), as [`named_enum!`]'s `FromStr`
/// reads it.
pub(crate) fn parse<T: Copy>(
    what: &'static str,
    s: &str,
    all: &[T],
    name: fn(T) -> &'static str,
) -> Result<T, UnknownName> {
    let wanted = s.trim();
    all.iter()
        .copied()
        .find(|v| name(*v).eq_ignore_ascii_case(wanted))
        .ok_or_else(|| {
            let names: Vec<&str> = all.iter().map(|v| name(*v)).collect();
            let expected = match names.split_last() {
                Some((last, [])) => (*last).to_owned(),
                Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
                None => String::new(),
            };
            UnknownName {
                what,
                value: s.to_owned(),
                expected,
            }
        })
}

/// An enum of named values: `Variant = "name"` for each, and `as "what"` for [`UnknownName`]'s
/// `what`. Derives `Debug`, `Clone`, `Copy`, `PartialEq`, `Eq`, `PartialOrd`, `Ord` (declaration
/// order), `Hash`, serde, `JsonSchema` and `clap::ValueEnum` (more derives, `#[default]` and doc
/// comments go on as usual), and gives `ALL` (declaration order), `as_str`, `Display` and
/// `FromStr`.
macro_rules! named_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident as $what:literal {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal, )+
        }
    ) => {
        // The derives come first: a helper attribute (`#[schemars(..)]`) may follow.
        #[derive(
            Debug,
            Clone,
            Copy,
            PartialEq,
            Eq,
            PartialOrd,
            Ord,
            Hash,
            serde::Serialize,
            serde::Deserialize,
            schemars::JsonSchema,
            clap::ValueEnum,
        )]
        $(#[$meta])*
        pub enum $name {
            $( $(#[$vmeta])* #[serde(rename = $text)] #[value(name = $text)] $variant, )+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: [$name; [$($text),+].len()] = [$($name::$variant),+];

            /// The value's name, as scenarios, the command line and reports write it.
            pub fn as_str(self) -> &'static str {
                match self {
                    $( $name::$variant => $text, )+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::contract::UnknownName;
            /// One of the names, in any case, surrounding white space ignored.
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $crate::contract::names::parse($what, s, &$name::ALL, $name::as_str)
            }
        }
    };
}

pub(crate) use named_enum;

#[cfg(test)]
mod tests {
    use std::fmt::Debug;
    use std::str::FromStr;

    use clap::ValueEnum;
    use serde::Serialize;
    use serde::de::DeserializeOwned;

    use crate::contract::{
        App, AuthMode, DeletedGroupPolicy, EntraRule, OktaRule, Profile, Provisioning,
        ResourceKind, Severity,
    };

    /// For every value of `T`: serde, clap, the JSON Schema, `as_str`, `Display` and `FromStr`
    /// spell it the same way, and each reads back as that value.
    fn names_agree<T>(all: &[T], as_str: fn(T) -> &'static str)
    where
        T: Copy
            + Debug
            + PartialEq
            + Serialize
            + DeserializeOwned
            + ValueEnum
            + schemars::JsonSchema
            + std::fmt::Display
            + FromStr<Err = crate::contract::UnknownName>,
    {
        assert_eq!(T::value_variants(), all, "clap's values are ALL, in order");
        let schema = serde_json::to_string(&schemars::schema_for!(T)).unwrap();
        for &v in all {
            let name = as_str(v);
            assert_eq!(serde_json::to_value(v).unwrap(), name, "serde writes {v:?}");
            assert_eq!(
                serde_json::from_value::<T>(serde_json::json!(name)).unwrap(),
                v,
                "serde reads {name}"
            );
            let clap = v.to_possible_value().expect("no value is hidden");
            assert_eq!(clap.get_name(), name, "clap names {v:?}");
            assert_eq!(
                <T as ValueEnum>::from_str(name, false),
                Ok(v),
                "clap reads {name}"
            );
            assert_eq!(v.to_string(), name, "Display of {v:?}");
            assert_eq!(name.parse::<T>(), Ok(v), "FromStr reads {name}");
            assert_eq!(
                format!(" {} ", name.to_uppercase()).parse::<T>(),
                Ok(v),
                "FromStr trims and ignores case"
            );
            assert!(
                schema.contains(&format!("{name:?}")),
                "the JSON Schema of {v:?} names {name}: {schema}"
            );
        }
    }

    #[test]
    fn every_named_enum_spells_each_value_one_way() {
        names_agree(&App::ALL, App::as_str);
        names_agree(&AuthMode::ALL, AuthMode::as_str);
        names_agree(&Provisioning::ALL, Provisioning::as_str);
        names_agree(&DeletedGroupPolicy::ALL, DeletedGroupPolicy::as_str);
        names_agree(&ResourceKind::ALL, ResourceKind::as_str);
        names_agree(&Profile::ALL, Profile::as_str);
        names_agree(&Severity::ALL, Severity::as_str);
        names_agree(&OktaRule::ALL, OktaRule::as_str);
        names_agree(&EntraRule::ALL, EntraRule::as_str);
    }

    #[test]
    fn an_unknown_name_says_which_there_are() {
        assert_eq!(
            "saml".parse::<App>().unwrap_err().to_string(),
            "unknown app \"saml\": expected oin, aiw, entra or entra-compliant"
        );
        assert_eq!(
            "oauth".parse::<AuthMode>().unwrap_err().to_string(),
            "unknown auth mode \"oauth\": expected bearer, header or basic"
        );
    }
}

//! A Zinc instance's settings, as scenarios (`zinc:`, `support:` steps), `serve` flags, the
//! mock and its Admin API name them: the provisioning gate (Z1), the sync scope (Z3) and what
//! happens to a group Okta deletes (Z19).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::names::named_enum;

named_enum! {
    /// Whether Zinc Customer Support has enabled provisioning (Z1).
    #[derive(Default)]
    pub enum Provisioning as "provisioning state" {
        #[default]
        Enabled = "enabled",
        Disabled = "disabled",
    }
}

named_enum! {
    /// What happens in Zinc to a group deleted over SCIM (Z19).
    #[derive(Default)]
    pub enum DeletedGroupPolicy as "deleted-group policy" {
        /// Keep it in the console, unlinked, with members and admins.
        #[default]
        Retain = "retain",
        /// Remove it.
        Delete = "delete",
    }
}

named_enum! {
    /// One kind of resource an instance may sync (Z3): an item of a scenario's `scope: [users,
    /// groups]`.
    #[schemars(rename = "Scope")]
    pub enum ResourceKind as "sync scope" {
        Users = "users",
        Groups = "groups",
    }
}

impl ResourceKind {
    /// The SCIM endpoint of its collection: `/Users`, `/Groups`.
    pub fn path(self) -> &'static str {
        match self {
            ResourceKind::Users => "/Users",
            ResourceKind::Groups => "/Groups",
        }
    }
}

/// Which resource kinds an instance may sync (Z3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Scope {
    pub users: bool,
    pub groups: bool,
}

impl Scope {
    pub const BOTH: Scope = Scope {
        users: true,
        groups: true,
    };
    pub const USERS: Scope = Scope {
        users: true,
        groups: false,
    };
    pub const GROUPS: Scope = Scope {
        users: false,
        groups: true,
    };

    /// The scope made of these kinds (none: an instance that syncs nothing).
    pub fn of(kinds: &[ResourceKind]) -> Scope {
        Scope {
            users: kinds.contains(&ResourceKind::Users),
            groups: kinds.contains(&ResourceKind::Groups),
        }
    }

    /// Whether the instance may sync `kind`.
    pub fn contains(self, kind: ResourceKind) -> bool {
        match kind {
            ResourceKind::Users => self.users,
            ResourceKind::Groups => self.groups,
        }
    }

    /// The kinds it syncs, users first.
    pub fn kinds(self) -> Vec<ResourceKind> {
        ResourceKind::ALL
            .into_iter()
            .filter(|k| self.contains(*k))
            .collect()
    }

    fn names(self) -> Vec<&'static str> {
        self.kinds().into_iter().map(ResourceKind::as_str).collect()
    }
}

impl Default for Scope {
    fn default() -> Self {
        Scope::BOTH
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names = self.names();
        if names.is_empty() {
            f.write_str("none")
        } else {
            f.write_str(&names.join(","))
        }
    }
}

impl FromStr for Scope {
    type Err = String;
    /// `users`, `groups`, `users,groups` (any order, any case), or `none`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut kinds = Vec::new();
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            if part.eq_ignore_ascii_case("none") {
                continue;
            }
            match part.parse::<ResourceKind>() {
                Ok(k) => kinds.push(k),
                Err(_) => {
                    return Err(format!(
                        "unknown sync scope {part:?} (expected users, groups)"
                    ));
                }
            }
        }
        Ok(Scope::of(&kinds))
    }
}

impl Serialize for Scope {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.names().serialize(s)
    }
}

impl<'de> Deserialize<'de> for Scope {
    /// A list (`["users","groups"]`) or a comma-separated string.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Repr {
            List(Vec<String>),
            Text(String),
        }
        let text = match Repr::deserialize(d)? {
            Repr::List(items) => items.join(","),
            Repr::Text(t) => t,
        };
        text.parse().map_err(serde::de::Error::custom)
    }
}

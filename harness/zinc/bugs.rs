//! TEST ONLY: realistic mistakes of third-party SCIM servers that the mock can be told to make,
//! so a test can prove that a scenario or a wire check catches each one (the way
//! `tests/harness/rules_bite.rs` switches a Zinc rule off). A `Bug` is not a Zinc rule switched
//! off: it is a wrong behaviour a real server has been seen with, or could plausibly have.
//! Nothing on the command line or the admin API reaches this.
//!
//! Each variant says, in its doc comment, what the mock then does wrong. Variants are grouped by
//! the issue that introduced them; add new ones at the end of the group you work on.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A mistake the mock makes on purpose (test only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Bug {
    // -- verdicts and mutation coverage (issue 18) --
    // The first four are *legal* behaviours of a SCIM server that is not Zinc (RFC 7643/7644
    // allow them); the okta profile must pass against each (no false alarm).
    /// Returns a group's members sorted by `value` instead of in the order they joined
    /// (RFC 7643 §2.4: a multi-valued attribute has no order).
    SortsMembers,
    /// Fills a member's `display` with the user's displayName instead of the userName
    /// (RFC 7643 §4.2: `display` is read-only, the server's to choose).
    OwnsMemberDisplay,
    /// Refuses a user whose `externalId` another user already has, with 409 `uniqueness`
    /// (RFC 7643 §3.1 leaves externalId's uniqueness to the client; some servers key on it).
    ExternalIdUnique,
    /// Keeps a deactivated user, as every RFC server does: readable with `active: false`, in
    /// lists, filters and groups (Zinc removes it, Z10; the okta profile allows both).
    KeepsDeactivatedUsers,
    // -- Okta fidelity v2 (issue 12) --
    /// Legal: keeps the extension objects of a user it is sent (enterprise, custom URNs) and
    /// returns them, as an RFC server does (Zinc ignores them, Z9; the okta profile expects
    /// them kept). Switching Z9 off does the same.
    KeepsExtensions,
    /// Drops the enterprise extension (`urn:…:enterprise:2.0:User`) of a user it is sent,
    /// while keeping other extensions (with `KeepsExtensions`).
    DropsEnterpriseExtension,
    /// Applies a user PUT as a merge: extension attributes the PUT left out keep their old
    /// values (with `KeepsExtensions`), where a PUT replaces the resource (RFC 7644 §3.5.1).
    PutKeepsOmittedAttributes,
    // -- Entra ID personality (issue 15) --

    // -- hardening and mock answers (issues 13, 17) --

    // -- exploration (issue 14) --
    /// A `remove` with a `members[value eq "…"]` path empties the whole group instead of
    /// removing that member: the all-or-nothing PATCH that drops every member
    /// (FusionAuth/fusionauth-issues#2784).
    FilteredRemoveDropsAll,
}

impl fmt::Display for Bug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The kebab-case name serde uses, so reports and test names agree.
        let name = serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_else(|| format!("{self:?}"));
        f.write_str(&name)
    }
}

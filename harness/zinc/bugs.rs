//! Mutation testing: realistic mistakes of third-party SCIM servers that the mock can be told to make,
//! so a test can prove that a scenario or a wire check catches each one (the way
//! `tests/harness/rules_bite.rs` switches a Zinc rule off). A `Bug` is not a Zinc rule switched
//! off: it is a wrong behaviour a real server has been seen with, or could plausibly have.
//! Nothing on the command line or the admin API reaches this.
//!
//! Each variant says, in its doc comment, what the mock then does wrong. Variants are grouped by
//! the issue that introduced them; add new ones at the end of the group you work on.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A mistake the mock makes on purpose ([`ZincConfig::with_bug`](super::ZincConfig::with_bug)),
/// for mutation testing.
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

    // Realistic mistakes (mutation coverage, the coverage part of issue 18): each one must
    // fail a scenario (tests/harness/bugs_bite.rs).
    /// `GET /Groups?filter=…` ignores the filter and lists every group (Okta then links a
    /// pushed group to someone else's).
    GroupFilterIgnored,
    /// `displayName eq` on Groups compares case-sensitively.
    GroupFilterCaseSensitive,
    /// `displayName eq` on Groups finds nothing, even for a group that exists (django-scim2
    /// 0.23: Okta would push a duplicate group).
    GroupLookupFindsNothing,
    /// `startIndex` is read as 0-based: page 1 skips the first resource.
    ZeroBasedStartIndex,
    /// `totalResults` counts the page, not every match.
    TotalResultsOfPage,
    /// A `startIndex` past the end answers 400 instead of an empty page.
    ErrorPastTheEnd,
    /// A `+` in a filter value (`bob+tag@example.com`, sent as `%2B`) is read as a space.
    PlusInFilterValueIsSpace,
    /// `externalId eq` on Users finds nothing.
    ExternalIdLookupFindsNothing,
    /// A PATCH `add` of members replaces the member list instead of adding to it.
    MemberAddReplaces,
    /// A PATCH `remove` with a `members[value eq "…"]` path removes every member.
    MemberRemoveRemovesEveryone,
    /// Removing a member who is not (or no longer) in the group answers 400.
    RemoveAbsentMemberFails,
    /// A PATCH `replace` of members with an empty list leaves the members as they were.
    EmptyMemberReplaceIgnored,
    /// `PUT /Groups/{id}` renames but leaves the members as they were.
    GroupPutIgnoresMembers,
    /// A second group with a taken displayName is created instead of refused.
    DuplicateGroupNames,
    /// userName uniqueness compares case-sensitively (`Alice@…` beside `alice@…`).
    UserNameUniqueCaseSensitive,
    /// A 409 on a taken userName carries no `scimType`.
    ConflictWithoutScimType,
    /// A 404 for an unknown user carries an empty `detail`.
    NotFoundWithoutDetail,
    /// `DELETE /Groups/{id}` answers 204 but the group stays readable.
    DeletedGroupStaysReadable,
    /// A PUT without `active` deactivates the user (replace semantics, read as `false`).
    PutWithoutActiveDeactivates,
    /// A user created again with a removed user's userName gets the old id back.
    RecreatedUserGetsOldId,
    /// A user created again with a removed user's userName gets the old memberships back.
    RecreatedUserGetsOldGroups,
    /// PATCH `op` is compared case-sensitively: `Replace`/`Add` answer 400.
    OpCaseSensitive,
    /// Okta's credential test (`GET /Users?startIndex=1&count=2`, no filter) answers 500.
    CredentialTestServerError,
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
    /// A PATCH `add` of members refuses a member the group already has (409 `uniqueness`,
    /// "already a member") instead of leaving it there: Okta's OIN create sends the members in
    /// the `POST /Groups` and then again in `PATCH add members` (reference §10.2, S18).
    ExistingMemberAddRefused,
    /// Takes one membership PATCH per group: every later PATCH that changes members answers
    /// 409 ("the group is being updated"), as a server that locks a group after a change.
    /// Okta sends several (the follow-up of an OIN create, each batch of at most 256
    /// members, each later push; reference §10.2, §10.3, S18, S21).
    SecondMemberPatchRefused,
    /// Throttles without saying when to come back: the first `POST /Users` answers 429 Too
    /// Many Requests with no `Retry-After` (the retry is accepted). Okta then waits 5
    /// minutes before retrying (reference §10.8, S19): the run warns (`okta:retry-after`).
    ThrottlesWithoutRetryAfter,
    // -- Entra ID personality (issue 15) --
    /// A PATCH `op` that is not lowercase (Entra's legacy `Replace`, `Add`, `Remove`) is
    /// refused with 400 `invalidValue` (entra-client-reference.md row 8; I18).
    CapitalisedOpRefused,
    /// `active` sent as a string (`"False"`, `"True"`, Entra's legacy disable) is refused with
    /// 400 `invalidValue` (row 10; I5, I6, I7).
    StringActiveRefused,
    /// `excludedAttributes=members` is ignored: group reads and lookups return `members`
    /// (row 15, E1, E10).
    MembersDespiteExcluded,
    /// A user PATCH that changes nothing (Entra's periodic re-send of current values) is
    /// refused with 400 "nothing to update" (row 12; I8, I9).
    NoOpPatchRefused,
    /// A `filter=externalId eq "…"` on Users is ignored: every user is returned (rows 6, 6a;
    /// I1, I2).
    ExternalIdFilterIgnored,
    // -- hardening and mock answers (issues 13, 17) --

    // -- contract catalogue (issue 11): rules the mock has no switch for --
    /// A body sent as `application/json` (Okta's SPEC test POSTs it so) is refused with 415,
    /// as a server that accepts `application/scim+json` only (Z20).
    JsonBodyRefused,
    /// `/ServiceProviderConfig` answers 404: the service does not describe itself (Z25).
    NoServiceProviderConfig,
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

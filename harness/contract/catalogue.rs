//! The rule catalogue: every rule a finding can cite, one row each. This is the only place a
//! rule's title, hint, severity and evidence are written; checks cite a [`RuleId`] and the
//! reports, `check` and `zinc-harness rules` read the row.
//!
//! Adding a rule: a variant in `super::rule`, its row here (the compiler asks for it), the
//! code that enforces it in the mock (`harness/zinc/`, its id in a `Rule::…` use or a comment),
//! a check that cites it, and a scenario that proves it (`tests/harness/catalogue.rs` fails
//! until all exist).

use super::rule::{EntraRule, Evidence, OktaRule, Rule, RuleId, Severity};

use Evidence::{EntraReference as Entra, OktaReference as Okta, Rfc, Zinc};

/// One rule: what it says, how to fix a server that breaks it, how much that matters and
/// where the requirement comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleSpec {
    pub id: RuleId,
    /// One line: what the rule requires.
    pub title: &'static str,
    /// One line: how the implementer of a server fixes a violation.
    pub hint: &'static str,
    pub severity: Severity,
    /// Where the requirement comes from, most specific first.
    pub evidence: &'static [Evidence],
    /// True when a test may switch the rule off in the mock (`ZincConfig::break_rule`).
    pub switchable: bool,
    /// For a rule the harness checks in both profiles: the Zinc rule the same check cites in
    /// the zinc profile.
    pub zinc: Option<Rule>,
}

impl RuleSpec {
    /// `zinc-harness rules ID`: where a report sends its reader.
    pub fn see(&self) -> String {
        format!("zinc-harness rules {}", self.id)
    }
}

/// Every rule: the Zinc rules in order, then the Okta rules, then the Entra rules.
pub fn all() -> impl Iterator<Item = &'static RuleSpec> {
    Rule::ALL
        .into_iter()
        .map(RuleId::Zinc)
        .chain(OktaRule::ALL.into_iter().map(RuleId::Okta))
        .chain(EntraRule::ALL.into_iter().map(RuleId::Entra))
        .map(spec)
}

const fn zinc(
    id: Rule,
    title: &'static str,
    hint: &'static str,
    evidence: &'static [Evidence],
    switchable: bool,
) -> RuleSpec {
    RuleSpec {
        id: RuleId::Zinc(id),
        title,
        hint,
        severity: Severity::Fail,
        evidence,
        switchable,
        zinc: None,
    }
}

const fn okta(
    id: OktaRule,
    title: &'static str,
    hint: &'static str,
    severity: Severity,
    evidence: &'static [Evidence],
    zinc: Option<Rule>,
) -> RuleSpec {
    RuleSpec {
        id: RuleId::Okta(id),
        title,
        hint,
        severity,
        evidence,
        switchable: false,
        zinc,
    }
}

const fn entra(
    id: EntraRule,
    title: &'static str,
    hint: &'static str,
    severity: Severity,
    evidence: &'static [Evidence],
    zinc: Option<Rule>,
) -> RuleSpec {
    RuleSpec {
        id: RuleId::Entra(id),
        title,
        hint,
        severity,
        evidence,
        switchable: false,
        zinc,
    }
}

/// The row of a rule.
pub fn spec(id: RuleId) -> &'static RuleSpec {
    match id {
        RuleId::Zinc(r) => zinc_row(r),
        RuleId::Okta(r) => okta_row(r),
        RuleId::Entra(r) => entra_row(r),
    }
}

fn zinc_row(r: Rule) -> &'static RuleSpec {
    use Rule::*;
    match r {
        Z1 => {
            const {
                &zinc(
                    Z1,
                    "Provisioning gate: while provisioning is disabled every SCIM request is 401, saying Customer Support enables it",
                    "while provisioning is disabled, answer every SCIM request 401 with a detail saying Customer Support enables it",
                    &[Zinc("Z1 (troubleshooting case T1)")],
                    true,
                )
            }
        }
        Z2 => {
            const {
                &zinc(
                    Z2,
                    "Authentication: only `Authorization: Bearer <current token>`; anything else is 401 with a SCIM Error",
                    "accept only `Authorization: Bearer <current token>`; answer anything else 401 with a SCIM Error",
                    &[Zinc("Z2 (troubleshooting cases T1, T2)"), Rfc(7644, "§2")],
                    true,
                )
            }
        }
        Z3 => {
            const {
                &zinc(
                    Z3,
                    "Sync scope: requests outside the instance's scope (users, groups) are 403 naming the missing scope",
                    "answer requests outside the instance's sync scope 403 with a detail naming the missing scope",
                    &[Zinc("Z3 (troubleshooting case T2)")],
                    true,
                )
            }
        }
        Z4 => {
            const {
                &zinc(
                    Z4,
                    "userName is an email address; anything else is 400 invalidValue",
                    "refuse a userName that is not an email address with 400 invalidValue",
                    &[Zinc("Z4 (troubleshooting case T4)")],
                    true,
                )
            }
        }
        Z5 => {
            const {
                &zinc(
                    Z5,
                    "One identifier: every user carries exactly one email, the userName, type work, primary",
                    "return exactly one email: the userName, type work, primary, whatever emails were sent",
                    &[Zinc("Z5 (troubleshooting case T4)")],
                    true,
                )
            }
        }
        Z6 => {
            const {
                &zinc(
                    Z6,
                    "userName is unique case-insensitively (409 uniqueness) and comes back in the case sent",
                    "refuse a userName already taken (in any letter case) with 409 uniqueness; store and return userName exactly as sent",
                    &[Zinc("Z6"), Rfc(7643, "§4.1.1"), Okta("§5")],
                    true,
                )
            }
        }
        Z7 => {
            const {
                &zinc(
                    Z7,
                    "userName is immutable: a PUT or PATCH changing it is 400 mutability and changes nothing",
                    "refuse a PUT or PATCH that changes userName with 400 mutability, and change nothing else",
                    &[Zinc("Z7 (troubleshooting case T3)")],
                    true,
                )
            }
        }
        Z8 => {
            const {
                &zinc(
                    Z8,
                    "displayName is derived from givenName and familyName; a displayName sent is ignored",
                    "derive displayName from givenName and familyName; ignore a displayName that is sent",
                    &[Zinc("Z8 (troubleshooting case T5)")],
                    true,
                )
            }
        }
        Z9 => {
            const {
                &zinc(
                    Z9,
                    "Attributes: only the documented ones are kept; password is never returned",
                    "keep only the documented attributes; never return password",
                    &[Zinc("Z9 (ours)"), Rfc(7643, "§4.1.1")],
                    false,
                )
            }
        }
        Z10 => {
            const {
                &zinc(
                    Z10,
                    "No deactivated users: a deactivated user is removed (404 by id, absent from filters, the console and groups)",
                    "remove a deactivated user: 404 by id, absent from filters, the console and every group",
                    &[Zinc("Z10 (troubleshooting cases T3, T8)")],
                    true,
                )
            }
        }
        Z11 => {
            const {
                &zinc(
                    Z11,
                    "Reactivation recreates: active:true on a removed user's id is 404, so Okta creates a new user",
                    "answer 404 to active:true on a removed user's id, so Okta creates the user again with a new id",
                    &[Zinc("Z11 (troubleshooting case T8)"), Okta("§3.8")],
                    true,
                )
            }
        }
        Z12 => {
            const {
                &zinc(
                    Z12,
                    "PUT replaces the mutable attributes, keeps active when missing, ignores read-only ones",
                    "PUT replaces the mutable attributes; keep active when it is missing; ignore read-only ones",
                    &[
                        Zinc("Z12 (ours, per Okta quirk)"),
                        Rfc(7644, "§3.5.1"),
                        Okta("§9"),
                    ],
                    false,
                )
            }
        }
        Z13 => {
            const {
                &zinc(
                    Z13,
                    "PATCH: case-insensitive op, with and without path; unknown paths are 400 invalidPath",
                    "accept PATCH with and without path, case-insensitive op; unknown paths 400 invalidPath",
                    &[Zinc("Z13"), Rfc(7644, "§3.5.2")],
                    false,
                )
            }
        }
        Z14 => {
            const {
                &zinc(
                    Z14,
                    "Origin: every group is okta- or console-made; console groups are not synced groups",
                    "keep every group's origin: console-made groups are not synced groups",
                    &[Zinc("Z14 (troubleshooting case T6)")],
                    true,
                )
            }
        }
        Z15 => {
            const {
                &zinc(
                    Z15,
                    "No import of console groups: console-made and unlinked groups never show over SCIM",
                    "never show console-created or unlinked groups over SCIM: not in lists, filters or by id",
                    &[Zinc("Z15 (troubleshooting case T6)")],
                    true,
                )
            }
        }
        Z16 => {
            const {
                &zinc(
                    Z16,
                    "Group writes: POST, PUT, PATCH forms and DELETE of /Groups with the documented statuses",
                    "support Okta's group writes (POST, PUT, PATCH forms, DELETE) with the documented statuses",
                    &[Zinc("Z16"), Okta("§4"), Rfc(7644, "§3.5.2")],
                    true,
                )
            }
        }
        Z17 => {
            const {
                &zinc(
                    Z17,
                    "Okta is the single source of truth: console edits of a linked group are refused, saying to unlink first",
                    "refuse console edits of a linked group with a message naming the external directory and saying to unlink first",
                    &[Zinc("Z17 (troubleshooting case T7)")],
                    true,
                )
            }
        }
        Z18 => {
            const {
                &zinc(
                    Z18,
                    "Unlink: an unlinked group stays in Zinc with members and admins, leaves SCIM; a new push makes a new group",
                    "an unlinked group stays in Zinc with members and admins, leaves SCIM, and a new push creates a new group",
                    &[Zinc("Z18 (troubleshooting case T7)")],
                    true,
                )
            }
        }
        Z19 => {
            const {
                &zinc(
                    Z19,
                    "Group removed in Okta: DELETE is 204; the group is retained unlinked or deleted, per the instance policy",
                    "on DELETE /Groups/{id}, keep the group in the console, unlinked (retain), or remove it (delete)",
                    &[Zinc("Z19 (troubleshooting case T9)")],
                    true,
                )
            }
        }
        Z20 => {
            const {
                &zinc(
                    Z20,
                    "Media types: application/scim+json and application/json bodies accepted; a non-JSON body is 400 invalidSyntax",
                    "accept application/scim+json and application/json bodies; a body that is not JSON is 400 invalidSyntax",
                    &[Zinc("Z20"), Rfc(7644, "§3.1"), Okta("§7.1")],
                    false,
                )
            }
        }
        Z21 => {
            const {
                &zinc(
                    Z21,
                    "Errors: every error is a SCIM Error with status as a string and a non-empty detail",
                    "answer every error with a SCIM Error: status as a string and a non-empty detail",
                    &[Zinc("Z21"), Rfc(7644, "§3.12"), Okta("§5")],
                    false,
                )
            }
        }
        Z22 => {
            const {
                &zinc(
                    Z22,
                    "Lists: numeric counters, itemsPerPage as returned, 1-based startIndex, empty page past the end",
                    "ListResponse counters are numbers, itemsPerPage equals what is returned, startIndex is 1-based",
                    &[Zinc("Z22"), Rfc(7644, "§3.4.2"), Okta("§5")],
                    false,
                )
            }
        }
        Z23 => {
            const {
                &zinc(
                    Z23,
                    "Filters: eq on userName, externalId, id (Users) and displayName, externalId, id (Groups); else 400 invalidFilter",
                    "support eq filters on userName, externalId, id and displayName, case-insensitively",
                    &[Zinc("Z23"), Rfc(7644, "§3.4.2.2"), Okta("§3.2")],
                    false,
                )
            }
        }
        Z24 => {
            const {
                &zinc(
                    Z24,
                    "Limits: a body over 1 MiB is 413; count is capped at 1000",
                    "answer a body over 1 MiB with 413 and cap count at 1000",
                    &[Zinc("Z24 (ours)"), Rfc(7644, "§3.4.2.4")],
                    false,
                )
            }
        }
        Z25 => {
            const {
                &zinc(
                    Z25,
                    "Discovery: /ServiceProviderConfig, /ResourceTypes and /Schemas describe the service",
                    "describe the service in /ServiceProviderConfig, /ResourceTypes and /Schemas",
                    &[Zinc("Z25"), Rfc(7644, "§4")],
                    false,
                )
            }
        }
    }
}

fn okta_row(r: OktaRule) -> &'static RuleSpec {
    use OktaRule::*;
    use Severity::{Fail, Warn};
    match r {
        ListCounters => {
            const {
                &okta(
                    ListCounters,
                    "ListResponse counters are JSON integers and Resources an array",
                    "send totalResults, startIndex and itemsPerPage as JSON numbers (1, not \"1\") and the page in a `Resources` array: Okta stops listing and paging otherwise",
                    Fail,
                    &[Okta("§5"), Rfc(7644, "§3.4.2")],
                    Some(Rule::Z22),
                )
            }
        }
        ItemsPerPage => {
            const {
                &okta(
                    ItemsPerPage,
                    "itemsPerPage equals the number of Resources returned",
                    "set itemsPerPage to the number of resources in this page's Resources, not the page size asked",
                    Fail,
                    &[Okta("§5"), Rfc(7644, "§3.4.2")],
                    Some(Rule::Z22),
                )
            }
        }
        StartIndex => {
            const {
                &okta(
                    StartIndex,
                    "startIndex echoes the one asked (1-based)",
                    "apply the startIndex asked (1-based) and echo it in the response",
                    Fail,
                    &[Okta("§3.10"), Rfc(7644, "§3.4.2.4")],
                    Some(Rule::Z22),
                )
            }
        }
        PageSize => {
            const {
                &okta(
                    PageSize,
                    "a page asked with count=N holds at most N resources",
                    "honour the count parameter: return at most count resources per page",
                    Fail,
                    &[Okta("§3.10"), Rfc(7644, "§3.4.2.4")],
                    Some(Rule::Z22),
                )
            }
        }
        Paging => {
            const {
                &okta(
                    Paging,
                    "paging follows startIndex: totalResults counts every match, a page past the end is empty, later pages move on",
                    "page with startIndex: totalResults counts every match, a page asked from startIndex=N starts with the N-th resource, a page past the end is empty",
                    Fail,
                    &[Okta("§3.10"), Rfc(7644, "§3.4.2.4")],
                    Some(Rule::Z22),
                )
            }
        }
        Filter => {
            const {
                &okta(
                    Filter,
                    "an `eq` filter lookup returns only the matching resources",
                    "apply the filter: a lookup must return only the matching resources or none (Okta links the first one it gets)",
                    Fail,
                    &[Okta("§3.2"), Rfc(7644, "§3.4.2.2")],
                    Some(Rule::Z23),
                )
            }
        }
        ErrorBody => {
            const {
                &okta(
                    ErrorBody,
                    "every 4xx/5xx body is a SCIM Error: the Error URN in schemas, status, a non-empty detail",
                    "answer every error with a SCIM Error JSON body (the Error URN in `schemas`, `status`, a non-empty `detail`), also from proxies and framework error pages: Okta shows its `detail` to the admin",
                    Fail,
                    &[Okta("§5"), Okta("§7.1"), Rfc(7644, "§3.12")],
                    Some(Rule::Z21),
                )
            }
        }
        ErrorStatusString => {
            const {
                &okta(
                    ErrorStatusString,
                    "an error's status is the HTTP status as a JSON string (\"404\"), not a number",
                    "send the error's `status` as a JSON string (\"404\"), as RFC 7644 §3.12 defines it",
                    // §5: Okta's own doc examples show a number and Runscope probably compares
                    // string forms, so a numeric status is tolerated.
                    Warn,
                    &[Okta("§5"), Rfc(7644, "§3.12")],
                    Some(Rule::Z21),
                )
            }
        }
        UsernameCase => {
            const {
                &okta(
                    UsernameCase,
                    "userName comes back exactly as sent, letter case included",
                    "store and return userName exactly as sent (letter case included); compare it case-insensitively only for uniqueness and filters",
                    Fail,
                    &[Okta("§5"), Okta("§7.1 steps 10, 12")],
                    Some(Rule::Z6),
                )
            }
        }
        Deprovision => {
            const {
                &okta(
                    Deprovision,
                    "Okta's deprovisioning works: DELETE /Groups/{id}, and PATCH (or PUT) active:false on /Users/{id}",
                    "accept Okta's deprovisioning: DELETE /Groups/{id} and PATCH (or PUT) active:false on /Users/{id}",
                    Fail,
                    &[Okta("§3.5"), Okta("§4.4")],
                    None,
                )
            }
        }
        SpecTest => {
            const {
                &okta(
                    SpecTest,
                    "what Okta's SCIM 2.0 SPEC test (OIN submission) requires of users, lookups and errors",
                    "pass each step of Okta's SPEC test: lookups that find exactly the user, 201 on create with the values sent, 409 on a duplicate, SCIM Errors on 401/404",
                    Fail,
                    &[Okta("§7.1")],
                    None,
                )
            }
        }
        CrudTest => {
            const {
                &okta(
                    CrudTest,
                    "what Okta's SCIM 2.0 CRUD test requires: a deactivated user stays readable with active:false, and reactivation keeps the id",
                    "keep a deactivated user readable by id with active:false, and reactivate it in place with the same id",
                    Fail,
                    &[Okta("§7.2"), Okta("§3.5"), Okta("§3.6")],
                    None,
                )
            }
        }
        CredentialTest => {
            const {
                &okta(
                    CredentialTest,
                    "Okta's \"Test API Credentials\" works: GET /Users?filter=userName eq \"…\" with the token answers 200 and a ListResponse",
                    "answer Okta's credential test (a userName filter with the Bearer token) with 200 and a ListResponse, 0 results for an unknown name: Okta cannot even save the app otherwise",
                    Fail,
                    &[Okta("§3.1"), Okta("§7.1"), Rfc(7644, "§3.4.2")],
                    None,
                )
            }
        }
        UserProfile => {
            const {
                &okta(
                    UserProfile,
                    "what Okta creates and updates (POST, PUT, PATCH of a user) is kept and read back: core, enterprise-extension and custom attributes",
                    "store what Okta sends in a create or an update (core attributes, the enterprise extension and custom URNs) and return it on the next read; Okta reads it back and shows drift otherwise",
                    Fail,
                    &[
                        Okta("§3.2"),
                        Okta("§3.4"),
                        Okta("§10 (S22)"),
                        Rfc(7643, "§3.3"),
                    ],
                    None,
                )
            }
        }
        GroupPush => {
            const {
                &okta(
                    GroupPush,
                    "Group Push works as Okta sends it: the lookup by displayName finds the group, create, rename, membership PATCH (add, remove, replace) and AIW's PUT of members change what they say",
                    "apply every Group Push request as sent: find a group by displayName, keep the members of a create, apply membership PATCHes (add, remove by value filter, replace, path-less) and a PUT's member list; Okta never re-reads a group to notice",
                    Fail,
                    &[
                        Okta("§4.1"),
                        Okta("§4.2"),
                        Okta("§4.3"),
                        Okta("§10"),
                        Rfc(7644, "§3.5.2"),
                    ],
                    None,
                )
            }
        }
        RetryAfter => {
            const {
                &okta(
                    RetryAfter,
                    "a 429 carries Retry-After in integer seconds, the only form Okta reads",
                    "send `Retry-After: <seconds>` (a whole number, not an HTTP date) with every 429: without it Okta waits 5 minutes before the retry, doubling each time, up to 10 tries",
                    // Okta retries anyway (the task is paused and rescheduled), so nothing is
                    // lost: a warning, for the minutes it costs per throttled request.
                    Warn,
                    &[Okta("§10.8 (S19)"), Okta("§6"), Rfc(9110, "§10.2.3")],
                    None,
                )
            }
        }
    }
}

fn entra_row(r: EntraRule) -> &'static RuleSpec {
    use EntraRule::*;
    use Severity::{Fail, Warn};
    match r {
        TestConnection => {
            const {
                &entra(
                    TestConnection,
                    "Test Connection: `GET /Users?filter=<matching attribute> eq \"<random GUID>\"` answers 200 with an empty ListResponse",
                    "answer a filter that matches nobody 200 with an empty ListResponse (`totalResults: 0`), never 404: Entra's Test Connection fails otherwise",
                    Fail,
                    &[
                        Entra("row 3 (E1, E6)"),
                        Entra("row 4 (I3)"),
                        Rfc(7644, "§3.4.2"),
                    ],
                    None,
                )
            }
        }
        Filter => {
            const {
                &entra(
                    Filter,
                    "a matching lookup (`userName`, `externalId`, `emails[type eq \"work\"].value` eq …) returns only the resources it names",
                    "apply every `eq` filter on the matching attributes, `externalId` included: an ignored filter returns everyone, and Entra matches the wrong user or creates duplicates",
                    Fail,
                    &[
                        Entra("row 6 (E1, E7, E10, I2)"),
                        Entra("row 6a (I1)"),
                        Rfc(7644, "§3.4.2.2"),
                    ],
                    Some(Rule::Z23),
                )
            }
        }
        SingleMatch => {
            const {
                &entra(
                    SingleMatch,
                    "a matching lookup finds at most one resource",
                    "return 0 or 1 resources for a matching lookup: Entra fails the object with DuplicateTargetEntries on more",
                    Fail,
                    &[Entra("row 6 (E1, E10)"), Entra("row 24 (E10)")],
                    None,
                )
            }
        }
        CreateUser => {
            const {
                &entra(
                    CreateUser,
                    "Entra's create (core and enterprise schemas, externalId, meta, name.formatted, roles: []) answers 201 with the resource and its id",
                    "accept Entra's POST /Users body, including the attributes you do not store (meta, roles, name.formatted), and answer 201 with the resource and its id",
                    Fail,
                    &[Entra("row 7 (E1, E5)"), Rfc(7644, "§3.3")],
                    None,
                )
            }
        }
        ResourceId => {
            const {
                &entra(
                    ResourceId,
                    "every resource returned (a create, a read, each listed one) carries its id",
                    "return the server's `id` on every resource: Entra caches it for every later request",
                    Fail,
                    &[Entra("row 7 (E1)"), Rfc(7643, "§3.1")],
                    None,
                )
            }
        }
        LegacyPatch => {
            const {
                &entra(
                    LegacyPatch,
                    "the default `scim` job's PATCH works: capitalised `op` (Replace, Add, Remove), `active` as the string \"True\"/\"False\", filtered and URN paths",
                    "compare `op` case-insensitively and accept \"True\"/\"False\" (any case) for `active`: the default non-gallery job sends them, and a refusal escrows every update",
                    Fail,
                    &[
                        Entra("row 8 (E1, E2, I18)"),
                        Entra("row 10 (E2, I5, I6, I7)"),
                        Entra("row 11 (E2)"),
                    ],
                    None,
                )
            }
        }
        CompliantPatch => {
            const {
                &entra(
                    CompliantPatch,
                    "the `aadOptscim062020` PATCH works: one path-less replace whose value map has dotted (`name.givenName`) and URN keys",
                    "apply a path-less replace's value map key by key, reading dotted keys as sub-attributes and URN keys as extension attributes (RFC 7644 §3.5.2.3)",
                    Fail,
                    &[Entra("row 9 (E2)"), Rfc(7644, "§3.5.2.3")],
                    None,
                )
            }
        }
        Disable => {
            const {
                &entra(
                    Disable,
                    "a disabled user (active false) stays readable by id and by filter, and comes back with active true",
                    "keep a disabled user readable by id and by filter with active false, and re-enable it in place: Entra disables on unassign and scope exit, it deletes only on a hard delete",
                    Fail,
                    &[
                        Entra("row 10 (E2, E3)"),
                        Entra("row 11 (E2, E3)"),
                        Entra("row 14 (E1, E3)"),
                    ],
                    None,
                )
            }
        }
        NoopPatch => {
            const {
                &entra(
                    NoopPatch,
                    "a PATCH that changes nothing (a value already current) succeeds",
                    "treat a no-op PATCH as a success (200 or 204), not 400 \"nothing to update\": Entra re-sends current values, and each refusal pushes the job towards quarantine",
                    Fail,
                    &[Entra("row 12 (I8, I9)"), Rfc(7644, "§3.5.2")],
                    None,
                )
            }
        }
        Manager => {
            const {
                &entra(
                    Manager,
                    "manager updates work: the check `id eq … and manager eq …`, then Add to set, Replace to change, Replace with an empty value to remove",
                    "answer Entra's manager check (an `and` of `id eq` and `manager eq`) with a ListResponse, and accept `manager` Add/Replace with a `[{\"$ref\", \"value\"}]` value and Replace with \"\" to remove",
                    Fail,
                    &[Entra("row 13 (E1, E11, E4)")],
                    None,
                )
            }
        }
        Groups => {
            const {
                &entra(
                    Groups,
                    "Entra's group writes work: a create without members, Add members with `$ref: null`, removal in the dialect's shape, Replace displayName, DELETE",
                    "accept a group create without members (and Entra's ADSCIM Group schema), `members` Add values with `\"$ref\": null`, a Remove with a value list (legacy) or a `members[value eq …]` path (compliant), and answer 204",
                    Fail,
                    &[
                        Entra("row 16 (E1)"),
                        Entra("row 18 (E1, E11)"),
                        Entra("row 19 (E2)"),
                        Entra("row 21 (E1)"),
                        Entra("row 22 (E1)"),
                    ],
                    None,
                )
            }
        }
        ExcludedMembers => {
            const {
                &entra(
                    ExcludedMembers,
                    "a group read or lookup with `excludedAttributes=members` comes back without `members`",
                    "honour excludedAttributes=members (RFC 7644 §3.4.2.5): Entra reads groups without members and counts members in the answer as an error",
                    Fail,
                    &[
                        Entra("row 15 (E1, E10)"),
                        Entra("row 17 (E1)"),
                        Rfc(7644, "§3.4.2.5"),
                    ],
                    None,
                )
            }
        }
        MemberPatchAnswer => {
            const {
                &entra(
                    MemberPatchAnswer,
                    "a group PATCH (members, rename) is answered 204, not with the group's member list",
                    "answer a group PATCH 204 No Content: a body listing every member is not advisable, and grows with the group",
                    // E1: "returning a body with a list of all the members isn't advisable" -
                    // Entra takes the 200, so it is a warning.
                    Warn,
                    &[Entra("row 18 (E1)"), Rfc(7644, "§3.5.2")],
                    None,
                )
            }
        }
        ListResponse => {
            const {
                &entra(
                    ListResponse,
                    "a lookup answers a ListResponse: integer counters and a Resources array",
                    "answer every filter lookup with a ListResponse whose totalResults, startIndex and itemsPerPage are JSON integers and whose resources are in `Resources`",
                    Fail,
                    &[
                        Entra("row 3 (E1)"),
                        Entra("row 6 (E1)"),
                        Rfc(7644, "§3.4.2"),
                    ],
                    Some(Rule::Z22),
                )
            }
        }
        ErrorBody => {
            const {
                &entra(
                    ErrorBody,
                    "every 4xx/5xx body is a SCIM Error: the Error URN in schemas, status, a non-empty detail",
                    "answer every error with a SCIM Error JSON body: Entra classifies failures by it, and an unparseable body is ServiceIncompatible",
                    Fail,
                    &[Entra("row 24 (E10)"), Rfc(7644, "§3.12")],
                    Some(Rule::Z21),
                )
            }
        }
        ContentType => {
            const {
                &entra(
                    ContentType,
                    "a response with a body is labelled `application/scim+json`",
                    "label SCIM responses `Content-Type: application/scim+json`, as Entra's SCIM tutorial requires",
                    Fail,
                    &[Entra("row 2 (E1)")],
                    None,
                )
            }
        }
        Deprovision => {
            const {
                &entra(
                    Deprovision,
                    "Entra's deprovisioning works: the disable PATCH on /Users/{id} (active \"False\" or false) and DELETE /Groups/{id}",
                    "accept Entra's disable PATCH on /Users/{id} in both dialects and DELETE /Groups/{id}: a run's clean-up removes what it made that way",
                    Fail,
                    &[
                        Entra("row 10 (E2, E3)"),
                        Entra("row 22 (E1)"),
                        Entra("row 14 (E1, E3)"),
                    ],
                    None,
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_rows_match_their_ids() {
        for s in all() {
            assert_eq!(s.id.to_string().parse::<RuleId>(), Ok(s.id));
            assert!(!s.title.is_empty() && !s.hint.is_empty() && !s.evidence.is_empty());
        }
        // `Rule::ALL` is written by hand (the Okta and Entra families' ALL come from
        // `named_enum!`): in order, and the last variant is in it (a variant added after it
        // is caught by the order check once it is listed, and by `spec` when it is not).
        for (i, r) in Rule::ALL.iter().enumerate() {
            assert_eq!(*r as usize, i, "Rule::ALL out of order");
        }
        assert_eq!(Rule::ALL.len(), Rule::Z25 as usize + 1);
    }

    #[test]
    fn entra_rules_cite_the_entra_reference_first_and_warn_only_where_it_tolerates() {
        for r in EntraRule::ALL {
            let s = spec(RuleId::Entra(r));
            assert!(
                matches!(s.evidence.first(), Some(Evidence::EntraReference(_))),
                "{}: evidence starts with an entra-client-reference.md row",
                s.id
            );
            assert_eq!(s.id.profile(), super::super::Profile::Entra);
        }
        // The one the reference says Entra takes ("isn't advisable", row 18).
        let warns: Vec<RuleId> = all()
            .filter(|s| matches!(s.id, RuleId::Entra(_)) && s.severity == Severity::Warn)
            .map(|s| s.id)
            .collect();
        assert_eq!(warns, [RuleId::Entra(EntraRule::MemberPatchAnswer)]);
    }

    #[test]
    fn rule_ids_parse_strictly() {
        assert_eq!("Z7".parse::<RuleId>(), Ok(RuleId::Zinc(Rule::Z7)));
        assert_eq!("z25".parse::<Rule>(), Ok(Rule::Z25));
        for bad in ["Z0", "Z26", "Z07", "Z", "Z+1", "okta:nope", "7"] {
            assert!(bad.parse::<RuleId>().is_err(), "{bad}");
        }
        assert_eq!(
            "okta:filter".parse::<RuleId>(),
            Ok(RuleId::Okta(OktaRule::Filter))
        );
        assert_eq!(
            "entra:legacy-patch".parse::<RuleId>(),
            Ok(RuleId::Entra(EntraRule::LegacyPatch))
        );
        for bad in ["entra:nope", "entra:", "Entra:filter", "entra:Filter"] {
            assert!(bad.parse::<RuleId>().is_err(), "{bad}");
        }
    }

    #[test]
    fn only_zinc_rules_switch_off_and_only_okta_rules_name_a_counterpart() {
        for s in all() {
            match s.id {
                RuleId::Zinc(_) => assert!(s.zinc.is_none()),
                RuleId::Okta(_) | RuleId::Entra(_) => assert!(!s.switchable),
            }
        }
    }
}

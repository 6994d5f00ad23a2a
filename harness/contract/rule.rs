//! Rule ids, severities and evidence: the vocabulary of findings. The rows themselves (title,
//! hint, severity, evidence of each rule) are in [`super::catalogue`], and only there.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::names::named_enum;
use super::profile::Profile;

/// A rule of `zinc-contract.md` (Z1…Z25). The ids are stable: scenario files, reports and
/// tests cite them, and `ZincConfig::break_rule` switches them off in tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Rule {
    Z1,
    Z2,
    Z3,
    Z4,
    Z5,
    Z6,
    Z7,
    Z8,
    Z9,
    Z10,
    Z11,
    Z12,
    Z13,
    Z14,
    Z15,
    Z16,
    Z17,
    Z18,
    Z19,
    Z20,
    Z21,
    Z22,
    Z23,
    Z24,
    Z25,
}

impl Rule {
    /// Every Zinc rule, in order.
    pub const ALL: [Rule; 25] = [
        Rule::Z1,
        Rule::Z2,
        Rule::Z3,
        Rule::Z4,
        Rule::Z5,
        Rule::Z6,
        Rule::Z7,
        Rule::Z8,
        Rule::Z9,
        Rule::Z10,
        Rule::Z11,
        Rule::Z12,
        Rule::Z13,
        Rule::Z14,
        Rule::Z15,
        Rule::Z16,
        Rule::Z17,
        Rule::Z18,
        Rule::Z19,
        Rule::Z20,
        Rule::Z21,
        Rule::Z22,
        Rule::Z23,
        Rule::Z24,
        Rule::Z25,
    ];

    /// The rules a test can switch off (the catalogue's `switchable` column); switching off
    /// the others has no effect. What "off" means is on `ZincConfig::break_rule`.
    pub fn switchable() -> impl Iterator<Item = Rule> {
        Rule::ALL
            .into_iter()
            .filter(|r| super::catalogue::spec(RuleId::Zinc(*r)).switchable)
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

impl FromStr for Rule {
    type Err = String;
    /// `Z7` (or `z7`); no leading zeros.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("{s:?} is not a rule id (Z1…Z25)");
        let digits = s.trim().strip_prefix(['Z', 'z']).ok_or_else(bad)?;
        if digits.starts_with('0') || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let n: usize = digits.parse().map_err(|_| bad())?;
        Rule::ALL.get(n.wrapping_sub(1)).copied().ok_or_else(bad)
    }
}

named_enum! {
    /// A check of what Okta relies on, made by the harness itself (wire checks and the
    /// clean-up) or named by scenarios of the okta profile: `okta:<name>`.
    pub enum OktaRule as "okta rule" {
        ListCounters = "list-counters",
        ItemsPerPage = "items-per-page",
        StartIndex = "start-index",
        PageSize = "page-size",
        Paging = "paging",
        Filter = "filter",
        ErrorBody = "error-body",
        ErrorStatusString = "error-status-string",
        UsernameCase = "username-case",
        // The wire checks end here (`run::wire::ALL`).
        Deprovision = "deprovision",
        SpecTest = "spec-test",
        CrudTest = "crud-test",
        CredentialTest = "credential-test",
        UserProfile = "user-profile",
        GroupPush = "group-push",
        RetryAfter = "retry-after",
    }
}

named_enum! {
    /// What Microsoft Entra ID's provisioning service relies on (entra-client-reference.md),
    /// checked on the wire in the entra profile or named by its scenarios: `entra:<name>`.
    pub enum EntraRule as "entra rule" {
        TestConnection = "test-connection",
        Filter = "filter",
        SingleMatch = "single-match",
        CreateUser = "create-user",
        ResourceId = "resource-id",
        LegacyPatch = "legacy-patch",
        CompliantPatch = "compliant-patch",
        Disable = "disable",
        NoopPatch = "noop-patch",
        Manager = "manager",
        Groups = "groups",
        ExcludedMembers = "excluded-members",
        MemberPatchAnswer = "member-patch-answer",
        ListResponse = "list-response",
        ErrorBody = "error-body",
        ContentType = "content-type",
        Deprovision = "deprovision",
    }
}

/// Any rule a finding can cite: one variant per family, each with its rows in the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RuleId {
    /// A rule of the Zinc contract (`Z7`).
    Zinc(Rule),
    /// An Okta expectation (`okta:filter`).
    Okta(OktaRule),
    /// A Microsoft Entra ID expectation (`entra:legacy-patch`).
    Entra(EntraRule),
}

impl RuleId {
    /// The profile whose runs cite this rule.
    pub fn profile(self) -> Profile {
        match self {
            RuleId::Zinc(_) => Profile::Zinc,
            RuleId::Okta(_) => Profile::Okta,
            RuleId::Entra(_) => Profile::Entra,
        }
    }
}

impl From<EntraRule> for RuleId {
    fn from(r: EntraRule) -> Self {
        RuleId::Entra(r)
    }
}

impl From<Rule> for RuleId {
    fn from(r: Rule) -> Self {
        RuleId::Zinc(r)
    }
}

impl From<OktaRule> for RuleId {
    fn from(r: OktaRule) -> Self {
        RuleId::Okta(r)
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RuleId::Zinc(r) => write!(f, "{r}"),
            RuleId::Okta(r) => write!(f, "okta:{}", r.as_str()),
            RuleId::Entra(r) => write!(f, "entra:{}", r.as_str()),
        }
    }
}

impl FromStr for RuleId {
    type Err = String;
    /// `Z7`, `okta:filter`, `entra:legacy-patch`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if let Some(name) = s.strip_prefix("entra:") {
            return EntraRule::ALL
                .into_iter()
                .find(|r| r.as_str() == name)
                .map(RuleId::Entra)
                .ok_or_else(|| format!("{s:?} is not an Entra rule (see `zinc-harness rules`)"));
        }
        if let Some(name) = s.strip_prefix("okta:") {
            return OktaRule::ALL
                .into_iter()
                .find(|r| r.as_str() == name)
                .map(RuleId::Okta)
                .ok_or_else(|| format!("{s:?} is not an Okta rule (see `zinc-harness rules`)"));
        }
        s.parse::<Rule>()
            .map(RuleId::Zinc)
            .map_err(|_| format!("{s:?} is not a rule id (see `zinc-harness rules`)"))
    }
}

impl Serialize for RuleId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for RuleId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

named_enum! {
    /// How much a broken rule matters.
    #[derive(Default)]
    pub enum Severity as "severity" {
        /// Okta breaks on it, or a documented requirement (Zinc's contract, Okta's SPEC test or
        /// OIN QA) says so: the check fails the scenario.
        #[default]
        Fail = "fail",
        /// A deviation from the RFC that the evidence says Okta tolerates: shown in every report,
        /// never fails a scenario or changes the exit code.
        Warn = "warn",
    }
}

/// Where a requirement comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Evidence {
    /// A rule of `zinc-contract.md` and what it rests on (a troubleshooting case of
    /// `zinc-okta-troubleshooting.txt`, or "ours" where that page is silent).
    Zinc(&'static str),
    /// A section of `okta-client-reference.md` (`"§5"`), with what it says.
    OktaReference(&'static str),
    /// A row of the table in `entra-client-reference.md` §1.2 and its sources (`"row 15
    /// (E1, E10)"`; E-numbers are Microsoft's pages, I-numbers implementers' issues).
    EntraReference(&'static str),
    /// An RFC section: (7643 or 7644, `"§3.12"`).
    Rfc(u16, &'static str),
}

impl fmt::Display for Evidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Evidence::Zinc(s) => write!(f, "zinc-contract.md {s}"),
            Evidence::OktaReference(s) => write!(f, "okta-client-reference.md {s}"),
            Evidence::EntraReference(s) => write!(f, "entra-client-reference.md {s}"),
            Evidence::Rfc(n, s) => write!(f, "RFC {n} {s}"),
        }
    }
}

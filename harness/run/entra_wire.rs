//! The wire checks only the `entra` profile makes, on top of the shared ones of `wire.rs`
//! (which it cites as `entra:list-response`, `entra:filter` and `entra:error-body` there).
//! Each comes from `../shared/docs/entra-client-reference.md`; the title, hint, severity and
//! evidence of each rule are its catalogue row:
//!
//! | rule | what is checked | where it comes from |
//! |---|---|---|
//! | `entra:excluded-members` | a read with `excludedAttributes=members` carries no `members` | rows 15, 17 (E1, E10: members in the answer are an error) |
//! | `entra:single-match` | a matching lookup (`filter=<attr> eq "<value>"`) returns at most one resource | row 6 (E1, E10: more than one is `DuplicateTargetEntries`) |
//! | `entra:resource-id` | every resource returned (a create, a read, each listed one) has an `id` | row 7 (E1) |
//! | `entra:content-type` | a response with a body is labelled `application/scim+json` | row 2 (E1) |
//! | `entra:member-patch-answer` (warn) | a group PATCH is not answered with the member list | row 18 (E1: "isn't advisable") |

use serde_json::{Value, json};

use crate::contract::{Body, Exchange, Response};
use crate::contract::{EntraRule, RuleId};
use crate::report::Finding;

/// Every check of this file, for tests.
#[cfg(test)]
pub(crate) const ALL: [EntraRule; 5] = [
    EntraRule::ExcludedMembers,
    EntraRule::SingleMatch,
    EntraRule::ResourceId,
    EntraRule::ContentType,
    EntraRule::MemberPatchAnswer,
];

fn finding(what: String, expected: Value, actual: Value, rule: EntraRule) -> Finding {
    Finding::new(what, expected, actual).cite(RuleId::Entra(rule))
}

/// The findings about one answered exchange.
pub(crate) fn check(ex: &Exchange, resp: &Response) -> Vec<Finding> {
    let mut out = Vec::new();
    if !(200..300).contains(&resp.status) {
        return out;
    }
    let label = format!("{} {} → {}", ex.method, ex.path, resp.status);
    let Body::Json(body) = &resp.body else {
        return out;
    };
    content_type(&label, resp, &mut out);
    let (path, query) = ex.path.split_once('?').unwrap_or((&ex.path, ""));
    let params: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let param = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    };
    let listing = body.get("Resources").is_some() || body.get("totalResults").is_some();
    let resources: Vec<&Value> = if listing {
        body.get("Resources")
            .and_then(Value::as_array)
            .map(|a| a.iter().collect())
            .unwrap_or_default()
    } else {
        vec![body]
    };
    let is_resource_path = {
        let last = path.trim_end_matches('/').rsplit('/').next().unwrap_or("");
        let parent = path.trim_end_matches('/').rsplit('/').nth(1).unwrap_or("");
        ["Users", "Groups"]
            .iter()
            .any(|r| last.eq_ignore_ascii_case(r) || parent.eq_ignore_ascii_case(r))
    };
    if !is_resource_path {
        return out;
    }
    let group_by_id = path
        .trim_end_matches('/')
        .rsplit('/')
        .nth(1)
        .is_some_and(|p| p.eq_ignore_ascii_case("Groups"));
    if ex.method.eq_ignore_ascii_case("PATCH")
        && group_by_id
        && body
            .get("members")
            .and_then(Value::as_array)
            .is_some_and(|m| !m.is_empty())
    {
        out.push(finding(
            format!("answer of {label}"),
            json!("204 No Content"),
            json!(format!(
                "{} with {} members",
                resp.status,
                body["members"].as_array().map_or(0, Vec::len)
            )),
            EntraRule::MemberPatchAnswer,
        ));
    }
    if ex.method.eq_ignore_ascii_case("GET")
        && param("excludedAttributes").is_some_and(|a| {
            a.split(',')
                .any(|x| x.trim().eq_ignore_ascii_case("members"))
        })
        && resources.iter().any(|r| r.get("members").is_some())
    {
        out.push(finding(
            format!("members of {label}"),
            json!("<no members attribute>"),
            resources
                .iter()
                .find_map(|r| r.get("members").cloned())
                .unwrap_or(Value::Null),
            EntraRule::ExcludedMembers,
        ));
    }
    if listing
        && let Some(filter) = param("filter")
        && super::wire::parse_eq(filter).is_some()
        && resources.len() > 1
    {
        out.push(finding(
            format!("matches of {label}"),
            json!("at most 1"),
            json!(resources.len()),
            EntraRule::SingleMatch,
        ));
    }
    let without_id = resources
        .iter()
        .filter(|r| {
            r.get("id")
                .and_then(Value::as_str)
                .is_none_or(str::is_empty)
        })
        .count();
    // A PATCH answer need not be the full resource (row 8).
    let partial_allowed = ex.method.eq_ignore_ascii_case("PATCH");
    if without_id > 0 && (listing || !partial_allowed) {
        out.push(finding(
            format!("id of {label}"),
            json!("an id on every resource"),
            json!(format!("{without_id} without an id")),
            EntraRule::ResourceId,
        ));
    }
    out
}

fn content_type(label: &str, resp: &Response, out: &mut Vec<Finding>) {
    let ct = resp
        .headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-type"))
        .map(|(_, v)| v.as_str());
    let scim = ct.is_some_and(|v| {
        v.split(';')
            .next()
            .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/scim+json"))
    });
    if !scim {
        out.push(finding(
            format!("Content-Type of {label}"),
            json!("application/scim+json"),
            ct.map_or(Value::Null, |v| json!(v)),
            EntraRule::ContentType,
        ));
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    pub(super) fn exchange(
        method: &str,
        path: &str,
        status: u16,
        ct: Option<&str>,
        body: Value,
    ) -> Exchange {
        Exchange {
            method: method.into(),
            path: path.into(),
            request_headers: Vec::new(),
            request_body: None,
            response: Some(Response {
                status,
                headers: ct
                    .map(|c| vec![("content-type".to_owned(), c.to_owned())])
                    .unwrap_or_default(),
                body: Body::Json(body),
            }),
            error: None,
            duration: Duration::ZERO,
            okta_retry: None,
        }
    }

    fn rules(ex: &Exchange) -> Vec<String> {
        check(ex, ex.response.as_ref().unwrap())
            .into_iter()
            .filter_map(|f| f.rule)
            .collect()
    }

    pub(super) const SCIM: Option<&str> = Some("application/scim+json");

    fn id(rule: EntraRule) -> String {
        RuleId::Entra(rule).to_string()
    }

    fn listing(resources: Vec<Value>) -> Value {
        json!({"totalResults": resources.len(), "Resources": resources})
    }

    #[test]
    fn members_in_an_answer_that_excluded_them() {
        let path = "/Groups?excludedAttributes=members&filter=displayName%20eq%20%22Eng%22";
        let with = listing(vec![
            json!({"id": "g", "displayName": "Eng", "members": []}),
        ]);
        let without = listing(vec![json!({"id": "g", "displayName": "Eng"})]);
        assert_eq!(
            rules(&exchange("GET", path, 200, SCIM, with)),
            [id(EntraRule::ExcludedMembers)]
        );
        assert!(rules(&exchange("GET", path, 200, SCIM, without)).is_empty());
        let read = "/Groups/g?excludedAttributes=members";
        let one = json!({"id": "g", "displayName": "Eng", "members": [{"value": "u"}]});
        assert_eq!(
            rules(&exchange("GET", read, 200, SCIM, one)),
            [id(EntraRule::ExcludedMembers)]
        );
        // Without the parameter members are expected.
        let plain = json!({"id": "g", "displayName": "Eng", "members": [{"value": "u"}]});
        assert!(rules(&exchange("GET", "/Groups/g", 200, SCIM, plain)).is_empty());
    }

    #[test]
    fn a_matching_lookup_finds_at_most_one() {
        let path = "/Users?filter=externalId%20eq%20%22x%22";
        let two = listing(vec![json!({"id": "a"}), json!({"id": "b"})]);
        let one = listing(vec![json!({"id": "a"})]);
        assert_eq!(
            rules(&exchange("GET", path, 200, SCIM, two.clone())),
            [id(EntraRule::SingleMatch)]
        );
        assert!(rules(&exchange("GET", path, 200, SCIM, one)).is_empty());
        // A plain listing may hold many.
        assert!(rules(&exchange("GET", "/Users?startIndex=1", 200, SCIM, two)).is_empty());
    }

    #[test]
    fn every_returned_resource_has_an_id_but_a_patch_answer_may_be_partial() {
        let no_id = json!({"userName": "a@b.c"});
        assert_eq!(
            rules(&exchange("POST", "/Users", 201, SCIM, no_id.clone())),
            [id(EntraRule::ResourceId)]
        );
        assert!(rules(&exchange("POST", "/Users", 201, SCIM, json!({"id": "u"}))).is_empty());
        assert!(rules(&exchange("PATCH", "/Users/u", 200, SCIM, no_id)).is_empty());
    }

    #[test]
    fn answers_are_labelled_scim_json() {
        let body = json!({"id": "u"});
        assert_eq!(
            rules(&exchange(
                "GET",
                "/Users/u",
                200,
                Some("text/html"),
                body.clone()
            )),
            [id(EntraRule::ContentType)]
        );
        assert_eq!(
            rules(&exchange("GET", "/Users/u", 200, None, body.clone())),
            [id(EntraRule::ContentType)]
        );
        let charset = Some("application/scim+json; charset=utf-8");
        assert!(rules(&exchange("GET", "/Users/u", 200, charset, body)).is_empty());
    }
}

#[cfg(test)]
mod cited_rules {
    use super::*;
    use crate::contract::{Severity, catalogue};

    /// An answer labelled `application/scim+json`.
    fn exchange(method: &str, path: &str, status: u16, body: Value) -> Exchange {
        super::tests::exchange(method, path, status, super::tests::SCIM, body)
    }

    fn findings(ex: &Exchange) -> Vec<Finding> {
        check(ex, ex.response.as_ref().unwrap())
    }

    #[test]
    fn a_group_patch_answered_with_its_members_is_a_warning() {
        let full = json!({"id": "g", "displayName": "Eng", "members": [{"value": "u"}]});
        let got = findings(&exchange("PATCH", "/Groups/g", 200, full.clone()));
        assert_eq!(got.len(), 1, "{got:?}");
        let rule = RuleId::Entra(EntraRule::MemberPatchAnswer);
        assert_eq!(got[0].rule.as_deref(), Some(rule.to_string().as_str()));
        assert_eq!(catalogue::spec(rule).severity, Severity::Warn);
        assert_eq!(
            got[0].severity,
            Severity::Warn,
            "a warning on the step, not a failure"
        );
        assert!(got[0].evidence[0].starts_with("entra-client-reference.md row 18"));
        assert_eq!(got[0].actual, json!("200 with 1 members"));
        // Without the list, or on a user, or a read: nothing.
        let bare = json!({"id": "g", "displayName": "Eng"});
        assert!(findings(&exchange("PATCH", "/Groups/g", 200, bare)).is_empty());
        let empty = json!({"id": "g", "displayName": "Eng", "members": []});
        assert!(findings(&exchange("PATCH", "/Groups/g", 200, empty)).is_empty());
        assert!(findings(&exchange("GET", "/Groups/g", 200, full.clone())).is_empty());
        assert!(
            findings(&exchange(
                "PATCH",
                "/Users/u",
                200,
                json!({"id": "u", "members": [1]})
            ))
            .is_empty()
        );
    }

    #[test]
    fn every_entra_wire_rule_can_fire_and_cites_its_catalogue_hint() {
        let cases = [
            exchange(
                "GET",
                "/Groups/g?excludedAttributes=members",
                200,
                json!({"id": "g", "members": []}),
            ),
            exchange(
                "GET",
                "/Users?filter=userName%20eq%20%22a%22",
                200,
                json!({"totalResults": 2, "Resources": [{"id": "a"}, {"id": "b"}]}),
            ),
            exchange("POST", "/Users", 201, json!({"userName": "a"})),
            exchange(
                "PATCH",
                "/Groups/g",
                200,
                json!({"id": "g", "members": [{"value": "u"}]}),
            ),
        ];
        let mut hit: Vec<String> = cases
            .iter()
            .flat_map(findings)
            .inspect(|f| {
                let rule: RuleId = f.rule.as_deref().unwrap().parse().unwrap();
                assert_eq!(f.hint.as_deref(), Some(catalogue::spec(rule).hint));
            })
            .filter_map(|f| f.rule)
            .collect();
        let mut ct = exchange("GET", "/Users/u", 200, json!({"id": "u"}));
        ct.response.as_mut().unwrap().headers.clear();
        hit.extend(findings(&ct).into_iter().filter_map(|f| f.rule));
        hit.sort();
        hit.dedup();
        let mut want: Vec<String> = ALL.iter().map(|r| RuleId::Entra(*r).to_string()).collect();
        want.sort();
        assert_eq!(hit, want);
    }
}

//! The wire checks only the `entra` profile makes, on top of the shared ones of `wire.rs`
//! (which it cites as `entra:list-counters`, `entra:filter`, …). Each comes from
//! `../shared/docs/entra-client-reference.md`:
//!
//! | rule | what is checked | where it comes from |
//! |---|---|---|
//! | `entra:excluded-members` | a read with `excludedAttributes=members` carries no `members` | row 15, 17 (E1, E10: members in the answer are an error) |
//! | `entra:single-match` | a matching lookup (`filter=<attr> eq "<value>"`) returns at most one resource | row 6 (E1, E10: more than one is `DuplicateTargetEntries`) |
//! | `entra:resource-id` | every resource returned (a create, a read, each listed one) has an `id` | row 7 (E1) |
//! | `entra:content-type` | a response with a body is labelled `application/scim+json` | row 2 (E1) |

use serde_json::{Value, json};

use crate::okta::transcript::{Body, Exchange, Response};
use crate::report::Finding;

pub const EXCLUDED_MEMBERS: &str = "entra:excluded-members";
pub const SINGLE_MATCH: &str = "entra:single-match";
pub const RESOURCE_ID: &str = "entra:resource-id";
pub const CONTENT_TYPE: &str = "entra:content-type";

/// Every check of this file, for documentation and tests.
#[allow(dead_code)] // read by the rule catalogue once it lands
pub const ALL: [&str; 4] = [EXCLUDED_MEMBERS, SINGLE_MATCH, RESOURCE_ID, CONTENT_TYPE];

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
    if ex.method.eq_ignore_ascii_case("GET")
        && param("excludedAttributes").is_some_and(|a| {
            a.split(',')
                .any(|x| x.trim().eq_ignore_ascii_case("members"))
        })
        && resources.iter().any(|r| r.get("members").is_some())
    {
        out.push(
            Finding::new(
                format!("members of {label}"),
                json!("<no members attribute>"),
                resources
                    .iter()
                    .find_map(|r| r.get("members").cloned())
                    .unwrap_or(Value::Null),
            )
            .rule(EXCLUDED_MEMBERS)
            .hint("Honour excludedAttributes=members (RFC 7644 §3.4.2.5): Entra reads groups without members and counts members in the answer as an error (entra-client-reference.md row 15)"),
        );
    }
    if listing
        && let Some(filter) = param("filter")
        && super::wire::parse_eq(filter).is_some()
        && resources.len() > 1
    {
        out.push(
            Finding::new(
                format!("matches of {label}"),
                json!("at most 1"),
                json!(resources.len()),
            )
            .rule(SINGLE_MATCH)
            .hint("A matching lookup must find 0 or 1 resources: Entra fails the object with DuplicateTargetEntries on more (entra-client-reference.md row 6)"),
        );
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
        out.push(
            Finding::new(
                format!("id of {label}"),
                json!("an id on every resource"),
                json!(format!("{without_id} without an id")),
            )
            .rule(RESOURCE_ID)
            .hint("Return the server's `id` on every resource: Entra caches it for every later request (entra-client-reference.md row 7)"),
        );
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
        out.push(
            Finding::new(
                format!("Content-Type of {label}"),
                json!("application/scim+json"),
                ct.map_or(Value::Null, |v| json!(v)),
            )
            .rule(CONTENT_TYPE)
            .hint("Label SCIM responses application/scim+json, as Entra's SCIM tutorial requires (entra-client-reference.md row 2)"),
        );
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn exchange(method: &str, path: &str, status: u16, ct: Option<&str>, body: Value) -> Exchange {
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

    const SCIM: Option<&str> = Some("application/scim+json");

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
            [EXCLUDED_MEMBERS]
        );
        assert!(rules(&exchange("GET", path, 200, SCIM, without)).is_empty());
        let read = "/Groups/g?excludedAttributes=members";
        let one = json!({"id": "g", "displayName": "Eng", "members": [{"value": "u"}]});
        assert_eq!(
            rules(&exchange("GET", read, 200, SCIM, one)),
            [EXCLUDED_MEMBERS]
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
            [SINGLE_MATCH]
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
            [RESOURCE_ID]
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
            [CONTENT_TYPE]
        );
        assert_eq!(
            rules(&exchange("GET", "/Users/u", 200, None, body.clone())),
            [CONTENT_TYPE]
        );
        let charset = Some("application/scim+json; charset=utf-8");
        assert!(rules(&exchange("GET", "/Users/u", 200, charset, body)).is_empty());
    }
}

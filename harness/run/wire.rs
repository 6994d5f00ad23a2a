//! Wire-level checks applied to every exchange of a conformance run: what the scenario's own
//! `expect:` clauses do not say but Okta relies on, and what other SCIM test tools miss.
//!
//! | rule (`okta` / `zinc` profile) | what is checked |
//! |---|---|
//! | `okta:list-counters` / Z22 | `totalResults`, `startIndex`, `itemsPerPage` are JSON integers; `Resources` is an array (it may be left out only when `totalResults` is 0) |
//! | `okta:items-per-page` / Z22 | `itemsPerPage` equals the number of `Resources` |
//! | `okta:start-index` / Z22 | `startIndex` echoes the one asked (1 when none was) |
//! | `okta:page-size` / Z22 | a page asked with `count=N` holds at most N resources |
//! | `okta:paging` / Z22 | `totalResults` is at least the number returned; a page asked past the end is empty; a later page does not start with the first page's first resource (`startIndex` ignored) |
//! | `okta:filter` / Z23 | a `filter=attr eq "v"` lookup returns only resources whose `attr` is `v` (`userName`, `displayName`, `emails` case-insensitively; `id`, `externalId` exactly). An ignored filter returns someone else, and Okta links that someone |
//! | `okta:error-body` / Z21 | a 4xx/5xx body is SCIM Error JSON: the Error URN in `schemas`, `status` the HTTP status, a non-empty `detail` |
//! | `okta:error-status-string` / Z21 | that `status` is a JSON string (`"404"`), not the number: a warning in the okta profile (Okta tolerates it), a failure of Z21 in the zinc profile |
//! | `okta:username-case` / Z6 | `userName` comes back exactly as sent (create, replace, and later reads of that user) |
//! | `okta:retry-after` (both profiles; also against the embedded mock, see [`check_throttling`]) | a 429 the client retried carries `Retry-After` in integer seconds: a warning, Okta waits 5 minutes without it |
//!
//! Legal variations are never findings: `PATCH` answering 200 or 204, `application/json`
//! instead of `application/scim+json` (no media type is checked at all: Okta reads the body
//! whatever it is labelled), extra attributes, a filter lookup answered 404 (Okta accepts it;
//! the error body must still be SCIM), a numeric-looking `status` string.
//!
//! Each violation is a [`Finding`]: `what` names the check and the request that was sent
//! (`METHOD path → status`), `expected` and `actual` hold the values; the rule is the id above,
//! and its hint and severity come from the catalogue ([`crate::contract::catalogue`]). Exchanges that got no usable answer (timeout, refused, a body
//! too big to read) are not checked here: the action that made them already failed.

use std::collections::HashMap;

use serde_json::{Map, Value, json};

use crate::contract::{Body, Exchange, Response};
use crate::contract::{EntraRule, OktaRule, Profile, RuleId, catalogue};
use crate::report::{Finding, StepReport};

pub(crate) use crate::contract::urn::ERROR as ERROR_URN;

/// One wire check: the Okta rule it cites in the okta profile; in the zinc profile it cites
/// that rule's Zinc counterpart (the catalogue's `zinc` column).
pub(crate) type WireRule = OktaRule;

/// Every wire rule, for documentation and tests: the Okta rules before `okta:deprovision`
/// (the enum lists the wire checks first; `every_wire_rule_can_fail` holds this to the rules
/// the checks cite).
pub const ALL: &[WireRule] = OktaRule::ALL.split_at(OktaRule::Deprovision as usize).0;

/// The rule a wire check cites in `profile`.
pub(crate) fn cited(rule: WireRule, profile: Profile) -> RuleId {
    match profile {
        Profile::Okta => RuleId::Okta(rule),
        Profile::Entra => entra_counterpart(rule).map_or(RuleId::Okta(rule), RuleId::Entra),
        Profile::Zinc => catalogue::spec(RuleId::Okta(rule))
            .zinc
            .map_or(RuleId::Okta(rule), RuleId::Zinc),
    }
}

/// The `entra:` rule a shared check cites in the entra profile, where Entra's reference has
/// evidence for it; the others keep their `okta:` row (Entra never pages, so the paging
/// checks only see a raw step's requests; the reference is silent on the rest). Entra's own
/// checks are in `entra_wire.rs`.
fn entra_counterpart(rule: WireRule) -> Option<EntraRule> {
    match rule {
        OktaRule::ListCounters => Some(EntraRule::ListResponse),
        OktaRule::Filter => Some(EntraRule::Filter),
        OktaRule::ErrorBody => Some(EntraRule::ErrorBody),
        OktaRule::ItemsPerPage
        | OktaRule::StartIndex
        | OktaRule::PageSize
        | OktaRule::Paging
        | OktaRule::ErrorStatusString
        | OktaRule::UsernameCase
        | OktaRule::Deprovision
        | OktaRule::SpecTest
        | OktaRule::CrudTest
        | OktaRule::CredentialTest
        | OktaRule::UserProfile
        | OktaRule::GroupPush
        | OktaRule::RetryAfter => None,
    }
}

/// Checks the exchanges of one scenario in order. It remembers what it saw (the userName
/// each user was created with, the first page of each listing) so that later exchanges are
/// checked against earlier ones; use one checker per scenario.
#[derive(Debug)]
pub(crate) struct WireChecker {
    rules: Profile,
    /// Server id → the userName last sent for it and accepted.
    sent_names: HashMap<String, String>,
    /// Listing (path without `startIndex`) → the id of the first resource at startIndex 1.
    first_pages: HashMap<String, String>,
}

/// Checks `exchanges` (one scenario's, in order) and returns every finding.
#[cfg(test)]
pub(crate) fn check_all(exchanges: &[Exchange], rules: Profile) -> Vec<Finding> {
    let mut checker = WireChecker::new(rules);
    exchanges.iter().flat_map(|e| checker.check(e)).collect()
}

/// Applies the checks to every exchange of a scenario's steps, in order (one checker for
/// the scenario). Each finding goes to the step whose exchange broke the rule, and a step
/// that ran and got a finding fails. Returns how many findings were added.
pub(crate) fn check_steps(steps: &mut [StepReport], rules: Profile) -> usize {
    let mut checker = WireChecker::new(rules);
    add_findings(steps, |e| checker.check(e))
}

/// `okta:retry-after` (a warning): every 429 the Okta client retried carries a `Retry-After`
/// Okta reads, integer seconds; without one Okta waits 5 minutes, doubling (reference
/// §10.8). Unlike the checks above it runs against the embedded mock too, where a 429 comes
/// from a scenario's fault or a test's `Bug`: the warning is what such a scenario shows.
/// Only exchanges with Okta's retry note are checked (the Okta client's, not Entra's).
/// Returns how many findings were added.
pub(crate) fn check_throttling(steps: &mut [StepReport]) -> usize {
    add_findings(steps, unreadable_retry_after)
}

/// Adds what `check` finds in each exchange of each step, in order, to that step, and
/// settles the steps that got any. Returns how many findings were added.
fn add_findings<F: IntoIterator<Item = Finding>>(
    steps: &mut [StepReport],
    mut check: impl FnMut(&Exchange) -> F,
) -> usize {
    let mut added = 0;
    for step in steps {
        let found: Vec<Finding> = step.exchanges.iter().flat_map(&mut check).collect();
        if found.is_empty() {
            continue;
        }
        added += found.len();
        step.findings.extend(found);
        // A warning (a rule of severity `warn`, e.g. a numeric error `status` in the okta
        // profile) is shown but does not fail the step.
        step.settle();
    }
    added
}

fn unreadable_retry_after(ex: &Exchange) -> Option<Finding> {
    let resp = ex.response.as_ref().filter(|r| r.status == 429)?;
    let okta = ex.okta_retry.as_deref()?;
    let sent = resp
        .headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("retry-after"))
        .map(|(_, v)| v.as_str());
    if sent.and_then(crate::okta::delay_seconds).is_some() {
        return None;
    }
    Some(
        Finding::new(
            format!("Retry-After of {} {} → 429 ({okta})", ex.method, ex.path),
            "an integer number of seconds, e.g. 30",
            sent.map_or(Value::Null, |v| Value::String(v.to_owned())),
        )
        .cite(RuleId::Okta(OktaRule::RetryAfter)),
    )
}

impl WireChecker {
    pub(crate) fn new(rules: Profile) -> Self {
        WireChecker {
            rules,
            sent_names: HashMap::new(),
            first_pages: HashMap::new(),
        }
    }

    /// The findings about one exchange (empty when it is fine or got no usable answer).
    pub(crate) fn check(&mut self, ex: &Exchange) -> Vec<Finding> {
        let Some(resp) = ex.response.as_ref() else {
            return Vec::new();
        };
        if ex.error.is_some() {
            return Vec::new();
        }
        let req = Request::of(ex, resp.status);
        let mut out = Vec::new();
        if self.rules == Profile::Entra {
            out.extend(super::entra_wire::check(ex, resp));
        }
        if resp.status >= 400 {
            self.error_body(&req, resp, &mut out);
            return out;
        }
        if !(200..300).contains(&resp.status) {
            return out;
        }
        let Body::Json(body) = &resp.body else {
            // A write answered without a body (PATCH 204): what it did to the userName is
            // unknown from here, so later reads are not held to the old one.
            if matches!(req.method.as_str(), "PATCH" | "PUT" | "DELETE")
                && let Some(id) = req.resource_id()
            {
                self.sent_names.remove(&id);
            }
            return out;
        };
        if req.method == "GET" && req.is_listing() {
            if let Some(list) = body.as_object() {
                self.list(&req, list, &mut out);
            }
        } else {
            self.user_name(ex, &req, body, &mut out);
        }
        out
    }

    fn finding(&self, rule: WireRule, what: String, expected: Value, actual: Value) -> Finding {
        Finding::new(what, expected, actual).cite(cited(rule, self.rules))
    }

    fn error_body(&self, req: &Request, resp: &Response, out: &mut Vec<Finding>) {
        let what = format!("error body of {}", req.label);
        let expected = json!({"schemas": [ERROR_URN], "status": resp.status.to_string(),
                              "detail": "<a non-empty message>"});
        let obj = match &resp.body {
            Body::Json(Value::Object(m)) => m,
            other => {
                let actual = match other {
                    Body::Empty => Value::Null,
                    Body::Json(v) => v.clone(),
                    Body::Text(t) => Value::String(cut(t, 200)),
                };
                out.push(self.finding(OktaRule::ErrorBody, what, expected, actual));
                return;
            }
        };
        let has_urn = obj
            .get("schemas")
            .and_then(Value::as_array)
            .is_some_and(|a| a.iter().any(|s| s.as_str() == Some(ERROR_URN)));
        if !has_urn {
            out.push(self.finding(
                OktaRule::ErrorBody,
                format!("{what}: schemas"),
                json!([ERROR_URN]),
                obj.get("schemas").cloned().unwrap_or(Value::Null),
            ));
        }
        let status = obj.get("status");
        if status.and_then(Value::as_str) != Some(resp.status.to_string().as_str()) {
            // A number where a string belongs is tolerated by Okta (a warning); a missing or
            // wrong status is not.
            let rule = if status
                .and_then(Value::as_u64)
                .is_some_and(|n| n == u64::from(resp.status))
            {
                OktaRule::ErrorStatusString
            } else {
                OktaRule::ErrorBody
            };
            out.push(self.finding(
                rule,
                format!("{what}: status"),
                Value::String(resp.status.to_string()),
                status.cloned().unwrap_or(Value::Null),
            ));
        }
        let detail_ok = obj
            .get("detail")
            .and_then(Value::as_str)
            .is_some_and(|d| !d.trim().is_empty());
        if !detail_ok {
            out.push(self.finding(
                OktaRule::ErrorBody,
                format!("{what}: detail"),
                Value::String("<a non-empty message>".into()),
                obj.get("detail").cloned().unwrap_or(Value::Null),
            ));
        }
    }

    fn list(&mut self, req: &Request, list: &Map<String, Value>, out: &mut Vec<Finding>) {
        let what = |field: &str| format!("{field} of {}", req.label);
        // Counters: JSON integers (Okta's parser stops on "1").
        let mut counter = |name: &str| -> Option<u64> {
            match get_ci(list, name) {
                Some(Value::Number(n)) if n.as_u64().is_some() => n.as_u64(),
                other => {
                    out.push(self.finding(
                        OktaRule::ListCounters,
                        what(name),
                        Value::String("a JSON integer".into()),
                        other.cloned().unwrap_or(Value::String("<missing>".into())),
                    ));
                    None
                }
            }
        };
        let total = counter("totalResults");
        let start = counter("startIndex");
        let per_page = counter("itemsPerPage");
        let resources: Vec<Value> = match get_ci(list, "Resources") {
            Some(Value::Array(a)) => a.clone(),
            None if total == Some(0) => Vec::new(),
            other => {
                out.push(self.finding(
                    OktaRule::ListCounters,
                    what("Resources"),
                    Value::String("an array of resources".into()),
                    other.cloned().unwrap_or(Value::String("<missing>".into())),
                ));
                return;
            }
        };
        let n = resources.len() as u64;
        if let Some(k) = per_page
            && k != n
        {
            out.push(self.finding(
                OktaRule::ItemsPerPage,
                what("itemsPerPage"),
                json!(n),
                json!(k),
            ));
        }
        let asked_start = req.query_u64("startIndex").unwrap_or(1).max(1);
        if let Some(s) = start
            && s != asked_start
        {
            out.push(self.finding(
                OktaRule::StartIndex,
                what("startIndex"),
                json!(asked_start),
                json!(s),
            ));
        }
        if let Some(count) = req.query_u64("count")
            && n > count
        {
            out.push(self.finding(
                OktaRule::PageSize,
                what("number of Resources"),
                json!(format!("at most {count} (count={count})")),
                json!(n),
            ));
        }
        if let Some(t) = total {
            if t < n {
                out.push(self.finding(
                    OktaRule::Paging,
                    what("totalResults"),
                    json!(format!("at least {n} (the resources returned)")),
                    json!(t),
                ));
            } else if asked_start > t && n > 0 {
                out.push(self.finding(
                    OktaRule::Paging,
                    what("Resources"),
                    json!(format!(
                        "none: startIndex={asked_start} is past totalResults={t}"
                    )),
                    json!(n),
                ));
            }
        }
        if let Some(filter) = req.query("filter") {
            self.filter(req, &filter, &resources, out);
        } else {
            self.paging(req, asked_start, &resources, out);
        }
        self.reads(req, &resources, out);
    }

    /// A later page starting with the first page's first resource: `startIndex` is ignored.
    fn paging(&mut self, req: &Request, start: u64, resources: &[Value], out: &mut Vec<Finding>) {
        let Some(first_id) = resources.first().and_then(|r| str_ci(r, "id")) else {
            return;
        };
        let key = req.listing_key();
        if start == 1 {
            self.first_pages.insert(key, first_id.to_owned());
        } else if self.first_pages.get(&key).map(String::as_str) == Some(first_id) {
            out.push(self.finding(
                OktaRule::Paging,
                format!("first resource of {}", req.label),
                json!(format!("resource #{start} of the listing")),
                json!(format!("resource #1 again (id {first_id})")),
            ));
        }
    }

    fn filter(&self, req: &Request, filter: &str, resources: &[Value], out: &mut Vec<Finding>) {
        let Some((attr, value)) = parse_eq(filter) else {
            return;
        };
        let short = attr
            .rsplit(':')
            .next()
            .unwrap_or(&attr)
            .to_ascii_lowercase();
        for (i, r) in resources.iter().enumerate() {
            let matched = match short.as_str() {
                "username" | "displayname" => {
                    str_ci(r, &short).map(|v| v.to_lowercase() == value.to_lowercase())
                }
                "id" | "externalid" => str_ci(r, &short).map(|v| v == value),
                "emails" | "emails.value" => Some(
                    r.as_object()
                        .and_then(|o| get_ci(o, "emails"))
                        .and_then(Value::as_array)
                        .is_some_and(|a| {
                            a.iter().any(|e| {
                                str_ci(e, "value")
                                    .is_some_and(|v| v.to_lowercase() == value.to_lowercase())
                            })
                        }),
                ),
                // An attribute we do not know how to compare: no verdict.
                _ => continue,
            };
            if matched != Some(true) {
                let shown = r
                    .as_object()
                    .and_then(|o| get_ci(o, &short))
                    .cloned()
                    .unwrap_or(Value::String("<missing>".into()));
                out.push(self.finding(
                    OktaRule::Filter,
                    format!("Resources[{i}].{attr} of {}", req.label),
                    json!(format!("only resources with {attr} eq {value:?}")),
                    json!({"id": r.get("id").cloned().unwrap_or(Value::Null), attr.as_str(): shown}),
                ));
            }
        }
    }

    /// Every user read back keeps the userName sent for it.
    fn reads(&self, req: &Request, resources: &[Value], out: &mut Vec<Finding>) {
        for (i, r) in resources.iter().enumerate() {
            self.kept_name(r, format!("Resources[{i}].userName of {}", req.label), out);
        }
    }

    fn kept_name(&self, r: &Value, what: String, out: &mut Vec<Finding>) {
        let (Some(id), Some(name)) = (str_ci(r, "id"), str_ci(r, "userName")) else {
            return;
        };
        if let Some(sent) = self.sent_names.get(id)
            && sent != name
        {
            out.push(self.finding(OktaRule::UsernameCase, what, json!(sent), json!(name)));
        }
    }

    /// Creates and replaces of users return the userName as sent; reads later keep it.
    fn user_name(&mut self, ex: &Exchange, req: &Request, body: &Value, out: &mut Vec<Finding>) {
        if !req.is_users() {
            return;
        }
        let sent = match (&ex.request_body, req.method.as_str()) {
            (Some(Body::Json(b)), "POST" | "PUT") => str_ci(b, "userName").map(str::to_owned),
            _ => None,
        };
        let id = str_ci(body, "id").map(str::to_owned);
        let returned = str_ci(body, "userName");
        if let Some(sent) = &sent {
            if let Some(got) = returned
                && got != sent
            {
                out.push(self.finding(
                    OktaRule::UsernameCase,
                    format!("userName of {}", req.label),
                    json!(sent),
                    json!(got),
                ));
            }
            if let Some(id) = id {
                self.sent_names.insert(id, sent.clone());
            }
        } else if req.method == "GET" {
            self.kept_name(body, format!("userName of {}", req.label), out);
        } else if let Some(id) = id.or_else(|| req.resource_id()) {
            // A PATCH may have changed it on purpose: learn the new value (or forget it).
            match returned {
                Some(name) => {
                    self.sent_names.insert(id, name.to_owned());
                }
                None => {
                    self.sent_names.remove(&id);
                }
            }
        }
    }
}

/// The request side of an exchange, parsed once.
struct Request {
    method: String,
    /// Path without the query, trailing `/` trimmed.
    path: String,
    query: Vec<(String, String)>,
    /// `GET /Users?… → 200`, for findings.
    label: String,
}

impl Request {
    fn of(ex: &Exchange, status: u16) -> Request {
        let (path, query) = ex.path.split_once('?').unwrap_or((&ex.path, ""));
        Request {
            method: ex.method.to_ascii_uppercase(),
            path: path.trim_end_matches('/').to_owned(),
            query: url::form_urlencoded::parse(query.as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
            label: format!("{} {} → {status}", ex.method, ex.path),
        }
    }

    fn segments(&self) -> Vec<&str> {
        self.path.split('/').filter(|s| !s.is_empty()).collect()
    }

    /// `…/Users` or `…/Groups`: a listing (or a filter lookup).
    fn is_listing(&self) -> bool {
        self.segments()
            .last()
            .is_some_and(|s| s.eq_ignore_ascii_case("Users") || s.eq_ignore_ascii_case("Groups"))
    }

    /// `…/Users` or `…/Users/{id}`.
    fn is_users(&self) -> bool {
        let s = self.segments();
        let n = s.len();
        (n >= 1 && s[n - 1].eq_ignore_ascii_case("Users"))
            || (n >= 2 && s[n - 2].eq_ignore_ascii_case("Users"))
    }

    /// The `{id}` of `…/Users/{id}` or `…/Groups/{id}`.
    fn resource_id(&self) -> Option<String> {
        let s = self.segments();
        let n = s.len();
        (n >= 2
            && (s[n - 2].eq_ignore_ascii_case("Users") || s[n - 2].eq_ignore_ascii_case("Groups")))
        .then(|| {
            url::form_urlencoded::parse(format!("x={}", s[n - 1]).as_bytes())
                .next()
                .map(|(_, v)| v.into_owned())
                .unwrap_or_default()
        })
    }

    fn query(&self, name: &str) -> Option<String> {
        self.query
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    }

    fn query_u64(&self, name: &str) -> Option<u64> {
        self.query(name).and_then(|v| v.trim().parse().ok())
    }

    /// The listing a page belongs to: the path and every parameter but the paging ones.
    fn listing_key(&self) -> String {
        let rest: Vec<String> = self
            .query
            .iter()
            .filter(|(k, _)| {
                !k.eq_ignore_ascii_case("startIndex") && !k.eq_ignore_ascii_case("count")
            })
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        format!("{}?{}", self.path.to_ascii_lowercase(), rest.join("&"))
    }
}

/// `attr eq "value"` (attribute and operator in any case, `\"` and `\\` escapes); `None` for
/// any other filter (no verdict on what we do not parse).
pub(crate) fn parse_eq(filter: &str) -> Option<(String, String)> {
    let f = filter.trim();
    let (attr, rest) = f.split_once(char::is_whitespace)?;
    let rest = rest.trim_start();
    let (op, rest) = rest.split_once(char::is_whitespace)?;
    if !op.eq_ignore_ascii_case("eq") {
        return None;
    }
    let rest = rest.trim();
    let inner = rest.strip_prefix('"')?.strip_suffix('"')?;
    let mut value = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => value.push(chars.next()?),
            // An unescaped quote inside: a compound filter (`a eq "x" and b eq "y"`).
            '"' => return None,
            c => value.push(c),
        }
    }
    Some((attr.to_owned(), value))
}

/// A member of a JSON object by name, case-insensitively (SCIM attribute names are).
fn get_ci<'a>(obj: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    obj.get(name).or_else(|| {
        obj.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    })
}

fn str_ci<'a>(v: &'a Value, name: &str) -> Option<&'a str> {
    v.as_object()
        .and_then(|o| get_ci(o, name))
        .and_then(Value::as_str)
}

fn cut(text: &str, max: usize) -> String {
    let mut out: String = text.chars().take(max).collect();
    if text.chars().count() > max {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod cases;

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::contract::Severity;
    use crate::report::StepStatus;

    fn throttled(header: Option<&str>, okta: Option<&str>, status: u16) -> StepReport {
        let mut step = StepReport::new(1, "assign_user alice", None);
        step.exchanges.push(Exchange {
            method: "POST".into(),
            path: "/Users".into(),
            request_headers: Vec::new(),
            request_body: None,
            response: Some(Response {
                status,
                headers: header
                    .map(|v| ("retry-after".to_owned(), v.to_owned()))
                    .into_iter()
                    .collect(),
                body: Body::Empty,
            }),
            error: None,
            duration: Duration::ZERO,
            okta_retry: okta.map(str::to_owned),
        });
        step
    }

    #[test]
    fn a_429_without_integer_retry_after_is_a_warning_and_the_step_still_passes() {
        let note = "Okta would retry in 300 s; this server sent no Retry-After";
        for header in [None, Some("Wed, 21 Oct 2015 07:28:00 GMT"), Some("1.5")] {
            let mut steps = [throttled(header, Some(note), 429)];
            assert_eq!(check_throttling(&mut steps), 1, "{header:?}");
            let f = &steps[0].findings[0];
            assert_eq!(f.rule.as_deref(), Some("okta:retry-after"));
            assert_eq!(f.severity, Severity::Warn);
            assert_eq!(f.what, format!("Retry-After of POST /Users → 429 ({note})"));
            assert_eq!(f.actual, header.map_or(Value::Null, |h| json!(h)));
            assert_eq!(steps[0].status, StepStatus::Passed, "a warning only");
        }
        // Integer seconds, another status, or a 429 Okta's schedule did not handle (Entra's
        // sender): nothing to say.
        for step in [
            throttled(Some("30"), Some(note), 429),
            throttled(None, None, 429),
            throttled(None, Some(note), 503),
        ] {
            assert_eq!(check_throttling(&mut [step]), 0);
        }
    }
}

//! Shared test kit: a wiremock SCIM stand-in, a client pointed at it, and the checks every
//! action test makes (the wire matches the transcript; the snapshot of the sequence).

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::{Value, json};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};
use zinc_harness::okta::{
    ActionOutcome, ActionResult, App, Auth, Body, OktaClient, OktaConfig, PersonProfile,
    ProfileChanges, REDACTED, RetryPolicy, placeholder_password,
};
use zinc_harness::scim::{GROUP_SCHEMA, USER_SCHEMA};

pub const TOKEN: &str = "tok-S3CRET-do-not-leak";
pub const BASE: &str = "/scim/v2";
pub use zinc_harness::contract::urn::{ERROR as ERROR_URN, LIST_RESPONSE as LIST_URN};

pub fn config(server: &MockServer, app: App) -> OktaConfig {
    let mut c = OktaConfig::new(
        format!("{}{BASE}", server.uri()),
        Auth::Bearer(TOKEN.into()),
    );
    c.app = app;
    c.timeout = Duration::from_secs(5);
    c.retry = RetryPolicy {
        max_tries: 3,
        max_wait: Duration::from_millis(50),
    };
    c
}

pub fn client(server: &MockServer, app: App) -> OktaClient {
    OktaClient::new(config(server, app)).expect("valid config")
}

/// A fresh server and a client of `app` pointed at it that knows alice, bob and carol.
pub(crate) async fn setup(app: App) -> (MockServer, OktaClient) {
    setup_with(app, |_| {}).await
}

/// [`setup`] with the configuration changed by `tweak` first.
pub(crate) async fn setup_with(
    app: App,
    tweak: impl FnOnce(&mut OktaConfig),
) -> (MockServer, OktaClient) {
    let server = MockServer::start().await;
    let mut c = config(&server, app);
    tweak(&mut c);
    let okta = OktaClient::new(c).expect("valid config");
    people(&okta);
    (server, okta)
}

/// The people `who` assigned, each created as `zu-<who>` ([`mount_creates`]).
pub(crate) async fn assigned(server: &MockServer, okta: &OktaClient, who: &[&str]) {
    mount_creates(server).await;
    for k in who {
        let o = okta.assign_user(k).await.unwrap();
        assert!(o.ok, "{:?}", o.message);
    }
}

/// A personality's part of a snapshot name.
pub(crate) fn tag(app: App) -> &'static str {
    match app {
        App::Oin => "oin",
        App::Aiw => "aiw",
        App::Entra => "entra",
        App::EntraCompliant => "entra_compliant",
    }
}

/// The snapshot name of `what` in `app`'s personality, e.g. `oin_push_now`.
pub(crate) fn named(app: App, what: &str) -> String {
    format!("{}_{what}", tag(app))
}

/// Okta-side profile changes written as JSON, as a scenario's `set:` writes them
/// (`{"first": "Al"}`, custom attributes under `attributes`): every other field unset.
pub(crate) fn changes(fields: Value) -> ProfileChanges {
    serde_json::from_value(fields).expect("ProfileChanges fields")
}

/// The group member Okta sends for a person created as `zu-<who>`.
pub(crate) fn member(who: &str) -> Value {
    json!({"value": format!("zu-{who}"), "display": format!("{who}@example.com")})
}

/// The operations of a PATCH on the wire.
pub(crate) fn ops(w: &Wire) -> Value {
    w.body.as_ref().expect("a PATCH body")["Operations"].clone()
}

/// Awaits an action that must succeed and returns its outcome.
pub(crate) async fn ok<E: std::fmt::Debug>(
    action: impl std::future::Future<Output = Result<ActionOutcome, E>>,
) -> ActionOutcome {
    let o = action.await.unwrap();
    assert!(o.ok, "{:?}", o.message);
    o
}

/// What a user action reports: the server's id and whether it was created.
pub(crate) fn user_result(server_id: &str, created: bool) -> ActionResult {
    let server_id = server_id.into();
    ActionResult::User { server_id, created }
}

/// What a group action reports: the server's id and whether it was created.
pub(crate) fn group_result(server_id: &str, created: bool) -> ActionResult {
    let server_id = server_id.into();
    ActionResult::Group { server_id, created }
}

/// The methods of the requests, in order.
pub(crate) fn methods(wire: &[Wire]) -> Vec<&str> {
    wire.iter().map(|r| r.method.as_str()).collect()
}

/// Okta people used throughout: alice, bob, carol.
pub fn people(okta: &OktaClient) {
    okta.add_person(
        "alice",
        PersonProfile::new("Alice", "Smith", "alice@example.com"),
    )
    .unwrap();
    okta.add_person("bob", PersonProfile::new("Bob", "Jones", "bob@example.com"))
        .unwrap();
    okta.add_person(
        "carol",
        PersonProfile::new("Carol", "White", "carol@example.com"),
    )
    .unwrap();
}

pub fn user(id: &str, user_name: &str, first: &str, last: &str) -> Value {
    json!({
        "schemas": [USER_SCHEMA],
        "id": id,
        "externalId": "ext",
        "userName": user_name,
        "name": {"givenName": first, "familyName": last},
        "displayName": format!("{first} {last}"),
        "emails": [{"value": user_name, "type": "work", "primary": true}],
        "active": true,
        "meta": {"resourceType": "User", "created": "2026-01-01T00:00:00Z",
                 "lastModified": "2026-01-01T00:00:00Z",
                 "location": format!("https://scim.example/Users/{id}")}
    })
}

pub fn group(id: &str, name: &str, members: Value) -> Value {
    json!({
        "schemas": [GROUP_SCHEMA],
        "id": id,
        "displayName": name,
        "members": members,
        "meta": {"resourceType": "Group"}
    })
}

pub fn list(resources: Vec<Value>) -> Value {
    list_page(resources.len(), 1, resources)
}

pub fn list_page(total: usize, start: usize, resources: Vec<Value>) -> Value {
    json!({"schemas": [LIST_URN], "totalResults": total, "startIndex": start,
           "itemsPerPage": resources.len(), "Resources": resources})
}

pub fn scim_error(status: u16, detail: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(
        json!({"schemas": [ERROR_URN], "status": status.to_string(), "detail": detail}),
    )
}

pub fn ok_json(status: u16, body: Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(body)
}

/// An empty list, sent after `delay`.
pub(crate) fn empty_list_after(delay: Duration) -> ResponseTemplate {
    ok_json(200, list(vec![])).set_delay(delay)
}

/// A 204 without a body.
pub(crate) fn no_content() -> ResponseTemplate {
    ResponseTemplate::new(204)
}

/// Mounts `verb path` (path under the base) answering `resp`.
pub async fn on(server: &MockServer, verb: &str, p: &str, resp: ResponseTemplate) {
    Mock::given(method(verb))
        .and(path(format!("{BASE}{p}")))
        .respond_with(resp)
        .mount(server)
        .await;
}

/// Mounts `GET` of `resource` (`Users`, `Groups`) with the `filter` query answering a list
/// of `found`.
pub(crate) async fn on_filter(
    server: &MockServer,
    resource: &str,
    filter: &str,
    found: Vec<Value>,
) {
    Mock::given(method("GET"))
        .and(path(format!("{BASE}/{resource}")))
        .and(query_param("filter", filter))
        .respond_with(ok_json(200, list(found)))
        .mount(server)
        .await;
}

/// Mounts `verb path` answering `first` to the first `times` requests and `then` after.
pub(crate) async fn on_first(
    server: &MockServer,
    verb: &str,
    p: &str,
    (times, first): (u64, ResponseTemplate),
    then: ResponseTemplate,
) {
    Mock::given(method(verb))
        .and(path(format!("{BASE}{p}")))
        .respond_with(first)
        .up_to_n_times(times)
        .with_priority(1)
        .mount(server)
        .await;
    on(server, verb, p, then).await;
}

/// Mounts the userName filter lookup for `user_name` answering with `found`.
pub async fn on_user_filter(server: &MockServer, user_name: &str, found: Vec<Value>) {
    let filter = format!("userName eq \"{user_name}\"");
    on_filter(server, "Users", &filter, found).await;
}

pub async fn on_group_filter(server: &MockServer, name: &str, found: Vec<Value>) {
    on_filter(
        server,
        "Groups",
        &format!("displayName eq \"{name}\""),
        found,
    )
    .await;
}

/// Mounts `GET`, `PUT` and `PATCH` of `/Users/{id}`, each answering 200 with `body`.
pub(crate) async fn mount_user_rw(server: &MockServer, id: &str, body: Value) {
    let at = format!("/Users/{id}");
    on(server, "GET", &at, ok_json(200, body.clone())).await;
    on(server, "PUT", &at, ok_json(200, body.clone())).await;
    on(server, "PATCH", &at, ok_json(200, body)).await;
}

/// alice is created as `zu-alice` (and bob `zu-bob`, carol `zu-carol`) by the mock.
pub async fn mount_creates(server: &MockServer) {
    for (who, first, last) in [
        ("alice", "Alice", "Smith"),
        ("bob", "Bob", "Jones"),
        ("carol", "Carol", "White"),
    ] {
        let user_name = format!("{who}@example.com");
        on_user_filter(server, &user_name, vec![]).await;
        Mock::given(method("POST"))
            .and(path(format!("{BASE}/Users")))
            .and(wiremock::matchers::body_partial_json(
                json!({"userName": user_name}),
            ))
            .respond_with(ok_json(
                201,
                user(&format!("zu-{who}"), &user_name, first, last),
            ))
            .mount(server)
            .await;
    }
}

/// A request as the server saw it.
#[derive(Debug, Clone)]
pub struct Wire {
    pub method: String,
    /// Path and raw query relative to the base.
    pub path: String,
    pub headers: BTreeMap<String, String>,
    pub body: Option<Value>,
}

pub async fn wire(server: &MockServer) -> Vec<Wire> {
    server
        .received_requests()
        .await
        .expect("recording on")
        .into_iter()
        .map(|r| {
            let mut p = r.url.path().trim_start_matches(BASE).to_owned();
            if let Some(q) = r.url.query() {
                p.push('?');
                p.push_str(q);
            }
            Wire {
                method: r.method.to_string(),
                path: p,
                headers: r
                    .headers
                    .iter()
                    .map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap().to_owned()))
                    .collect(),
                body: (!r.body.is_empty())
                    .then(|| serde_json::from_slice(&r.body).expect("Okta sends JSON")),
            }
        })
        .collect()
}

/// Redacts every `password` value, as the transcript does.
pub fn redact_passwords(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| {
                    if k == "password" {
                        (k.clone(), json!(REDACTED))
                    } else {
                        (k.clone(), redact_passwords(v))
                    }
                })
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(redact_passwords).collect()),
        other => other.clone(),
    }
}

/// The server got exactly the transcript's requests, in order, with Okta's headers and no
/// others (beyond `host` and `content-length`), and the real credentials.
pub fn assert_wire_is_transcript(wire: &[Wire], outcome: &ActionOutcome, authorization: &str) {
    let ex = &outcome.exchanges;
    assert_eq!(
        wire.iter()
            .map(|w| format!("{} {}", w.method, w.path))
            .collect::<Vec<_>>(),
        ex.iter()
            .map(|e| format!("{} {}", e.method, e.path))
            .collect::<Vec<_>>(),
        "the wire and the transcript disagree on the sequence"
    );
    for (w, e) in wire.iter().zip(ex) {
        let recorded = match &e.request_body {
            Some(Body::Json(v)) => Some(v.clone()),
            None => None,
            other => panic!("Okta sends JSON bodies only, got {other:?}"),
        };
        assert_eq!(
            w.body.as_ref().map(redact_passwords),
            recorded,
            "{} {}",
            e.method,
            e.path
        );
        let mut expected: BTreeMap<String, String> = BTreeMap::new();
        for (k, v) in &e.request_headers {
            let v = if k == "Authorization" {
                authorization.to_owned()
            } else {
                v.clone()
            };
            expected.insert(k.to_ascii_lowercase(), v);
        }
        let mut got = w.headers.clone();
        got.remove("host");
        if w.body.is_some() {
            assert!(got.remove("content-length").is_some());
        }
        assert_eq!(
            got, expected,
            "{} {}: headers on the wire",
            e.method, e.path
        );
    }
}

/// The readable form kept in snapshots: one entry per exchange.
pub fn view(outcome: &ActionOutcome) -> Value {
    let exchanges: Vec<Value> = outcome
        .exchanges
        .iter()
        .map(|e| {
            let mut m = serde_json::Map::new();
            m.insert("request".into(), json!(format!("{} {}", e.method, e.path)));
            m.insert(
                "headers".into(),
                json!(
                    e.request_headers
                        .iter()
                        .map(|(k, v)| format!("{k}: {v}"))
                        .collect::<Vec<_>>()
                ),
            );
            if let Some(b) = &e.request_body {
                m.insert("body".into(), body_view(b));
            }
            match &e.response {
                Some(r) => {
                    m.insert("status".into(), json!(r.status));
                    if r.body != Body::Empty {
                        m.insert("response".into(), body_view(&r.body));
                    }
                }
                None => {
                    m.insert("error".into(), json!(e.error));
                }
            }
            if let Some(next) = &e.okta_retry {
                m.insert("okta_retry".into(), json!(next));
            }
            Value::Object(m)
        })
        .collect();
    json!({
        "action": outcome.action.name(),
        "ok": outcome.ok,
        "message": outcome.message,
        "status": outcome.status(),
        "result": outcome.result,
        "exchanges": exchanges,
    })
}

fn body_view(b: &Body) -> Value {
    match b {
        Body::Empty => json!(null),
        Body::Json(v) => v.clone(),
        Body::Text(t) => json!({"text": t}),
    }
}

/// Checks the wire against the transcript for the requests since `from`, then snapshots.
pub async fn check(server: &MockServer, from: usize, outcome: &ActionOutcome, name: &str) {
    let all = wire(server).await;
    assert_wire_is_transcript(&all[from..], outcome, &format!("Bearer {TOKEN}"));
    let text = serde_json::to_string(outcome).unwrap();
    assert!(!text.contains(TOKEN), "token in the transcript");
    insta::with_settings!({snapshot_path => "../snapshots", prepend_module_to_snapshot => false}, {
        insta::assert_yaml_snapshot!(format!("harness__okta__{name}"), view(outcome));
    });
}

pub async fn count(server: &MockServer) -> usize {
    server.received_requests().await.map_or(0, |r| r.len())
}

pub fn password_of(okta: &OktaClient, key: &str, create: u32) -> String {
    placeholder_password(&okta.okta_id(key).unwrap(), create)
}

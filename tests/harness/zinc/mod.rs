//! Tests of the mock Zinc (`harness/zinc`): every rule Z1–Z25 over HTTP against a real
//! `MockZinc` on loopback, bad input, faults, fixtures, concurrency and property tests.

mod answers;
mod bad_input;
mod cached;
mod concurrency;
mod faults;
mod fixture;
mod hardening;
mod library;
mod okta_shapes;
mod props;
mod rules;
mod wire;

use reqwest::header::HeaderMap;
use serde_json::{Value, json};
use zinc_harness::scim::ScimType;
use zinc_harness::zinc::{MockZinc, ZincConfig};

/// A response, read whole.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Value,
    pub text: String,
}

impl Resp {
    pub fn content_type(&self) -> &str {
        self.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

/// A small SCIM client over HTTP with the mock's token.
#[derive(Clone)]
pub struct Scim {
    pub http: reqwest::Client,
    pub base: String,
    pub admin: String,
    pub token: Option<String>,
}

impl Scim {
    pub fn new(zinc: &MockZinc) -> Self {
        Self {
            http: reqwest::Client::builder()
                .no_proxy()
                .build()
                .expect("client"),
            base: zinc.base_url(),
            admin: zinc.admin_url(),
            token: zinc.token(),
        }
    }

    pub fn with_token(&self, token: Option<&str>) -> Self {
        Self {
            token: token.map(str::to_owned),
            ..self.clone()
        }
    }

    pub fn request(&self, method: &str, path: &str) -> reqwest::RequestBuilder {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let mut rb = self.http.request(method, format!("{}{path}", self.base));
        if let Some(t) = &self.token {
            rb = rb.header("Authorization", format!("Bearer {t}"));
        }
        rb
    }

    pub async fn send(&self, method: &str, path: &str, body: Option<Value>) -> Resp {
        let mut rb = self.request(method, path);
        if let Some(b) = body {
            rb = rb
                .header("Content-Type", "application/scim+json; charset=utf-8")
                .body(serde_json::to_vec(&b).unwrap());
        }
        read(rb).await
    }

    pub async fn get(&self, path: &str) -> Resp {
        self.send("GET", path, None).await
    }
    pub async fn post(&self, path: &str, body: Value) -> Resp {
        self.send("POST", path, Some(body)).await
    }
    pub async fn put(&self, path: &str, body: Value) -> Resp {
        self.send("PUT", path, Some(body)).await
    }
    pub async fn patch(&self, path: &str, body: Value) -> Resp {
        self.send("PATCH", path, Some(body)).await
    }
    pub async fn delete(&self, path: &str) -> Resp {
        self.send("DELETE", path, None).await
    }

    /// Creates a user the way Okta does and returns its id.
    pub async fn user(&self, email: &str, given: &str, family: &str) -> String {
        let r = self.post("/Users", okta_user(email, given, family)).await;
        assert_eq!(r.status, 201, "create {email}: {}", r.text);
        r.body["id"].as_str().expect("id").to_owned()
    }

    /// Pushes a group with members (user ids) and returns its id.
    pub async fn group(&self, name: &str, members: &[&str]) -> String {
        let members: Vec<Value> = members.iter().map(|m| json!({"value": m})).collect();
        let r = self
            .post(
                "/Groups",
                json!({"schemas": [zinc_harness::scim::GROUP_SCHEMA], "displayName": name, "members": members}),
            )
            .await;
        assert_eq!(r.status, 201, "push group {name}: {}", r.text);
        r.body["id"].as_str().expect("id").to_owned()
    }

    /// The member ids of a group as SCIM shows them.
    pub async fn members(&self, group: &str) -> Vec<String> {
        let r = self.get(&format!("/Groups/{group}")).await;
        assert_eq!(r.status, 200, "{}", r.text);
        let mut ids: Vec<String> = r.body["members"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|m| m["value"].as_str().unwrap().to_owned())
                    .collect()
            })
            .unwrap_or_default();
        ids.sort();
        ids
    }

    pub async fn admin_send(&self, method: &str, path: &str, body: Option<Value>) -> Resp {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let mut rb = self.http.request(method, format!("{}{path}", self.admin));
        if let Some(b) = body {
            rb = rb.json(&b);
        }
        read(rb).await
    }
}

pub async fn read(rb: reqwest::RequestBuilder) -> Resp {
    let resp = rb.send().await.expect("request sent");
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let text = resp.text().await.expect("body");
    let body = serde_json::from_str(&text).unwrap_or(Value::Null);
    Resp {
        status,
        headers,
        body,
        text,
    }
}

/// An Okta create body (OIN shape: password always, emails without type, externalId 00u…).
pub fn okta_user(email: &str, given: &str, family: &str) -> Value {
    json!({
        "schemas": [zinc_harness::scim::USER_SCHEMA],
        "userName": email,
        "name": {"givenName": given, "familyName": family},
        "emails": [{"primary": true, "value": email}],
        "externalId": format!("00u{}", email.len()),
        "groups": [],
        "password": "xY7!abcd",
        "active": true
    })
}

/// Asserts a SCIM Error (Z21): the status, `status` as a string, the Error schema, a
/// non-empty detail and, when given, the scimType.
#[track_caller]
pub fn assert_scim_error(r: &Resp, status: u16, scim_type: Option<ScimType>) {
    assert_eq!(
        r.status, status,
        "expected {status}, got {}: {}",
        r.status, r.text
    );
    assert_eq!(
        r.body["status"],
        json!(status.to_string()),
        "status must be a string: {}",
        r.text
    );
    assert_eq!(
        r.body["schemas"],
        json!([zinc_harness::scim::ERROR_SCHEMA]),
        "{}",
        r.text
    );
    assert!(
        r.body["detail"]
            .as_str()
            .is_some_and(|d| !d.trim().is_empty()),
        "empty detail: {}",
        r.text
    );
    assert!(
        r.content_type().starts_with("application/scim+json"),
        "content type {}",
        r.content_type()
    );
    if let Some(t) = scim_type {
        assert_eq!(r.body["scimType"], json!(t.as_str()), "{}", r.text);
    }
}

pub async fn start(config: ZincConfig) -> (MockZinc, Scim) {
    let zinc = MockZinc::start_with(config)
        .await
        .expect("mock Zinc starts");
    let scim = Scim::new(&zinc);
    (zinc, scim)
}

/// `{"Operations": ops}` with the PatchOp schema.
pub fn patch_op(ops: Value) -> Value {
    json!({"schemas": [zinc_harness::scim::PATCH_OP_SCHEMA], "Operations": ops})
}

//! The thin HTTP shell: decodes requests, calls the [`Directory`], encodes SCIM responses.
//! Transport rules live here: Z20 media types, Z21 error bodies (404/405 too), Z24 body size.
//!
//! Admin API (`/admin/v1`, JSON, no authentication — a test double on loopback):
//!
//! | method | path | body | does |
//! |---|---|---|---|
//! | GET | `/admin/v1/users` | | list users |
//! | GET | `/admin/v1/groups` | | list groups (every origin, with `origin`, `linked`, members, admins) |
//! | POST | `/admin/v1/groups` | `{"displayName"}` | create a console group |
//! | GET | `/admin/v1/groups/{id}` | | one group |
//! | PATCH | `/admin/v1/groups/{id}` | `{"displayName"}` | rename (Z17) |
//! | DELETE | `/admin/v1/groups/{id}` | | delete (Z17) |
//! | POST | `/admin/v1/groups/{id}/members/add` | `{"members":[ids]}` | add members (Z17) |
//! | POST | `/admin/v1/groups/{id}/members/remove` | `{"members":[ids]}` | remove members (Z17) |
//! | PUT | `/admin/v1/groups/{id}/admins` | `{"admins":[ids]}` | set admins |
//! | POST | `/admin/v1/groups/{id}/unlink` | | unlink (Z18) |
//! | GET | `/admin/v1/settings` | | settings |
//! | PATCH | `/admin/v1/settings` | `{"scope"?, "deleted_group_policy"?}` | change scope / policy |
//! | POST | `/admin/v1/provisioning/enable` | | enable provisioning, returns `{"token"}` |
//! | POST | `/admin/v1/provisioning/disable` | | disable provisioning (the token is gone) |
//! | POST | `/admin/v1/token/rotate` | | new token `{"token"}`; the old one stops working |
//! | GET | `/admin/v1/faults` | | installed fault rules |
//! | POST | `/admin/v1/faults` | a [`FaultRule`] | install one, returns `{"id"}` |
//! | DELETE | `/admin/v1/faults` | | remove every fault rule |
//! | DELETE | `/admin/v1/faults/{id}` | | remove one |
//! | GET | `/admin/v1/requests` | | `{"requests": [...], "forgotten": n}`: the SCIM requests received, redacted, with their status |
//! | DELETE | `/admin/v1/requests` | | forget them |
//!
//! Errors of the admin API: `{"error": code, "message": text}` with 400, 404 or 409.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use futures::StreamExt;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use tokio::sync::Notify;
use tower::ServiceExt;

use super::admin_gate::AdminGate;
use super::bugs::Bug;
use super::config::{DeletedGroupPolicy, Scope};
use super::console::{Admin, ConsoleError};
use super::directory::{Directory, ListQuery};
use super::discovery;
use super::faults::{FaultAction, FaultRule, Faults};
use super::received::{self, ReceivedRequest, RequestLog};
use crate::contract::ResourceKind;
use crate::scim::{self, ListResponse, ScimError};

/// Z24: the largest request body accepted (1 MiB).
pub(crate) const MAX_BODY: usize = 1024 * 1024;
/// Where the SCIM endpoints live.
pub(crate) const SCIM_PREFIX: &str = "/scim/v2";
/// Where the admin API lives.
pub(crate) const ADMIN_PREFIX: &str = "/admin/v1";

/// What every handler reads. One `Arc`, because axum clones the state for each layer and
/// handler of every request.
#[derive(Clone)]
pub(crate) struct AppState(Arc<Shared>);

pub(crate) struct Shared {
    pub(crate) dir: Arc<Directory>,
    pub(crate) faults: Faults,
    pub(crate) admin: Admin,
    pub(crate) log: RequestLog,
    pub(crate) gate: AdminGate,
    /// See [`ZincConfig::request_timeout`](super::ZincConfig::request_timeout).
    pub(crate) request_timeout: Duration,
}

impl AppState {
    pub(crate) fn new(
        dir: Arc<Directory>,
        faults: Faults,
        admin: Admin,
        log: RequestLog,
        gate: AdminGate,
        request_timeout: Duration,
    ) -> AppState {
        AppState(Arc::new(Shared {
            dir,
            faults,
            admin,
            log,
            gate,
            request_timeout,
        }))
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// A path parameter whose rejection (e.g. invalid percent-encoding) is a SCIM Error (Z21)
/// rather than axum's plain-text answer.
pub(crate) struct Id(pub(crate) String);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Id {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        match Path::<String>::from_request_parts(parts, state).await {
            Ok(Path(id)) => Ok(Id(id)),
            Err(e) => Err(scim_error(&ScimError::not_found(format!(
                "no such resource: {e}"
            )))),
        }
    }
}

/// A SCIM request's JSON body, read by [`read_json`] (Z20, Z24); its rejection is the SCIM
/// Error. Extracted last, after the path and query, as axum requires of a body.
pub(crate) struct ScimJson(pub(crate) Value);

impl<S: Send + Sync> axum::extract::FromRequest<S> for ScimJson {
    type Rejection = Response;

    async fn from_request(req: axum::extract::Request, _: &S) -> Result<Self, Self::Rejection> {
        let (parts, body) = req.into_parts();
        match read_json(&parts.headers, body).await {
            Ok(v) => Ok(ScimJson(v)),
            Err(e) => Err(scim_error(&e)),
        }
    }
}

/// An admin request's body as `T`: read like a SCIM body, then decoded; its rejection is an
/// admin API error (`invalid`).
pub(crate) struct AdminJson<T>(pub(crate) T);

impl<S: Send + Sync, T: DeserializeOwned> axum::extract::FromRequest<S> for AdminJson<T> {
    type Rejection = Response;

    async fn from_request(req: axum::extract::Request, _: &S) -> Result<Self, Self::Rejection> {
        let (parts, body) = req.into_parts();
        let value = read_json(&parts.headers, body)
            .await
            .map_err(|e| admin_error(e.status, "invalid", &e.detail))?;
        serde_json::from_value(value)
            .map(AdminJson)
            .map_err(|e| admin_error(400, "invalid", &format!("bad request body: {e}")))
    }
}

tokio::task_local! {
    /// Lets the fault layer close the connection a request came on. A task-local rather
    /// than a request extension: hyper polls each connection's requests in that
    /// connection's task, and an extension cost an allocation on every request.
    pub(crate) static CONNECTION: Arc<Notify>;
}

pub(crate) fn router(state: AppState) -> Router {
    let scim = Router::new()
        .route("/scim/v2/Users", get(list_users).post(create::<Users>))
        .route(
            "/scim/v2/Users/{id}",
            get(get_user)
                .put(replace::<Users>)
                .patch(patch_user)
                .delete(delete::<Users>),
        )
        .route("/scim/v2/Groups", get(list_groups).post(create::<Groups>))
        .route(
            "/scim/v2/Groups/{id}",
            get(get_group)
                .put(replace::<Groups>)
                .patch(patch_group)
                .delete(delete::<Groups>),
        )
        .route(
            "/scim/v2/ServiceProviderConfig",
            get(service_provider_config),
        )
        .route("/scim/v2/ResourceTypes", get(resource_types))
        .route("/scim/v2/ResourceTypes/{name}", get(resource_type))
        .route("/scim/v2/Schemas", get(schemas))
        .route("/scim/v2/Schemas/{id}", get(schema));
    let admin = Router::new()
        .route("/admin/v1/users", get(admin_users))
        .route(
            "/admin/v1/groups",
            get(admin_groups).post(admin_create_group),
        )
        .route(
            "/admin/v1/groups/{id}",
            get(admin_group)
                .patch(admin_rename_group)
                .delete(admin_delete_group),
        )
        .route("/admin/v1/groups/{id}/members/add", post(admin_add_members))
        .route(
            "/admin/v1/groups/{id}/members/remove",
            post(admin_remove_members),
        )
        .route("/admin/v1/groups/{id}/admins", put(admin_set_admins))
        .route("/admin/v1/groups/{id}/unlink", post(admin_unlink))
        .route(
            "/admin/v1/settings",
            get(admin_settings).patch(admin_change_settings),
        )
        .route("/admin/v1/provisioning/enable", post(admin_enable))
        .route("/admin/v1/provisioning/disable", post(admin_disable))
        .route("/admin/v1/token/rotate", post(admin_rotate))
        .route(
            "/admin/v1/faults",
            get(admin_faults)
                .post(admin_add_fault)
                .delete(admin_clear_faults),
        )
        .route(
            "/admin/v1/faults/{id}",
            axum::routing::delete(admin_remove_fault),
        )
        .route(
            "/admin/v1/requests",
            get(admin_requests).delete(admin_clear_requests),
        );
    scim.merge(admin)
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state)
}

// ---------------------------------------------------------------------------------------
// Encoding

/// A SCIM JSON response (`application/scim+json`, Z20).
pub(crate) fn scim_json(status: StatusCode, value: &impl serde::Serialize) -> Response {
    // Most bodies fit; growing a Vec from empty reallocated several times per response.
    let mut body = Vec::with_capacity(1024);
    if serde_json::to_writer(&mut body, value).is_err() {
        body.clear();
    }
    let mut resp = (status, body).into_response();
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(scim::CONTENT_TYPE),
    );
    resp
}

/// Z21: every error is a SCIM Error with `status` as a string and a non-empty detail.
pub(crate) fn scim_error(err: &ScimError) -> Response {
    let status = StatusCode::from_u16(err.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut resp = scim_json(status, &err.to_json());
    if err.status == 401 {
        resp.headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    }
    resp
}

fn respond<T: serde::Serialize>(status: StatusCode, result: Result<T, ScimError>) -> Response {
    match result {
        Ok(v) => scim_json(status, &v),
        Err(e) => scim_error(&e),
    }
}

fn created<T: serde::Serialize>(
    result: Result<T, ScimError>,
    location: impl Fn(&T) -> Option<String>,
) -> Response {
    match result {
        Ok(v) => {
            let mut resp = scim_json(StatusCode::CREATED, &v);
            if let Some(loc) = location(&v).and_then(|l| HeaderValue::from_str(&l).ok()) {
                resp.headers_mut().insert(header::LOCATION, loc);
            }
            resp
        }
        Err(e) => scim_error(&e),
    }
}

async fn not_found(uri: axum::http::Uri) -> Response {
    scim_error(&ScimError::not_found(format!(
        "no such endpoint: {}",
        uri.path()
    )))
}

async fn method_not_allowed(method: Method, uri: axum::http::Uri) -> Response {
    scim_error(&ScimError::new(
        405,
        format!("{method} is not allowed on {}", uri.path()),
    ))
}

// ---------------------------------------------------------------------------------------
// Decoding

/// How much of a refused body is still read (and thrown away) before answering, so that the
/// client finishes sending and reads the error instead of a broken pipe.
const DRAIN_LIMIT: usize = 16 * MAX_BODY;

/// Reads a JSON request body: Z20 media types and syntax, Z24 size.
pub(crate) async fn read_json(headers: &HeaderMap, body: Body) -> Result<Value, ScimError> {
    let mut refusal = None;
    if let Some(ct) = headers.get(header::CONTENT_TYPE) {
        let ct = ct.to_str().unwrap_or("").to_ascii_lowercase();
        let mime = ct.split(';').next().unwrap_or("").trim();
        if !(mime == "application/scim+json"
            || mime == "application/json"
            || mime.ends_with("+json"))
        {
            refusal = Some(ScimError::new(
                415,
                format!(
                    "unsupported Content-Type {mime:?}: send application/scim+json or application/json"
                ),
            ));
        }
    }
    let too_large = || ScimError::new(413, format!("request body is larger than {MAX_BODY} bytes"));
    // Z24: a declared length over the limit is refused from the header, before a byte of the
    // body is read: waiting for 99 MB that may never come would leave the client hanging.
    // `front` closes the connection after any 413, so the unread body does not matter.
    if let Some(len) = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.trim().parse::<u64>().ok())
        && len > MAX_BODY as u64
    {
        return Err(ScimError::new(
            413,
            format!("the declared request body ({len} bytes) is larger than {MAX_BODY} bytes"),
        ));
    }
    let mut stream = body.into_data_stream();
    let mut buf = Vec::new();
    let mut seen = 0usize;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk
            .map_err(|e| ScimError::invalid_syntax(format!("cannot read the request body: {e}")))?;
        seen += chunk.len();
        if refusal.is_some() {
            if seen > DRAIN_LIMIT {
                break;
            }
            continue;
        }
        if buf.len() + chunk.len() > MAX_BODY {
            refusal = Some(too_large());
            buf = Vec::new();
            continue;
        }
        buf.extend_from_slice(&chunk);
    }
    if let Some(err) = refusal {
        return Err(err);
    }
    if buf.iter().all(u8::is_ascii_whitespace) {
        return Err(ScimError::invalid_syntax(
            "the request body is empty; a JSON object is expected",
        ));
    }
    let parsed = serde_json::from_slice::<Value>(&buf);
    received::record_body(|| match &parsed {
        Ok(v) => v.clone(),
        Err(_) => Value::String(String::from_utf8_lossy(&buf).into_owned()),
    });
    parsed
        .map_err(|e| ScimError::invalid_syntax(format!("the request body is not valid JSON: {e}")))
}

// ---------------------------------------------------------------------------------------
// The way in: faults and the gate

/// Z1, Z2, Z3 for every SCIM request.
fn gate(
    st: &AppState,
    req: &hyper::Request<hyper::body::Incoming>,
    rel: &str,
) -> Result<(), ScimError> {
    let auth = req
        .headers()
        .get(header::AUTHORIZATION)
        .map(HeaderValue::as_bytes);
    st.dir.authenticate(auth)?;
    if st.dir.bug(Bug::JsonBodyRefused)
        && req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|ct| {
                ct.trim_start()
                    .to_ascii_lowercase()
                    .starts_with("application/json")
            })
    {
        return Err(ScimError::new(
            415,
            "unsupported Content-Type \"application/json\": send application/scim+json",
        ));
    }
    // Discovery endpoints are outside the sync scope.
    let kind = if rel.starts_with("/Users") {
        ResourceKind::Users
    } else if rel.starts_with("/Groups") {
        ResourceKind::Groups
    } else {
        return Ok(());
    };
    st.dir.check_scope(kind)
}

/// The way in for every request, in front of the router: the fault layer and, for SCIM
/// requests, the gate (Z1–Z3; so an unknown SCIM path without a token is 401 too, as Z1
/// says of every SCIM request). Plain functions rather than axum middleware: with no fault
/// rule installed this costs one atomic load and one token check, where each middleware
/// layer cost every request a boxed future and a state clone.
pub(crate) async fn front(
    app: Router,
    st: AppState,
    req: hyper::Request<hyper::body::Incoming>,
) -> Response {
    if !st.log.enabled() || !is_scim(req.uri().path()) {
        return front_unrecorded(app, st, req).await;
    }
    // The entry is written when the handling ends or is dropped (a fault that drops the
    // connection never returns), so every request is in the log.
    let mut entry = LogOnDrop {
        log: st.log.clone(),
        request: Some(ReceivedRequest {
            method: req.method().as_str().to_owned(),
            path: req
                .uri()
                .path_and_query()
                .map_or("", |p| p.as_str())
                .strip_prefix(SCIM_PREFIX)
                .unwrap_or("")
                .to_owned(),
            headers: received::headers(req.headers()),
            body: None,
            status: None,
        }),
    };
    let (resp, body) = received::with_body_slot(front_unrecorded(app, st, req)).await;
    if let Some(r) = entry.request.as_mut() {
        r.body = body;
        r.status = Some(resp.status().as_u16());
    }
    resp
}

fn is_scim(path: &str) -> bool {
    path.strip_prefix(SCIM_PREFIX)
        .is_some_and(|rel| rel.is_empty() || rel.starts_with('/'))
}

/// Writes its request into the log when dropped.
struct LogOnDrop {
    log: RequestLog,
    request: Option<ReceivedRequest>,
}

impl Drop for LogOnDrop {
    fn drop(&mut self) {
        if let Some(r) = self.request.take() {
            self.log.push(r);
        }
    }
}

async fn front_unrecorded(
    app: Router,
    st: AppState,
    req: hyper::Request<hyper::body::Incoming>,
) -> Response {
    let mut resp = route(app, st, req).await;
    if resp.status() == StatusCode::PAYLOAD_TOO_LARGE {
        // Z24: the rest of a refused body is never read, so the connection cannot carry
        // another request; say so instead of leaving the client to find out.
        resp.headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    resp
}

async fn route(app: Router, st: AppState, req: hyper::Request<hyper::body::Incoming>) -> Response {
    let path = req.uri().path();
    let Some(rel) = path
        .strip_prefix(SCIM_PREFIX)
        .filter(|rel| rel.is_empty() || rel.starts_with('/'))
    else {
        if path == ADMIN_PREFIX || path.starts_with("/admin/v1/") {
            if let Err(r) = st.gate.check(req.headers()) {
                return admin_error(r.status, r.code, &r.message);
            }
            return within_timeout(&st, app.oneshot(req), |m| {
                admin_error(408, "request_timeout", &m)
            })
            .await;
        }
        let Ok(resp) = app.oneshot(req).await;
        return resp;
    };
    if let Some(rule) = st.faults.take(req.method().as_str(), rel) {
        if let Some(delay) = rule.delay {
            tokio::time::sleep(delay).await;
        }
        match rule.action {
            FaultAction::Pass => {}
            FaultAction::Drop => {
                if let Ok(kill) = CONNECTION.try_with(Arc::clone) {
                    kill.notify_one();
                    std::future::pending::<()>().await;
                }
                // Not on a connection we own (cannot happen with MockZinc): a bare 502.
                return StatusCode::BAD_GATEWAY.into_response();
            }
            FaultAction::Respond(r) => return fault_response(&r),
        }
    }
    if let Err(e) = gate(&st, &req, rel) {
        return scim_error(&e);
    }
    within_timeout(&st, app.oneshot(req), |m| {
        scim_error(&ScimError::new(408, m))
    })
    .await
}

/// The router's answer, or 408 with `Connection: close` when reading the body and answering
/// take longer than the request timeout: a client that sent its headers and one byte of body
/// no longer holds a connection (and a descriptor) for ever.
async fn within_timeout(
    st: &AppState,
    handling: impl Future<Output = Result<Response, std::convert::Infallible>>,
    timed_out: impl FnOnce(String) -> Response,
) -> Response {
    match tokio::time::timeout(st.request_timeout, handling).await {
        // The router's error type is `Infallible`.
        Ok(Ok(resp)) => resp,
        Err(_) => {
            let mut resp = timed_out(format!(
                "the request was not received and answered within {} ms (the server's request timeout)",
                st.request_timeout.as_millis()
            ));
            resp.headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
            resp
        }
    }
}

fn fault_response(r: &super::faults::FaultResponse) -> Response {
    let status = StatusCode::from_u16(r.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut resp = match &r.body {
        None => status.into_response(),
        Some(Value::String(text)) => {
            let mut resp = (status, text.clone()).into_response();
            resp.headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"));
            resp
        }
        Some(v) => scim_json(status, v),
    };
    for (name, value) in &r.headers {
        if let (Ok(n), Ok(v)) = (
            header::HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            resp.headers_mut().insert(n, v);
        }
    }
    resp
}

// ---------------------------------------------------------------------------------------
// SCIM handlers

async fn list_users(State(st): State<AppState>, RawQuery(q): RawQuery) -> Response {
    let result = ListQuery::from_query(q.as_deref()).and_then(|q| st.dir.list_users(&q));
    respond(StatusCode::OK, result)
}

/// What `/Users` and `/Groups` do alike: create, replace by id and delete, each the same
/// handler over the resource (`create::<Users>`). Reads and PATCH differ (a group read takes
/// `excludedAttributes`, a group PATCH answers 204), so they have handlers of their own.
trait Writes: Send + Sync + 'static {
    type Resource: serde::Serialize;
    fn create(dir: &Directory, body: &Value) -> Result<Self::Resource, ScimError>;
    fn replace(dir: &Directory, id: &str, body: &Value) -> Result<Self::Resource, ScimError>;
    fn delete(dir: &Directory, id: &str) -> Result<(), ScimError>;
    fn location(r: &Self::Resource) -> Option<String>;
}

struct Users;
struct Groups;

impl Writes for Users {
    type Resource = crate::scim::User;
    fn create(dir: &Directory, body: &Value) -> Result<Self::Resource, ScimError> {
        dir.create_user(body)
    }
    fn replace(dir: &Directory, id: &str, body: &Value) -> Result<Self::Resource, ScimError> {
        dir.replace_user(id, body)
    }
    fn delete(dir: &Directory, id: &str) -> Result<(), ScimError> {
        dir.delete_user(id)
    }
    fn location(u: &Self::Resource) -> Option<String> {
        u.meta.as_ref().and_then(|m| m.location.clone())
    }
}

impl Writes for Groups {
    type Resource = crate::scim::Group;
    fn create(dir: &Directory, body: &Value) -> Result<Self::Resource, ScimError> {
        dir.create_group(body)
    }
    fn replace(dir: &Directory, id: &str, body: &Value) -> Result<Self::Resource, ScimError> {
        dir.replace_group(id, body)
    }
    fn delete(dir: &Directory, id: &str) -> Result<(), ScimError> {
        dir.delete_group(id)
    }
    fn location(g: &Self::Resource) -> Option<String> {
        g.meta.as_ref().and_then(|m| m.location.clone())
    }
}

async fn create<R: Writes>(State(st): State<AppState>, ScimJson(v): ScimJson) -> Response {
    created(R::create(&st.dir, &v), R::location)
}

async fn replace<R: Writes>(st: State<AppState>, Id(id): Id, ScimJson(v): ScimJson) -> Response {
    respond(StatusCode::OK, R::replace(&st.dir, &id, &v))
}

async fn delete<R: Writes>(State(st): State<AppState>, Id(id): Id) -> Response {
    match R::delete(&st.dir, &id) {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => scim_error(&e),
    }
}

async fn get_user(State(st): State<AppState>, Id(id): Id) -> Response {
    respond(StatusCode::OK, st.dir.get_user(&id))
}

async fn patch_user(State(st): State<AppState>, Id(id): Id, ScimJson(v): ScimJson) -> Response {
    respond(StatusCode::OK, st.dir.patch_user(&id, &v))
}

async fn list_groups(State(st): State<AppState>, RawQuery(q): RawQuery) -> Response {
    let result = ListQuery::from_query(q.as_deref()).and_then(|q| st.dir.list_groups(&q));
    respond(StatusCode::OK, result)
}

async fn get_group(State(st): State<AppState>, Id(id): Id, RawQuery(q): RawQuery) -> Response {
    let result = ListQuery::from_query(q.as_deref()).and_then(|q| st.dir.get_group_with(&id, &q));
    respond(StatusCode::OK, result)
}

async fn patch_group(State(st): State<AppState>, Id(id): Id, ScimJson(v): ScimJson) -> Response {
    match st.dir.patch_group(&id, &v) {
        // Z16: a group PATCH answers 204 (ours).
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => scim_error(&e),
    }
}

async fn service_provider_config(State(st): State<AppState>) -> Response {
    if st.dir.bug(Bug::NoServiceProviderConfig) {
        return scim_error(&ScimError::not_found("no such endpoint"));
    }
    scim_json(
        StatusCode::OK,
        &discovery::service_provider_config(st.dir.base_url()),
    )
}

async fn resource_types(State(st): State<AppState>) -> Response {
    discovery_list(discovery::resource_types(st.dir.base_url()))
}

async fn resource_type(State(st): State<AppState>, Id(name): Id) -> Response {
    discovery_one(
        discovery::resource_types(st.dir.base_url()),
        &name,
        "resource type",
    )
}

async fn schemas(State(st): State<AppState>) -> Response {
    discovery_list(discovery::schemas(st.dir.base_url()))
}

async fn schema(State(st): State<AppState>, Id(id): Id) -> Response {
    discovery_one(discovery::schemas(st.dir.base_url()), &id, "schema")
}

/// A discovery listing (Z25): every item on one page.
fn discovery_list(items: Vec<Value>) -> Response {
    scim_json(
        StatusCode::OK,
        &ListResponse::new(items.len() as u64, 1, items),
    )
}

/// The discovery item with this `id`, else a SCIM 404 naming `what` was asked.
fn discovery_one(items: Vec<Value>, id: &str, what: &str) -> Response {
    match items.into_iter().find(|t| t["id"] == id) {
        Some(t) => scim_json(StatusCode::OK, &t),
        None => scim_error(&ScimError::not_found(format!("no {what} {id}"))),
    }
}

// ---------------------------------------------------------------------------------------
// Admin handlers

fn admin_json(status: StatusCode, value: &impl serde::Serialize) -> Response {
    (status, axum::Json(value)).into_response()
}

fn admin_error(status: u16, code: &str, message: &str) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
    admin_json(status, &json!({"error": code, "message": message}))
}

fn console<T: serde::Serialize>(result: Result<T, ConsoleError>) -> Response {
    match result {
        Ok(v) => admin_json(StatusCode::OK, &v),
        Err(e) => admin_error(e.status(), e.code(), &e.to_string()),
    }
}

#[derive(Deserialize)]
struct NameBody {
    #[serde(rename = "displayName")]
    display_name: String,
}

#[derive(Deserialize)]
struct Members {
    members: Vec<String>,
}

#[derive(Deserialize)]
struct Admins {
    admins: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SettingsBody {
    #[serde(default)]
    scope: Option<Scope>,
    #[serde(default)]
    deleted_group_policy: Option<DeletedGroupPolicy>,
}

async fn admin_users(State(st): State<AppState>) -> Response {
    admin_json(StatusCode::OK, &st.admin.list_users())
}

async fn admin_groups(State(st): State<AppState>) -> Response {
    admin_json(StatusCode::OK, &st.admin.list_groups())
}

async fn admin_group(State(st): State<AppState>, Id(id): Id) -> Response {
    console(st.admin.group(&id))
}

async fn admin_create_group(st: State<AppState>, AdminJson(b): AdminJson<NameBody>) -> Response {
    match st.admin.create_group(&b.display_name) {
        Ok(g) => admin_json(StatusCode::CREATED, &g),
        Err(e) => admin_error(e.status(), e.code(), &e.to_string()),
    }
}

async fn admin_rename_group(st: State<AppState>, Id(id): Id, b: AdminJson<NameBody>) -> Response {
    console(st.admin.rename_group(&id, &b.0.display_name))
}

async fn admin_delete_group(State(st): State<AppState>, Id(id): Id) -> Response {
    match st.admin.delete_group(&id) {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => admin_error(e.status(), e.code(), &e.to_string()),
    }
}

async fn admin_add_members(st: State<AppState>, Id(id): Id, b: AdminJson<Members>) -> Response {
    console(st.admin.add_members(&id, &ids(&b.0.members)))
}

async fn admin_remove_members(st: State<AppState>, Id(id): Id, b: AdminJson<Members>) -> Response {
    console(st.admin.remove_members(&id, &ids(&b.0.members)))
}

async fn admin_set_admins(st: State<AppState>, Id(id): Id, b: AdminJson<Admins>) -> Response {
    console(st.admin.set_admins(&id, &ids(&b.0.admins)))
}

/// The user ids a console body names, as the console takes them.
fn ids(people: &[String]) -> Vec<&str> {
    people.iter().map(String::as_str).collect()
}

async fn admin_unlink(State(st): State<AppState>, Id(id): Id) -> Response {
    console(st.admin.unlink_group(&id))
}

async fn admin_settings(State(st): State<AppState>) -> Response {
    admin_json(StatusCode::OK, &st.admin.settings())
}

async fn admin_change_settings(st: State<AppState>, b: AdminJson<SettingsBody>) -> Response {
    if let Some(scope) = b.0.scope {
        st.admin.set_scope(scope);
    }
    if let Some(policy) = b.0.deleted_group_policy {
        st.admin.set_deleted_group_policy(policy);
    }
    admin_json(StatusCode::OK, &st.admin.settings())
}

async fn admin_enable(State(st): State<AppState>) -> Response {
    let token = st.admin.enable_provisioning();
    admin_json(StatusCode::OK, &json!({"token": token}))
}

async fn admin_disable(State(st): State<AppState>) -> Response {
    st.admin.disable_provisioning();
    admin_json(StatusCode::OK, &st.admin.settings())
}

async fn admin_rotate(State(st): State<AppState>) -> Response {
    console(st.admin.rotate_token().map(|token| json!({"token": token})))
}

/// The request log, so a client under test can be checked from any language.
async fn admin_requests(State(st): State<AppState>) -> Response {
    admin_json(
        StatusCode::OK,
        &json!({"requests": st.log.snapshot(), "forgotten": st.log.forgotten()}),
    )
}

async fn admin_clear_requests(State(st): State<AppState>) -> Response {
    st.log.clear();
    StatusCode::NO_CONTENT.into_response()
}

async fn admin_faults(State(st): State<AppState>) -> Response {
    admin_json(StatusCode::OK, &st.faults.list())
}

async fn admin_add_fault(st: State<AppState>, AdminJson(rule): AdminJson<FaultRule>) -> Response {
    match st.faults.add(rule) {
        Ok(id) => admin_json(StatusCode::CREATED, &json!({"id": id})),
        Err(e) => admin_error(400, "invalid_fault", &e.to_string()),
    }
}

async fn admin_clear_faults(State(st): State<AppState>) -> Response {
    st.faults.clear();
    StatusCode::NO_CONTENT.into_response()
}

async fn admin_remove_fault(State(st): State<AppState>, Id(id): Id) -> Response {
    if id.parse().is_ok_and(|id| st.faults.remove(id)) {
        StatusCode::NO_CONTENT.into_response()
    } else {
        admin_error(404, "fault_not_found", &format!("no fault rule {id}"))
    }
}

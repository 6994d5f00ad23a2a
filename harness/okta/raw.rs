//! A scenario's raw `scim:` request: what the Okta client cannot send as Okta would (its
//! own headers such as `Content-Type: application/json`, a body that is not JSON, no
//! credentials or a wrong token), sent through the client's one send path
//! ([`super::http::Sender::send_custom`]): the same timeout over the body read and its
//! decompression, the same body cap, the same redaction and transcript.

use reqwest::Method;
use serde_json::Value;

use super::http::{Custom, Payload, Reply};
use super::{ActionKind, ActionOutcome, ActionResult, Auth, OktaClient, OktaError};
use crate::contract::Body;

/// A raw request as a scenario wrote it, placeholders resolved.
#[derive(Debug, Clone)]
pub struct RawRequest {
    pub method: String,
    /// Relative to the base URL, query included (spaces, quotes and controls are encoded).
    pub path: String,
    /// A JSON string is sent as its text, anything else as JSON.
    pub body: Option<Value>,
    /// Added, or replacing Okta's header of the same name.
    pub headers: Vec<(String, String)>,
    /// Instead of the client's auth.
    pub auth: Option<Auth>,
}

impl OktaClient {
    /// Sends `req`; `ok` when the answer is 2xx, whatever its body. No answer, or a body that
    /// could not be read (too big, too slow, broken), fails the step with the reason.
    pub async fn raw_request(&self, req: &RawRequest) -> Result<ActionOutcome, OktaError> {
        let method = Method::from_bytes(req.method.trim().to_ascii_uppercase().as_bytes())
            .map_err(|_| OktaError::Method(req.method.clone()))?;
        let mut path = super::actions::raw_path(&req.path);
        if !path.starts_with('/') {
            path.insert(0, '/');
        }
        let body = req.body.as_ref().map(|b| match b {
            Value::String(text) => Payload::Text(text),
            json => Payload::Json(json),
        });
        let custom = Custom {
            headers: &req.headers,
            auth: req.auth.as_ref(),
        };
        let sender = &self.inner.sender;
        let mut log = Vec::new();
        let reply = sender
            .send_custom(method.clone(), &path, body, &custom, true, &mut log)
            .await;
        let ctx = format!("{method} {path}");
        let (ok, message, result) = match reply {
            Reply::Failed(why) => (false, Some(format!("{ctx}: {why}")), ActionResult::None),
            Reply::Answer { status, body } => {
                let ok = (200..300).contains(&status);
                let message = (!ok).then(|| super::actions::error_message(&ctx, status, &body));
                // The body as recorded (redacted), JSON or not.
                let body =
                    log.last()
                        .and_then(|e| e.response.as_ref())
                        .and_then(|r| match &r.body {
                            Body::Json(v) => Some(v.clone()),
                            Body::Empty | Body::Text(_) => None,
                        });
                (ok, message, ActionResult::Resource { status, body })
            }
        };
        Ok(ActionOutcome {
            action: ActionKind::Raw,
            ok,
            message: message.map(|m| sender.scrub(&m)),
            result,
            primary: log.len().checked_sub(1),
            exchanges: log,
        })
    }
}

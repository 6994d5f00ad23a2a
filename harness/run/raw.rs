//! Raw `scim:` requests that the Okta client cannot send as Okta would: extra or replacing
//! headers (`Content-Type: application/json`), a body that is not JSON, no credentials or a
//! wrong token. Sent with Okta's headers otherwise, recorded as an [`Exchange`] with the
//! secrets redacted, like the client's own transcript.

use std::time::{Duration, Instant};

use serde_json::Value;

use crate::okta::{
    ACCEPT, ACCEPT_CHARSET, ACCEPT_ENCODING, ActionKind, ActionOutcome, ActionResult, Auth, Body,
    CONTENT_TYPE, Exchange, REDACTED, Response, USER_AGENT,
};
use crate::report::redact;

/// The token sent by `auth: wrong`: well-formed, never issued.
pub(crate) const WRONG_TOKEN: &str = "zh-wrong-token-0000000000000000";

/// A raw request as the scenario wrote it, placeholders resolved.
pub(crate) struct RawRequest<'a> {
    pub method: &'a str,
    /// Relative to the base URL, query included (encoded as given, spaces and quotes
    /// escaped).
    pub path: String,
    pub body: Option<&'a Value>,
    pub headers: Vec<(String, String)>,
    pub auth: Auth,
}

pub(crate) async fn send(
    base_url: &str,
    req: RawRequest<'_>,
    timeout: Duration,
    insecure: bool,
) -> ActionOutcome {
    let mut headers: Vec<(String, String)> = vec![
        ("User-Agent".into(), USER_AGENT.into()),
        ("Accept".into(), ACCEPT.into()),
        ("Accept-Charset".into(), ACCEPT_CHARSET.into()),
        ("Accept-Encoding".into(), ACCEPT_ENCODING.into()),
    ];
    if req.body.is_some() {
        headers.push(("Content-Type".into(), CONTENT_TYPE.into()));
    }
    let secret = match &req.auth {
        Auth::Bearer(t) | Auth::Header(t) => Some(t.clone()),
        Auth::Basic { password, .. } => Some(password.clone()),
        Auth::None => None,
    };
    match &req.auth {
        Auth::Bearer(t) => headers.push(("Authorization".into(), format!("Bearer {t}"))),
        Auth::Header(t) => headers.push(("Authorization".into(), t.clone())),
        Auth::Basic { user, password } => {
            use base64::Engine as _;
            let v = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
            headers.push(("Authorization".into(), format!("Basic {v}")));
        }
        Auth::None => {}
    }
    for (k, v) in &req.headers {
        headers.retain(|(h, _)| !h.eq_ignore_ascii_case(k));
        headers.push((k.clone(), v.clone()));
    }
    let path = encode_path(&req.path);
    let bytes = match req.body {
        None => None,
        Some(Value::String(s)) => Some(s.clone().into_bytes()),
        Some(v) => Some(serde_json::to_vec(v).expect("a Value always serializes")),
    };
    // As the Okta client records: the known secret wherever it occurs, `password` values,
    // and credentials in headers; the renderers scrub by pattern on the way out.
    let scrub = |s: &str| -> String {
        match &secret {
            Some(t) if t.len() >= 4 => s.replace(t.as_str(), REDACTED),
            _ => s.to_owned(),
        }
    };
    let scrub_json = |v: &Value| -> Value { scrub_value(v, &scrub) };
    let mut exchange = Exchange {
        method: req.method.to_owned(),
        path: path.clone(),
        request_headers: headers
            .iter()
            .map(|(k, v)| (k.clone(), scrub(&redact::scrub_header(k, v))))
            .collect(),
        request_body: req.body.map(|b| match b {
            Value::String(s) => Body::Text(scrub(s)),
            v => Body::Json(scrub_json(v)),
        }),
        response: None,
        error: None,
        duration: Duration::ZERO,
    };
    let mut outcome = ActionOutcome {
        action: ActionKind::Raw,
        ok: false,
        message: None,
        result: ActionResult::None,
        primary: Some(0),
        exchanges: Vec::new(),
    };
    let client = match client(insecure) {
        Ok(c) => c,
        Err(e) => {
            outcome.message = Some(format!("cannot build the HTTP client: {e}"));
            outcome.primary = None;
            return outcome;
        }
    };
    let Ok(method) = reqwest::Method::from_bytes(req.method.as_bytes()) else {
        outcome.message = Some(format!("invalid HTTP method {:?}", req.method));
        outcome.primary = None;
        return outcome;
    };
    let mut builder = client
        .request(method, format!("{}{path}", base_url.trim_end_matches('/')))
        .timeout(timeout);
    for (k, v) in &headers {
        builder = builder.header(k.as_str(), v.as_str());
    }
    if let Some(b) = bytes {
        builder = builder.body(b);
    }
    let started = Instant::now();
    match builder.send().await {
        Err(e) => {
            let why = scrub(&e.to_string());
            exchange.error = Some(why.clone());
            outcome.message = Some(format!("{} {path}: {why}", req.method));
        }
        Ok(resp) => {
            let status = resp.status().as_u16();
            let resp_headers = resp
                .headers()
                .iter()
                .map(|(k, v)| {
                    (
                        k.as_str().to_owned(),
                        scrub(&String::from_utf8_lossy(v.as_bytes())),
                    )
                })
                .collect();
            let body = match resp.bytes().await {
                Ok(b) if b.is_empty() => Body::Empty,
                Ok(b) => match serde_json::from_slice::<Value>(&b) {
                    Ok(v) => Body::Json(scrub_json(&v)),
                    Err(_) => Body::Text(scrub(&String::from_utf8_lossy(&b))),
                },
                Err(e) => {
                    exchange.error = Some(scrub(&e.to_string()));
                    Body::Empty
                }
            };
            outcome.ok = (200..300).contains(&status);
            if !outcome.ok {
                let detail = match &body {
                    Body::Json(v) => v.get("detail").and_then(Value::as_str).map(str::to_owned),
                    _ => None,
                };
                outcome.message = Some(match detail {
                    Some(d) => format!(
                        "{} {path}: {status}. Errors reported by remote server: {d}",
                        req.method
                    ),
                    None => format!("{} {path}: {status}", req.method),
                });
            }
            outcome.result = ActionResult::Resource {
                status,
                body: match &body {
                    Body::Json(v) => Some(v.clone()),
                    _ => None,
                },
            };
            exchange.response = Some(Response {
                status,
                headers: resp_headers,
                body,
            });
        }
    }
    exchange.duration = started.elapsed();
    outcome.exchanges.push(exchange);
    outcome
}

/// One HTTP client per process (and TLS setting): building one loads the TLS roots, a few
/// milliseconds each, too slow for every raw request. Connections are not pooled, so a
/// request never lands on a connection to an earlier scenario's (stopped) mock; the
/// per-request timeout bounds the connect too.
fn client(insecure: bool) -> Result<reqwest::Client, String> {
    static CLIENTS: [std::sync::OnceLock<Result<reqwest::Client, String>>; 2] =
        [std::sync::OnceLock::new(), std::sync::OnceLock::new()];
    CLIENTS[usize::from(insecure)]
        .get_or_init(|| {
            reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .pool_max_idle_per_host(0)
                .danger_accept_invalid_certs(insecure)
                .build()
                .map_err(|e| e.to_string())
        })
        .clone()
}

/// Spaces, quotes and control characters escaped; the rest as the scenario wrote it.
fn encode_path(p: &str) -> String {
    let mut out = String::with_capacity(p.len());
    for c in p.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '"' => out.push_str("%22"),
            c if c.is_control() => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
            c => out.push(c),
        }
    }
    if !out.starts_with('/') {
        out.insert(0, '/');
    }
    out
}

/// `password` members redacted and `scrub` applied to every string.
fn scrub_value(v: &Value, scrub: &dyn Fn(&str) -> String) -> Value {
    match v {
        Value::String(s) => Value::String(scrub(s)),
        Value::Array(a) => Value::Array(a.iter().map(|x| scrub_value(x, scrub)).collect()),
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, x)| {
                    if k.eq_ignore_ascii_case("password") {
                        (k.clone(), Value::String(REDACTED.to_owned()))
                    } else {
                        (k.clone(), scrub_value(x, scrub))
                    }
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

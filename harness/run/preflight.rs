//! Before any scenario runs against a live target: can Okta even be set up with it?
//!
//! Okta's admin saves a SCIM app only after "Test API Credentials" (`GET
//! /Users?startIndex=1&count=2`, reference §2.1) answers 200 with a ListResponse. When it does
//! not, every scenario would fail for the same reason, so the run stops at once with one
//! message that says what is wrong and what to try, exit code 3
//! ([`ExitCode::BrokenRun`](crate::contract::ExitCode::BrokenRun)), and a report that holds the outcome
//! (one broken `preflight` entry with the requests, so `--format json|junit --output FILE`
//! still writes a file CI can read). What it tells apart:
//!
//! - nothing listens at the address (a TCP connect within the timeout);
//! - `https://` against a plain-HTTP server, or `http://` against a TLS one;
//! - a TLS certificate the machine does not trust (`--insecure` accepts any);
//! - the credential refused (401/403);
//! - a wrong base path: a 404, or a 200 that is not a SCIM ListResponse (an HTML page, a web
//!   app's JSON) on `/Users`;
//! - a redirect (Okta follows none), a 5xx, or any other non-2xx answer;
//! - a body that is not JSON, or JSON that is not a ListResponse.

use std::time::{Duration, SystemTime};

use crate::okta::{Auth, Body, Exchange};
use crate::report::{RunReport, ScenarioReport, ScenarioStatus, StepReport, StepStatus};

use super::{External, RunOptions};

/// Why Okta could not be set up with the target: one message, and the requests that show it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Failure {
    pub message: String,
    pub exchanges: Vec<Exchange>,
}

/// What the report's one entry is called.
pub(crate) const PREFLIGHT: &str = "preflight";

/// Checks that something answers and that Okta's credential test passes.
pub(crate) async fn check(spec: &External, opts: &RunOptions) -> Result<(), Failure> {
    let fail = |message: String| Failure {
        message,
        exchanges: Vec::new(),
    };
    reachable(&spec.base_url, opts.timeout)
        .await
        .map_err(|e| fail(format!("the target is unreachable: {e}")))?;
    let auth = match &spec.token {
        Some(t) => Auth::from_mode(opts.auth, t),
        None => Auth::None,
    };
    // No people: the Okta ids do not matter. Group Push off: the credential test lists
    // users only, as for an app without Group Push (a groups-only scope is the scenarios'
    // business).
    let okta = super::okta_client(
        &spec.base_url,
        auth,
        opts.app,
        &crate::scenario::OktaSettings {
            push_groups: false,
            ..Default::default()
        },
        opts,
        spec.insecure,
        String::new(),
    )
    .map_err(fail)?;
    let outcome = okta.test_credentials().await;
    if outcome.ok {
        return Ok(());
    }
    let okta_says = outcome
        .message
        .as_deref()
        .map(|m| format!(" Okta says: {m}"))
        .unwrap_or_default();
    let Some(x) = outcome.exchanges.last() else {
        return Err(fail(format!(
            "Okta's credential test failed before sending anything.{okta_says}"
        )));
    };
    let message = format!(
        "Okta's credential test (GET {}) failed: {}.{okta_says}",
        x.path,
        diagnose(spec, x)
    );
    Err(Failure {
        message,
        exchanges: outcome.exchanges,
    })
}

/// What a failed credential-test exchange means for the person running the harness.
fn diagnose(spec: &External, x: &Exchange) -> String {
    let https = spec.base_url.to_ascii_lowercase().starts_with("https://");
    let Some(r) = &x.response else {
        let err = x.error.as_deref().unwrap_or("no answer");
        let e = err.to_ascii_lowercase();
        if https && tls_spoken_to_plain_http(&e) {
            return format!(
                "the server at this address does not speak TLS ({err}); is it a plain-HTTP server? try http:// instead of https://"
            );
        }
        if https && e.contains("certificate") {
            return format!(
                "the server's TLS certificate is not trusted ({err}); for a test server with a self-signed certificate, pass --insecure to accept any certificate"
            );
        }
        if !https && (e.contains("connection reset") || e.contains("connection closed")) {
            return format!(
                "the connection was closed without an HTTP answer ({err}); is it a TLS server? try https://"
            );
        }
        return format!("no HTTP answer ({err})");
    };
    let status = r.status;
    let header = |name: &str| {
        r.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    };
    match status {
        401 | 403 => {
            let given = if spec.token.is_some() {
                "check --token / --token-env and --auth"
            } else {
                "no credential was given: pass --token or --token-env"
            };
            format!("the target refused the credential ({status}); {given}")
        }
        404 => format!(
            "{status} Not Found: the base URL is probably wrong; it must be the SCIM root, below which /Users is the Users endpoint (e.g. https://host/scim/v2), as given: {}",
            spec.base_url
        ),
        300..=399 => format!(
            "{status} redirect to {}: Okta follows no redirects; give the final URL as --target",
            header("location").unwrap_or("(no Location)")
        ),
        500..=599 => {
            format!("{status}: the server failed Okta's first request, so Okta cannot save the app")
        }
        200..=299 => {
            let kind = header("content-type").unwrap_or("no Content-Type");
            match &r.body {
                Body::Json(_) => format!(
                    "{status} with JSON that is not a SCIM ListResponse: is {} the SCIM base URL?",
                    spec.base_url
                ),
                Body::Text(_) | Body::Empty => format!(
                    "{status} with a body that is not JSON ({kind}): this is not a SCIM endpoint; is {} the SCIM base URL?",
                    spec.base_url
                ),
            }
        }
        _ => format!("{status}: Okta needs a 200 with a ListResponse to save the app"),
    }
}

/// rustls' and hyper's words for a TLS handshake answered in plain HTTP.
fn tls_spoken_to_plain_http(e: &str) -> bool {
    [
        "invalidcontenttype",
        "corrupt message",
        "wrong version number",
        "http request to https",
        "unexpected eof",
        "tls handshake eof",
        "invalid content type",
    ]
    .iter()
    .any(|w| e.contains(w))
}

/// The report of a run that stopped at the preflight: one broken entry that says why, with
/// the requests that show it.
pub(crate) fn report(failure: &Failure, opts: &RunOptions) -> RunReport {
    let mut scenario = ScenarioReport {
        file: PREFLIGHT.to_owned(),
        case: String::new(),
        title: "Okta can set up the app: the target answers Okta's credential test".to_owned(),
        rules: vec!["okta:test-credentials".to_owned()],
        profiles: vec![opts.profile.as_str().to_owned()],
        app: Some(opts.app.to_string()),
        status: ScenarioStatus::Broken,
        duration: Duration::ZERO,
        steps: Vec::new(),
        skip_reason: None,
        error: Some(failure.message.clone()),
    };
    if !failure.exchanges.is_empty() {
        scenario.steps.push(StepReport {
            index: 1,
            label: "test_credentials".to_owned(),
            line: None,
            status: StepStatus::Failed,
            skip_reason: None,
            findings: Vec::new(),
            exchanges: failure.exchanges.clone(),
            okta_message: Some(failure.message.clone()),
        });
    }
    // The wire checks see the credential test too (an HTML error page is worth saying).
    super::wire::check_steps(&mut scenario.steps, opts.profile);
    super::wire::check_throttling(&mut scenario.steps);
    RunReport {
        target: opts.target.describe(),
        profile: opts.profile.as_str().to_owned(),
        app: opts.app.to_string(),
        started_at: Some(crate::report::rfc3339_utc(SystemTime::now())),
        duration: Duration::ZERO,
        scenarios: vec![scenario],
        stopped_early: None,
    }
}

/// Whether something answers at the target's address (a TCP connect within `timeout`).
pub(crate) async fn reachable(base_url: &str, timeout: Duration) -> Result<(), String> {
    let url = url::Url::parse(base_url).map_err(|e| format!("invalid target URL: {e}"))?;
    let host = url
        .host_str()
        .ok_or_else(|| "the target URL has no host".to_owned())?
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_owned();
    let port = url
        .port_or_known_default()
        .ok_or_else(|| "the target URL has no port".to_owned())?;
    match tokio::time::timeout(
        timeout,
        tokio::net::TcpStream::connect((host.as_str(), port)),
    )
    .await
    {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(e)) => Err(format!("cannot connect to {host}:{port}: {e}")),
        Err(_) => Err(format!(
            "cannot connect to {host}:{port}: no answer within {} s",
            timeout.as_secs_f64()
        )),
    }
}

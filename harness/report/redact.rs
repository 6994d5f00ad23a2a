//! Secret scrubbing on the way out: the last line of defence behind the transcript's own
//! redaction.
//!
//! Every renderer passes the report through [`scrubbed`] first, so whatever reaches a
//! terminal, a JSON or JUnit file or a snapshot has:
//! - secret-bearing headers (`Authorization`, `Cookie`, `X-Api-Key`, any header whose name
//!   mentions a token, secret, password or key) reduced to their scheme plus [`REDACTED`](crate::contract::REDACTED);
//! - JSON members whose key mentions a password, secret, token or API key, and the `value` of
//!   a PATCH operation whose `path` is one of those, replaced by [`REDACTED`](crate::contract::REDACTED);
//! - in free text (text bodies, error messages, paths, Okta messages), `Bearer …`, `Basic …`,
//!   `SSWS …` credentials and `password=…` / `"token": "…"` style pairs redacted;
//! - every known secret the caller registered ([`redact_known`]) replaced wherever it occurs.

use crate::contract::redact::{clean_text, scrub_header, scrub_json_with};

use super::{Body, Exchange, RunReport};

/// A copy of `report` with every secret the patterns recognise redacted.
pub(crate) fn scrubbed(report: &RunReport) -> RunReport {
    let mut r = report.clone();
    scrub_report(&mut r, &[]);
    r
}

/// Replaces every occurrence of each of `secrets` anywhere in `report` (and applies the
/// pattern scrubbing too). Empty secrets are ignored.
pub(crate) fn redact_known(report: &mut RunReport, secrets: &[&str]) {
    scrub_report(report, secrets);
}

fn scrub_report(r: &mut RunReport, known: &[&str]) {
    let known: Vec<&str> = known.iter().copied().filter(|s| !s.is_empty()).collect();
    let text = |s: &mut String| clean_text(s, &known);
    text(&mut r.target);
    text(&mut r.profile);
    text(&mut r.app);
    for s in &mut r.scenarios {
        text(&mut s.file);
        text(&mut s.case);
        text(&mut s.title);
        s.rules.iter_mut().for_each(text);
        s.profiles.iter_mut().for_each(text);
        s.app.iter_mut().for_each(text);
        s.skip_reason.iter_mut().for_each(text);
        s.error.iter_mut().for_each(text);
        for st in &mut s.steps {
            text(&mut st.label);
            st.skip_reason.iter_mut().for_each(text);
            st.okta_message.iter_mut().for_each(text);
            for f in &mut st.findings {
                text(&mut f.what);
                f.rule.iter_mut().for_each(text);
                f.hint.iter_mut().for_each(text);
                scrub_json_with(&mut f.expected, &known);
                scrub_json_with(&mut f.actual, &known);
            }
            for e in &mut st.exchanges {
                scrub_exchange_with(e, &known);
            }
        }
    }
}

fn scrub_exchange_with(e: &mut Exchange, known: &[&str]) {
    clean_text(&mut e.method, known);
    clean_text(&mut e.path, known);
    scrub_headers(&mut e.request_headers, known);
    if let Some(b) = &mut e.request_body {
        scrub_body(b, known);
    }
    if let Some(resp) = &mut e.response {
        scrub_headers(&mut resp.headers, known);
        scrub_body(&mut resp.body, known);
    }
    if let Some(err) = &mut e.error {
        clean_text(err, known);
    }
}

fn scrub_headers(headers: &mut [(String, String)], known: &[&str]) {
    for (name, value) in headers.iter_mut() {
        clean_text(name, known);
        *value = scrub_header(name, value).into_owned();
        clean_text(value, known);
    }
}

fn scrub_body(b: &mut Body, known: &[&str]) {
    match b {
        Body::Empty => {}
        Body::Json(v) => scrub_json_with(v, known),
        Body::Text(t) => clean_text(t, known),
    }
}

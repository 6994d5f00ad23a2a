//! A token or password planted anywhere in a report never reaches any rendered output:
//! pretty (plain and coloured), JSON, JUnit, the progress line and the snapshot.

use serde_json::json;
use zinc_harness::report::pretty::{self, PrettyOptions};
use zinc_harness::report::snapshot::{FinalState, NameMap, normalize_scenario};
use zinc_harness::report::{Body, Finding, RunReport, json, junit};

use super::fixtures::*;

const TOKEN: &str = "tok_PLANTED_a1b2c3d4e5f6";
const PASSWORD: &str = "Hunter2-Planted!";
/// Distinctive pieces: a partial leak is a leak.
const FRAGMENTS: &[&str] = &["PLANTED", "a1b2c3d4e5f6", "Hunter2", "Planted"];

fn planted() -> RunReport {
    let mut s = failed();
    let e = &mut s.steps[0].exchanges[0];
    e.path = format!("/Users?access_token={TOKEN}&startIndex=1");
    e.request_headers = vec![
        ("Authorization".into(), format!("Bearer {TOKEN}")),
        ("X-Api-Key".into(), TOKEN.into()),
        ("Cookie".into(), format!("session={TOKEN}")),
        ("Content-Type".into(), "application/scim+json".into()),
    ];
    e.request_body = Some(Body::Json(json!({
        "userName": "alice@example.com",
        "password": PASSWORD,
        "Operations": [
            {"op": "replace", "path": "password", "value": PASSWORD},
            {"op": "replace", "value": {"password": PASSWORD, "active": true}}
        ],
        "credentials": {"apiToken": TOKEN}
    })));
    let r = e.response.as_mut().unwrap();
    r.headers
        .push(("Set-Cookie".into(), format!("sid={TOKEN}; HttpOnly")));
    r.headers.push((
        "WWW-Authenticate".into(),
        format!("Bearer realm=\"zinc\", error=\"invalid_token\", token={TOKEN}"),
    ));
    r.body = Body::Json(json!({
        "detail": format!("bad credentials: Bearer {TOKEN}"),
        "client_secret": TOKEN,
        "echo": format!("{{\"password\":\"{PASSWORD}\"}}")
    }));
    e.error = Some(format!(
        "read failed after sending Authorization: Bearer {TOKEN}"
    ));

    let mut text = s.steps[0].exchanges[0].clone();
    text.request_body = Some(Body::Text(format!(
        "userName=a&password={PASSWORD}&token={TOKEN}"
    )));
    text.response.as_mut().unwrap().body = Body::Text(format!(
        "<html>echo: password: {PASSWORD} Basic dXNlcjp{TOKEN}</html>"
    ));
    s.steps[1].exchanges.push(text);

    s.steps[0].okta_message = Some(format!("Error authenticating: password: {PASSWORD}"));
    s.steps[1].findings.push(
        Finding::new(
            "body",
            format!("token={TOKEN}"),
            json!({"password": PASSWORD}),
        )
        .hint(format!("never echo password={PASSWORD}")),
    );
    let mut b = broken();
    b.error = Some(format!(
        "connection refused; sent Authorization: Bearer {TOKEN}"
    ));
    let mut sk = skipped();
    sk.skip_reason = Some(format!("needs secret: {TOKEN}"));
    report(vec![passed(), s, b, sk])
}

fn outputs(r: &RunReport) -> Vec<(&'static str, String)> {
    let colour = PrettyOptions {
        color: true,
        ..PrettyOptions::plain()
    };
    let mut out = vec![
        ("pretty", pretty::render(r, &PrettyOptions::plain())),
        ("pretty in colour", pretty::render(r, &colour)),
        ("json", json::render(r)),
        ("junit", junit::render(r)),
    ];
    for s in &r.scenarios {
        out.push(("progress line", pretty::scenario_line(s, false)));
        let snap = normalize_scenario(s, &NameMap::new(), &FinalState::default());
        out.push(("snapshot", serde_json::to_string(&snap).unwrap()));
    }
    out
}

fn assert_clean(outputs: &[(&str, String)]) {
    for (name, text) in outputs {
        for secret in [TOKEN, PASSWORD].iter().chain(FRAGMENTS) {
            assert!(
                !text.contains(secret),
                "{secret:?} leaked into the {name} output:\n{text}"
            );
        }
    }
}

#[test]
fn planted_secrets_never_reach_any_output() {
    let r = planted();
    // The plant took: the raw report does hold them.
    assert!(format!("{r:?}").contains(TOKEN) && format!("{r:?}").contains(PASSWORD));
    let outs = outputs(&r);
    assert_clean(&outs);
    // Redaction keeps what a reader needs: the scheme, the shape.
    let pretty = &outs[0].1;
    assert!(
        pretty.contains("authorization: Bearer <redacted>"),
        "{pretty}"
    );
    assert!(pretty.contains("Bearer realm=\"zinc\""), "{pretty}");
}

#[test]
fn known_secrets_are_redacted_wherever_they_hide() {
    // Free text no pattern can recognise: only the list of known secrets catches it.
    let mut r = planted();
    r.scenarios[0].title = format!("about {TOKEN} and {PASSWORD}");
    r.scenarios[0].steps[0].label = format!("assign_user {PASSWORD}");
    r.scenarios[1].steps[1].exchanges[0].path = format!("/Users/{TOKEN}");
    r.target = format!("https://scim.example.com/{TOKEN}");
    r.redact_secrets(&[TOKEN, PASSWORD, ""]);
    assert!(!format!("{r:?}").contains(TOKEN));
    assert_clean(&outputs(&r));
    assert!(r.scenarios[0].title.contains("<redacted>"));
}

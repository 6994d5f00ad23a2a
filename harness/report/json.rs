//! The run report as JSON: a stable, versioned shape for CI systems and scripts, documented
//! in `docs/report-json.md`.
//!
//! The document is built from view types of this module rather than by serializing the
//! model, so the model can grow without the published shape changing by accident. Fields are
//! always present (`null` when unknown), durations are whole milliseconds, statuses are
//! lower-case strings. A change that removes or retypes a field bumps [`SCHEMA_VERSION`];
//! adding a field does not.

use serde::Serialize;
use serde_json::Value;

use super::{
    Body, Counts, Exchange, Finding, RootCause, RunReport, ScenarioReport, ScenarioStatus,
    StepReport, StepStatus, StopReason, redact,
};

/// The version of the JSON shape, the document's `schema_version`.
pub const SCHEMA_VERSION: u32 = 1;

/// The report as a JSON value (secrets scrubbed).
pub fn to_value(report: &RunReport) -> Value {
    let report = redact::scrubbed(report);
    serde_json::to_value(Doc::from(&report)).expect("the report's view types always serialize")
}

/// The report as pretty-printed JSON text, ending with a newline (secrets scrubbed).
pub fn render(report: &RunReport) -> String {
    let mut s =
        serde_json::to_string_pretty(&to_value(report)).expect("a JSON value always serializes");
    s.push('\n');
    s
}

#[derive(Serialize)]
struct Doc<'a> {
    schema_version: u32,
    tool: &'static str,
    tool_version: &'static str,
    target: &'a str,
    profile: &'a str,
    app: &'a str,
    started_at: Option<&'a str>,
    duration_ms: u64,
    exit_code: u8,
    summary: Summary,
    stopped_early: Option<Stopped<'a>>,
    root_causes: Vec<RootCause>,
    scenarios: Vec<Scenario<'a>>,
}

/// Why the run ended before every scenario ran (`null` when it did not).
#[derive(Serialize)]
struct Stopped<'a> {
    /// `interrupted` (Ctrl-C) or `fail_fast`.
    reason: &'static str,
    /// The scenario whose failure stopped a `--fail-fast` run.
    scenario: Option<&'a str>,
    not_started: usize,
    message: String,
}

#[derive(Serialize)]
struct Summary {
    total: usize,
    passed: usize,
    failed: usize,
    skipped: usize,
    broken: usize,
    /// Findings of severity `warn` in scenarios that ran (never counted as failures).
    warnings: usize,
}

impl From<Counts> for Summary {
    fn from(c: Counts) -> Self {
        Summary {
            total: c.total,
            passed: c.passed,
            failed: c.failed,
            skipped: c.skipped,
            broken: c.broken,
            warnings: c.warnings,
        }
    }
}

#[derive(Serialize)]
struct Scenario<'a> {
    file: &'a str,
    case: &'a str,
    title: &'a str,
    rules: &'a [String],
    profiles: &'a [String],
    app: Option<&'a str>,
    status: ScenarioStatus,
    duration_ms: u64,
    skip_reason: Option<&'a str>,
    error: Option<&'a str>,
    warnings: usize,
    steps: Vec<Step<'a>>,
}

#[derive(Serialize)]
struct Step<'a> {
    index: usize,
    label: &'a str,
    line: Option<usize>,
    status: StepStatus,
    skip_reason: Option<&'a str>,
    okta_message: Option<&'a str>,
    findings: &'a [Finding],
    exchanges: Vec<ExchangeView<'a>>,
}

#[derive(Serialize)]
struct ExchangeView<'a> {
    method: &'a str,
    path: &'a str,
    request: RequestView<'a>,
    response: Option<ResponseView<'a>>,
    error: Option<&'a str>,
    duration_ms: u64,
    /// Only on a 429: what Okta would do next (its retry schedule).
    #[serde(skip_serializing_if = "Option::is_none")]
    okta_retry: Option<&'a str>,
}

#[derive(Serialize)]
struct RequestView<'a> {
    headers: Vec<Header<'a>>,
    body: BodyView<'a>,
}

#[derive(Serialize)]
struct ResponseView<'a> {
    status: u16,
    headers: Vec<Header<'a>>,
    body: BodyView<'a>,
}

#[derive(Serialize)]
struct Header<'a> {
    name: &'a str,
    value: &'a str,
}

/// `{"kind": "empty" | "json" | "text", "value": …}`; `value` is `null` for `empty`.
#[derive(Serialize)]
struct BodyView<'a> {
    kind: &'static str,
    value: Option<BodyValue<'a>>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum BodyValue<'a> {
    Json(&'a Value),
    Text(&'a str),
}

fn ms(d: std::time::Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

impl<'a> From<&'a RunReport> for Doc<'a> {
    fn from(r: &'a RunReport) -> Self {
        Doc {
            schema_version: SCHEMA_VERSION,
            tool: "zinc-harness",
            tool_version: env!("CARGO_PKG_VERSION"),
            target: &r.target,
            profile: &r.profile,
            app: &r.app,
            started_at: r.started_at.as_deref(),
            duration_ms: ms(r.duration),
            exit_code: r.exit_code().code(),
            summary: r.counts().into(),
            stopped_early: r.stopped_early.as_ref().map(|st| Stopped {
                reason: st.reason.as_str(),
                scenario: match &st.reason {
                    StopReason::FailFast { scenario } => Some(scenario),
                    StopReason::Interrupted => None,
                },
                not_started: st.not_started,
                message: st.message(),
            }),
            root_causes: r.root_causes(),
            scenarios: r.scenarios.iter().map(Scenario::from).collect(),
        }
    }
}

impl<'a> From<&'a ScenarioReport> for Scenario<'a> {
    fn from(s: &'a ScenarioReport) -> Self {
        Scenario {
            file: &s.file,
            case: &s.case,
            title: &s.title,
            rules: &s.rules,
            profiles: &s.profiles,
            app: s.app.as_deref(),
            status: s.status,
            duration_ms: ms(s.duration),
            skip_reason: s.skip_reason.as_deref(),
            error: s.error.as_deref(),
            warnings: s.warning_count(),
            steps: s.steps.iter().map(Step::from).collect(),
        }
    }
}

impl<'a> From<&'a StepReport> for Step<'a> {
    fn from(s: &'a StepReport) -> Self {
        Step {
            index: s.index,
            label: &s.label,
            line: s.line,
            status: s.status,
            skip_reason: s.skip_reason.as_deref(),
            okta_message: s.okta_message.as_deref(),
            findings: &s.findings,
            exchanges: s.exchanges.iter().map(ExchangeView::from).collect(),
        }
    }
}

fn headers(h: &[(String, String)]) -> Vec<Header<'_>> {
    h.iter()
        .map(|(name, value)| Header { name, value })
        .collect()
}

fn body(b: Option<&Body>) -> BodyView<'_> {
    match b {
        None | Some(Body::Empty) => BodyView {
            kind: "empty",
            value: None,
        },
        Some(Body::Json(v)) => BodyView {
            kind: "json",
            value: Some(BodyValue::Json(v)),
        },
        Some(Body::Text(t)) => BodyView {
            kind: "text",
            value: Some(BodyValue::Text(t)),
        },
    }
}

impl<'a> From<&'a Exchange> for ExchangeView<'a> {
    fn from(e: &'a Exchange) -> Self {
        ExchangeView {
            method: &e.method,
            path: &e.path,
            request: RequestView {
                headers: headers(&e.request_headers),
                body: body(e.request_body.as_ref()),
            },
            response: e.response.as_ref().map(|r| ResponseView {
                status: r.status,
                headers: headers(&r.headers),
                body: body(Some(&r.body)),
            }),
            error: e.error.as_deref(),
            duration_ms: ms(e.duration),
            okta_retry: e.okta_retry.as_deref(),
        }
    }
}

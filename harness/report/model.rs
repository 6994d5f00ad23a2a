//! The report model: a run, its scenarios, steps and findings; the counts, root causes and exit code they call for.

use super::{Exchange, redact};
use std::collections::BTreeMap;
use std::time::Duration;

use serde::Serialize;

use crate::contract::{ExitCode, RuleId, Severity, catalogue};

/// The whole run: where it ran and what each scenario did.
#[derive(Debug, Clone, PartialEq)]
pub struct RunReport {
    /// What the scenarios ran against: `"embedded mock"` or the target's URL. Never a token.
    pub target: String,
    /// The expectation profile: `zinc` or `okta`.
    pub profile: String,
    /// The Okta app personality: `oin` or `aiw`.
    pub app: String,
    /// When the run started, RFC 3339 in UTC (e.g. `2026-11-28T12:00:00Z`), when known.
    pub started_at: Option<String>,
    /// Wall-clock time of the whole run.
    pub duration: Duration,
    /// The scenarios in the order they were run (or listed).
    pub scenarios: Vec<ScenarioReport>,
    /// Set when the run stopped before every scenario ran (Ctrl-C, `--fail-fast`).
    pub stopped_early: Option<StoppedEarly>,
}

/// Why a run ended before every scenario ran, and how many did not start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoppedEarly {
    pub reason: StopReason,
    /// Scenarios that never started (reported skipped after `--fail-fast`, broken after
    /// Ctrl-C).
    pub not_started: usize,
}

/// Why a run is stopping early (raised through [`crate::run::Interrupt`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StopReason {
    /// Ctrl-C: no new step started; the scenarios cut short are broken.
    Interrupted,
    /// `--fail-fast`: `scenario` (its case or file) failed or broke; no new scenario started,
    /// the ones under way ran to their end.
    FailFast { scenario: String },
}

impl StopReason {
    /// `interrupted` or `fail_fast`, as the JSON report names it.
    pub fn as_str(&self) -> &'static str {
        match self {
            StopReason::Interrupted => "interrupted",
            StopReason::FailFast { .. } => "fail_fast",
        }
    }
}

impl StoppedEarly {
    /// One line for the reader, e.g. `--fail-fast: T3 failed; 40 scenarios did not start
    /// (reported skipped)`.
    pub fn message(&self) -> String {
        let n = self.not_started;
        let started = format!(
            "{n} {} did not start",
            if n == 1 { "scenario" } else { "scenarios" }
        );
        match &self.reason {
            StopReason::Interrupted => format!(
                "interrupted (Ctrl-C): no new step started, the scenarios under way were cut short (broken) and cleaned up; {started}{}",
                if n > 0 { " (reported broken)" } else { "" }
            ),
            StopReason::FailFast { scenario } => format!(
                "--fail-fast: {scenario} failed, so no new scenario started (those under way ran to their end); {started}{}",
                if n > 0 { " (reported skipped)" } else { "" }
            ),
        }
    }
}

/// What happened to one scenario file.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioReport {
    /// The scenario file as given on the command line or found in the folder,
    /// e.g. `scenarios/troubleshooting/t3-username-immutable.yaml`.
    pub file: String,
    /// The troubleshooting case (`T1`…`T9`) or an `okta-*` id; empty when the file has none.
    pub case: String,
    /// The scenario's one-line title.
    pub title: String,
    /// The rule ids the scenario proves (`Z7`, `okta:…`).
    pub rules: Vec<String>,
    /// The profiles the scenario belongs to (`zinc`, `okta`).
    pub profiles: Vec<String>,
    /// The Okta app personality the scenario ran as, when it fixes one.
    pub app: Option<String>,
    /// The outcome.
    pub status: ScenarioStatus,
    /// Wall-clock time of the scenario.
    pub duration: Duration,
    /// Every step, run or not, in file order.
    pub steps: Vec<StepReport>,
    /// Why the whole scenario was skipped (e.g. it needs the Admin Console of the mock).
    pub skip_reason: Option<String>,
    /// Why the scenario could not run to the end (the run broke, not a check): set when
    /// `status` is [`ScenarioStatus::Broken`].
    pub error: Option<String>,
}

/// One step of a scenario and what its checks found.
#[derive(Debug, Clone, PartialEq)]
pub struct StepReport {
    /// 1-based position of the step in the scenario.
    pub index: usize,
    /// What the step does, e.g. `assign_user alice` or `console: unlink_group eng`.
    pub label: String,
    /// The line of the step in the scenario file (1-based), when known.
    pub line: Option<usize>,
    /// The outcome.
    pub status: StepStatus,
    /// Why the step was skipped (e.g. `needs the Admin Console; the target has none`).
    pub skip_reason: Option<String>,
    /// Every failed expectation of the step; empty for a passed or skipped step.
    pub findings: Vec<Finding>,
    /// The HTTP exchanges the step made, in order (secrets already redacted).
    pub exchanges: Vec<Exchange>,
    /// What Okta would show the administrator after the step (e.g. the error banner of a
    /// failed credential test), when the step is an Okta action.
    pub okta_message: Option<String>,
}

/// One failed expectation: what was checked, what was expected, what came back, and why it
/// matters.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// The expectation's name, e.g. `status`, `scimType`, `body.userName`, `new_id`.
    pub what: String,
    /// What the scenario expected (a number, a string or a JSON fragment).
    pub expected: serde_json::Value,
    /// What came back (`null` when nothing did).
    pub actual: serde_json::Value,
    /// The rule the expectation checks: a Zinc rule id (`Z7`) or an Okta expectation
    /// (`okta:…`).
    pub rule: Option<String>,
    /// A one-line fix hint for the implementer of the target.
    pub hint: Option<String>,
    /// `fail` (the step fails) or `warn` (shown, never fails a step or changes the exit
    /// code): the cited rule's severity in the catalogue; `fail` when no rule is cited.
    pub severity: Severity,
    /// Where the requirement comes from (`okta-client-reference.md §5`, `RFC 7644 §3.12`,
    /// `zinc-contract.md Z21`): the cited rule's evidence in the catalogue.
    pub evidence: Vec<String>,
}

impl StepReport {
    /// A passed step with no findings or exchanges yet.
    pub fn new(index: usize, label: impl Into<String>, line: Option<usize>) -> Self {
        StepReport {
            index,
            label: label.into(),
            line,
            status: StepStatus::Passed,
            skip_reason: None,
            findings: Vec::new(),
            exchanges: Vec::new(),
            okta_message: None,
        }
    }

    /// Records a finding: a `fail` one fails the step from now on; a `warn` one is kept and
    /// shown but leaves the step's status alone.
    pub fn fail(&mut self, finding: Finding) {
        let fails = finding.severity == Severity::Fail;
        self.findings.push(finding);
        if fails && self.status != StepStatus::Skipped {
            self.status = StepStatus::Failed;
        }
    }

    /// Fails a passed step that holds a `fail` finding (after findings were pushed directly).
    pub fn settle(&mut self) {
        if self.status == StepStatus::Passed && self.findings.iter().any(Finding::fails) {
            self.status = StepStatus::Failed;
        }
    }

    /// The findings that are warnings.
    pub fn warnings(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| !f.fails())
    }

    /// Marks the step skipped, with the reason (e.g. `needs the Admin Console`).
    pub fn skip(&mut self, reason: impl Into<String>) {
        self.status = StepStatus::Skipped;
        self.skip_reason = Some(reason.into());
    }
}

impl Finding {
    /// A finding without rule or hint: a failure; cite its rule with [`Finding::cite`].
    pub fn new(
        what: impl Into<String>,
        expected: impl Into<serde_json::Value>,
        actual: impl Into<serde_json::Value>,
    ) -> Self {
        Finding {
            what: what.into(),
            expected: expected.into(),
            actual: actual.into(),
            rule: None,
            hint: None,
            severity: Severity::Fail,
            evidence: Vec::new(),
        }
    }

    /// Whether the finding fails its step (its severity is `fail`).
    pub fn fails(&self) -> bool {
        self.severity == Severity::Fail
    }

    /// Cites a catalogue rule: its id, and its hint, severity and evidence from the
    /// catalogue (the one place they are written).
    /// A finding gets a rule id only this way, so a rule's hint and severity are never written
    /// anywhere but its catalogue row.
    pub fn cite(mut self, rule: RuleId) -> Self {
        let spec = catalogue::spec(rule);
        self.rule = Some(rule.to_string());
        self.hint = Some(spec.hint.to_owned());
        self.severity = spec.severity;
        self.evidence = spec.evidence.iter().map(ToString::to_string).collect();
        self
    }

    /// Sets the one-line fix hint of a finding that cites no rule (one that does takes its
    /// rule's, from [`Finding::cite`]).
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

/// The outcome of a scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ScenarioStatus {
    /// Every step that ran met its expectations (some may have been skipped).
    Passed,
    /// At least one expectation failed.
    Failed,
    /// The scenario did not run at all (wrong profile, needs what the target lacks…).
    Skipped,
    /// The scenario could not run to the end: the target could not be reached or the run
    /// itself broke. Not a finding about the target's behaviour.
    Broken,
}

impl ScenarioStatus {
    /// `passed`, `failed`, `skipped`, `broken`.
    pub fn as_str(self) -> &'static str {
        match self {
            ScenarioStatus::Passed => "passed",
            ScenarioStatus::Failed => "failed",
            ScenarioStatus::Skipped => "skipped",
            ScenarioStatus::Broken => "broken",
        }
    }
}

/// The outcome of a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StepStatus {
    /// The step ran and met its expectations.
    Passed,
    /// At least one expectation failed (see the step's findings).
    Failed,
    /// The step did not run (see its skip reason, or an earlier step broke the scenario).
    Skipped,
}

impl StepStatus {
    /// `passed`, `failed`, `skipped`.
    pub fn as_str(self) -> &'static str {
        match self {
            StepStatus::Passed => "passed",
            StepStatus::Failed => "failed",
            StepStatus::Skipped => "skipped",
        }
    }
}

/// How many scenarios ended each way.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub passed: usize,
    pub failed: usize,
    pub skipped: usize,
    pub broken: usize,
    pub total: usize,
    /// Warnings (findings of severity `warn`) in the scenarios that ran, passed or failed.
    pub warnings: usize,
}

impl Counts {
    /// The line CI systems read: `N passed, N failed, N skipped`, then `, N warnings` when
    /// there are any. Broken scenarios count as failed here (they did not pass); the pretty
    /// report names them separately.
    pub fn summary_line(&self) -> String {
        let warnings = match self.warnings {
            0 => String::new(),
            1 => ", 1 warning".to_owned(),
            n => format!(", {n} warnings"),
        };
        format!(
            "{} passed, {} failed, {} skipped{warnings}",
            self.passed,
            self.failed + self.broken,
            self.skipped
        )
    }
}

/// Findings that share a cause: the same rule, fix hint and severity (or, for broken
/// scenarios, the same error).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RootCause {
    /// `fail`, or `warn` for a group of warnings.
    pub severity: Severity,
    /// The rule id, when the findings name one.
    pub rule: Option<String>,
    /// The fix hint, or for broken scenarios the error that stopped them, or the
    /// expectation name when the findings have neither.
    pub cause: String,
    /// How many findings (or broken scenarios) share this cause.
    pub count: usize,
    /// The scenarios concerned (`case` or file), each once, in run order.
    pub scenarios: Vec<String>,
}

impl RunReport {
    /// How many scenarios passed, failed, were skipped or broke.
    pub fn counts(&self) -> Counts {
        let mut c = Counts {
            total: self.scenarios.len(),
            ..Counts::default()
        };
        for s in &self.scenarios {
            if matches!(s.status, ScenarioStatus::Passed | ScenarioStatus::Failed) {
                c.warnings += s
                    .steps
                    .iter()
                    .map(|st| st.warnings().count())
                    .sum::<usize>();
            }
            match s.status {
                ScenarioStatus::Passed => c.passed += 1,
                ScenarioStatus::Failed => c.failed += 1,
                ScenarioStatus::Skipped => c.skipped += 1,
                ScenarioStatus::Broken => c.broken += 1,
            }
        }
        c
    }

    /// The process exit code this outcome calls for: a broken scenario →
    /// [`ExitCode::BrokenRun`] (the run could not say whether the target conforms); else a
    /// failed one → [`ExitCode::Failures`]; else [`ExitCode::Success`]. Skips and warnings
    /// never change it, not even when every scenario was skipped.
    pub fn exit_code(&self) -> ExitCode {
        let c = self.counts();
        if c.broken > 0 {
            ExitCode::BrokenRun
        } else if c.failed > 0 {
            ExitCode::Failures
        } else {
            ExitCode::Success
        }
    }

    /// Findings grouped by root cause: findings by (severity, rule, hint), broken scenarios
    /// by their error. Failures first, then warnings; within each, largest group first, ties
    /// in order of first appearance, so the output is deterministic.
    pub fn root_causes(&self) -> Vec<RootCause> {
        // Key → (first appearance, group).
        type Key = (Severity, Option<String>, String);
        let mut groups: BTreeMap<Key, (usize, RootCause)> = BTreeMap::new();
        let mut add = |severity: Severity, rule: Option<String>, cause: String, scenario: &str| {
            let next = groups.len();
            let entry = groups
                .entry((severity, rule.clone(), cause.clone()))
                .or_insert_with(|| {
                    (
                        next,
                        RootCause {
                            severity,
                            rule,
                            cause,
                            count: 0,
                            scenarios: Vec::new(),
                        },
                    )
                });
            entry.1.count += 1;
            if !entry.1.scenarios.iter().any(|s| s == scenario) {
                entry.1.scenarios.push(scenario.to_string());
            }
        };
        for s in &self.scenarios {
            let name = s.display_name();
            match s.status {
                ScenarioStatus::Broken => {
                    let cause = s
                        .error
                        .clone()
                        .unwrap_or_else(|| "the scenario could not run".to_string());
                    add(Severity::Fail, None, format!("broken: {cause}"), name);
                }
                ScenarioStatus::Failed | ScenarioStatus::Passed => {
                    for f in s.steps.iter().flat_map(|st| &st.findings) {
                        let cause = f.hint.clone().unwrap_or_else(|| {
                            format!("{} differs from what was expected", f.what)
                        });
                        add(f.severity, f.rule.clone(), cause, name);
                    }
                }
                ScenarioStatus::Skipped => {}
            }
        }
        let mut out: Vec<(usize, RootCause)> = groups.into_values().collect();
        out.sort_by(|a, b| {
            (a.1.severity, std::cmp::Reverse(a.1.count), a.0).cmp(&(
                b.1.severity,
                std::cmp::Reverse(b.1.count),
                b.0,
            ))
        });
        out.into_iter().map(|(_, g)| g).collect()
    }

    /// Replaces every occurrence of each known secret (the token given on the command line,
    /// a planted password…) anywhere in the report with [`REDACTED`](crate::contract::REDACTED). The renderers
    /// also scrub by pattern on their own; this catches secrets no pattern can recognise.
    /// Empty strings are ignored.
    pub fn redact_secrets(&mut self, secrets: &[&str]) {
        redact::redact_known(self, secrets);
    }
}

impl RunReport {
    /// An empty run against `target` (never pass a token here).
    pub fn new(
        target: impl Into<String>,
        profile: impl Into<String>,
        app: impl Into<String>,
    ) -> Self {
        RunReport {
            target: target.into(),
            profile: profile.into(),
            app: app.into(),
            started_at: None,
            duration: Duration::ZERO,
            scenarios: Vec::new(),
            stopped_early: None,
        }
    }
}

impl ScenarioReport {
    /// A scenario that has not run yet: [`ScenarioStatus::Passed`] with no steps; set the
    /// rest as it runs, then [`ScenarioReport::settle`].
    pub fn new(file: impl Into<String>, case: impl Into<String>, title: impl Into<String>) -> Self {
        ScenarioReport {
            file: file.into(),
            case: case.into(),
            title: title.into(),
            rules: Vec::new(),
            profiles: Vec::new(),
            app: None,
            status: ScenarioStatus::Passed,
            duration: Duration::ZERO,
            steps: Vec::new(),
            skip_reason: None,
            error: None,
        }
    }

    /// The status the steps call for: broken when [`ScenarioReport::error`] is set, skipped
    /// when [`ScenarioReport::skip_reason`] is set or every step was skipped, failed when a
    /// step failed, passed otherwise.
    pub fn derived_status(&self) -> ScenarioStatus {
        if self.error.is_some() {
            ScenarioStatus::Broken
        } else if self.skip_reason.is_some()
            || (!self.steps.is_empty()
                && self.steps.iter().all(|s| s.status == StepStatus::Skipped))
        {
            ScenarioStatus::Skipped
        } else if self.steps.iter().any(|s| s.status == StepStatus::Failed) {
            ScenarioStatus::Failed
        } else {
            ScenarioStatus::Passed
        }
    }

    /// Sets `status` to [`ScenarioReport::derived_status`].
    pub fn settle(&mut self) {
        self.status = self.derived_status();
    }
    /// How the scenario is named in summaries: its case id, or its file when it has none.
    pub fn display_name(&self) -> &str {
        if self.case.is_empty() {
            &self.file
        } else {
            &self.case
        }
    }

    /// The steps that failed.
    pub fn failed_steps(&self) -> impl Iterator<Item = &StepReport> {
        self.steps.iter().filter(|s| s.status == StepStatus::Failed)
    }

    /// The steps that failed or hold a warning: the ones a report expands.
    pub fn noteworthy_steps(&self) -> impl Iterator<Item = &StepReport> {
        self.steps
            .iter()
            .filter(|s| s.status == StepStatus::Failed || s.warnings().next().is_some())
    }

    /// How many warnings the scenario's steps hold.
    pub fn warning_count(&self) -> usize {
        self.steps.iter().map(|s| s.warnings().count()).sum()
    }
}

/// A time as RFC 3339 in UTC with whole seconds (`2026-11-28T12:00:00Z`), for
/// [`RunReport::started_at`].
pub fn rfc3339_utc(t: std::time::SystemTime) -> String {
    let secs = t
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (days, rem) = (secs / 86_400, secs % 86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

/// `1.234s`, `56ms`: short and stable for terminals and reports.
pub(crate) fn format_duration(d: Duration) -> String {
    let ms = d.as_millis();
    if ms < 1000 {
        format!("{ms}ms")
    } else {
        format!("{:.2}s", d.as_secs_f64())
    }
}

/// Seconds with millisecond precision, as JUnit's `time` attributes want them.
pub(crate) fn seconds(d: Duration) -> String {
    format!("{:.3}", d.as_secs_f64())
}

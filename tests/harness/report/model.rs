//! Counts, exit codes and root causes.

use zinc_harness::contract::{ExitCode, Rule};
use zinc_harness::report::{Counts, ScenarioStatus};

use super::fixtures::*;

#[test]
fn counts_and_the_ci_line() {
    let r = mixed();
    assert_eq!(
        r.counts(),
        Counts {
            passed: 1,
            failed: 2,
            skipped: 1,
            broken: 1,
            total: 5,
            warnings: 0,
        }
    );
    // Broken scenarios did not pass: they count as failed on the line CI reads.
    assert_eq!(r.counts().summary_line(), "1 passed, 3 failed, 1 skipped");
}

#[test]
fn skips_never_change_the_exit_code() {
    assert_eq!(report(vec![passed()]).exit_code(), ExitCode::Success);
    assert_eq!(
        report(vec![passed(), skipped()]).exit_code(),
        ExitCode::Success
    );
    assert_eq!(
        report(vec![skipped(), skipped()]).exit_code(),
        ExitCode::Success
    );
    assert_eq!(report(vec![]).exit_code(), ExitCode::Success);
    assert_eq!(
        report(vec![passed(), failed(), skipped()]).exit_code(),
        ExitCode::Failures
    );
    assert_eq!(
        report(vec![failed(), broken()]).exit_code(),
        ExitCode::BrokenRun
    );
    assert_eq!(
        report(vec![broken(), skipped()]).exit_code(),
        ExitCode::BrokenRun
    );
}

#[test]
fn root_causes_group_findings_by_rule_and_hint() {
    let causes = mixed().root_causes();
    // Z4's hint appears three times over two scenarios: the largest group comes first.
    let top = &causes[0];
    assert_eq!(top.rule.as_deref(), Some("Z4"));
    assert_eq!(top.count, 3);
    assert_eq!(top.scenarios, vec!["T4", "okta-create"]);
    // A finding without rule (so without hint) is grouped by what was checked.
    assert!(
        causes
            .iter()
            .any(|c| c.rule.is_none() && c.cause == "body.userName differs from what was expected")
    );
    // A broken scenario is its own cause, named by its file when it has no case.
    let broken = causes
        .iter()
        .find(|c| c.cause.starts_with("broken:"))
        .unwrap();
    assert_eq!(broken.scenarios, vec!["scenarios/faults/unreachable.yaml"]);
    assert_eq!(causes.iter().map(|c| c.count).sum::<usize>(), 3 + 1 + 1 + 1);
    // Passes and skips are never causes.
    assert!(report(vec![passed(), skipped()]).root_causes().is_empty());
}

#[test]
fn status_names() {
    assert_eq!(ScenarioStatus::Broken.as_str(), "broken");
    assert_eq!(passed().display_name(), "T8");
    assert_eq!(broken().display_name(), "scenarios/faults/unreachable.yaml");
}

#[test]
fn started_at_is_rfc3339_utc() {
    use std::time::{Duration, UNIX_EPOCH};
    use zinc_harness::report::rfc3339_utc;
    assert_eq!(rfc3339_utc(UNIX_EPOCH), "1970-01-01T00:00:00Z");
    // 2026-11-28T12:34:56Z, and a leap day.
    assert_eq!(
        rfc3339_utc(UNIX_EPOCH + Duration::from_secs(1_795_869_296)),
        "2026-11-28T12:34:56Z"
    );
    assert_eq!(
        rfc3339_utc(UNIX_EPOCH + Duration::from_secs(951_782_400)),
        "2000-02-29T00:00:00Z"
    );
}

#[test]
fn builders_and_the_derived_status() {
    use zinc_harness::report::{Finding, RunReport, ScenarioReport, StepReport, StepStatus};
    let mut s = ScenarioReport::new("scenarios/x.yaml", "T1", "x");
    assert_eq!(s.derived_status(), ScenarioStatus::Passed);
    let mut a = StepReport::new(1, "test_credentials", Some(3));
    let mut b = StepReport::new(2, "console: enable", Some(5));
    b.skip("needs the Admin Console");
    s.steps = vec![a.clone(), b.clone()];
    s.settle();
    assert_eq!(
        s.status,
        ScenarioStatus::Passed,
        "a skipped step does not fail a scenario"
    );
    a.fail(Finding::new("status", 200, 401).cite(Rule::Z2.into()));
    assert_eq!(a.status, StepStatus::Failed);
    s.steps = vec![a, b.clone()];
    s.settle();
    assert_eq!(s.status, ScenarioStatus::Failed);
    s.steps = vec![b.clone(), b];
    assert_eq!(s.derived_status(), ScenarioStatus::Skipped);
    s.error = Some("connection refused".into());
    assert_eq!(s.derived_status(), ScenarioStatus::Broken);
    let mut r = RunReport::new("embedded mock", "zinc", "oin");
    s.settle();
    r.scenarios.push(s);
    assert_eq!(r.exit_code(), ExitCode::BrokenRun);
}

#[test]
fn a_warning_is_counted_shown_and_never_fails_a_step_or_the_run() {
    let w = warned();
    // Recorded with `fail`, but a `warn` finding leaves the step passed.
    assert_eq!(w.steps[0].status, zinc_harness::report::StepStatus::Passed);
    assert_eq!(w.derived_status(), ScenarioStatus::Passed);
    assert_eq!(w.warning_count(), 1);
    let f = &w.steps[0].findings[0];
    assert_eq!(f.severity, zinc_harness::contract::Severity::Warn);
    assert_eq!(f.rule.as_deref(), Some("okta:error-status-string"));
    assert!(
        f.evidence.iter().any(|e| e.contains("RFC 7644 §3.12")),
        "{:?}",
        f.evidence
    );

    let r = report(vec![passed(), w.clone()]);
    assert_eq!(r.exit_code(), ExitCode::Success);
    assert_eq!(r.counts().warnings, 1);
    assert_eq!(
        r.counts().summary_line(),
        "2 passed, 0 failed, 0 skipped, 1 warning"
    );
    let causes = r.root_causes();
    assert_eq!(causes.len(), 1);
    assert_eq!(causes[0].severity, zinc_harness::contract::Severity::Warn);
    assert_eq!(causes[0].scenarios, vec!["okta-unknown-id".to_string()]);

    // Beside a failure, the failure's cause comes first and the exit code is the failure's.
    let r = report(vec![w, failed()]);
    assert_eq!(r.exit_code(), ExitCode::Failures);
    let causes = r.root_causes();
    assert_eq!(causes[0].severity, zinc_harness::contract::Severity::Fail);
    assert_eq!(
        causes.last().unwrap().severity,
        zinc_harness::contract::Severity::Warn
    );
}

#[test]
fn a_fail_finding_fails_its_step() {
    let mut st = step(1, "get_user ghost", 7, vec![]);
    st.fail(zinc_harness::report::Finding::new("status", 404, 200));
    assert_eq!(st.status, zinc_harness::report::StepStatus::Failed);
}

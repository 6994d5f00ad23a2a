//! Each server mistake an okta-profile scenario exists to expose, switched on in the mock
//! (`zinc::Bug`): the scenario passes against the generic server (`scenarios.rs`) and fails
//! against the same server with the mistake, on the step the mistake breaks.

use rstest::rstest;
use zinc_harness::report::{ScenarioStatus, StepStatus};
use zinc_harness::run::{self, RunOptions, TargetSpec};
use zinc_harness::zinc::Bug;

use crate::scenarios::{generic_server, okta_only_options};
use crate::support::runs::builtin;

#[rstest]
#[case::drops_enterprise(
    "okta/enterprise-attributes.yaml",
    Bug::DropsEnterpriseExtension,
    "get_user alice"
)]
#[case::put_merges(
    "okta/enterprise-attributes.yaml",
    Bug::PutKeepsOmittedAttributes,
    "get_user alice"
)]
#[case::existing_member_add_refused(
    "okta/group-create-then-add-members.yaml",
    Bug::ExistingMemberAddRefused,
    "push_group eng"
)]
#[case::second_member_patch_refused(
    "okta/member-patch-batches.yaml",
    Bug::SecondMemberPatchRefused,
    "add_members eng"
)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_scenario_fails_on_the_mistake_it_exposes(
    #[case] file: &str,
    #[case] bug: Bug,
    #[case] failing_step: &str,
) {
    let s = builtin(file);
    let intact = run::run_scenario(&s, &okta_only_options()).await;
    assert_eq!(
        intact.report.status,
        ScenarioStatus::Passed,
        "{file} must pass on the generic server: {}",
        intact.findings_text()
    );
    let opts = RunOptions {
        target: TargetSpec::Embedded(generic_server().with_bug(bug)),
        ..okta_only_options()
    };
    let broken = run::run_scenario(&s, &opts).await;
    assert_eq!(
        broken.report.status,
        ScenarioStatus::Failed,
        "{file} passes against a server that makes the mistake {bug}"
    );
    assert!(
        broken
            .report
            .steps
            .iter()
            .any(|st| st.status == StepStatus::Failed && st.label.starts_with(failing_step)),
        "{bug}: no failed `{failing_step}` step: {}",
        broken.findings_text()
    );
}

/// A server that throttles without `Retry-After` costs Okta 5 minutes per 429 but loses
/// nothing: the burst scenario still passes, the report warns (`okta:retry-after`, with what
/// Okta would wait), and the exit code stays 0. Without the mistake there is no warning.
#[rstest]
#[case::okta_profile_generic_server(true)]
#[case::zinc_profile_mock(false)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_429_without_retry_after_is_a_warning_and_the_run_still_passes(#[case] okta: bool) {
    use zinc_harness::contract::ExitCode;
    use zinc_harness::run::Embedded;
    let s = builtin("okta/throttled-burst.yaml");
    let opts = |server: Embedded| {
        let base = if okta {
            okta_only_options()
        } else {
            RunOptions::default()
        };
        RunOptions {
            target: TargetSpec::Embedded(server),
            ..base
        }
    };
    let server = || {
        if okta {
            generic_server()
        } else {
            Embedded::default()
        }
    };
    let intact = run::run_all(vec![s.clone()], &opts(server()), None)
        .await
        .report;
    assert_eq!(intact.scenarios[0].status, ScenarioStatus::Passed);
    assert_eq!(intact.counts().warnings, 0);

    let throttling = opts(server().with_bug(Bug::ThrottlesWithoutRetryAfter));
    let report = run::run_all(vec![s], &throttling, None).await.report;
    assert_eq!(report.scenarios[0].status, ScenarioStatus::Passed);
    assert_eq!(
        report.exit_code(),
        ExitCode::Success,
        "a warning never fails a run"
    );
    let warned: Vec<_> = report
        .scenarios
        .iter()
        .flat_map(|sc| &sc.steps)
        .flat_map(|st| st.warnings())
        .collect();
    assert_eq!(report.counts().warnings, 1);
    assert_eq!(warned.len(), 1, "{warned:#?}");
    assert_eq!(warned[0].rule.as_deref(), Some("okta:retry-after"));
    assert!(
        warned[0].what.starts_with("Retry-After of POST /Users → 429 (Okta would retry in 300 s; this server sent no Retry-After)"),
        "{}",
        warned[0].what
    );
}

//! Each server mistake an okta-profile scenario exists to expose, switched on in the mock
//! (`zinc::Bug`): the scenario passes against the generic server (`scenarios.rs`) and fails
//! against the same server with the mistake, on the step the mistake breaks.

use rstest::rstest;
use zinc_harness::report::{ScenarioStatus, StepStatus};
use zinc_harness::run::{self, RunOptions, TargetSpec};
use zinc_harness::scenario;
use zinc_harness::zinc::Bug;

use crate::scenarios::{generic_server, okta_only_options};

fn builtin(name: &str) -> scenario::Scenario {
    let (file, text) = scenario::builtin()
        .iter()
        .find(|(f, _)| f.ends_with(name))
        .unwrap_or_else(|| panic!("no built-in scenario {name}"));
    scenario::parse(file, text).unwrap_or_else(|d| panic!("{d}"))
}

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

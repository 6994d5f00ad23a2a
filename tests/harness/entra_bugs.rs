//! Proof that the Entra scenarios catch the server mistakes entra-client-reference.md lists:
//! with each test-only `Bug` on, the scenarios written for it fail; with it off they pass;
//! and the dialect matters (a server refusing `"Replace"` still passes the compliant
//! scenarios, one refusing `"False"` still passes the boolean disable).

use rstest::rstest;
use zinc_harness::report::ScenarioStatus;
use zinc_harness::run::{self, Embedded, RunOptions, TargetSpec};
use zinc_harness::scenario::{Profile, Scenario};
use zinc_harness::zinc::{Bug, Rule};

use crate::support::runs::builtin;

fn load(file: &str) -> Scenario {
    builtin(&format!("entra/{file}"))
}

/// How the scenario suite runs `s` (tests/harness/scenarios.rs), with `bug` on or not.
fn options(s: &Scenario, bug: Option<Bug>) -> RunOptions {
    let mut mock = Embedded::default();
    let profile = if s.in_profile(Profile::Zinc) {
        Profile::Zinc
    } else {
        // Entra's generic expectations: a disabled user stays readable (Z10 off).
        mock = mock.with_broken_rule(Rule::Z10);
        Profile::Entra
    };
    if let Some(b) = bug {
        mock = mock.with_bug(b);
    }
    RunOptions {
        jobs: 1,
        profile,
        target: TargetSpec::Embedded(mock),
        ..RunOptions::default()
    }
}

async fn status(file: &str, bug: Option<Bug>) -> (ScenarioStatus, String) {
    let s = load(file);
    let run = run::run_scenario(&s, &options(&s, bug)).await;
    (run.report.status, run.findings_text())
}

#[rstest]
#[case::capitalised_op(Bug::CapitalisedOpRefused, &["update-legacy.yaml", "groups-legacy.yaml", "disable-enable-legacy.yaml"], &["update-compliant.yaml", "groups-compliant.yaml", "disable-enable-compliant.yaml"])]
#[case::string_active(Bug::StringActiveRefused, &["disable-enable-legacy.yaml", "noop-patch.yaml"], &["disable-enable-compliant.yaml"])]
#[case::members_despite_excluded(Bug::MembersDespiteExcluded, &["excluded-attributes.yaml", "groups-legacy.yaml", "groups-compliant.yaml"], &[])]
#[case::noop_patch(Bug::NoOpPatchRefused, &["noop-patch.yaml"], &["update-legacy.yaml"])]
#[case::externalid_filter(Bug::ExternalIdFilterIgnored, &["match-by-externalid.yaml"], &["create-and-match.yaml"])]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_entra_server_mistake_fails_its_scenarios(
    #[case] bug: Bug,
    #[case] fail: &[&str],
    #[case] pass: &[&str],
) {
    for file in fail.iter().chain(pass) {
        let (st, why) = status(file, None).await;
        assert_eq!(st, ScenarioStatus::Passed, "{file} without {bug}:\n{why}");
    }
    for file in fail {
        let (st, why) = status(file, Some(bug)).await;
        assert_eq!(st, ScenarioStatus::Failed, "{file} with {bug} still passes");
        assert!(!why.is_empty(), "{file} with {bug}: no finding");
    }
    for file in pass {
        let (st, why) = status(file, Some(bug)).await;
        assert_eq!(st, ScenarioStatus::Passed, "{file} with {bug}:\n{why}");
    }
}

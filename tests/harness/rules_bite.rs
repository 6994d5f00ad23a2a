//! Proof that the scenario suite catches a broken server: the troubleshooting scenarios run
//! against mocks with one contract rule switched off (a test-only setting of the mock that no
//! command line flag or admin route reaches), and the scenarios citing that rule must fail.
//! One check for every rule the troubleshooting cases T1–T9 cite.

use rstest::rstest;
use zinc_harness::contract::{ExitCode, RuleId};
use zinc_harness::report::ScenarioStatus;
use zinc_harness::run::{self, Embedded, RunOptions, TargetSpec};
use zinc_harness::scenario::{self, Scenario};
use zinc_harness::zinc::Rule;

use crate::support::runs::parsed;

fn troubleshooting() -> Vec<Scenario> {
    scenario::builtin()
        .iter()
        .filter(|(name, _)| name.starts_with("scenarios/troubleshooting/"))
        .map(|(name, text)| parsed(name, text))
        .collect()
}

#[rstest]
#[case::z1(Rule::Z1)]
#[case::z2(Rule::Z2)]
#[case::z3(Rule::Z3)]
#[case::z4(Rule::Z4)]
#[case::z5(Rule::Z5)]
#[case::z7(Rule::Z7)]
#[case::z8(Rule::Z8)]
#[case::z10(Rule::Z10)]
#[case::z11(Rule::Z11)]
#[case::z14(Rule::Z14)]
#[case::z15(Rule::Z15)]
#[case::z17(Rule::Z17)]
#[case::z18(Rule::Z18)]
#[case::z19(Rule::Z19)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_switched_off_rule_fails_its_scenarios(#[case] rule: Rule) {
    let id = rule.to_string();
    let citing: Vec<Scenario> = troubleshooting()
        .into_iter()
        .filter(|s| s.rules.contains(&RuleId::Zinc(rule)))
        .collect();
    assert!(!citing.is_empty(), "no troubleshooting scenario cites {id}");
    let names: Vec<String> = citing.iter().map(|s| s.name.clone()).collect();

    // The same scenarios pass against the intact mock (so the failure below is the rule's).
    let intact = run::run_all(citing.clone(), &RunOptions::default(), None).await;
    for s in &intact.report.scenarios {
        assert_eq!(
            s.status,
            ScenarioStatus::Passed,
            "{} fails on the intact mock",
            s.file
        );
    }

    let opts = RunOptions {
        target: TargetSpec::Embedded(Embedded::default().with_broken_rule(rule)),
        ..RunOptions::default()
    };
    let broken = run::run_all(citing, &opts, None).await;
    let failed: Vec<&str> = broken
        .report
        .scenarios
        .iter()
        .filter(|s| s.status == ScenarioStatus::Failed)
        .map(|s| s.file.as_str())
        .collect();
    assert!(
        !failed.is_empty(),
        "with {id} switched off, every scenario citing it still passes: {names:?}"
    );
    // And the report blames the rule: some finding of a failed scenario names it.
    let blamed = broken
        .report
        .scenarios
        .iter()
        .flat_map(|s| &s.steps)
        .flat_map(|st| &st.findings)
        .any(|f| f.rule.as_deref() == Some(id.as_str()));
    assert!(
        blamed,
        "with {id} switched off, {failed:?} fail but no finding names {id}"
    );
    assert_eq!(broken.report.exit_code(), ExitCode::Failures);
}

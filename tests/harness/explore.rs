//! `explore`: the model agrees with itself, and a mock with a rule switched off is caught,
//! shrunk and written as a scenario that fails there and passes on the correct mock.

use std::time::Duration;

use rstest::rstest;
use zinc_harness::explore::{self, ExploreOptions, ExploreOutcome};
use zinc_harness::report::ScenarioStatus;
use zinc_harness::run::{Embedded, TargetSpec};
use zinc_harness::scenario;
use zinc_harness::scenario::Profile;
use zinc_harness::zinc::{Bug, Rule};

/// The default budget (8 sequences of 40 steps), as `zinc-harness explore` has it, with a
/// fixed seed and a bounded shrink.
fn default_budget(target: TargetSpec) -> ExploreOptions {
    ExploreOptions {
        target,
        seed: 7,
        shrink_tries: 150,
        shrink_time: Duration::from_secs(30),
        ..ExploreOptions::default()
    }
}

/// A small budget: the whole suite shares 2 cores.
fn budget(target: TargetSpec) -> ExploreOptions {
    ExploreOptions {
        steps: 30,
        people: 3,
        groups: 2,
        sequences: 6,
        time: Duration::from_secs(60),
        ..default_budget(target)
    }
}

/// Explores with `opts`; `what` (the case) must find no divergence.
async fn finds_nothing(opts: &ExploreOptions, what: &str) -> ExploreOutcome {
    let out = explore::explore(opts).await;
    if let Some(f) = &out.found {
        panic!("{what}: a false divergence: {:?}", (&f.first, &f.scenario));
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_correct_mock_agrees_with_the_model() {
    let opts = ExploreOptions {
        sequences: 2,
        ..budget(TargetSpec::default())
    };
    let out = finds_nothing(&opts, "the correct mock").await;
    assert_eq!(out.report.scenarios.len(), 2);
    assert!(
        out.report
            .scenarios
            .iter()
            .all(|s| s.status == ScenarioStatus::Passed)
    );
    assert_eq!(out.exit_code(), zinc_harness::contract::ExitCode::Success);
}

// Every rule of `Rule::SWITCHABLE` but Z6 (duplicate userNames): Okta looks a user up by
// userName before it creates one and links on a hit, so no sequence of Okta's actions can
// send a duplicate; `run`'s raw `scim:` scenarios cover it.
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
#[case::z16(Rule::Z16)]
#[case::z17(Rule::Z17)]
#[case::z18(Rule::Z18)]
#[case::z19(Rule::Z19)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_switched_off_rule_is_found_and_shrunk(#[case] rule: Rule) {
    let target = TargetSpec::Embedded(Embedded::default().with_broken_rule(rule));
    let opts = default_budget(target);
    let out = explore::explore(&opts).await;
    let Some(f) = &out.found else {
        panic!(
            "{rule}: no divergence in {} sequences",
            out.report.scenarios.len()
        );
    };
    eprintln!(
        "{rule}: first divergence after step {} ({:.2} s), shrunk to {} steps ({} with reads) in {} tries: {}\n{}",
        f.first_steps,
        f.time_to_first.as_secs_f64(),
        f.sequence.steps.len(),
        f.scenario_steps,
        f.shrink.tries,
        f.divergence.what,
        f.scenario
    );
    assert_eq!(out.exit_code(), zinc_harness::contract::ExitCode::Failures);
    assert!(
        scenario::parse("shrunk.yaml", &f.scenario).is_ok(),
        "{}",
        f.scenario
    );
    assert!(f.sequence.steps.len() <= 10, "{rule}: {}", f.scenario);
    assert_eq!(f.fails_on_target, Some(true), "{rule}: {}", f.scenario);
    assert_eq!(f.passes_on_model, Some(true), "{rule}: {}", f.scenario);
}

/// A realistic server bug (not a Zinc rule): found in both profiles.
#[rstest]
#[case::zinc(Profile::Zinc)]
#[case::okta(Profile::Okta)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_remove_that_empties_the_group_is_found(#[case] profile: Profile) {
    let target = TargetSpec::Embedded(Embedded::default().with_bug(Bug::FilteredRemoveDropsAll));
    let opts = ExploreOptions {
        profile,
        ..default_budget(target)
    };
    let out = explore::explore(&opts).await;
    let Some(f) = &out.found else {
        panic!("{profile:?}: no divergence");
    };
    eprintln!(
        "{profile:?}: after step {}, shrunk to {} steps: {}\n{}",
        f.first_steps,
        f.sequence.steps.len(),
        f.divergence.what,
        f.scenario
    );
    assert!(
        f.divergence.what.contains("members"),
        "{}",
        f.divergence.what
    );
    assert!(f.sequence.steps.len() <= 10, "{}", f.scenario);
    assert_eq!(f.fails_on_target, Some(true), "{}", f.scenario);
    if profile == Profile::Zinc {
        assert_eq!(f.passes_on_model, Some(true), "{}", f.scenario);
    }
}

/// What RFC 7643/7644 allow a server that is not Zinc is no divergence in the okta profile.
#[rstest]
#[case::sorts_members(Bug::SortsMembers)]
#[case::owns_member_display(Bug::OwnsMemberDisplay)]
#[case::keeps_deactivated_users(Bug::KeepsDeactivatedUsers)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_okta_profile_allows_what_the_rfc_allows(#[case] bug: Bug) {
    let opts = ExploreOptions {
        target: TargetSpec::Embedded(Embedded::default().with_bug(bug)),
        profile: Profile::Okta,
        sequences: 3,
        ..budget(TargetSpec::default())
    };
    finds_nothing(&opts, &bug.to_string()).await;
}

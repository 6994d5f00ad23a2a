//! Every rule of the catalogue is enforced, cited and checked (issue 11): a rule row nobody
//! enforces, no scenario proves or no check can catch fails here, by name.
//!
//! - A Zinc rule is enforced by the mock where a test can turn it off: a switch
//!   (`ZincConfig::break_rule`, the catalogue's `switchable`) or, for the rules the mock does
//!   not gate, the [`Bug`] named below. The built-in scenarios that cite the rule pass
//!   against the intact mock and at least one fails with the rule turned off.
//! - An `okta:` rule is checked by a wire check (`run::WIRE_RULES`) or proved by a built-in
//!   scenario that cites it.

use zinc_harness::contract::{OktaRule, Profile, Rule, RuleId, spec};
use zinc_harness::report::ScenarioStatus;
use zinc_harness::run::{self, Embedded, RunOptions, TargetSpec};
use zinc_harness::scenario::{self, Scenario};
use zinc_harness::zinc::Bug;

use crate::support::runs::parsed;

fn builtin() -> Vec<Scenario> {
    scenario::builtin()
        .iter()
        .map(|(name, text)| parsed(name, text))
        .collect()
}

/// How a test turns a Zinc rule off to prove the scenarios citing it catch a server
/// without it.
enum Proof {
    /// The mock gates it: `ZincConfig::break_rule` (the catalogue says `switchable`).
    Switch,
    /// The mock has no switch for it; this Bug breaks it.
    Bug(Bug),
    /// No scenario file can provoke it (a body over 1 MiB, more than 1000 resources on a page,
    /// beyond what a scenario holds or runs fast): this test of the mock, in
    /// tests/harness/zinc/, breaks it and checks the answer.
    MockTest(&'static str),
}

/// Each Zinc rule's proof (exhaustive: a new rule must say here how a test breaks it).
fn proof(rule: Rule) -> Proof {
    match rule {
        Rule::Z9 => Proof::Bug(Bug::KeepsExtensions),
        Rule::Z12 => Proof::Bug(Bug::PutWithoutActiveDeactivates),
        Rule::Z13 => Proof::Bug(Bug::OpCaseSensitive),
        Rule::Z20 => Proof::Bug(Bug::JsonBodyRefused),
        Rule::Z21 => Proof::Bug(Bug::NotFoundWithoutDetail),
        Rule::Z22 => Proof::Bug(Bug::TotalResultsOfPage),
        Rule::Z23 => Proof::Bug(Bug::ExternalIdLookupFindsNothing),
        // tests/harness/zinc/rules.rs's `z24_limits`: a 1 MiB body is 413, and a page of
        // 1001 users asked with count=5000 holds 1000.
        Rule::Z24 => Proof::MockTest("check_z24"),
        Rule::Z25 => Proof::Bug(Bug::NoServiceProviderConfig),
        Rule::Z1
        | Rule::Z2
        | Rule::Z3
        | Rule::Z4
        | Rule::Z5
        | Rule::Z6
        | Rule::Z7
        | Rule::Z8
        | Rule::Z10
        | Rule::Z11
        | Rule::Z14
        | Rule::Z15
        | Rule::Z16
        | Rule::Z17
        | Rule::Z18
        | Rule::Z19 => Proof::Switch,
    }
}

/// Whether a test function of that name is in tests/harness/zinc/.
fn mock_test_exists(name: &str) -> bool {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/harness/zinc");
    std::fs::read_dir(dir).unwrap().flatten().any(|e| {
        std::fs::read_to_string(e.path()).is_ok_and(|text| text.contains(&format!("fn {name}(")))
    })
}

fn statuses(r: &zinc_harness::report::RunReport) -> Vec<(String, ScenarioStatus)> {
    r.scenarios
        .iter()
        .map(|s| (s.file.clone(), s.status))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_zinc_rule_is_enforced_cited_and_fails_a_scenario_when_broken() {
    let all = builtin();
    let mut problems = Vec::new();
    for rule in Rule::ALL {
        let id = RuleId::Zinc(rule);
        let target = match (spec(id).switchable, proof(rule)) {
            (true, Proof::Switch) => Some(Embedded::default().with_broken_rule(rule)),
            (false, Proof::Bug(bug)) => Some(Embedded::default().with_bug(bug)),
            (false, Proof::MockTest(name)) => {
                if !mock_test_exists(name) {
                    problems.push(format!("{rule}: its mock test `{name}` is gone"));
                }
                None
            }
            (true, Proof::Bug(_) | Proof::MockTest(_)) => {
                problems.push(format!("{rule}: switchable: prove it with Proof::Switch"));
                continue;
            }
            (false, Proof::Switch) => {
                problems.push(format!(
                    "{rule}: not switchable in the mock: name the Bug that breaks it"
                ));
                continue;
            }
        };
        let citing: Vec<Scenario> = all
            .iter()
            .filter(|s| s.rules.contains(&id) && s.in_profile(Profile::Zinc))
            .cloned()
            .collect();
        if citing.is_empty() {
            problems.push(format!(
                "{rule}: no built-in zinc-profile scenario cites it"
            ));
            continue;
        }
        let intact = run::run_all(citing.clone(), &RunOptions::default(), None).await;
        let bad: Vec<_> = statuses(&intact.report)
            .into_iter()
            .filter(|(_, st)| matches!(st, ScenarioStatus::Failed | ScenarioStatus::Broken))
            .collect();
        if !bad.is_empty() {
            problems.push(format!("{rule}: fails on the intact mock: {bad:?}"));
            continue;
        }
        let Some(target) = target else { continue };
        let opts = RunOptions {
            target: TargetSpec::Embedded(target),
            ..RunOptions::default()
        };
        let broken = run::run_all(citing, &opts, None).await;
        if !broken
            .report
            .scenarios
            .iter()
            .any(|s| s.status == ScenarioStatus::Failed)
        {
            problems.push(format!(
                "{rule}: broken, and every scenario citing it still passes: {:?}",
                statuses(&broken.report)
            ));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn every_okta_rule_has_a_wire_check_or_a_scenario() {
    let all = builtin();
    let missing: Vec<OktaRule> = OktaRule::ALL
        .into_iter()
        .filter(|r| {
            !run::WIRE_RULES.contains(r) && !all.iter().any(|s| s.rules.contains(&RuleId::Okta(*r)))
        })
        .collect();
    assert!(
        missing.is_empty(),
        "okta: rules no wire check or scenario cites: {missing:?}"
    );
}

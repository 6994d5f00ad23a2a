//! Every scenario file runs as its own test against a fresh embedded mock Zinc: its
//! expectations must hold and its normalized transcript and final state must match the
//! committed insta snapshot (`tests/harness/snapshots/harness__scenarios__<folder>__<file>.snap`).
//!
//! No file can be missed silently: rstest's `#[files]` expands the glob when the test binary
//! is compiled, `build.rs` reruns on any change under `scenarios/` (which rebuilds the
//! library's built-in table and so this binary), and
//! `every_scenario_file_is_a_test_and_built_in` checks that the files on disk, the built-in
//! set and this glob agree.

use std::path::{Path, PathBuf};

use rstest::rstest;
use zinc_harness::report::ScenarioStatus;
use zinc_harness::run::{self, Embedded, RunOptions, TargetSpec};
use zinc_harness::scenario::{self, Profile};
use zinc_harness::zinc::{Bug, Rule};

/// `scenarios/troubleshooting/t3-email-immutable.yaml` → `troubleshooting__t3-email-immutable`.
fn snapshot_name(path: &Path) -> String {
    let rel = path
        .strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .unwrap_or(path)
        .strip_prefix("scenarios")
        .expect("a file under scenarios/");
    rel.with_extension("")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("__")
}

#[rstest]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scenario_file(#[files("scenarios/**/*.yaml")] path: PathBuf) {
    let s = scenario::load(&path).unwrap_or_else(|d| panic!("{d}"));
    let opts = if s.in_profile(Profile::Zinc) {
        RunOptions {
            jobs: 1,
            ..RunOptions::default()
        }
    } else if !s.in_profile(Profile::Okta) {
        // `profiles: [entra]`: Entra's generic expectations (a disabled user stays readable,
        // entra-client-reference.md row 10; Zinc removes it, Z10), proven the same way as
        // the okta-only ones below: against the mock with Z10 off.
        RunOptions {
            jobs: 1,
            profile: Profile::Entra,
            target: TargetSpec::Embedded(Embedded::default().with_broken_rule(Rule::Z10)),
            ..RunOptions::default()
        }
    } else {
        // `profiles: [okta]` alone: Okta's generic expectation where Zinc documents
        // otherwise (a deactivated user stays readable with active:false; Zinc removes it,
        // Z10; extension attributes are kept; Zinc ignores them, Z9). It runs in the okta
        // profile against the mock as a generic SCIM server that keeps deactivated users and
        // extensions - so the scenario is proven, not just skipped.
        okta_only_options()
    };
    let run = run::run_scenario(&s, &opts).await;
    assert_eq!(
        run.report.status,
        ScenarioStatus::Passed,
        "{}: {}\n{}",
        path.display(),
        s.title,
        run.findings_text()
    );
    insta::assert_yaml_snapshot!(snapshot_name(&path), run.snapshot());
}

/// How `profiles: [okta]` scenarios run here: against [`generic_server`]. Server mistakes on
/// top of it are `tests/harness/okta/mistakes.rs`.
pub(crate) fn okta_only_options() -> RunOptions {
    RunOptions {
        jobs: 1,
        profile: Profile::Okta,
        target: TargetSpec::Embedded(generic_server()),
        ..RunOptions::default()
    }
}

/// The mock as a generic SCIM server: keeps deactivated users (Z10 off) and extension
/// attributes (`Bug::KeepsExtensions`, a legal behaviour).
pub(crate) fn generic_server() -> Embedded {
    Embedded::default()
        .with_broken_rule(Rule::Z10)
        .with_bug(Bug::KeepsExtensions)
}

#[test]
fn every_scenario_file_is_a_test_and_built_in() {
    // What `#[files("scenarios/**/*.yaml")]` above expands to, at run time.
    let on_disk: Vec<String> = scenario::yaml_files(Path::new("scenarios"))
        .into_iter()
        .map(|p| p.display().to_string().replace('\\', "/"))
        .collect();
    let builtin: Vec<String> = scenario::builtin()
        .iter()
        .map(|(name, _)| (*name).to_owned())
        .collect();
    assert!(
        on_disk.iter().all(|f| f.ends_with(".yaml")),
        "scenario files end in .yaml (a .yml file would be neither a test nor built in): {on_disk:?}"
    );
    assert_eq!(
        on_disk, builtin,
        "the scenario files on disk and the built-in set differ: rebuild (build.rs) or rename"
    );
    assert!(!builtin.is_empty(), "no scenarios found");
}

/// Snapshots are for review: none may grow past 50 KB (bulk steps and long lists are
/// summarized by `report::bulk`). A snapshot that needs more should snapshot less.
#[test]
fn every_snapshot_is_small_enough_to_review() {
    const LIMIT: u64 = 50 * 1024;
    // The integration tests' folder, and the unit tests' beside their code in harness/.
    fn snapshots(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("a readable folder").flatten() {
            let path = entry.path();
            if path.is_dir() {
                snapshots(&path, out);
            } else if path.extension().is_some_and(|e| e == "snap") {
                out.push(path);
            }
        }
    }
    let mut all = Vec::new();
    snapshots("tests/harness/snapshots".as_ref(), &mut all);
    snapshots("harness".as_ref(), &mut all);
    assert!(all.len() > 100, "the snapshots are found: {}", all.len());
    let mut too_big = Vec::new();
    for path in all {
        let len = std::fs::metadata(&path).expect("snapshot metadata").len();
        if len > LIMIT {
            too_big.push(format!("{} ({len} bytes)", path.display()));
        }
    }
    assert!(
        too_big.is_empty(),
        "snapshots over {LIMIT} bytes: {too_big:?}"
    );
}

/// A finding of an okta-profile run cites an `okta:` rule or none (never a Zinc hint): every
/// scenario of the okta profile names at least one, so its findings have a rule to cite. The
/// same for the entra profile and `entra:` rules.
#[rstest]
#[case::okta(Profile::Okta)]
#[case::entra(Profile::Entra)]
fn every_scenario_of_an_idp_profile_names_a_rule_of_it(#[case] profile: Profile) {
    let mut missing = Vec::new();
    for path in scenario::yaml_files(Path::new("scenarios")) {
        let s = scenario::load(&path).unwrap_or_else(|d| panic!("{d}"));
        if s.profiles.contains(&profile) && !s.rules.iter().any(|r| r.profile() == profile) {
            missing.push(path.display().to_string());
        }
    }
    assert!(
        missing.is_empty(),
        "{profile}-profile scenarios without a {profile}: rule in `rules:`: {missing:?}"
    );
}

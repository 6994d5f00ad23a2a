//! The rule catalogue: what `zinc-harness rules` prints, and the generated `docs/rules.md`.

use std::path::Path;

use zinc_harness::contract::{ExitCode, all};

use crate::cli::{err, out, zh};

/// `zinc-harness rules IDS --format FORMAT`: its exit code, and what it printed (stdout, then
/// stderr, where an error goes).
fn rules(ids: &[&str], format: &str) -> (ExitCode, String) {
    let mut args = vec!["rules", "--format", format];
    args.extend_from_slice(ids);
    let o = zh(Path::new(env!("CARGO_MANIFEST_DIR")), &args);
    let code = match o.status.code() {
        Some(0) => ExitCode::Success,
        Some(2) => ExitCode::BadInput,
        other => panic!("rules exited {other:?}: {}", err(&o)),
    };
    (code, out(&o) + &err(&o))
}

#[test]
fn the_committed_rules_doc_is_the_generated_one() {
    let committed =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/rules.md")).unwrap();
    let (code, generated) = rules(&[], "markdown");
    assert_eq!(code, ExitCode::Success);
    assert_eq!(
        committed, generated,
        "docs/rules.md is stale: run `cargo run -- rules --format markdown > docs/rules.md`"
    );
}

#[test]
fn rules_json_lists_every_rule_with_its_row() {
    let (code, out) = rules(&[], "json");
    assert_eq!(code, ExitCode::Success);
    let list: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    assert_eq!(list.len(), all().count());
    for (row, spec) in list.iter().zip(all()) {
        assert_eq!(row["id"], spec.id.to_string());
        assert_eq!(row["hint"], spec.hint);
        assert_eq!(row["severity"], spec.severity.as_str());
        assert!(!row["evidence"].as_array().unwrap().is_empty());
    }
    let ids: Vec<&str> = list.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert!(ids.contains(&"Z1") && ids.contains(&"Z25") && ids.contains(&"okta:filter"));
    assert!(ids.contains(&"entra:legacy-patch") && ids.contains(&"entra:member-patch-answer"));
    let entra: Vec<&serde_json::Value> = list.iter().filter(|r| r["profile"] == "entra").collect();
    assert_eq!(entra.len(), zinc_harness::contract::EntraRule::ALL.len());
    for row in entra {
        let first = row["evidence"][0].as_str().unwrap();
        assert!(first.starts_with("entra-client-reference.md row "), "{row}");
    }
}

#[test]
fn one_rule_is_looked_up_by_id_and_an_unknown_id_is_bad_input() {
    let (code, out) = rules(&["Z16"], "pretty");
    assert_eq!(code, ExitCode::Success);
    assert!(out.starts_with("Z16  Group writes"), "{out}");
    assert!(out.contains("fix: support Okta's group writes"), "{out}");
    assert_eq!(out.lines().filter(|l| !l.starts_with(' ')).count(), 1);

    let (code, out) = rules(&["entra:excluded-members"], "pretty");
    assert_eq!(code, ExitCode::Success);
    assert!(out.starts_with("entra:excluded-members  "), "{out}");
    assert!(
        out.contains("entra-client-reference.md row 15 (E1, E10)"),
        "{out}"
    );
    let (code, out) = rules(&["entra:nope"], "pretty");
    assert_eq!(code, ExitCode::BadInput);
    assert!(out.contains("\"entra:nope\" is not an Entra rule"), "{out}");

    let (code, out) = rules(&["Z26"], "pretty");
    assert_eq!(code, ExitCode::BadInput);
    assert!(out.contains("\"Z26\" is not a rule id"), "{out}");
}

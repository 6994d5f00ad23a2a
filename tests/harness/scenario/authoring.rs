//! The authoring commands: `schema`, `new`, `list` (and `check`'s folder handling).

use std::path::{Path, PathBuf};

use zinc_harness::contract::Rule;
use zinc_harness::scenario;

use crate::cli::{err, out, zh};

/// The project folder, where `scenarios/` and `tests/scenario-errors/` are.
fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `zinc-harness new NAME [--case CASE] --profile PROFILE --dir DIR`: the lines it printed, or
/// its error (exit 2).
fn create(
    dir: &Path,
    name: &str,
    case: Option<&str>,
    profile: &str,
) -> Result<Vec<String>, String> {
    let dir = dir.to_str().expect("a UTF-8 path");
    let mut args = vec!["new", name, "--profile", profile, "--dir", dir];
    if let Some(case) = case {
        args.extend(["--case", case]);
    }
    let o = zh(root(), &args);
    match o.status.code() {
        Some(0) => Ok(out(&o).lines().map(str::to_owned).collect()),
        Some(2) => Err(err(&o)),
        other => panic!("new exited {other:?}: {}", err(&o)),
    }
}

/// `zinc-harness list ARGS` in the project folder: its exit code and stdout.
fn list(args: &[&str]) -> (Option<i32>, String) {
    let mut all = vec!["list"];
    all.extend_from_slice(args);
    let o = zh(root(), &all);
    (o.status.code(), out(&o))
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("zinc-harness-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn the_committed_schema_is_the_generated_one() {
    let committed = std::fs::read_to_string(root().join("scenarios/scenario.schema.json")).unwrap();
    let printed = zh(root(), &["schema"]);
    assert_eq!(printed.status.code(), Some(0), "{}", err(&printed));
    assert_eq!(
        committed,
        out(&printed),
        "scenarios/scenario.schema.json is stale: run `cargo run -- schema -o scenarios/scenario.schema.json`"
    );
}

#[test]
fn the_schema_knows_every_step_kind_and_field() {
    let schema = scenario::schema();
    let text = schema.to_string();
    for kind in scenario::STEP_KINDS {
        assert!(
            text.contains(&format!("\"{kind}\"")),
            "{kind} is in the schema"
        );
    }
    let top = schema["properties"].as_object().unwrap();
    let keys: Vec<&str> = top.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "case", "title", "doc", "rules", "profiles", "idp", "okta", "zinc", "people", "groups",
            "steps"
        ]
    );
    assert_eq!(schema["required"], serde_json::json!(["title", "steps"]));
    assert_eq!(schema["additionalProperties"], false);
    let expect = &schema["definitions"]["Expect"]["properties"];
    assert_eq!(expect["status"]["minimum"], 100);
    assert_eq!(expect["status"]["maximum"], 599);
    assert_eq!(
        expect["scimType"]["enum"],
        serde_json::json!(scenario::SCIM_TYPES),
        "the editor offers the scimTypes check accepts"
    );
    let ids: Vec<String> = zinc_harness::contract::all()
        .map(|s| s.id.to_string())
        .collect();
    assert_eq!(
        schema["properties"]["rules"]["items"]["enum"],
        serde_json::json!(ids),
        "the editor offers the rule ids check accepts: the catalogue's"
    );
}

#[test]
fn new_writes_a_skeleton_that_passes_check() {
    let dir = temp_dir("new");
    let said = create(&dir, "troubleshooting/t3-email-change", Some("T3"), "zinc").unwrap();
    assert!(
        said[0].ends_with("troubleshooting/t3-email-change.yaml"),
        "{said:?}"
    );
    let path = dir.join("troubleshooting/t3-email-change.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with("# yaml-language-server: $schema=../scenario.schema.json\n"));
    assert!(
        dir.join("scenario.schema.json").exists(),
        "the schema the editor line points to"
    );
    let s = scenario::load(&path).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(s.case.as_deref(), Some("T3"));
    assert_eq!(
        s.rules,
        [Rule::Z7.into(), Rule::Z10.into()] as [zinc_harness::contract::RuleId; 2]
    );
    assert_eq!(
        s.doc.as_deref(),
        Some("Can I update the email (userName) attribute for synced users?")
    );

    let plain = create(&dir, "okta-basics", None, "okta").unwrap();
    assert!(plain[0].ends_with("okta-basics.yaml"));
    let s = scenario::load(dir.join("okta-basics.yaml")).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(s.profiles, [scenario::Profile::Okta]);
    assert!(s.case.is_none());

    let again = create(&dir, "okta-basics", None, "okta").unwrap_err();
    assert!(again.contains("already exists"), "{again}");
    assert!(
        create(&dir, "../escape", None, "zinc")
            .unwrap_err()
            .contains("not a scenario name")
    );
    assert!(
        create(&dir, "x", Some("T42"), "zinc")
            .unwrap_err()
            .contains("unknown case")
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn list_shows_case_title_rules_and_profiles() {
    let (code, out) = list(&["scenarios", "--format", "json"]);
    assert_eq!(code, Some(0), "{out}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["source"], "the given paths");
    let t3 = json["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["file"] == "scenarios/troubleshooting/t3-email-immutable.yaml")
        .expect("T3 is listed");
    assert_eq!(t3["case"], "T3");
    assert_eq!(t3["rules"], serde_json::json!(["Z7", "Z10"]));
    assert_eq!(t3["profiles"], serde_json::json!(["zinc"]));
    assert_eq!(
        t3["file"],
        "scenarios/troubleshooting/t3-email-immutable.yaml"
    );

    let (_, okta_only) = list(&["scenarios", "--profile", "okta", "--format", "json"]);
    let okta: serde_json::Value = serde_json::from_str(&okta_only).unwrap();
    assert!(
        okta["scenarios"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["profiles"].to_string().contains("okta"))
    );
    assert!(!okta_only.contains("t3-email-immutable"));

    let (code, pretty) = list(&["scenarios"]);
    assert_eq!(code, Some(0));
    assert!(
        pretty.contains("T3") && pretty.contains("[rules: Z7, Z10] [profiles: zinc]"),
        "{pretty}"
    );

    let (code, broken) = list(&["tests/scenario-errors/13-unknown-person.yaml"]);
    assert_eq!(code, Some(2));
    assert!(broken.contains("invalid: 2 error(s)"), "{broken}");
}

#[test]
fn without_paths_the_binary_says_which_set_it_uses() {
    let bin = env!("CARGO_BIN_EXE_zinc-harness");
    let here = std::process::Command::new(bin)
        .args(["list"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&here.stdout).contains("from the folder scenarios"));
    let elsewhere_dir = temp_dir("builtin");
    let elsewhere = std::process::Command::new(bin)
        .args(["check"])
        .current_dir(&elsewhere_dir)
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&elsewhere.stdout);
    assert!(
        out.contains("from the scenarios built into zinc-harness: all valid"),
        "{out}"
    );
    assert_eq!(elsewhere.status.code(), Some(0));
    std::fs::remove_dir_all(&elsewhere_dir).ok();
}

/// What `new --case T3` writes, for a reviewer to read.
#[test]
fn the_skeleton_as_written() {
    let dir = temp_dir("skeleton");
    create(&dir, "t3-email-change", Some("T3"), "zinc").unwrap();
    let text = std::fs::read_to_string(dir.join("t3-email-change.yaml")).unwrap();
    std::fs::remove_dir_all(&dir).ok();
    super::snapshots().bind(|| insta::assert_snapshot!(text));
}

//! Tests of the scenario format: parsing, every error message, the schema, generated people.

use zinc_harness::scenario::{self, Action};

#[test]
fn every_builtin_scenario_is_valid_and_compiled_in() {
    let builtin = scenario::builtin();
    assert!(
        builtin
            .iter()
            .any(|(name, _)| *name == "scenarios/troubleshooting/t3-email-immutable.yaml"),
        "the scenarios folder is compiled into the binary: {:?}",
        builtin.iter().map(|(n, _)| n).collect::<Vec<_>>()
    );
    for (name, text) in builtin {
        let on_disk = std::fs::read_to_string(name).expect("a built-in scenario exists on disk");
        assert_eq!(&on_disk, text, "{name} is stale in the binary");
        if let Err(d) = scenario::parse(name, text) {
            panic!("{d}");
        }
    }
}

#[test]
fn the_t3_example_parses_into_resolved_steps() {
    let s = scenario::load("scenarios/troubleshooting/t3-email-immutable.yaml").unwrap();
    assert_eq!(s.case.as_deref(), Some("T3"));
    assert_eq!(s.rules, ["Z7", "Z10"]);
    assert_eq!(s.steps.len(), 6);
    assert_eq!(
        s.steps[0].action,
        Action::AssignUser {
            people: vec!["alice".into()]
        }
    );
    assert_eq!(s.steps[1].location.line, 14);
    assert_eq!(
        s.steps[1].expect.as_ref().unwrap().scim_type.as_deref(),
        Some("mutability")
    );
    assert_eq!(s.person("alice").unwrap().user_name, "alice@example.com");
}

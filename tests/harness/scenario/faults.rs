//! `fault:` steps get the fault layer's own checks (issue #13), each at its field's position.

use zinc_harness::scenario;

#[test]
fn bad_fault_rules_are_refused_at_their_field() {
    let text = r#"title: bad faults
profiles: [zinc]
people:
  alice: { first: Alice, last: Smith, email: alice@example.com }
steps:
  - fault: { path: /Users, status: 101 }
  - fault: { path: /Users, delay_ms: 18446744073709551615 }
  - fault: { path: /Users, status: 503, headers: { "Retry-After": "1\r\nSet-Cookie: x=1" } }
  - fault: { path: /Users, status: 503, headers: { "Bad Name": "1" } }
  - assign_user: alice
"#;
    let diags = scenario::parse_bytes("bad.yaml", text.as_bytes()).expect_err("refused");
    let found: Vec<(u32, u32, String)> = diags
        .iter()
        .map(|d| (d.line, d.column, d.message.clone()))
        .collect();
    let at = |line: u32, needle: &str| {
        found
            .iter()
            .find(|(l, _, m)| *l == line && m.contains(needle))
            .unwrap_or_else(|| panic!("no error on line {line} saying {needle:?}: {found:#?}"))
            .1
    };
    // Columns point at the field's value, not the step.
    assert_eq!(at(6, "200 to 599"), 36);
    assert_eq!(at(7, "10 minutes"), 38);
    assert_eq!(at(8, "Retry-After"), 67);
    assert_eq!(at(9, "Bad Name"), 64);
    assert_eq!(found.len(), 4, "{found:#?}");
}

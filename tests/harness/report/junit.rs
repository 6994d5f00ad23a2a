//! JUnit XML, read back by a real consumer (the `junit-parser` crate, which parses the
//! Jenkins/Ant dialect CI systems use) and checked for well-formedness with quick-xml.

use junit_parser::TestStatus;
use zinc_harness::contract::{Rule, spec};
use zinc_harness::report::junit;

use super::fixtures::*;

pub(crate) fn parse(xml: &str) -> junit_parser::TestSuites {
    junit_parser::from_reader(std::io::Cursor::new(xml.as_bytes()))
        .unwrap_or_else(|e| panic!("a JUnit consumer cannot read the report: {e}\n{xml}"))
}

/// Well-formed XML (every end tag matches, no forbidden character), and the element names
/// in document order.
pub(crate) fn well_formed(xml: &str) -> Vec<String> {
    assert!(
        !xml.chars()
            .any(|c| ((c as u32) < 0x20 && !"\t\n\r".contains(c))
                || c == '\u{FFFE}'
                || c == '\u{FFFF}'),
        "a character XML 1.0 forbids: {xml:?}"
    );
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut names = Vec::new();
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e)) => {
                names.push(e.name().as_ref().to_string());
            }
            Ok(_) => {}
            Err(e) => panic!(
                "not well-formed at {}: {e}\n{xml}",
                reader.buffer_position()
            ),
        }
    }
    names
}

#[test]
fn junit_document() {
    let xml = junit::render(&mixed());
    well_formed(&xml);
    snapshot!(assert_snapshot!(xml));
}

#[test]
fn a_junit_consumer_reads_every_outcome() {
    let xml = junit::render(&mixed());
    let suites = parse(&xml);
    assert_eq!(suites.name, "zinc-harness");
    assert_eq!(
        (suites.tests, suites.failures, suites.errors, suites.skipped),
        (5, 2, 1, 1)
    );
    assert!((suites.time - 1.534).abs() < 1e-9);
    // One suite per scenario folder, in order of first appearance.
    let names: Vec<&str> = suites.suites.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "scenarios/troubleshooting",
            "scenarios/faults",
            "scenarios/okta"
        ]
    );
    let t = &suites.suites[0];
    assert_eq!((t.tests, t.failures, t.errors, t.skipped), (3, 1, 0, 1));
    assert_eq!(t.properties.hashmap["target"], "embedded mock");

    let cases: Vec<_> = suites.suites.iter().flat_map(|s| &s.cases).collect();
    let by_title = |title: &str| {
        cases
            .iter()
            .find(|c| c.original_name == title)
            .unwrap_or_else(|| panic!("no testcase {title}"))
    };

    let pass = by_title("Deactivated users are not in Zinc");
    assert!(pass.status.is_success());
    assert_eq!(pass.classname.as_deref(), Some("T8"));
    assert!((pass.time - 0.12).abs() < 1e-9);
    let out = pass.system_out.as_deref().unwrap();
    assert!(
        out.contains("1. assign_user alice (line 12): passed"),
        "{out}"
    );
    assert!(out.contains("POST /Users -> 201"), "{out}");
    assert!(
        out.contains("3. console: list_users (line 16): skipped: needs the Admin Console"),
        "{out}"
    );

    let fail = by_title("A userName that is not an email is refused");
    let TestStatus::Failure(f) = &fail.status else {
        panic!("expected a failure: {:?}", fail.status)
    };
    assert_eq!(f.message, "status: expected 400, got 201 [Z4] (+2 more)");
    assert_eq!(f.failure_type, "Z4");
    let fix = format!("fix: {}", spec(Rule::Z4.into()).hint);
    for part in [
        "scenarios/troubleshooting/t4-username-email.yaml:9",
        fix.as_str(),
        "→ POST /Users",
        "← 201",
        "\"userName\": \"alice\"",
        "<b>&amp;</b>",
        "okta says: Automatic provisioning",
        "step 2: get_user alice",
    ] {
        assert!(
            f.text.contains(part),
            "failure text lacks {part:?}:\n{}",
            f.text
        );
    }

    let skip = by_title("New console groups are missing from Okta");
    let TestStatus::Skipped(s) = &skip.status else {
        panic!("expected a skip: {:?}", skip.status)
    };
    assert_eq!(s.message, "needs the Admin Console of the embedded mock");

    let broken = by_title("Target that cannot be reached");
    let TestStatus::Error(e) = &broken.status else {
        panic!("expected an error: {:?}", broken.status)
    };
    assert_eq!(e.error_type, "broken");
    assert_eq!(e.message, "connection refused (127.0.0.1:9)");
    // Without a case, the file names the test.
    assert_eq!(
        broken.classname.as_deref(),
        Some("scenarios/faults/unreachable.yaml")
    );
}

#[test]
fn markup_and_control_characters_are_escaped() {
    let mut s = failed();
    s.title = r#"Quotes " and ' and <tags> & ampersands ]]> end"#.into();
    s.case = "T<4>".into();
    s.steps[0].findings[0].what = "body \"x\" <y>\x1b\x00".into();
    s.steps[0].exchanges[0].response.as_mut().unwrap().body =
        zinc_harness::report::Body::Text("<html>\x07bad gateway\x1b[0m & </html>]]>".into());
    let xml = junit::render(&report(vec![s]));
    let names = well_formed(&xml);
    assert_eq!(
        names,
        [
            "testsuites",
            "testsuite",
            "properties",
            "property",
            "property",
            "property",
            "testcase",
            "failure",
            "system-out"
        ]
    );
    let suites = parse(&xml);
    let case = &suites.suites[0].cases[0];
    assert_eq!(
        case.original_name,
        r#"Quotes " and ' and <tags> & ampersands ]]> end"#
    );
    assert_eq!(case.classname.as_deref(), Some("T<4>"));
    let TestStatus::Failure(f) = &case.status else {
        panic!()
    };
    assert!(
        f.message
            .starts_with("body \"x\" <y>\\u{1b}\\u{0}: expected 400"),
        "{}",
        f.message
    );
    // The raw text sits in CDATA, split around the `]]>` it contains (which the consumer
    // reads back as two pieces).
    assert!(
        f.text
            .contains("<html>\\u{7}bad gateway\\u{1b}[0m & </html>]]"),
        "{}",
        f.text
    );
    assert!(xml.contains("</html>]]]]><![CDATA[>"), "{xml}");
}

#[test]
fn an_empty_run_is_a_valid_document() {
    let xml = junit::render(&report(vec![]));
    well_formed(&xml);
    let suites = parse(&xml);
    assert_eq!((suites.tests, suites.suites.len()), (0, 0));
}

#[test]
fn a_warning_passes_and_is_written_to_system_out() {
    let xml = junit::render(&report(vec![warned()]));
    let suites = parse(&xml);
    assert_eq!((suites.tests, suites.failures, suites.errors), (1, 0, 0));
    let case = &suites.suites[0].cases[0];
    assert!(matches!(case.status, TestStatus::Success), "{xml}");
    let out = case.system_out.as_deref().unwrap_or_default();
    assert!(
        out.contains(
            "warning [okta:error-status-string]: error body of GET /Users/nope → 404: status"
        ),
        "{xml}"
    );
}

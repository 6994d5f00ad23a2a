//! The terminal report.

use zinc_harness::report::pretty::{self, PrettyOptions};

use super::fixtures::*;

#[test]
fn plain_report_of_every_outcome() {
    let out = pretty::render(&mixed(), &PrettyOptions::plain());
    snapshot!(assert_snapshot!(out));
}

#[test]
fn the_count_line_is_last_and_alone() {
    let out = pretty::render(&mixed(), &PrettyOptions::plain());
    assert_eq!(out.lines().last(), Some("1 passed, 3 failed, 1 skipped"));
    let out = pretty::render(&report(vec![passed()]), &PrettyOptions::plain());
    assert_eq!(out.lines().last(), Some("1 passed, 0 failed, 0 skipped"));
    assert!(!out.contains("root cause"), "{out}");
}

#[test]
fn colours_only_when_switched_on() {
    let plain = pretty::render(&mixed(), &PrettyOptions::plain());
    assert!(!plain.contains('\x1b'), "{plain}");
    let coloured = pretty::render(
        &mixed(),
        &PrettyOptions {
            color: true,
            ..PrettyOptions::plain()
        },
    );
    assert!(coloured.contains("\x1b[31m✗\x1b[0m"), "{coloured}");
    // The CI line stays plain even in colour.
    assert_eq!(
        coloured.lines().last(),
        Some("1 passed, 3 failed, 1 skipped")
    );
    // Stripping the codes gives back the plain report.
    let stripped = strip_ansi(&coloured);
    assert_eq!(stripped, plain);
}

#[test]
fn no_color_and_non_terminals_switch_colours_off() {
    // The decision itself (the environment is process-wide, so it is passed in here).
    assert!(!pretty::color_choice(
        Some("1"),
        None,
        Some("xterm-256color"),
        true
    ));
    assert!(!pretty::color_choice(
        None,
        None,
        Some("xterm-256color"),
        false
    ));
    assert!(pretty::color_choice(
        None,
        None,
        Some("xterm-256color"),
        true
    ));
    // A file is never a terminal.
    let file = tempfile();
    assert!(!PrettyOptions::for_stream(&file).color);
}

#[test]
fn long_bodies_are_cut() {
    let opts = PrettyOptions {
        max_body_lines: 5,
        ..PrettyOptions::plain()
    };
    let out = pretty::render(&report(vec![failed()]), &opts);
    assert!(out.contains("more lines"), "{out}");
    let longest = out.lines().map(|l| l.chars().count()).max().unwrap();
    assert!(longest < 200, "{out}");
}

#[test]
fn a_hostile_body_cannot_drive_the_terminal() {
    let mut s = failed();
    s.steps[0].exchanges[0].response.as_mut().unwrap().body =
        zinc_harness::report::Body::Text("\x1b]0;pwned\x07\x1b[2J".into());
    let out = pretty::render(&report(vec![s]), &PrettyOptions::plain());
    assert!(!out.contains('\x1b'), "{out:?}");
    assert!(out.contains("\\u{1b}]0;pwned"), "{out}");
}

fn strip_ansi(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for d in chars.by_ref() {
                if d == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn tempfile() -> std::fs::File {
    let path = std::env::temp_dir().join(format!("zinc-harness-report-{}", std::process::id()));
    let f = std::fs::File::create(&path).unwrap();
    let _ = std::fs::remove_file(&path);
    f
}

/// `color_enabled` reads the real environment, which is process-wide: run this test binary
/// again as a child with a chosen environment and ask it.
#[test]
fn no_color_in_the_environment_is_honoured() {
    const PROBE: &str = "ZINC_HARNESS_COLOR_PROBE";
    if std::env::var_os(PROBE).is_some() {
        // The child: report the decision for a terminal and for a pipe.
        println!(
            "COLOR tty={} pipe={}",
            pretty::color_enabled(true),
            pretty::color_enabled(false)
        );
        return;
    }
    let ask = |env: &[(&str, &str)]| {
        let mut cmd = std::process::Command::new(std::env::current_exe().unwrap());
        cmd.args([
            "--exact",
            "report::pretty::no_color_in_the_environment_is_honoured",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(PROBE, "1")
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env("TERM", "xterm-256color");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        stdout
            .lines()
            .find_map(|l| l.find("COLOR tty=").map(|i| l[i..].to_string()))
            .unwrap_or_else(|| panic!("the probe did not answer: {stdout}"))
    };
    assert_eq!(ask(&[]), "COLOR tty=true pipe=false");
    assert_eq!(ask(&[("NO_COLOR", "1")]), "COLOR tty=false pipe=false");
    assert_eq!(ask(&[("TERM", "dumb")]), "COLOR tty=false pipe=false");
    assert_eq!(ask(&[("CLICOLOR_FORCE", "1")]), "COLOR tty=true pipe=true");
    assert_eq!(
        ask(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]),
        "COLOR tty=false pipe=false"
    );
}

#[test]
fn a_warning_is_expanded_marked_and_summed_apart_from_failures() {
    let out = pretty::render(&report(vec![warned(), failed()]), &PrettyOptions::plain());
    // The passed scenario's warning step is expanded, marked as a warning, with its source.
    assert!(out.contains("✓ okta-unknown-id"), "{out}");
    assert!(out.contains("1 warning)"), "{out}");
    assert!(
        out.contains("⚠ warn error body of GET /Users/nope → 404: status: expected \"404\", got 404  [okta:error-status-string]"),
        "{out}"
    );
    assert!(
        out.contains("source: okta-client-reference.md §5; RFC 7644 §3.12"),
        "{out}"
    );
    // Failures first, then the warnings in their own group; the count line names them.
    let fails = out
        .find("Failures by root cause:")
        .expect("failures summary");
    let warns = out
        .find("Warnings by root cause")
        .expect("warnings summary");
    assert!(fails < warns, "{out}");
    assert_eq!(
        out.lines().last(),
        Some("1 passed, 1 failed, 0 skipped, 1 warning")
    );
}

//! The corpus of broken scenario files (tests/scenario-errors/): each one gives errors, never a
//! panic, makes `check` exit 2, and its messages are snapshotted so a reviewer sees exactly
//! what an author would.

use std::path::{Path, PathBuf};

use zinc_harness::contract::ExitCode;
use zinc_harness::scenario;

use crate::cli::{err, out, zh};

/// `zinc-harness check --quiet PATH` from the project folder: its exit code and stdout.
fn check(path: &Path) -> (Option<i32>, String) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let path = path.to_str().expect("a UTF-8 path");
    let o = zh(root, &["check", "--quiet", path]);
    assert!(!err(&o).contains("panicked"), "{}", err(&o));
    (o.status.code(), out(&o))
}

fn relative(path: &Path) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

#[test]
fn every_broken_file_is_explained_and_exits_2() {
    let mut seen = 0;
    let _guard = super::snapshots().bind_to_scope();
    insta::glob!("../../scenario-errors", "*.yaml", |path| {
        seen += 1;
        let rel = relative(path);
        let diags = scenario::check(&rel);
        assert!(!diags.is_empty(), "{} should not pass check", rel.display());
        for d in &diags {
            assert!(!d.message.is_empty() && d.file == rel.display().to_string());
        }
        let (code, out) = check(&rel);
        assert_eq!(code, Some(i32::from(ExitCode::BadInput)), "{out}");
        insta::assert_snapshot!(out);
    });
    assert!(seen >= 30, "the corpus has at least 30 files, found {seen}");
}

#[test]
fn the_binary_checks_the_whole_corpus_without_panicking() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_zinc-harness"))
        .args(["check", "--quiet", "tests/scenario-errors"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(i32::from(ExitCode::BadInput)),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    let files = std::fs::read_dir("tests/scenario-errors").unwrap().count();
    assert!(
        stdout.contains(&format!(
            "checked {files} scenario file(s) from the given paths: {files} with errors"
        )),
        "{stdout}"
    );
}

/// Inputs too big or too odd to commit are made here.
fn generated_inputs() -> Vec<(&'static str, Vec<u8>)> {
    let mut ten_mb = b"title: big\nsteps:\n  - test_credentials\n# ".to_vec();
    ten_mb.resize(10 * 1024 * 1024, b'x');
    let mut garbage = Vec::with_capacity(4096);
    let mut x: u32 = 0x9e37_79b9;
    for _ in 0..4096 {
        // xorshift: fixed bytes, so the snapshot is stable.
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        garbage.push((x >> 24) as u8);
    }
    let mut bad_utf8 = b"title: caf".to_vec();
    bad_utf8.extend_from_slice(&[0xC3, 0x28]);
    bad_utf8.extend_from_slice(b"\nsteps:\n  - test_credentials\n");
    let nul = b"title: a\0b\nsteps:\n  - test_credentials\n".to_vec();
    let long_line = format!("title: {}\nsteps:\n  - nope\n", "x".repeat(500_000)).into_bytes();
    let deep = format!(
        "title: deep\nsteps: {}{}\n",
        "[".repeat(200_000),
        "]".repeat(200_000)
    )
    .into_bytes();
    let many_steps = format!(
        "title: many\nsteps:\n{}",
        "  - asign_user: x\n".repeat(2000)
    )
    .into_bytes();
    vec![
        ("ten-megabytes.yaml", ten_mb),
        ("binary-garbage.yaml", garbage),
        ("invalid-utf8.yaml", bad_utf8),
        ("nul-byte.yaml", nul),
        ("half-megabyte-line.yaml", long_line),
        ("deeply-nested-200k.yaml", deep),
        ("two-thousand-bad-steps.yaml", many_steps),
    ]
}

#[test]
fn generated_hostile_inputs_are_refused_with_an_error() {
    let dir = std::env::temp_dir().join(format!("zinc-harness-scenario-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut report = String::new();
    for (name, bytes) in generated_inputs() {
        let path = dir.join(name);
        std::fs::write(&path, &bytes).unwrap();
        let diags = scenario::load(&path).expect_err(name);
        let (code, _) = check(&path);
        assert_eq!(code, Some(i32::from(ExitCode::BadInput)), "{name}");
        // Snapshot the first error (the 2000-step file has 2000 of them), without the temp dir.
        let shown = diags
            .iter()
            .next()
            .unwrap()
            .to_string()
            .replace(&dir.display().to_string(), "<tmp>");
        report.push_str(&format!("== {name}: {} error(s)\n{shown}\n", diags.len()));
    }
    std::fs::remove_dir_all(&dir).ok();
    super::snapshots().bind(|| insta::assert_snapshot!(report));
}

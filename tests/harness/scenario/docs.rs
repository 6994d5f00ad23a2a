//! The format reference (scenarios/README.md) cannot drift from the parser: every YAML example
//! in it, and every step example of its tables, passes `check` (wrapped in a minimal scenario
//! when it is a fragment), and the `check` output it shows is what `check` prints today.

use zinc_harness::scenario;

const README: &str = include_str!("../../../scenarios/README.md");

const PEOPLE: &str = "people:\n  alice: { first: Alice, last: Smith, email: alice@example.com }\n  bob: { first: Bob, last: Jones, email: bob@example.com }\n  carol: { first: Carol, last: King, email: carol@example.com }\n  jane: { first: Jane, last: Doe, email: jane@example.com }\n  generate: { count: 500, seed: 1, domain: example.com }\n";
const GROUPS: &str =
    "groups:\n  eng: { name: Engineering, members: [alice, bob] }\n  ops: { name: Ops }\n";

/// A fragment made into a whole scenario.
fn wrap(fragment: &str) -> String {
    let first = fragment.trim_start();
    let steps_prelude = if fragment.contains("create_group") {
        String::new()
    } else {
        "  - console: { create_group: { key: lunch, name: Lunch } }\n".to_string()
    };
    if first.starts_with("people:") {
        format!("title: doc example\n{fragment}steps:\n  - test_credentials\n")
    } else if first.starts_with("groups:") {
        format!("title: doc example\n{PEOPLE}{fragment}steps:\n  - test_credentials\n")
    } else if first.starts_with("steps:") {
        format!("title: doc example\n{PEOPLE}{GROUPS}{fragment}")
    } else {
        format!("title: doc example\n{PEOPLE}{GROUPS}steps:\n{steps_prelude}{fragment}")
    }
}

/// Fenced ```yaml blocks, de-indented (some sit inside list items).
fn yaml_blocks() -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut current: Option<(usize, usize, String)> = None;
    for (n, line) in README.lines().enumerate() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        match &mut current {
            None if trimmed == "```yaml" => current = Some((n + 1, indent, String::new())),
            Some(_) if trimmed == "```" => {
                let (at, _, text) = current.take().unwrap();
                out.push((at, text));
            }
            Some((_, indent, text)) => {
                text.push_str(line.get(*indent..).unwrap_or(""));
                text.push('\n');
            }
            None => {}
        }
    }
    out
}

#[test]
fn every_yaml_example_of_the_reference_passes_check() {
    let blocks = yaml_blocks();
    assert!(blocks.len() >= 10, "found {} examples", blocks.len());
    let mut checked = 0;
    for (line, block) in blocks {
        if block
            .lines()
            .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
        {
            continue;
        }
        if block.contains("asign_user") {
            continue; // broken on purpose: see the next test
        }
        let text = if block.contains("\ntitle:") || block.starts_with("title:") {
            block.clone()
        } else {
            wrap(&block)
        };
        if let Err(d) = scenario::parse(&format!("README.md example at line {line}"), &text) {
            panic!("{d}\n--- as checked:\n{text}");
        }
        checked += 1;
    }
    assert!(checked >= 10);
}

#[test]
fn every_step_example_in_the_tables_passes_check() {
    let mut checked = 0;
    for (n, row) in README
        .lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with('|'))
    {
        let spans: Vec<&str> = row.split('`').skip(1).step_by(2).collect();
        let mut example = String::new();
        for span in spans {
            let kind = span
                .strip_prefix("- ")
                .map(|k| k.split(':').next().unwrap_or(k).trim());
            if kind.is_some_and(|k| scenario::STEP_KINDS.contains(&k)) && example.is_empty() {
                example = format!("  {span}\n");
            } else if span.starts_with("  ") && !example.is_empty() {
                example.push_str(&format!("  {span}\n"));
            }
        }
        if example.is_empty() {
            continue;
        }
        let text = wrap(&example);
        if let Err(d) = scenario::parse(&format!("README.md table row at line {}", n + 1), &text) {
            panic!("{d}\n--- as checked:\n{text}");
        }
        checked += 1;
    }
    assert!(checked >= 30, "checked {checked} table examples");
}

#[test]
fn the_check_output_shown_is_the_real_one() {
    let marker = "For this file, `scenarios/broken.yaml`:";
    let at = README
        .find(marker)
        .expect("the reference shows a broken file");
    let rest = &README[at..];
    let start = rest.find("```yaml\n").unwrap() + "```yaml\n".len();
    let end = start + rest[start..].find("```").unwrap();
    let broken = &rest[start..end];
    let diags = scenario::parse("scenarios/broken.yaml", broken).unwrap_err();
    let shown = diags.to_string();
    assert!(
        README.contains(&shown),
        "update the output in scenarios/README.md to:\n{shown}"
    );
    assert_eq!(diags.len(), 3);
}

//! The JSON report: its shape, and that `docs/report-json.md` documents every field.

use std::collections::BTreeSet;

use serde_json::Value;
use zinc_harness::report::json;

use super::fixtures::*;

#[test]
fn json_document() {
    let out = json::render(&mixed());
    snapshot!(assert_snapshot!(out));
}

#[test]
fn summary_and_versions() {
    let v = json::to_value(&mixed());
    assert_eq!(v["schema_version"], json::SCHEMA_VERSION);
    assert_eq!(v["tool"], "zinc-harness");
    assert_eq!(v["exit_code"], 3);
    assert_eq!(
        v["summary"],
        serde_json::json!({"total": 5, "passed": 1, "failed": 2, "skipped": 1, "broken": 1, "warnings": 0})
    );
    assert_eq!(v["scenarios"][0]["status"], "passed");
    assert_eq!(v["scenarios"][0]["steps"][2]["status"], "skipped");
    assert_eq!(v["scenarios"][1]["steps"][0]["findings"][0]["rule"], "Z4");
    assert_eq!(
        v["scenarios"][1]["steps"][0]["findings"][0]["expected"],
        400
    );
    assert_eq!(
        v["scenarios"][1]["steps"][0]["exchanges"][0]["request"]["body"]["kind"],
        "json"
    );
    assert_eq!(
        v["scenarios"][3]["steps"][0]["exchanges"][0]["response"],
        Value::Null
    );
    // A skip alone exits 0.
    assert_eq!(json::to_value(&report(vec![skipped()]))["exit_code"], 0);
}

/// Every key path the report can emit (arrays as `[]`).
fn key_paths(v: &Value, prefix: &str, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                let p = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                // Bodies and finding values are free-form JSON from the wire or the
                // scenario: their inner keys are not part of the report's shape.
                let free = (k == "value" && prefix.ends_with("body"))
                    || ((k == "expected" || k == "actual") && prefix.ends_with("findings[]"));
                out.insert(p.clone());
                if !free {
                    key_paths(child, &p, out);
                }
            }
        }
        Value::Array(items) => {
            for i in items {
                key_paths(i, &format!("{prefix}[]"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn every_field_is_documented() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/report-json.md"))
        .expect("docs/report-json.md documents the JSON report");
    let mut paths = BTreeSet::new();
    key_paths(&json::to_value(&mixed()), "", &mut paths);
    let missing: Vec<&String> = paths
        .iter()
        .filter(|p| !doc.contains(&format!("`{p}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "docs/report-json.md does not document: {missing:#?}"
    );
    assert!(doc.contains(&format!(
        "`schema_version` | number | `{}`",
        json::SCHEMA_VERSION
    )));
}

#[test]
fn a_warning_has_its_severity_evidence_and_count() {
    let v = json::to_value(&report(vec![warned()]));
    assert_eq!(v["exit_code"], 0);
    assert_eq!(v["summary"]["warnings"], 1);
    assert_eq!(v["summary"]["failed"], 0);
    assert_eq!(v["scenarios"][0]["status"], "passed");
    assert_eq!(v["scenarios"][0]["warnings"], 1);
    let f = &v["scenarios"][0]["steps"][0]["findings"][0];
    assert_eq!(f["severity"], "warn");
    assert_eq!(f["rule"], "okta:error-status-string");
    assert_eq!(f["evidence"][1], "RFC 7644 §3.12");
    assert_eq!(v["root_causes"][0]["severity"], "warn");
}

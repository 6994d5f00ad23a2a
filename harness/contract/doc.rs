//! The catalogue as people read it: `zinc-harness rules` (text, JSON) and `docs/rules.md`.

use serde_json::{Value, json};

use super::catalogue::{RuleSpec, all};

/// One rule as JSON: `id`, `title`, `hint`, `severity`, `evidence` (strings), `profile`,
/// `switchable` and, for a check made in both profiles, `zinc` (the rule it cites there).
pub(crate) fn json(spec: &RuleSpec) -> Value {
    json!({
        "id": spec.id.to_string(),
        "title": spec.title,
        "hint": spec.hint,
        "severity": spec.severity.as_str(),
        "evidence": spec.evidence.iter().map(ToString::to_string).collect::<Vec<_>>(),
        "profile": spec.id.profile().as_str(),
        "switchable": spec.switchable,
        "zinc": spec.zinc.map(|r| r.to_string()),
    })
}

/// One rule as terminal text: the id and title, then the fix, severity and evidence.
pub(crate) fn text(spec: &RuleSpec) -> String {
    let evidence: Vec<String> = spec.evidence.iter().map(ToString::to_string).collect();
    let mut out = format!(
        "{}  {}\n    fix: {}\n    severity: {} · profile: {} · evidence: {}\n",
        spec.id,
        spec.title,
        spec.hint,
        spec.severity.as_str(),
        spec.id.profile().as_str(),
        evidence.join("; ")
    );
    if let Some(z) = spec.zinc {
        out.push_str(&format!("    in the zinc profile this check cites {z}\n"));
    }
    if spec.switchable {
        out.push_str("    a test can switch it off in the mock (ZincConfig::break_rule)\n");
    }
    out
}

/// `docs/rules.md`: every rule, generated (a test keeps the committed file equal).
pub(crate) fn markdown() -> String {
    let mut out = String::from(
        "# Rules\n\n\
         Every rule a report, `check` or a scenario file cites, generated from the rule catalogue\n\
         (`harness/contract/catalogue.rs`) by `zinc-harness rules --format markdown`; a test keeps\n\
         this file equal to it. `zinc-harness rules ID` shows one rule.\n\n\
         Severity: `fail` — Okta (for an `entra:` rule, Entra) breaks, or a documented requirement\n\
         (Zinc's contract, Okta's SPEC test, OIN QA, Entra's SCIM tutorial) says so: the finding\n\
         fails its scenario. `warn` — a deviation the evidence says the IdP tolerates: shown in\n\
         every report, never fails a scenario or the run.\n\n\
         | id | severity | profile | rule | fix | evidence |\n|---|---|---|---|---|---|\n",
    );
    for spec in all() {
        let evidence: Vec<String> = spec.evidence.iter().map(ToString::to_string).collect();
        let mut rule = spec.title.to_owned();
        if let Some(z) = spec.zinc {
            rule.push_str(&format!(" (zinc profile: {z})"));
        }
        if spec.switchable {
            rule.push_str(" (switchable in tests)");
        }
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} | {} |\n",
            spec.id,
            spec.severity.as_str(),
            spec.id.profile().as_str(),
            cell(&rule),
            cell(spec.hint),
            cell(&evidence.join("; ")),
        ));
    }
    out
}

fn cell(s: &str) -> String {
    s.replace('|', "\\|")
}

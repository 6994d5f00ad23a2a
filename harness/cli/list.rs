//! `zinc-harness list`: every scenario with its case, title, rules and profiles.

use std::path::PathBuf;

use serde::Serialize;

use crate::contract::{ExitCode, RuleId};
use crate::scenario::{self, Profile};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ListFormat {
    #[default]
    Pretty,
    Json,
}

#[derive(Debug, Default, clap::Args)]
pub(crate) struct ListArgs {
    /// Scenario files or folders. Default: ./scenarios/ when it exists, else the built-in set.
    pub paths: Vec<PathBuf>,
    /// List the scenarios built into zinc-harness, even where ./scenarios/ exists.
    #[arg(long, conflicts_with = "paths")]
    pub builtin: bool,
    /// Only scenarios of this profile.
    #[arg(long, value_enum)]
    pub profile: Option<Profile>,
    /// Output format.
    #[arg(long, value_enum, default_value = "pretty")]
    pub format: ListFormat,
}

#[derive(Debug, Serialize)]
struct Entry {
    /// `file`, as in the run's JSON report (`docs/report-json.md`).
    file: String,
    case: Option<String>,
    title: Option<String>,
    rules: Vec<RuleId>,
    profiles: Vec<&'static str>,
    steps: usize,
    /// Present when the file does not pass `check`.
    #[serde(skip_serializing_if = "Option::is_none")]
    errors: Option<usize>,
}

#[derive(Debug, Serialize)]
struct Listing {
    source: String,
    scenarios: Vec<Entry>,
}

pub(crate) async fn exec(args: ListArgs) -> ExitCode {
    let (code, out) = run(&args);
    super::out::print(&out);
    code
}

/// The listing as text (for tests): the exit code and what is printed.
pub(crate) fn run(args: &ListArgs) -> (ExitCode, String) {
    let (origin, sources) = match super::scenarios::select(&args.paths, args.builtin) {
        Ok(found) => found,
        Err(diags) => return (ExitCode::BadInput, format!("{diags}")),
    };
    let mut invalid = 0;
    let mut entries = Vec::new();
    for source in &sources {
        match source.load() {
            Ok(s) => {
                if let Some(p) = args.profile
                    && !s.in_profile(p)
                {
                    continue;
                }
                entries.push(Entry {
                    file: source.name(),
                    case: s.case,
                    title: Some(s.title),
                    rules: s.rules,
                    profiles: s.profiles.iter().map(|p| p.as_str()).collect(),
                    steps: s.steps.len(),
                    errors: None,
                });
            }
            Err(d) => {
                invalid += 1;
                entries.push(Entry {
                    file: source.name(),
                    case: None,
                    title: None,
                    rules: Vec::new(),
                    profiles: Vec::new(),
                    steps: 0,
                    errors: Some(d.len()),
                });
            }
        }
    }
    let code = if invalid > 0 {
        ExitCode::BadInput
    } else {
        ExitCode::Success
    };
    let out = match args.format {
        ListFormat::Json => {
            let listing = Listing {
                source: origin.to_string(),
                scenarios: entries,
            };
            let mut s = serde_json::to_string_pretty(&listing).unwrap_or_default();
            s.push('\n');
            s
        }
        ListFormat::Pretty => pretty(&origin, &entries, invalid),
    };
    (code, out)
}

fn pretty(origin: &scenario::Origin, entries: &[Entry], invalid: usize) -> String {
    let mut out = format!("{} scenario(s) from {origin}\n", entries.len());
    let width = entries.iter().map(|e| e.file.len()).max().unwrap_or(0);
    // The case column fits the longest case id (`okta-aiw-deactivate`), so titles line up.
    let case_width = entries
        .iter()
        .filter_map(|e| e.case.as_deref().map(str::len))
        .max()
        .unwrap_or(1);
    for e in entries {
        match e.errors {
            Some(n) => out.push_str(&format!(
                "{:<width$}  (invalid: {n} error(s), see `zinc-harness check {}`)\n",
                e.file, e.file
            )),
            None => out.push_str(&format!(
                "{:<width$}  {:<case_width$}  {}  [rules: {}] [profiles: {}]\n",
                e.file,
                e.case.as_deref().unwrap_or("-"),
                e.title.as_deref().unwrap_or(""),
                if e.rules.is_empty() {
                    "-".to_string()
                } else {
                    let ids: Vec<String> = e.rules.iter().map(ToString::to_string).collect();
                    ids.join(", ")
                },
                e.profiles.join(", "),
            )),
        }
    }
    if invalid > 0 {
        out.push_str(&format!(
            "{invalid} file(s) do not pass `zinc-harness check`\n"
        ));
    }
    out
}

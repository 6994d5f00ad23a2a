//! `zinc-harness rules [ID…]`: the rule catalogue, so that every id a report cites can be
//! looked up with the binary alone.

use crate::contract::{ExitCode, RuleId, all, doc, spec};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum RulesFormat {
    Pretty,
    Json,
    /// The table `docs/rules.md` is generated from.
    Markdown,
}

#[derive(Debug, clap::Args)]
pub(crate) struct RulesArgs {
    /// Only these rules (`Z7`, `okta:filter`). Default: every rule.
    pub ids: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "pretty")]
    pub format: RulesFormat,
}

pub(crate) fn exec(args: RulesArgs) -> ExitCode {
    let (code, out) = run(&args);
    if code == ExitCode::Success {
        print!("{out}");
    } else {
        eprint!("{out}");
    }
    code
}

/// The output and exit code, without printing (for tests).
pub(crate) fn run(args: &RulesArgs) -> (ExitCode, String) {
    let mut specs = Vec::new();
    for id in &args.ids {
        match id.parse::<RuleId>() {
            Ok(id) => specs.push(spec(id)),
            Err(e) => return (ExitCode::BadInput, format!("error: {e}\n")),
        }
    }
    if args.ids.is_empty() {
        specs = all().collect();
    }
    let out = match args.format {
        RulesFormat::Pretty => specs.iter().map(|s| doc::text(s)).collect(),
        RulesFormat::Json => {
            let list: Vec<_> = specs.iter().map(|s| doc::json(s)).collect();
            let mut text = serde_json::to_string_pretty(&list).unwrap_or_default();
            text.push('\n');
            text
        }
        RulesFormat::Markdown => doc::markdown(),
    };
    (ExitCode::Success, out)
}

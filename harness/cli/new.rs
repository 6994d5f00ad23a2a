//! `zinc-harness new NAME`: write a commented scenario skeleton under `scenarios/` that passes
//! `check` and runs against the embedded mock.

use std::path::{Component, Path, PathBuf};

use crate::contract::{ExitCode, Profile};
use crate::scenario;

#[derive(Debug, clap::Args)]
pub(crate) struct NewArgs {
    /// The scenario's file name, e.g. `t3-email-change` or `troubleshooting/t3-email-change`
    /// (written as scenarios/NAME.yaml).
    pub name: String,
    /// The troubleshooting case it proves (T1…T9) or an okta-… id; fills in the question and
    /// the rules.
    #[arg(long)]
    pub case: Option<String>,
    /// The profile it belongs to.
    #[arg(long, value_enum, default_value = "zinc")]
    pub profile: Profile,
    /// The folder to write into.
    #[arg(long, default_value = "scenarios")]
    pub dir: PathBuf,
    /// Replace an existing file.
    #[arg(long)]
    pub force: bool,
}

pub(crate) async fn exec(args: NewArgs) -> ExitCode {
    match create(&args) {
        Ok(lines) => {
            for l in lines {
                super::out::println(&l.to_string());
            }
            ExitCode::Success
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::BadInput
        }
    }
}

/// Write the skeleton (and the schema beside the scenarios, if missing); returns what to tell
/// the user.
pub(crate) fn create(args: &NewArgs) -> Result<Vec<String>, String> {
    let rel = file_name(&args.name)?;
    let path = args.dir.join(&rel);
    if path.exists() && !args.force {
        return Err(format!(
            "{} already exists (use --force to replace it)",
            path.display()
        ));
    }
    if let Some(case) = &args.case
        && scenario::cases::case(case).is_none()
        && !case.starts_with("okta-")
    {
        return Err(format!(
            "unknown case `{case}`: expected T1…T9 or an id starting with `okta-`"
        ));
    }
    let depth = rel.components().count() - 1;
    let schema_rel = format!("{}scenario.schema.json", "../".repeat(depth));
    let text = skeleton(args, &schema_rel);
    // Never write a skeleton that does not pass `check`.
    if let Err(d) = scenario::parse(&path.display().to_string(), &text) {
        return Err(format!(
            "internal error: the skeleton does not pass check:\n{d}"
        ));
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    let mut said = vec![format!("wrote {}", path.display())];
    let schema_path = args.dir.join("scenario.schema.json");
    if !schema_path.exists() {
        std::fs::write(&schema_path, super::schema::schema_text())
            .map_err(|e| format!("cannot write {}: {e}", schema_path.display()))?;
        said.push(format!(
            "wrote {} (the JSON Schema your editor uses)",
            schema_path.display()
        ));
    }
    said.push(format!("check it: zinc-harness check {}", path.display()));
    // A run keeps the scenarios of its profile only (zinc by default): name the profile,
    // or the new scenario would be skipped.
    let profile = match args.profile {
        Profile::Zinc => String::new(),
        Profile::Okta | Profile::Entra => format!(" --profile {}", args.profile),
    };
    said.push(format!(
        "run it:   zinc-harness run{profile} {}",
        path.display()
    ));
    Ok(said)
}

/// `NAME` → `NAME.yaml`, a relative path with no `..`.
fn file_name(name: &str) -> Result<PathBuf, String> {
    let name = name.trim();
    let with_ext = if name.ends_with(".yaml") {
        name.to_string()
    } else {
        format!("{name}.yaml")
    };
    let p = Path::new(&with_ext);
    let plain = p.components().all(|c| matches!(c, Component::Normal(_)));
    let stem_ok = p.file_stem().and_then(|s| s.to_str()).is_some_and(|s| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    });
    if name.is_empty() || !plain || !stem_ok {
        return Err(format!(
            "`{name}` is not a scenario name: use letters, digits, `-` and `_`, optionally in a subfolder (e.g. troubleshooting/t3-email-change)"
        ));
    }
    Ok(p.to_path_buf())
}

fn skeleton(args: &NewArgs, schema_rel: &str) -> String {
    let case = args.case.as_deref().and_then(scenario::cases::case);
    let profile = args.profile.as_str();
    let case_line = match &args.case {
        Some(c) => format!("case: {c}\n"),
        None => "# case: T3                 # the troubleshooting case (T1–T9) or an okta-… id\n"
            .to_string(),
    };
    let doc = case
        .map(|c| c.question)
        .unwrap_or("The question from the support case, in the customer's words.");
    let rules = case
        .map(|c| {
            let ids: Vec<String> = c.rules.iter().map(ToString::to_string).collect();
            ids.join(", ")
        })
        .unwrap_or_default();
    let rules_line = if rules.is_empty() {
        "# rules: [Z7]               # the Zinc contract rules (Z1–Z25) this scenario proves\n"
            .to_string()
    } else {
        format!("rules: [{rules}]\n")
    };
    let title = args
        .name
        .rsplit('/')
        .next()
        .unwrap_or(&args.name)
        .trim_end_matches(".yaml")
        .replace(['-', '_'], " ");
    let run_profile = if profile == "okta" {
        " --profile okta"
    } else {
        ""
    };
    format!(
        r#"# yaml-language-server: $schema={schema_rel}
# A zinc-harness scenario. Format reference: scenarios/README.md
#   check it: zinc-harness check <this file>
#   run it:   zinc-harness run{run_profile} <this file>
{case_line}title: "{title}"           # one line: what this scenario shows
doc: "{doc}"
{rules_line}profiles: [{profile}]
okta: {{ app: oin, push_groups: true }}   # app: oin (catalog) or aiw (wizard)

# People in Okta. Steps name them by key. For many people use
#   generate: {{ count: 200, seed: 1, domain: example.com }}   (keys user001…user200)
people:
  alice: {{ first: Alice, last: Smith, email: alice@example.com }}
  bob: {{ first: Bob, last: Jones, email: bob@example.com }}

# Okta groups, pushed with push_group.
groups:
  eng: {{ name: Engineering, members: [alice, bob] }}

# What happens, in order. Each step: one action, then optionally expect: and note:.
steps:
  - test_credentials:
    expect: {{ ok: true }}
  - assign_user: [alice, bob]
    expect: {{ ok: true, status: 201 }}   # the step's main request: POST /Users
  - push_group: eng
    expect: {{ ok: true, status: 201 }}
  - get_user: alice
    note: Read alice back by the id Okta learned.
    expect: {{ status: 200, body: {{ userName: alice@example.com }} }}
"#
    )
}

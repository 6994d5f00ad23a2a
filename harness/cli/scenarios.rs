//! Which scenarios a command reads (shared by `run`, `check` and `list`), and
//! `zinc-harness scenarios export|show`: the built-in suite as files a user can read and edit.

use std::path::{Component, Path, PathBuf};

use crate::contract::ExitCode;
use crate::scenario::{self, Diagnostics, Origin, Source};

/// The scenarios named on the command line: PATHS, or `--builtin`, or by default
/// `./scenarios/` when it exists and the built-in set otherwise.
pub(crate) fn select(
    paths: &[PathBuf],
    builtin: bool,
) -> Result<(Origin, Vec<Source>), Diagnostics> {
    if builtin {
        // clap refuses PATHS with --builtin; a library caller gets the built-in set.
        Ok(scenario::builtin_sources())
    } else {
        scenario::sources(paths)
    }
}

/// The first line of a run, of `check` and of `list`: where the scenarios come from, and
/// how to read them when they are the built-in ones.
pub(crate) fn source_line(origin: &Origin, count: usize) -> String {
    let files = if count == 1 { "file" } else { "files" };
    match origin {
        Origin::Builtin => format!(
            "scenarios: {count} {files} built into zinc-harness, named builtin:PATH \
             (`zinc-harness scenarios export DIR` writes them out)"
        ),
        Origin::Folder(p) => format!(
            "scenarios: {count} {files} from the folder {} (--builtin runs the built-in set instead)",
            p.display()
        ),
        Origin::Paths => format!("scenarios: {count} {files} from the given paths"),
    }
}

#[derive(Debug, clap::Args)]
pub(crate) struct ScenariosArgs {
    #[command(subcommand)]
    pub command: ScenariosCommand,
}

#[derive(Debug, clap::Subcommand)]
pub(crate) enum ScenariosCommand {
    /// Write the built-in scenarios (with their JSON Schema and format reference) into DIR,
    /// as DIR/troubleshooting/t3-email-immutable.yaml for builtin:troubleshooting/….
    Export(ExportArgs),
    /// Print one built-in scenario, e.g. `builtin:troubleshooting/t3-email-immutable.yaml`
    /// (the `builtin:` is optional).
    Show(ShowArgs),
}

#[derive(Debug, clap::Args)]
pub(crate) struct ExportArgs {
    /// The folder to write into (created if missing). `zinc-harness run DIR` then runs
    /// exactly the built-in suite.
    pub dir: PathBuf,
    /// Replace files that already exist (otherwise nothing is written when one does).
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, clap::Args)]
pub(crate) struct ShowArgs {
    /// The built-in scenario, as a report names it.
    pub name: String,
}

pub(crate) async fn exec(args: ScenariosArgs) -> ExitCode {
    let result = match args.command {
        ScenariosCommand::Export(a) => export(&a.dir, a.force).map(|written| {
            format!(
                "wrote {written} files into {} (run them: zinc-harness run {})\n",
                a.dir.display(),
                a.dir.display()
            )
        }),
        ScenariosCommand::Show(a) => show(&a.name).map(str::to_owned),
    };
    match result {
        Ok(text) => {
            super::out::print(&text);
            ExitCode::Success
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::BadInput
        }
    }
}

/// Every file `export` writes: (path under DIR, text).
fn exported() -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = scenario::builtin()
        .iter()
        .map(|(path, text)| {
            let name = scenario::builtin_name(path);
            let rel = name
                .strip_prefix(scenario::BUILTIN_PREFIX)
                .unwrap_or(&name)
                .to_owned();
            (rel, (*text).to_owned())
        })
        .collect();
    // The scenarios point their editors at `../scenario.schema.json`.
    files.push((
        "scenario.schema.json".to_owned(),
        super::schema::schema_text(),
    ));
    files.push(("README.md".to_owned(), scenario::BUILTIN_README.to_owned()));
    files
}

/// Writes the built-in suite under `dir`; refuses (writing nothing) when a file is there
/// already and `force` is not given. Returns how many files were written.
pub(crate) fn export(dir: &Path, force: bool) -> Result<usize, String> {
    let files = exported();
    for (rel, _) in &files {
        // The names come from our own build; never let one leave DIR all the same.
        if !Path::new(rel)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
        {
            return Err(format!(
                "internal error: built-in name {rel:?} is not a plain path"
            ));
        }
    }
    if !force {
        let existing: Vec<String> = files
            .iter()
            .map(|(rel, _)| dir.join(rel))
            .filter(|p| p.exists())
            .map(|p| p.display().to_string())
            .collect();
        if !existing.is_empty() {
            return Err(format!(
                "{} file(s) already exist, nothing was written (use --force to replace them): {}",
                existing.len(),
                existing.join(", ")
            ));
        }
    }
    for (rel, text) in &files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(files.len())
}

/// The text of one built-in scenario, by its report name (with or without `builtin:`).
pub(crate) fn show(name: &str) -> Result<&'static str, String> {
    let want = name
        .trim()
        .strip_prefix(scenario::BUILTIN_PREFIX)
        .unwrap_or(name.trim());
    // A report's `builtin:PATH:LINE` or `:LINE:COLUMN` may be pasted whole.
    let want = want.split(".yaml:").next().unwrap_or(want);
    let want = want.strip_suffix(".yaml").unwrap_or(want);
    scenario::builtin()
        .iter()
        .find(|(path, _)| {
            let n = scenario::builtin_name(path);
            let rel = n.strip_prefix(scenario::BUILTIN_PREFIX).unwrap_or(&n);
            rel.strip_suffix(".yaml").unwrap_or(rel) == want
        })
        .map(|(_, text)| *text)
        .ok_or_else(|| {
            format!(
                "no built-in scenario {name:?}: `zinc-harness list --builtin` lists them \
                 (e.g. builtin:troubleshooting/t3-email-immutable.yaml)"
            )
        })
}

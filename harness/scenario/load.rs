//! Reading scenario files: parse, check and load one file or a folder, and the built-in suite compiled into the binary.

use super::{
    Diagnostic, Diagnostics, IdRef, MAX_DEPTH, MAX_FILE_BYTES, Scenario, de, diag, file, node,
    placeholder, validate,
};
use std::path::{Path, PathBuf};

/// The step kinds, as written in files.
pub const STEP_KINDS: &[&str] = file::StepKind::NAMES;

/// Parse and validate a scenario from text; `name` is used in error locations.
pub fn parse(name: &str, text: &str) -> Result<Scenario, Diagnostics> {
    if text.len() > MAX_FILE_BYTES {
        return Err(Diagnostics(vec![too_big(name, text.len() as u64)]));
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines = diag::Lines::new(text);
    let root = match node::parse_yaml(text) {
        Ok(root) => root,
        Err(e) => return Err(Diagnostics(vec![yaml_error(name, &lines, e)])),
    };
    if let Some(d) = not_a_scenario(name, &lines, text, &root) {
        return Err(Diagnostics(vec![d]));
    }
    let unquoted = validate::unquoted_placeholders(&root);
    let sink = de::Sink::default();
    let parsed = de::from_node::<file::ScenarioFile>(&root, &sink);
    let mut diags: Vec<Diagnostic> = sink
        .take()
        .into_iter()
        .filter(|e| !sink.is_explained(e))
        .map(|e| de_error(name, &lines, &root, e))
        .collect();
    let scenario = match parsed {
        Ok(f) => {
            let mut checker = validate::Checker::new(name, &lines, &root);
            let scenario = checker.scenario(f);
            diags.extend(checker.diags);
            Some(scenario)
        }
        Err(e) => {
            if !sink.is_explained(&e) {
                diags.push(de_error(name, &lines, &root, e));
            }
            None
        }
    };
    // An unquoted placeholder explains whatever else was said of that mapping (e.g. "wrong
    // type of value" for a `path:`).
    diags.retain(|d| {
        !unquoted
            .iter()
            .any(|(p, _)| (d.line, d.column) == (p.line, p.column))
    });
    diags.extend(unquoted.iter().map(|(p, text)| {
        Diagnostic::at(
            name,
            &lines,
            p.line,
            p.column,
            format!(
                "`{text}` unquoted is a YAML mapping here, not a placeholder: quote it: \"{text}\""
            ),
            Some(format!("the placeholder as text, in quotes: \"{text}\"")),
        )
    }));
    diags.sort_by_key(|d| (d.line, d.column));
    // A mapping read again after an error reports its unknown keys again.
    let mut unique: Vec<Diagnostic> = Vec::with_capacity(diags.len());
    for d in diags {
        if !unique.contains(&d) {
            unique.push(d);
        }
    }
    let diags = unique;
    match scenario {
        Some(s) if diags.is_empty() => Ok(s),
        _ => Err(Diagnostics(diags)),
    }
}

/// Parse and validate raw bytes (a file's content): non-UTF-8 input is an error, not a panic.
pub fn parse_bytes(name: &str, bytes: &[u8]) -> Result<Scenario, Diagnostics> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(Diagnostics(vec![too_big(name, bytes.len() as u64)]));
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => parse(name, text),
        Err(e) => {
            let good = &bytes[..e.valid_up_to()];
            let line = good.iter().filter(|b| **b == b'\n').count() as u32 + 1;
            let line_start = good
                .iter()
                .rposition(|b| *b == b'\n')
                .map(|p| p + 1)
                .unwrap_or(0);
            let column = String::from_utf8_lossy(&good[line_start..]).chars().count() as u32 + 1;
            let text = String::from_utf8_lossy(bytes);
            Err(Diagnostics(vec![Diagnostic::at(
                name,
                &diag::Lines::new(&text),
                line,
                column,
                format!(
                    "this is not UTF-8 text (byte {} is invalid): is it a binary file?",
                    e.valid_up_to()
                ),
                Some("a YAML text file in UTF-8".to_string()),
            )]))
        }
    }
}

/// Read, parse and validate a scenario file.
pub fn load(path: impl AsRef<Path>) -> Result<Scenario, Diagnostics> {
    let path = path.as_ref();
    let name = path.display().to_string();
    match std::fs::metadata(path) {
        Ok(m) if m.len() > MAX_FILE_BYTES as u64 => {
            return Err(Diagnostics(vec![too_big(&name, m.len())]));
        }
        Ok(m) if m.is_dir() => {
            return Err(Diagnostics(vec![Diagnostic::whole(
                &name,
                "this is a folder, not a scenario file",
                Some("a .yaml file".to_string()),
            )]));
        }
        _ => {}
    }
    match std::fs::read(path) {
        Ok(bytes) => parse_bytes(&name, &bytes),
        Err(e) => Err(Diagnostics(vec![Diagnostic::whole(
            &name,
            format!("cannot read the file: {e}"),
            None,
        )])),
    }
}

/// Every problem of one file (empty when it is valid): `zinc-harness check` as a function.
pub fn check(path: impl AsRef<Path>) -> Vec<Diagnostic> {
    match load(path) {
        Ok(_) => Vec::new(),
        Err(d) => d.0,
    }
}

/// The JSON Schema of the scenario format, generated from the types the parser uses.
pub fn schema() -> serde_json::Value {
    let mut schema = schemars::generate::SchemaSettings::draft07()
        .into_generator()
        .into_root_schema_for::<file::ScenarioFile>();
    // The parser also takes `support: rotate_token` (every field at its default); say so.
    if let Some(alternatives) = schema
        .pointer_mut("/definitions/SupportAction/oneOf")
        .and_then(|v| v.as_array_mut())
    {
        alternatives.push(serde_json::json!({
            "type": "string",
            "const": "rotate_token",
            "description": "Issue a new token and give it to Okta (`rotate_token: {}`)."
        }));
    }
    schema.insert(
        "$id".to_string(),
        serde_json::Value::String("https://zinc-harness.invalid/scenario.schema.json".to_string()),
    );
    schema.to_value()
}

mod builtin_table {
    include!(concat!(env!("OUT_DIR"), "/builtin_scenarios.rs"));
}

/// The scenarios compiled into the binary: every `scenarios/**/*.yaml` (and `.yml`) of the source tree, as
/// (path such as `scenarios/troubleshooting/t3.yaml`, text), sorted by path.
pub fn builtin() -> &'static [(&'static str, &'static str)] {
    builtin_table::BUILTIN
}

/// How reports and listings name a built-in scenario: `builtin:` and its path under
/// `scenarios/` (`builtin:troubleshooting/t3-email-immutable.yaml`), so that nobody looks for
/// a checkout's file, and `zinc-harness scenarios export DIR` puts it at `DIR/<that path>`.
pub(crate) fn builtin_name(path: &str) -> String {
    format!(
        "{BUILTIN_PREFIX}{}",
        path.strip_prefix("scenarios/").unwrap_or(path)
    )
}

/// What [`builtin_name`] puts in front of a built-in scenario's path.
pub(crate) const BUILTIN_PREFIX: &str = "builtin:";

/// The format reference for authors (`scenarios/README.md`), built in so that
/// `zinc-harness scenarios export` gives it with the scenarios it explains.
pub(crate) const BUILTIN_README: &str = include_str!("../../scenarios/README.md");

/// The built-in scenarios as sources to run, in path order.
pub(crate) fn builtin_sources() -> (Origin, Vec<Source>) {
    let all = builtin()
        .iter()
        .map(|(name, text)| Source::Builtin { name, text })
        .collect();
    (Origin::Builtin, all)
}

/// Where a set of scenarios came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The paths given on the command line.
    Paths,
    /// The `scenarios/` folder of the current directory.
    Folder(PathBuf),
    /// The scenarios built into the binary.
    Builtin,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::Paths => f.write_str("the given paths"),
            Origin::Folder(p) => write!(f, "the folder {}", p.display()),
            Origin::Builtin => f.write_str("the scenarios built into zinc-harness"),
        }
    }
}

/// One scenario to read: a file or a built-in text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    File(PathBuf),
    Builtin {
        name: &'static str,
        text: &'static str,
    },
}

impl Source {
    pub fn name(&self) -> String {
        match self {
            Source::File(p) => p.display().to_string(),
            Source::Builtin { name, .. } => builtin_name(name),
        }
    }
    pub fn load(&self) -> Result<Scenario, Diagnostics> {
        match self {
            Source::File(p) => load(p),
            Source::Builtin { name, text } => parse(&builtin_name(name), text),
        }
    }
}

/// The scenarios named by `paths` (files, or folders searched recursively for `*.yaml` and
/// `*.yml`); with no paths, `./scenarios/` when it exists, else the built-in set.
pub fn sources(paths: &[PathBuf]) -> Result<(Origin, Vec<Source>), Diagnostics> {
    if paths.is_empty() {
        let folder = PathBuf::from("scenarios");
        if folder.is_dir() {
            let files = yaml_files(&folder);
            return Ok((
                Origin::Folder(folder),
                files.into_iter().map(Source::File).collect(),
            ));
        }
        return Ok(builtin_sources());
    }
    let mut out = Vec::new();
    let mut missing = Vec::new();
    for p in paths {
        if p.is_dir() {
            out.extend(yaml_files(p).into_iter().map(Source::File));
        } else if p.exists() {
            out.push(Source::File(p.clone()));
        } else {
            missing.push(Diagnostic::whole(
                &p.display().to_string(),
                "no such file or folder",
                Some("a scenario file or a folder of them".to_string()),
            ));
        }
    }
    if missing.is_empty() {
        Ok((Origin::Paths, out))
    } else {
        Err(Diagnostics(missing))
    }
}

/// `*.yaml` / `*.yml` files under `dir`, recursively, sorted.
pub fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if matches!(p.extension().and_then(|x| x.to_str()), Some("yaml" | "yml")) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn too_big(name: &str, len: u64) -> Diagnostic {
    Diagnostic::whole(
        name,
        format!("the file is {len} bytes; scenario files are limited to {MAX_FILE_BYTES} bytes (1 MiB)"),
        Some("a smaller file: use `people: { generate: … }` and `user*` patterns instead of long lists".to_string()),
    )
}

fn yaml_error(name: &str, lines: &diag::Lines<'_>, e: node::YamlError) -> Diagnostic {
    let mut message = e.message.clone();
    // serde-saphyr appends the position, which we show in front already.
    if let Some(i) = message.find(" at line ") {
        message.truncate(i);
    }
    let mut expected = None;
    if let Some(rest) = message.strip_prefix("duplicate mapping key: ") {
        let key = rest
            .split(", set DuplicateKeyPolicy")
            .next()
            .unwrap_or(rest);
        message = format!("the key `{key}` appears twice in this mapping");
        expected = Some("each key once: remove or merge the second one".to_string());
    } else if message.contains("budget breached")
        && !message.contains("Documents {")
        && !message.contains("Depth")
    {
        message = format!(
            "the file is too large once its aliases (`*name`) are expanded (more than {} values)",
            node::MAX_NODES
        );
        expected = Some(
            "a scenario without alias chains: use `generate:` and `user*` patterns for many people"
                .to_string(),
        );
    } else if message.contains("Documents {") {
        message = "a second YAML document (`---`): a scenario file holds exactly one scenario"
            .to_string();
        expected =
            Some("one scenario per file: move the second one to a file of its own".to_string());
    } else if message.contains("recursion limit")
        || message.contains("Depth {")
        || message.contains("depth")
        || message.contains("nesting")
    {
        message = format!("the file nests lists and mappings deeper than {MAX_DEPTH} levels");
        expected = Some("a scenario file, which needs only a few levels".to_string());
    } else {
        message = format!("this is not valid YAML: {message}");
        // `{ path: /Users/{user:jane} }`: inside a one-line `{ … }` the braces of a
        // placeholder end the mapping unless the text is quoted.
        if let Some(text) = lines
            .get(e.pos.line)
            .and_then(|l| placeholder_to_quote(l, e.pos.column))
        {
            message = format!(
                "{message}: inside a one-line `{{ … }}` the braces of a placeholder end the mapping; quote it: \"{text}\""
            );
            expected = Some(format!("the text in quotes: \"{text}\""));
        }
    }
    let line_text = lines.get(e.pos.line).unwrap_or("");
    if line_text.contains('\t')
        || (e.pos.line > 1 && lines.get(e.pos.line - 1).is_some_and(|l| l.contains('\t')))
    {
        expected = Some("spaces for indentation: YAML does not allow tabs there".to_string());
    } else if expected.is_none() {
        expected =
            Some("YAML like `key: value`, lists as `- item`, indented with spaces".to_string());
    }
    if e.pos.line == 0 {
        return Diagnostic::whole(name, message, expected);
    }
    Diagnostic::at(name, lines, e.pos.line, e.pos.column, message, expected)
}

/// The plain scalar holding a `{user:…}`/`{group:…}` placeholder on `line` (the one nearest
/// `column`, 1-based), as it must be quoted: `/Users/{user:jane}` from
/// `- scim: { method: GET, path: /Users/{user:jane} }`.
fn placeholder_to_quote(line: &str, column: u32) -> Option<String> {
    let found: Vec<(usize, usize)> = ["{user:", "{group:"]
        .iter()
        .flat_map(|p| line.match_indices(p).map(|(i, _)| i))
        .filter_map(|start| line[start..].find('}').map(|end| (start, start + end + 1)))
        .filter(|&(start, end)| {
            matches!(
                placeholder::placeholders(&line[start..end]).as_slice(),
                [IdRef::User(_) | IdRef::Group(_)]
            )
        })
        .collect();
    let col = line
        .char_indices()
        .nth(column.saturating_sub(1) as usize)
        .map_or(line.len(), |(i, _)| i);
    let &(start, end) = found.iter().min_by_key(|(s, _)| s.abs_diff(col))?;
    // Out to the scalar's edges: YAML's separators in a flow collection.
    let from = line[..start]
        .rfind([' ', ',', '[', '\t'])
        .map_or(0, |i| i + 1);
    let to = line[end..]
        .find([' ', ',', ']', '}', '\t'])
        .map_or(line.len(), |i| end + i);
    Some(line[from..to].to_owned())
}

fn de_error(name: &str, lines: &diag::Lines<'_>, root: &node::Node, e: de::DeError) -> Diagnostic {
    let pos = e.pos.unwrap_or(root.pos);
    Diagnostic::at(name, lines, pos.line, pos.column, e.message, e.expected)
}

/// An empty file, or YAML that is not a mapping at the top.
fn not_a_scenario(
    name: &str,
    lines: &diag::Lines<'_>,
    text: &str,
    root: &node::Node,
) -> Option<Diagnostic> {
    let expected = Some("a scenario: a mapping with at least `title:` and `steps:` (`zinc-harness new NAME` writes one)".to_string());
    match &root.kind {
        node::NodeKind::Null => {
            let what = if text.trim().is_empty() {
                "the file is empty"
            } else {
                "the file holds no scenario, only comments (or an empty document)"
            };
            Some(Diagnostic::at(name, lines, 1, 1, what, expected))
        }
        node::NodeKind::Map(_) => None,
        _ => Some(Diagnostic::at(
            name,
            lines,
            root.pos.line,
            root.pos.column,
            format!("the file holds {}, not a scenario", root.describe()),
            expected,
        )),
    }
}

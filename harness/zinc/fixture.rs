//! Directory fixtures: a YAML file of users and groups loaded before the server starts
//! (`zinc-harness serve --fixture FILE`, [`super::ZincConfig::fixture`]). Every error names
//! file:line:column, every error of the file is reported at once, and nothing is loaded
//! unless the whole file is good.
//!
//! ```yaml
//! users:
//!   - userName: alice@example.com     # required, an email (Z4), unique (Z6)
//!     givenName: Alice
//!     familyName: Smith
//!     externalId: 00u1alice           # optional
//! groups:
//!   - displayName: Engineering
//!     origin: okta                    # okta (synced) or console; default okta
//!     linked: true                    # synced groups only; false = unlinked (Z18)
//!     members: [alice@example.com]    # by userName
//!     admins: [alice@example.com]
//! ```

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_saphyr::Spanned;
use uuid::Uuid;

use super::config::Rule;
use super::directory::{Directory, is_email};
use super::store::{Origin, fold};

/// A fixture that cannot be loaded: every problem found in it, in file order.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct FixtureError {
    pub path: PathBuf,
    /// At least one.
    pub problems: Vec<FixtureProblem>,
}

/// One problem of a fixture file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixtureProblem {
    /// 1-based; 0 when the problem is the file as a whole (missing, unreadable).
    pub line: u64,
    pub column: u64,
    pub message: String,
}

impl std::fmt::Display for FixtureError {
    /// One `FILE:LINE:COLUMN: message` line per problem (`FILE: message` for the whole
    /// file), as compilers print them.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            match p.line {
                0 => write!(f, "{}: {}", self.path.display(), p.message)?,
                line => write!(
                    f,
                    "{}:{line}:{}: {}",
                    self.path.display(),
                    p.column,
                    p.message
                )?,
            }
        }
        Ok(())
    }
}

impl FixtureError {
    fn one(path: &Path, line: u64, column: u64, message: String) -> Self {
        FixtureError {
            path: path.to_owned(),
            problems: vec![FixtureProblem {
                line,
                column,
                message,
            }],
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FixtureFile {
    #[serde(default)]
    users: Vec<FixtureUser>,
    #[serde(default)]
    groups: Vec<FixtureGroup>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FixtureUser {
    #[serde(rename = "userName")]
    user_name: Spanned<String>,
    #[serde(rename = "givenName", default)]
    given_name: Option<String>,
    #[serde(rename = "familyName", default)]
    family_name: Option<String>,
    #[serde(rename = "externalId", default)]
    external_id: Option<String>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FixtureGroup {
    #[serde(rename = "displayName")]
    display_name: Spanned<String>,
    #[serde(default)]
    origin: Option<Origin>,
    #[serde(default = "yes")]
    linked: bool,
    #[serde(rename = "externalId", default)]
    external_id: Option<String>,
    #[serde(default)]
    members: Vec<Spanned<String>>,
    #[serde(default)]
    admins: Vec<Spanned<String>>,
}

/// Reads and checks a fixture file, then loads it into `dir`.
pub(crate) fn load(dir: &Directory, path: &Path) -> Result<(), FixtureError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| FixtureError::one(path, 0, 0, format!("cannot read the fixture: {e}")))?;
    load_str(dir, path, &text)
}

/// Loads fixture text; `path` is only used in error messages.
pub(crate) fn load_str(dir: &Directory, path: &Path, text: &str) -> Result<(), FixtureError> {
    let file: FixtureFile = serde_saphyr::from_str(text).map_err(|e| {
        let loc = e.location();
        let mut message = e
            .to_string()
            .lines()
            .next()
            .unwrap_or("invalid fixture")
            .to_owned();
        // serde-saphyr puts the position in the text (`error: line 3 column 16: …`, or
        // `… at line 3 column 16`), which our line starts with already.
        if let Some(rest) = message.strip_prefix("error: ") {
            message = rest.to_owned();
        }
        if message.starts_with("line ")
            && let Some((_, rest)) = message.split_once(": ")
        {
            message = rest.to_owned();
        }
        if let Some(i) = message.find(" at line ") {
            message.truncate(i);
        }
        FixtureError::one(
            path,
            loc.map(|l| l.line()).unwrap_or(0),
            loc.map(|l| l.column()).unwrap_or(0),
            message,
        )
    })?;
    let err = |at: &serde_saphyr::Location, message: String| {
        FixtureError::one(path, at.line(), at.column(), message)
    };
    // Check everything first, so that a bad file loads nothing; report every problem.
    let mut problems: Vec<FixtureProblem> = Vec::new();
    let mut problem = |at: &serde_saphyr::Location, message: String| {
        problems.push(FixtureProblem {
            line: at.line(),
            column: at.column(),
            message,
        });
    };
    let mut names: HashMap<String, ()> = HashMap::new();
    for u in &file.users {
        let name = &u.user_name.value;
        if dir.on(Rule::Z4) && !is_email(name) {
            problem(
                &u.user_name.referenced,
                format!("userName {name:?} is not an email address (Z4)"),
            );
        }
        if names.insert(fold(name), ()).is_some() {
            problem(
                &u.user_name.referenced,
                format!("userName {name:?} appears twice (Z6)"),
            );
        }
    }
    let mut linked_names: HashMap<String, ()> = HashMap::new();
    for g in &file.groups {
        let name = g.display_name.value.trim();
        if name.is_empty() {
            problem(
                &g.display_name.referenced,
                "displayName is empty".to_owned(),
            );
        }
        let origin = g.origin.unwrap_or(Origin::Okta);
        if origin == Origin::Okta
            && g.linked
            && !name.is_empty()
            && linked_names.insert(fold(name), ()).is_some()
        {
            problem(
                &g.display_name.referenced,
                format!("two linked groups are named {name:?} (Z16)"),
            );
        }
        for m in g.members.iter().chain(&g.admins) {
            if !names.contains_key(&fold(&m.value)) {
                problem(
                    &m.referenced,
                    format!("{:?} is not a userName of this fixture", m.value),
                );
            }
        }
    }
    if !problems.is_empty() {
        problems.sort_by_key(|p| (p.line, p.column));
        return Err(FixtureError {
            path: path.to_owned(),
            problems,
        });
    }
    let mut state = dir.state.write();
    let mut ids: HashMap<String, Uuid> = HashMap::new();
    for u in file.users {
        let body = serde_json::json!({
            "userName": u.user_name.value,
            "name": {"givenName": u.given_name, "familyName": u.family_name},
            "externalId": u.external_id,
        });
        let id = dir
            .seed_user(&mut state, &body)
            .map_err(|e| err(&u.user_name.referenced, e.detail))?;
        ids.insert(fold(&u.user_name.value), id);
    }
    for g in file.groups {
        let origin = g.origin.unwrap_or(Origin::Okta);
        let members: Vec<Uuid> = g.members.iter().map(|m| ids[&fold(&m.value)]).collect();
        let admins: Vec<Uuid> = g.admins.iter().map(|m| ids[&fold(&m.value)]).collect();
        let linked = origin == Origin::Okta && g.linked;
        let visible = linked || (origin == Origin::Console && !dir.on(Rule::Z15));
        let gid = Directory::insert_group(
            &mut state,
            g.display_name.value.trim(),
            g.external_id,
            origin,
            visible,
            &members,
        );
        let group = state.groups.get_mut(&gid).expect("just inserted");
        group.linked = linked;
        for a in &admins {
            group.admins.insert(*a);
        }
        for a in admins {
            if let Some(u) = state.users.get_mut(&a) {
                u.set_admin_of(gid, true);
            }
        }
    }
    Ok(())
}

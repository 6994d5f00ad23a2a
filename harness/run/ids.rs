//! The server ids a scenario run has seen, per person and group key, in the order they
//! appeared: what `{user:alice}` means in a request, what `new_id` compares against, and the
//! name map that makes snapshots stable (`<user:alice>`, then `<user:alice#2>` after a
//! re-create).

use std::collections::BTreeMap;

use serde_json::Value;

use crate::okta::OktaClient;
use crate::report::snapshot::NameMap;
use crate::scenario::{IdRef, substitute};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    User,
    Group,
    Console,
}

impl Kind {
    fn word(self) -> &'static str {
        match self {
            Kind::User => "user",
            Kind::Group => "group",
            // Console groups share the `{group:KEY}` placeholder (their keys are distinct).
            Kind::Console => "group",
        }
    }
}

/// Every server id seen so far, per key, oldest first.
#[derive(Debug, Default)]
pub(crate) struct IdBook {
    users: BTreeMap<String, Vec<String>>,
    groups: BTreeMap<String, Vec<String>>,
    console: BTreeMap<String, String>,
    /// (kind, key, id) in the order ids were first seen.
    seen: Vec<(Kind, String, String)>,
}

impl IdBook {
    /// Records the ids Okta holds now (after a step) that the book has not seen last.
    pub(super) fn refresh(&mut self, okta: &OktaClient) {
        for key in okta.people() {
            if let Some(id) = okta.server_user_id(&key) {
                self.add(Kind::User, &key, id);
            }
        }
        for key in okta.groups() {
            if let Some(id) = okta.server_group_id(&key) {
                self.add(Kind::Group, &key, id);
            }
        }
    }

    fn add(&mut self, kind: Kind, key: &str, id: String) {
        let list = match kind {
            Kind::User => self.users.entry(key.to_owned()).or_default(),
            Kind::Group => self.groups.entry(key.to_owned()).or_default(),
            Kind::Console => {
                self.console.insert(key.to_owned(), id.clone());
                self.seen.push((kind, key.to_owned(), id));
                return;
            }
        };
        if list.last() != Some(&id) {
            list.push(id.clone());
            if !self.seen.iter().any(|(k, _, i)| *k == kind && *i == id) {
                self.seen.push((kind, key.to_owned(), id));
            }
        }
    }

    /// A group made in the Admin Console by a scenario step.
    pub(super) fn add_console_group(&mut self, key: &str, id: String) {
        self.add(Kind::Console, key, id);
    }

    /// The last server id seen for a person.
    pub(super) fn user(&self, key: &str) -> Option<&str> {
        self.users
            .get(key)
            .and_then(|l| l.last())
            .map(String::as_str)
    }

    /// The last server id seen for an Okta group (kept after Okta unlinked it).
    pub(super) fn group(&self, key: &str) -> Option<&str> {
        self.groups
            .get(key)
            .and_then(|l| l.last())
            .map(String::as_str)
    }

    /// The id of a console-made group.
    pub(super) fn console_group(&self, key: &str) -> Option<&str> {
        self.console.get(key).map(String::as_str)
    }

    /// Every user id seen (the cleanup now follows Okta's own state, see `run::cleanup`).
    #[cfg(test)]
    pub(crate) fn all_users(&self) -> Vec<String> {
        self.users.values().flatten().cloned().collect()
    }

    /// `{user:alice}` for any id alice ever had (likewise `{group:eng}`, also for a group
    /// made in the console under key `eng`).
    pub(super) fn placeholder(&self, id: &str) -> Option<String> {
        self.seen
            .iter()
            .find(|(_, _, i)| i == id)
            .map(|(k, key, _)| format!("{{{}:{key}}}", k.word()))
    }

    /// `text` with every known id written as its placeholder: long ids (8+ characters)
    /// wherever they occur, short ones only as the whole text.
    pub(super) fn text(&self, text: &str) -> String {
        if let Some(p) = self.placeholder(text) {
            return p;
        }
        let mut t = text.to_owned();
        for (k, key, id) in &self.seen {
            if id.len() >= 8 && t.contains(id.as_str()) {
                t = t.replace(id.as_str(), &format!("{{{}:{key}}}", k.word()));
            }
        }
        t
    }

    /// A request path with ids as placeholders, short ids too when they are a whole
    /// segment (`/Users/42` → `/Users/{user:alice}`).
    pub(super) fn path_placeholders(&self, path: &str) -> String {
        let (p, q) = match path.find('?') {
            Some(i) => (&path[..i], &path[i..]),
            None => (path, ""),
        };
        let segs: Vec<String> = p
            .split('/')
            .map(|s| self.placeholder(s).unwrap_or_else(|| s.to_owned()))
            .collect();
        self.text(&format!("{}{q}", segs.join("/")))
    }

    /// A JSON value with every string's ids written as placeholders.
    pub(super) fn to_placeholders(&self, v: &Value) -> Value {
        super::json::map_strings(v, |s| self.text(s))
    }

    /// `{user:alice}` / `{group:eng}` in `text` replaced by the last id seen (a group key
    /// may also name a console-made group); an error names the first one without an id.
    pub(super) fn resolve(&self, text: &str) -> Result<String, String> {
        let mut missing = None;
        let out = substitute(text, |r| {
            let found = match r {
                IdRef::User(k) => self.user(k).ok_or_else(|| {
                    format!("`{{user:{k}}}` has no server id: {k} was never provisioned")
                }),
                IdRef::Group(k) => self
                    .group(k)
                    .or_else(|| self.console_group(k))
                    .ok_or_else(|| {
                        format!(
                            "`{{group:{k}}}` has no id: {k} was never pushed nor created in the console"
                        )
                    }),
                // Not an id: kept as written (the validator reports unknown kinds).
                IdRef::Unknown(..) => return None,
            };
            match found {
                Ok(id) => Some(id.to_owned()),
                Err(why) => {
                    missing.get_or_insert(why);
                    None
                }
            }
        });
        missing.map_or(Ok(out), Err)
    }

    /// The snapshot name map: every id seen, Okta's own ids, the base URL and the secrets.
    pub(super) fn name_map(
        &self,
        okta: &OktaClient,
        base_url: &str,
        secrets: &[String],
    ) -> NameMap {
        let mut m = NameMap::new();
        for (kind, key, id) in &self.seen {
            match kind {
                Kind::User => m.user(id, key),
                Kind::Group => m.group(id, key),
                Kind::Console => m.group(id, key),
            };
        }
        let entra = okta.app().is_entra();
        for key in okta.people() {
            if let Some(id) = okta.okta_id(&key) {
                m.okta_user(&id, &key);
            }
            if entra {
                m.entra_user(
                    &crate::okta::entra::entra_user_id_in(okta.id_seed(), &key),
                    &key,
                );
            }
        }
        for key in okta.groups() {
            if let Ok(g) = okta.group(&key) {
                m.okta_group(&g.okta_id, &key);
            }
            if entra {
                m.entra_group(
                    &crate::okta::entra::entra_group_id_in(okta.id_seed(), &key),
                    &key,
                );
            }
        }
        if entra {
            for n in 1..=okta.connection_tests() {
                m.entra_probe(&crate::okta::entra::probe_guid(okta.id_seed(), n), n);
            }
        }
        m.base_url(base_url);
        for s in secrets {
            m.secret(s);
        }
        m
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn book() -> IdBook {
        let mut b = IdBook::default();
        b.add(Kind::User, "alice", "11111111-aaaa".into());
        b.add(Kind::User, "alice", "22222222-bbbb".into());
        b.add(Kind::User, "bob", "42".into());
        b.add(Kind::Group, "eng", "33333333-cccc".into());
        b.add_console_group("lunch", "44444444-dddd".into());
        b
    }

    #[test]
    fn the_last_id_is_current_and_every_id_has_a_placeholder() {
        let b = book();
        assert_eq!(b.user("alice"), Some("22222222-bbbb"));
        assert_eq!(
            b.placeholder("11111111-aaaa").as_deref(),
            Some("{user:alice}")
        );
        assert_eq!(
            b.placeholder("22222222-bbbb").as_deref(),
            Some("{user:alice}")
        );
        assert_eq!(
            b.placeholder("44444444-dddd").as_deref(),
            Some("{group:lunch}")
        );
        assert_eq!(b.all_users().len(), 3);
    }

    #[test]
    fn placeholders_resolve_and_come_back() {
        let b = book();
        assert_eq!(
            b.resolve("/Groups/{group:eng}?x={user:alice}").unwrap(),
            "/Groups/33333333-cccc?x=22222222-bbbb"
        );
        assert_eq!(
            b.resolve("/Groups/{group:lunch}").unwrap(),
            "/Groups/44444444-dddd"
        );
        assert_eq!(b.resolve("{\"a\": 1}").unwrap(), "{\"a\": 1}");
        assert!(
            b.resolve("/Users/{user:carol}")
                .unwrap_err()
                .contains("never provisioned")
        );
        // Short ids only as a whole path segment or value, never inside other text.
        assert_eq!(
            b.path_placeholders("/Users/42?startIndex=42"),
            "/Users/{user:bob}?startIndex=42"
        );
        assert_eq!(
            b.to_placeholders(
                &json!({"id": "42", "members": [{"value": "11111111-aaaa"}], "n": 42})
            ),
            json!({"id": "{user:bob}", "members": [{"value": "{user:alice}"}], "n": 42})
        );
    }
}

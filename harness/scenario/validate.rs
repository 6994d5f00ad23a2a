//! From the file view to the resolved [`Scenario`]: every reference checked (people, groups,
//! rules, placeholders), patterns expanded, generated people made, and expectations that can
//! never hold refused. Problems are collected, not thrown: the author sees all of them.

use std::collections::{BTreeSet, HashSet};
use std::time::Duration;

use super::attributes;
use super::de::{Located, Tolerant, did_you_mean, one_of, suggest};
use super::diag::{Diagnostic, Lines};
use super::file::{
    ConsoleFile, GenerateDef, GroupsRef, PeopleRef, PeopleSection, PersonSelector, ScenarioFile,
    StepFile, StepKind,
};
use super::model::{
    Action, ConsoleAction, ConsoleGroup, CustomAttributes, Expect, Group, Location, Person,
    Profile, Scenario, Step, SupportAction, ZincSettings,
};
use super::node::{Node, NodeKind, Pos};
use super::people::{self, DEFAULT_PREFIX, MAX_GENERATED};
use super::placeholder::IdRef;
use crate::contract::RuleId;
use crate::okta::default_display_name;
use crate::zinc::faults;

/// The scimType values of RFC 7644 §3.12 (the SCIM model's list).
pub const SCIM_TYPES: &[&str] = &crate::scim::ScimType::NAMES;

const METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE"];

/// Steps after which Okta has learned a server id, so `new_id`/`same_id` mean something.
const ID_STEPS: &[&str] = &[
    "assign_user",
    "reactivate_user",
    "reassign_user",
    "push_group",
];

pub(crate) struct Checker<'a> {
    file: &'a str,
    lines: &'a Lines<'a>,
    root: &'a Node,
    pub diags: Vec<Diagnostic>,
    people: Vec<Person>,
    /// Every declared person key, even those whose definition was broken (so a broken
    /// definition does not also make every step that names it fail).
    person_keys: Vec<String>,
    generated: Option<(String, u32)>,
    /// Okta group keys, in file order (also those with a broken definition).
    group_keys: Vec<String>,
    /// Keys of the console groups created before the step being checked: `{group:KEY}` may
    /// name them too (the runner resolves it to the console group's id).
    console_keys: Vec<String>,
    /// The scenario's `rules:`, which a step's `expect: { rule: … }` must come from.
    rules: Vec<RuleId>,
}

impl<'a> Checker<'a> {
    pub(super) fn new(file: &'a str, lines: &'a Lines<'a>, root: &'a Node) -> Checker<'a> {
        Checker {
            file,
            lines,
            root,
            diags: Vec::new(),
            people: Vec::new(),
            person_keys: Vec::new(),
            generated: None,
            group_keys: Vec::new(),
            console_keys: Vec::new(),
            rules: Vec::new(),
        }
    }

    fn err(&mut self, pos: Pos, message: impl Into<String>, expected: impl Into<Option<String>>) {
        self.diags.push(Diagnostic::at(
            self.file,
            self.lines,
            pos.line,
            pos.column,
            message,
            expected.into(),
        ));
    }

    /// Where `field` of the mapping at `map` is written (its value), else the mapping.
    fn field_pos(&self, map: Pos, field: &str) -> Pos {
        find_map_at(self.root, map)
            .and_then(|m| m.get(field).or_else(|| m.key(field)))
            .map(|n| n.pos)
            .unwrap_or(map)
    }

    pub(super) fn scenario(&mut self, f: ScenarioFile) -> Scenario {
        let case = f.case.and_then(|c| c.0).map(|c| {
            if !valid_case(&c.value) {
                self.err(
                    c.pos,
                    format!("unknown case `{}`", c.value),
                    "a troubleshooting case `T1`…`T9`, or an id starting with `okta-` or `entra-` (e.g. `okta-crud`)".to_string(),
                );
            }
            c.value
        });
        let title_ok = f.title.0.is_some();
        let title = f.title.0.unwrap_or_default();
        if title_ok && title.trim().is_empty() {
            let pos = self.field_pos(self.root.pos, "title");
            self.err(
                pos,
                "the title is empty",
                "one line saying what the scenario shows".to_string(),
            );
        }
        let doc = f.doc.and_then(|d| d.0);
        let rules = self.rules(f.rules.and_then(|r| r.0).unwrap_or_default());
        self.rules = rules.clone();
        let profiles = self.profiles(f.profiles);
        if f.idp.is_some() && f.okta.is_some() {
            let pos = self.field_pos(self.root.pos, "okta");
            self.err(
                pos,
                "both `idp:` and `okta:` set the client",
                "one of them: `idp:` (`okta:` is its older name)".to_string(),
            );
        }
        let okta = f.idp.or(f.okta).and_then(|o| o.0).unwrap_or_default();
        let zinc = f.zinc.and_then(|z| z.0).unwrap_or_default();
        self.check_zinc(&zinc);
        if let Some(section) = f.people.and_then(|p| p.0) {
            self.people_section(section);
        }
        let groups = match f.groups.and_then(|g| g.0) {
            Some(named) => self.groups(named.0),
            None => Vec::new(),
        };
        let steps = match f.steps.0 {
            Some(steps) => {
                if steps.is_empty() {
                    let pos = self.field_pos(self.root.pos, "steps");
                    self.err(
                        pos,
                        "a scenario needs at least one step",
                        "a list of steps, e.g. `- assign_user: alice`".to_string(),
                    );
                }
                self.steps(steps)
            }
            None => Vec::new(),
        };
        Scenario {
            name: self.file.to_string(),
            case,
            title,
            doc,
            rules,
            profiles,
            okta,
            zinc,
            people: std::mem::take(&mut self.people),
            groups,
            steps,
        }
    }

    fn rules(&mut self, rules: Vec<Located<String>>) -> Vec<RuleId> {
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for r in rules {
            match r.value.parse::<RuleId>() {
                // Exact spelling only (`Z7`, not `z7`): ids are written as the catalogue does.
                Ok(id) if id.to_string() == r.value => {
                    if seen.insert(id) {
                        out.push(id);
                    } else {
                        self.err(
                            r.pos,
                            format!("rule `{}` is listed twice", r.value),
                            "each rule once".to_string(),
                        );
                    }
                }
                Ok(_) | Err(_) => self.err(
                    r.pos,
                    format!("rule `{}` is not in the rule catalogue", r.value),
                    "a rule id from `zinc-harness rules`: `Z1` … `Z25`, an `okta:` or an `entra:` rule"
                        .to_string(),
                ),
            }
        }
        out
    }

    fn profiles(&mut self, profiles: Option<Tolerant<Vec<Profile>>>) -> Vec<Profile> {
        match profiles {
            None => vec![Profile::Zinc],
            Some(Tolerant(None)) => Vec::new(),
            Some(Tolerant(Some(list))) => {
                let written_empty =
                    find_map_or_seq_at(self.root, self.field_pos(self.root.pos, "profiles"))
                        .is_some_and(
                            |n| matches!(&n.kind, NodeKind::Seq(items) if items.is_empty()),
                        );
                if list.is_empty() && written_empty {
                    let pos = self.field_pos(self.root.pos, "profiles");
                    self.err(pos, "`profiles: []` puts the scenario in no profile, so it never runs", "`[zinc]`, `[okta]` or `[zinc, okta]` (or leave `profiles` out for `[zinc]`)".to_string());
                }
                let set: BTreeSet<Profile> = list.into_iter().collect();
                set.into_iter().collect()
            }
        }
    }

    fn check_zinc(&mut self, zinc: &ZincSettings) {
        if zinc.scope.is_empty() {
            let zpos = self.field_pos(self.root.pos, "zinc");
            let pos = self.field_pos(zpos, "scope");
            self.err(
                pos,
                "an empty sync scope: a Zinc instance syncs users, groups or both",
                "`[users]`, `[groups]` or `[users, groups]`".to_string(),
            );
        }
    }

    /// Checks a person's (or a `set:`'s) `manager` and `attributes` (`owner`: the mapping
    /// they are written in). Needs every person key, so it runs after the people section.
    fn person_extras(
        &mut self,
        owner: Option<&'a Node>,
        fallback: Pos,
        person: Option<&str>,
        manager: Option<&str>,
        attrs: &CustomAttributes,
        in_set: bool,
    ) {
        let at = |n: Option<&Node>| n.map(|n| n.pos).unwrap_or(fallback);
        if let Some(m) = manager.filter(|m| !(in_set && m.is_empty())) {
            let pos = at(owner.and_then(|o| o.get("manager")));
            if person == Some(m) {
                self.err(
                    pos,
                    format!("`{m}` cannot be their own manager"),
                    "another person's key".to_string(),
                );
            } else if !self.person_keys.iter().any(|k| k == m) {
                let hint = did_you_mean(m, self.person_keys.iter().map(String::as_str));
                let keys: Vec<&str> = self.person_keys.iter().map(String::as_str).collect();
                let expected = one_of(&keys);
                self.err(
                    pos,
                    format!("unknown manager `{m}`{hint}"),
                    format!("a person key: {expected}"),
                );
            }
        }
        let node = owner.and_then(|o| o.get("attributes"));
        if node.is_none() && attrs.is_empty() {
            return;
        }
        for (urn, values) in attrs {
            let urn_pos = at(node.and_then(|n| n.key(urn)));
            if let Err((message, expected)) = attributes::check_urn(urn) {
                self.err(urn_pos, message, expected);
                continue;
            }
            if values.is_empty() {
                self.err(
                    urn_pos,
                    format!("`{urn}` lists no attributes"),
                    "`attribute: value` pairs, or leave the URN out".to_string(),
                );
            }
            let inner = node.and_then(|n| n.get(urn));
            for (name, value) in values {
                if let Err((message, expected)) = attributes::check_name(name) {
                    self.err(at(inner.and_then(|n| n.key(name))), message, expected);
                }
                if let Err((message, expected)) = attributes::check_value(value, in_set) {
                    self.err(
                        at(inner.and_then(|n| n.get(name))),
                        format!("`{name}`: {message}"),
                        expected,
                    );
                }
            }
        }
    }

    /// An email is text with an `@` (`email: 42` or `email: alice` is refused: the run would
    /// send it as Okta never does). The userName may be anything: Z4 is tested with it.
    fn check_email(&mut self, pos: Pos, whose: &str, email: &str) {
        if email.contains('@') {
            return;
        }
        let written = find_scalar_at(self.root, pos)
            .map(Node::describe)
            .unwrap_or_else(|| format!("\"{email}\""));
        let message = if email.trim().is_empty() {
            format!("{whose} is empty")
        } else {
            format!("{whose} is {written}, not an email address (it has no @)")
        };
        self.err(
            pos,
            message,
            "an email address, e.g. alice@example.com".to_string(),
        );
    }

    fn people_section(&mut self, section: PeopleSection) {
        let mut extras = Vec::new();
        for (key, def) in section.named {
            self.check_key(&key, "person");
            if self.person_keys.contains(&key.value) {
                continue;
            }
            self.person_keys.push(key.value.clone());
            let Some(def) = def.0 else { continue };
            let user_name = def.user_name.clone().unwrap_or_else(|| def.email.clone());
            // The email's own node: the caret goes under it, and a number is called one.
            let email_pos = find_key_at(self.root, key.pos)
                .and_then(|(_, v)| v.get("email"))
                .map_or(key.pos, |n| n.pos);
            self.check_email(
                email_pos,
                &format!("the email of `{}`", key.value),
                &def.email,
            );
            if user_name.trim().is_empty() && !def.email.trim().is_empty() {
                let pos = email_pos;
                self.err(
                    pos,
                    format!("person `{}` has an empty email", key.value),
                    "an email address, e.g. alice@example.com".to_string(),
                );
            }
            extras.push((
                key.pos,
                key.value.clone(),
                def.manager.clone(),
                def.attributes.clone(),
            ));
            self.people.push(Person {
                key: key.value,
                display_name: def
                    .display_name
                    .clone()
                    .unwrap_or_else(|| default_display_name(&def.first, &def.last)),
                first: def.first,
                last: def.last,
                email: def.email,
                user_name,
                title: def.title,
                locale: def.locale,
                department: def.department,
                employee_number: def.employee_number,
                cost_center: def.cost_center,
                organization: def.organization,
                division: def.division,
                manager: def.manager,
                attributes: def.attributes,
            });
        }
        if let Some(generate) = section.generate
            && let Some(def) = generate.value.0
        {
            self.generate(def);
        }
        let root = self.root;
        for (pos, key, manager, attrs) in extras {
            let owner = find_key_at(root, pos).map(|(_, v)| v);
            self.person_extras(owner, pos, Some(&key), manager.as_deref(), &attrs, false);
        }
    }

    fn generate(&mut self, def: GenerateDef) {
        let count = def.count.value;
        if count == 0 || count > MAX_GENERATED {
            self.err(
                def.count.pos,
                format!("cannot generate {count} people"),
                format!("a count from 1 to {MAX_GENERATED}"),
            );
            return;
        }
        let domain = def.domain.value.trim();
        if domain.is_empty()
            || domain.contains('@')
            || domain.contains(char::is_whitespace)
            || !domain.contains('.')
        {
            self.err(
                def.domain.pos,
                format!("`{}` is not an email domain", def.domain.value),
                "a domain such as `example.com` (no `@`)".to_string(),
            );
            return;
        }
        let prefix = match &def.prefix {
            Some(p) => {
                let ok = p
                    .value
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic())
                    && p.value
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
                if !ok {
                    self.err(
                        p.pos,
                        format!("`{}` cannot start generated keys", p.value),
                        "letters, digits, `_` or `-`, starting with a letter (e.g. `user`)"
                            .to_string(),
                    );
                    return;
                }
                p.value.clone()
            }
            None => DEFAULT_PREFIX.to_string(),
        };
        let generated = people::generate(count, def.seed, domain, &prefix);
        let clash = generated
            .iter()
            .find(|p| self.person_keys.contains(&p.key))
            .map(|p| p.key.clone());
        if let Some(key) = clash {
            let pos = self.people_pos();
            self.err(
                pos,
                format!("generated person `{key}` has the same key as a named person"),
                "another `prefix:` for generated people, or another name".to_string(),
            );
            return;
        }
        self.person_keys
            .extend(generated.iter().map(|p| p.key.clone()));
        self.people.extend(generated);
        self.generated = Some((prefix, count));
    }

    fn people_pos(&self) -> Pos {
        self.field_pos(self.root.pos, "people")
    }

    fn check_key(&mut self, key: &Located<String>, what: &str) {
        let k = &key.value;
        let ok = !k.is_empty()
            && k.chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
            && !k.chars().all(|c| c.is_ascii_digit())
            && !k.contains("..");
        if !ok {
            self.err(
                key.pos,
                format!("`{k}` cannot be a {what} key"),
                "letters, digits, `_`, `-` or `.`, not only digits (e.g. `alice`)".to_string(),
            );
        }
    }

    fn groups(
        &mut self,
        named: Vec<(Located<String>, Tolerant<super::file::GroupDef>)>,
    ) -> Vec<Group> {
        for (key, _) in &named {
            self.check_key(key, "group");
            self.group_keys.push(key.value.clone());
        }
        let mut out = Vec::new();
        for (key, def) in named {
            let Some(def) = def.0 else { continue };
            if def.name.trim().is_empty() {
                let pos = self.field_pos(key.pos, "name");
                self.err(
                    pos,
                    format!("group `{}` has an empty name", key.value),
                    "the group's name in Okta, e.g. `Engineering`".to_string(),
                );
            }
            let members = match &def.members {
                Some(r) => self.resolve_people(r),
                None => Vec::new(),
            };
            out.push(Group {
                key: key.value,
                name: def.name,
                members,
            });
        }
        out
    }

    /// The person keys a `*` pattern matches, in `people:` order.
    fn people_matching(&self, pattern: &str) -> Vec<String> {
        self.person_keys
            .iter()
            .filter(|k| glob(pattern, k))
            .cloned()
            .collect()
    }

    fn people_hint(&self) -> String {
        if self.person_keys.is_empty() {
            return "a person defined under `people:` (there are none yet)".to_string();
        }
        let is_generated = |k: &str| {
            self.generated.as_ref().is_some_and(|(prefix, _)| {
                k.strip_prefix(prefix.as_str())
                    .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
            })
        };
        let named: Vec<&str> = self
            .person_keys
            .iter()
            .map(String::as_str)
            .filter(|k| !is_generated(k))
            .take(8)
            .collect();
        let mut parts = Vec::new();
        if !named.is_empty() {
            parts.push(named.join(", "));
        }
        if let Some((prefix, count)) = &self.generated {
            parts.push(format!(
                "{}…{} (or `{prefix}*`, a number 1–{count}, a range \"1..{count}\")",
                people::generated_key(prefix, 1, *count),
                people::generated_key(prefix, *count, *count)
            ));
        }
        format!("a person from `people:`: {}", parts.join("; "))
    }

    /// Person keys named by a reference, in order, without duplicates.
    fn resolve_people(&mut self, r: &PeopleRef) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let push = |out: &mut Vec<String>, key: &str| {
            if !out.iter().any(|k| k == key) {
                out.push(key.to_string());
            }
        };
        if r.0.is_empty() {
            // An empty list: nobody. Legal for group members, refused for actions by callers.
            return out;
        }
        for sel in &r.0 {
            match &sel.value {
                PersonSelector::Number(n) => match self.generated_range(sel.pos, *n, *n) {
                    Some(keys) => keys.iter().for_each(|k| push(&mut out, k)),
                    None => continue,
                },
                PersonSelector::Text(t) if t.contains("..") => {
                    let bounds: Vec<Option<u64>> =
                        t.splitn(2, "..").map(|s| s.trim().parse().ok()).collect();
                    match bounds.as_slice() {
                        [Some(a), Some(b)] if a <= b => {
                            if let Some(keys) = self.generated_range(sel.pos, *a, *b) {
                                keys.iter().for_each(|k| push(&mut out, k));
                            }
                        }
                        _ => self.err(
                            sel.pos,
                            format!("`{t}` is not a range of generated people"),
                            "two numbers, the smaller first, e.g. \"1..50\"".to_string(),
                        ),
                    }
                }
                PersonSelector::Text(t) if t.contains('*') => {
                    let matches = self.people_matching(t);
                    if matches.is_empty() {
                        let hint = self.people_hint();
                        self.err(sel.pos, format!("the pattern `{t}` matches nobody"), hint);
                    }
                    matches.iter().for_each(|k| push(&mut out, k));
                }
                PersonSelector::Text(t) => {
                    if self.person_keys.iter().any(|k| k == t) {
                        push(&mut out, t);
                    } else {
                        let suggestion =
                            did_you_mean(t, self.person_keys.iter().map(String::as_str));
                        let also = if self.group_keys.iter().any(|g| g == t) {
                            " (that is a group)"
                        } else {
                            ""
                        };
                        let hint = self.people_hint();
                        self.err(
                            sel.pos,
                            format!("unknown person `{t}`{also}{suggestion}"),
                            hint,
                        );
                    }
                }
            }
        }
        out
    }

    fn generated_range(&mut self, pos: Pos, a: u64, b: u64) -> Option<Vec<String>> {
        let Some((prefix, count)) = self.generated.clone() else {
            self.err(
                pos,
                format!(
                    "there are no generated people, so `{}` names nobody",
                    if a == b {
                        a.to_string()
                    } else {
                        format!("{a}..{b}")
                    }
                ),
                "a `people: { generate: { count, seed, domain } }` block, or a person's key"
                    .to_string(),
            );
            return None;
        };
        if a == 0 || b > u64::from(count) {
            self.err(
                pos,
                format!(
                    "generated person number out of range: {}",
                    if a == b {
                        a.to_string()
                    } else {
                        format!("{a}..{b}")
                    }
                ),
                format!("numbers from 1 to {count}"),
            );
            return None;
        }
        Some(
            (a..=b)
                .map(|n| people::generated_key(&prefix, n as u32, count))
                .collect(),
        )
    }

    /// People an action works on: at least one.
    fn action_people(&mut self, r: &PeopleRef, at: Pos) -> Vec<String> {
        if r.0.is_empty() {
            self.err(at, "this list names nobody", self.people_hint());
        }
        self.resolve_people(r)
    }

    fn okta_group(&mut self, g: &Located<String>, console: &[(String, usize)]) -> String {
        if !self.group_keys.contains(&g.value) {
            let also = if console.iter().any(|(k, _)| *k == g.value) {
                " (it is a console group: Okta cannot push or change it, Z15)".to_string()
            } else {
                did_you_mean(&g.value, self.group_keys.iter().map(String::as_str))
            };
            let hint = if self.group_keys.is_empty() {
                "an Okta group defined under `groups:` (there are none yet)".to_string()
            } else {
                format!(
                    "an Okta group from `groups:`: {}",
                    self.group_keys.join(", ")
                )
            };
            self.err(g.pos, format!("unknown group `{}`{also}", g.value), hint);
        }
        g.value.clone()
    }

    fn okta_groups(&mut self, r: &GroupsRef, at: Pos, console: &[(String, usize)]) -> Vec<String> {
        if r.0.is_empty() {
            self.err(
                at,
                "this list names no group",
                "one or more group keys from `groups:`".to_string(),
            );
        }
        let mut out: Vec<String> = Vec::new();
        for g in &r.0 {
            let key = self.okta_group(g, console);
            if !out.contains(&key) {
                out.push(key);
            }
        }
        out
    }

    fn console_group(
        &mut self,
        g: &Located<String>,
        console: &[(String, usize)],
        later: &[(String, usize)],
    ) -> ConsoleGroup {
        if self.group_keys.contains(&g.value) {
            return ConsoleGroup::Okta(g.value.clone());
        }
        if console.iter().any(|(k, _)| *k == g.value) {
            return ConsoleGroup::Console(g.value.clone());
        }
        if let Some((_, step)) = later.iter().find(|(k, _)| *k == g.value) {
            self.err(
                g.pos,
                format!("console group `{}` is only created at step {step}", g.value),
                "a group created by an earlier step, or an Okta group key".to_string(),
            );
        } else {
            let all: Vec<&str> = self
                .group_keys
                .iter()
                .chain(console.iter().map(|(k, _)| k))
                .map(String::as_str)
                .collect();
            let suggestion = did_you_mean(&g.value, all.iter().copied());
            self.err(g.pos, format!("unknown group `{}`{suggestion}", g.value), "an Okta group key from `groups:` or a group created by `console: { create_group: … }`".to_string());
        }
        ConsoleGroup::Console(g.value.clone())
    }

    fn steps(&mut self, steps: Vec<Tolerant<StepFile>>) -> Vec<Step> {
        // Console groups in creation order with their step number, to tell "unknown" from
        // "used before it is created".
        let all_console: Vec<(String, usize)> = steps
            .iter()
            .enumerate()
            .filter_map(|(i, s)| match s.0.as_ref().map(|s| &s.kind.value) {
                Some(StepKind::Console(ConsoleFile::CreateGroup(c))) => {
                    Some((c.key.value.clone(), i + 1))
                }
                _ => None,
            })
            .collect();
        let mut console: Vec<(String, usize)> = Vec::new();
        let mut out = Vec::new();
        for (index, step) in steps.into_iter().enumerate() {
            let Some(step) = step.0 else { continue };
            let later: Vec<(String, usize)> = all_console
                .iter()
                .filter(|(_, i)| *i > index + 1)
                .cloned()
                .collect();
            if let Some(s) = self.step(step, &mut console, &later) {
                out.push(s);
            }
        }
        out
    }

    fn step(
        &mut self,
        step: StepFile,
        console: &mut Vec<(String, usize)>,
        later: &[(String, usize)],
    ) -> Option<Step> {
        let at = step.kind.pos;
        self.console_keys = console.iter().map(|(k, _)| k.clone()).collect();
        let name = step.kind.value.name();
        let set = step.set.as_ref().and_then(|s| s.0.clone());
        let needs_set = matches!(name, "update_user" | "edit_person");
        if needs_set && step.set.is_none() {
            self.err(
                at,
                format!("`{name}` needs `set:` with the changes"),
                "e.g. `set: { email: alice.smith@example.com }` on the same step".to_string(),
            );
        }
        if !needs_set && let Some(s) = &step.set {
            let pos = s.0.as_ref().map(|l| l.pos).unwrap_or(at);
            self.err(
                pos,
                format!("`set:` belongs to `update_user` and `edit_person`, not to `{name}`"),
                "no `set:` on this step".to_string(),
            );
        }
        if let Some(s) = &set
            && s.value.is_empty()
        {
            self.err(
                s.pos,
                "`set:` changes nothing",
                "at least one of first, last, email, user_name, display_name, title, locale, department, employee_number, cost_center, organization, division, manager, attributes"
                    .to_string(),
            );
        }
        if let Some(s) = &set {
            if let Some(email) = &s.value.email {
                let pos = self.field_pos(s.pos, "email");
                self.check_email(pos, &format!("the email `{name}` sets"), email);
            }
            let owner = find_map_at(self.root, s.pos);
            self.person_extras(
                owner,
                s.pos,
                None,
                s.value.manager.as_deref(),
                &s.value.custom,
                true,
            );
        }
        let changes = set.map(|s| s.value).unwrap_or_default();
        let action = match step.kind.value {
            StepKind::TestCredentials => Action::TestCredentials,
            StepKind::AssignUser(p) => Action::AssignUser {
                people: self.action_people(&p, at),
            },
            StepKind::UpdateUser(p) => Action::UpdateUser {
                people: self.action_people(&p, at),
                set: changes,
            },
            StepKind::DeactivateUser(p) => Action::DeactivateUser {
                people: self.action_people(&p, at),
            },
            StepKind::UnassignUser(p) => Action::UnassignUser {
                people: self.action_people(&p, at),
            },
            StepKind::ReactivateUser(p) => Action::ReactivateUser {
                people: self.action_people(&p, at),
            },
            StepKind::ReassignUser(p) => Action::ReassignUser {
                people: self.action_people(&p, at),
            },
            StepKind::GetUser(p) => Action::GetUser {
                people: self.action_people(&p, at),
            },
            StepKind::SyncPassword(p) => Action::SyncPassword {
                people: self.action_people(&p, at),
            },
            StepKind::PushGroup(g) => Action::PushGroup {
                groups: self.okta_groups(&g, at, console),
            },
            StepKind::AddMembers(m) => Action::AddMembers {
                group: self.okta_group(&m.group, console),
                people: self.action_people(&m.people, at),
            },
            StepKind::RemoveMembers(m) => Action::RemoveMembers {
                group: self.okta_group(&m.group, console),
                people: self.action_people(&m.people, at),
            },
            StepKind::RenameGroup(r) => Action::RenameGroup {
                group: self.okta_group(&r.group, console),
                to: r.to,
            },
            StepKind::PushNow(g) => Action::PushNow {
                groups: self.okta_groups(&g, at, console),
            },
            StepKind::UnlinkGroup(u) => Action::UnlinkGroup {
                group: self.okta_group(&u.group, console),
                delete: u.delete,
            },
            StepKind::RefreshAppGroups => Action::RefreshAppGroups,
            StepKind::ImportUsers => Action::ImportUsers,
            StepKind::EditPerson(p) => Action::EditPerson {
                people: self.action_people(&p, at),
                set: changes,
            },
            StepKind::Scim(req) => {
                let pos = self.field_pos(self.value_pos(at), "path");
                if !req.path.starts_with('/') {
                    self.err(pos, format!("the path `{}` does not start with `/`", req.path), "a path below the SCIM base URL, e.g. `/Users?filter=userName eq \"alice@example.com\"`".to_string());
                }
                self.placeholders(&req.path, pos);
                Action::Scim(req)
            }
            StepKind::Console(c) => Action::Console(self.console(c, at, console, later)),
            StepKind::Support(s) => {
                if let SupportAction::SetScope(scope) = &s
                    && scope.is_empty()
                {
                    self.err(
                        self.value_pos(at),
                        "an empty sync scope: a Zinc instance syncs users, groups or both",
                        "`[users]`, `[groups]` or `[users, groups]`".to_string(),
                    );
                }
                Action::Support(s)
            }
            StepKind::Fault(fault) => {
                let fpos = self.value_pos(at);
                if !(fault.path.starts_with('/') || fault.path.starts_with('*')) {
                    let pos = self.field_pos(fpos, "path");
                    self.err(
                        pos,
                        format!("the path pattern `{}` does not start with `/`", fault.path),
                        "a path below the SCIM base, `*` for any characters, e.g. `/Users*`"
                            .to_string(),
                    );
                }
                if fault.times == Some(0) {
                    let pos = self.field_pos(fpos, "times");
                    self.err(
                        pos,
                        "`times: 0` makes a fault that never fires",
                        "a count of 1 or more, or no `times` for every matching request"
                            .to_string(),
                    );
                }
                // The fault layer's own checks (`zinc::faults`), at the field they concern.
                if let Some(Err(e)) = fault.status.map(faults::check_status) {
                    let pos = self.field_pos(fpos, "status");
                    self.err(
                        pos,
                        e.to_string(),
                        "a status from 200 to 599, e.g. `503`".to_string(),
                    );
                }
                if let Some(Err(e)) = fault
                    .delay_ms
                    .map(|ms| faults::check_delay(Duration::from_millis(ms)))
                {
                    let pos = self.field_pos(fpos, "delay_ms");
                    self.err(
                        pos,
                        e.to_string(),
                        format!("at most {} ms", faults::MAX_DELAY.as_millis()),
                    );
                }
                for (name, value) in &fault.headers {
                    if let Err(e) = faults::check_header(name, value) {
                        let headers = self.field_pos(fpos, "headers");
                        let pos = self.field_pos(headers, name);
                        self.err(
                            pos,
                            e.to_string(),
                            "a header name such as `Retry-After` and a one-line value".to_string(),
                        );
                    }
                }
                if fault.drop
                    && (fault.status.is_some() || fault.body.is_some() || !fault.headers.is_empty())
                {
                    let pos = self.field_pos(fpos, "drop");
                    self.err(
                        pos,
                        "a dropped connection sends no status, headers or body",
                        "either `drop: true` or an answer (`status`, `headers`, `body`)"
                            .to_string(),
                    );
                }
                if fault.status.is_none() && (fault.body.is_some() || !fault.headers.is_empty()) {
                    self.err(
                        fpos,
                        "a faulty answer with a body or headers needs a `status`",
                        "`status: 503` (or another code) beside `body`/`headers`".to_string(),
                    );
                }
                if !fault.drop && fault.status.is_none() && fault.delay_ms.is_none() {
                    self.err(
                        fpos,
                        "this fault changes nothing",
                        "at least one of `status`, `delay_ms` or `drop: true`".to_string(),
                    );
                }
                Action::Fault(fault)
            }
        };
        let expect = match step.expect {
            Some(Tolerant(Some(e))) => self.expect(e, &action),
            _ => None,
        };
        Some(Step {
            action,
            expect,
            note: step.note,
            location: Location::new(self.file, at),
        })
    }

    /// Where the value of a step's kind key starts (for errors inside it).
    fn value_pos(&self, kind_key: Pos) -> Pos {
        find_key_at(self.root, kind_key)
            .map(|(_, v)| v.pos)
            .unwrap_or(kind_key)
    }

    fn console(
        &mut self,
        c: ConsoleFile,
        at: Pos,
        console: &mut Vec<(String, usize)>,
        later: &[(String, usize)],
    ) -> ConsoleAction {
        match c {
            ConsoleFile::CreateGroup(g) => {
                self.check_key(&g.key, "group");
                if self.group_keys.contains(&g.key.value)
                    || console.iter().any(|(k, _)| *k == g.key.value)
                {
                    self.err(
                        g.key.pos,
                        format!("group key `{}` is already taken", g.key.value),
                        "a key no Okta group or earlier console group uses".to_string(),
                    );
                }
                console.push((g.key.value.clone(), 0));
                ConsoleAction::CreateGroup {
                    key: g.key.value,
                    name: g.name,
                }
            }
            ConsoleFile::RenameGroup(r) => ConsoleAction::RenameGroup {
                group: self.console_group(&r.group, console, later),
                to: r.to,
            },
            ConsoleFile::AddMembers(m) => ConsoleAction::AddMembers {
                group: self.console_group(&m.group, console, later),
                people: self.action_people(&m.people, at),
            },
            ConsoleFile::RemoveMembers(m) => ConsoleAction::RemoveMembers {
                group: self.console_group(&m.group, console, later),
                people: self.action_people(&m.people, at),
            },
            ConsoleFile::SetAdmins(m) => ConsoleAction::SetAdmins {
                group: self.console_group(&m.group, console, later),
                people: self.resolve_people(&m.people),
            },
            ConsoleFile::DeleteGroup(g) => ConsoleAction::DeleteGroup {
                group: self.console_group(&g, console, later),
            },
            ConsoleFile::UnlinkGroup(g) => ConsoleAction::UnlinkGroup {
                group: self.console_group(&g, console, later),
            },
            ConsoleFile::ListUsers => ConsoleAction::ListUsers,
            ConsoleFile::ListGroups => ConsoleAction::ListGroups,
        }
    }

    /// `{user:KEY}` / `{group:KEY}` in a path must name a known person or Okta group.
    fn placeholders(&mut self, text: &str, pos: Pos) {
        for r in super::placeholder::placeholders(text) {
            match r {
                IdRef::User(key) if !self.person_keys.iter().any(|k| k == key) => {
                    let s = did_you_mean(key, self.person_keys.iter().map(String::as_str));
                    let hint = self.people_hint();
                    self.err(
                        pos,
                        format!("`{{user:{key}}}` names an unknown person{s}"),
                        hint,
                    );
                }
                IdRef::Group(key)
                    if !self.group_keys.iter().any(|k| k == key)
                        && !self.console_keys.iter().any(|k| k == key) =>
                {
                    let s = did_you_mean(key, self.group_keys.iter().map(String::as_str));
                    self.err(
                        pos,
                        format!("`{{group:{key}}}` names an unknown group{s}"),
                        "an Okta group key from `groups:`, or the key of a console group created by an earlier step".to_string(),
                    );
                }
                IdRef::Unknown(kind, _) => self.err(
                    pos,
                    format!("unknown placeholder `{{{kind}:…}}`"),
                    "`{user:KEY}` or `{group:KEY}`".to_string(),
                ),
                IdRef::User(_) | IdRef::Group(_) => {}
            }
        }
    }

    fn expect(&mut self, e: Located<Expect>, action: &Action) -> Option<Expect> {
        let pos = e.pos;
        let mut e = e.value;
        let kind = action.kind();
        let fp = |this: &Self, f: &str| this.field_pos(pos, f);
        if matches!(action, Action::EditPerson { .. } | Action::Fault(_)) {
            self.err(
                pos,
                format!("`{kind}` sends nothing, so there is nothing to expect of it"),
                "no `expect:` here; check the effect on a later step (e.g. `get_user`)".to_string(),
            );
            return Some(e);
        }
        if matches!(action, Action::Console(_) | Action::Support(_)) {
            let used: Vec<&str> = [
                ("status", e.status.is_some()),
                ("scimType", e.scim_type.is_some()),
                ("detail", e.detail.is_some()),
                ("new_id", e.new_id.is_some()),
                ("same_id", e.same_id.is_some()),
                ("absent", e.absent.is_some()),
                ("requests", e.requests.is_some()),
            ]
            .into_iter()
            .filter_map(|(n, used)| used.then_some(n))
            .collect();
            for n in used {
                let p = fp(self, n);
                self.err(
                    p,
                    format!("a `{kind}` step sends no SCIM request, so `{n}` cannot be checked"),
                    "`ok`, `message` or `body` for console and support steps".to_string(),
                );
            }
        }
        if let Some(t) = &e.scim_type
            && !SCIM_TYPES.contains(&t.as_str())
        {
            let p = fp(self, "scimType");
            let s = match suggest(t, SCIM_TYPES.iter().copied()) {
                Some(s) => format!(", did you mean `{s}`?"),
                None => String::new(),
            };
            self.err(
                p,
                format!("`{t}` is not a SCIM scimType{s}"),
                one_of(SCIM_TYPES),
            );
        }
        if let Some(status) = e.status {
            if status < 400 && (e.scim_type.is_some() || e.detail.is_some()) {
                let which = if e.scim_type.is_some() {
                    "scimType"
                } else {
                    "detail"
                };
                let p = fp(self, which);
                self.err(p, format!("`{which}` comes from a SCIM error, but `status: {status}` is not an error status: this can never hold"), "a status of 400 or more with `scimType`/`detail`, or neither".to_string());
            }
            if e.ok == Some(true)
                && status >= 400
                && !action.needs_embedded_mock()
                && !matches!(action, Action::Scim(_))
            {
                let p = fp(self, "ok");
                self.err(p, format!("Okta records an answer of {status} as a failure, so `ok: true` can never hold"), "`ok: false` with an error status, or a 2xx status with `ok: true`".to_string());
            }
        }
        if e.absent == Some(true)
            && matches!(action, Action::GetUser { .. })
            && let Some(status) = e.status
            && status != 404
        {
            let p = fp(self, "status");
            self.err(p, format!("`get_user` reads by id, so `absent: true` means a 404; `status: {status}` can never hold with it"), "`status: 404` with `absent: true`, or no `absent`".to_string());
        }
        if e.new_id == Some(true) && e.same_id == Some(true) {
            let p = fp(self, "same_id");
            self.err(
                p,
                "`new_id: true` and `same_id: true` contradict each other: this can never hold",
                "one of them".to_string(),
            );
        }
        if (e.new_id.is_some() || e.same_id.is_some()) && !ID_STEPS.contains(&kind) {
            let which = if e.new_id.is_some() {
                "new_id"
            } else {
                "same_id"
            };
            let p = fp(self, which);
            self.err(
                p,
                format!("`{kind}` does not give Okta a server id, so `{which}` cannot be checked"),
                format!("`{which}` on {}", one_of(ID_STEPS)),
            );
        }
        if let Some(requests) = &e.requests {
            let rpos = fp(self, "requests");
            for r in requests {
                let (method, path) = r.split_once(' ').unwrap_or((r.as_str(), ""));
                if !METHODS.contains(&method) || !path.starts_with('/') {
                    let p = find_map_or_seq_at(self.root, rpos)
                        .and_then(|n| n.find_scalar(r))
                        .unwrap_or(rpos);
                    self.err(p, format!("`{r}` is not a request line"), "`METHOD /path?query`, e.g. `GET /Users?filter=…` or `PATCH /Users/{user:alice}`".to_string());
                } else {
                    self.placeholders(path, rpos);
                }
            }
        }
        if !e.rule.is_empty() {
            let p = fp(self, "rule");
            let mut profiles = HashSet::new();
            for r in &e.rule {
                if !self.rules.contains(r) {
                    let listed: Vec<String> = self.rules.iter().map(ToString::to_string).collect();
                    self.err(
                        p,
                        format!("rule `{r}` is not in this scenario's `rules:`"),
                        format!(
                            "one of the scenario's rules ([{}]), or add `{r}` to `rules:`",
                            listed.join(", ")
                        ),
                    );
                }
                if !profiles.insert(r.profile()) {
                    self.err(
                        p,
                        format!(
                            "two rules of the {} profile: a finding cites one rule",
                            r.profile().as_str()
                        ),
                        "at most one rule per profile, e.g. `rule: [Z6, okta:username-case]`"
                            .to_string(),
                    );
                }
            }
        }
        if let Some(patterns) = e.listed.take() {
            let lpos = fp(self, "listed");
            if kind != "import_users" {
                self.err(
                    lpos,
                    format!("`{kind}` lists no users, so `listed` cannot be checked"),
                    "`listed` on `import_users`".to_string(),
                );
            }
            // People named as anywhere else (keys, patterns, numbers, ranges), resolved to
            // person keys here, so the runner compares ids only.
            let list = find_map_or_seq_at(self.root, lpos);
            let selectors = patterns
                .iter()
                .map(|p| Located {
                    value: match p.parse::<u64>() {
                        Ok(n) => PersonSelector::Number(n),
                        Err(_) => PersonSelector::Text(p.clone()),
                    },
                    pos: list.and_then(|n| n.find_scalar(p)).unwrap_or(lpos),
                })
                .collect();
            e.listed = Some(self.resolve_people(&PeopleRef(selectors)));
        }
        Some(e)
    }
}

fn valid_case(c: &str) -> bool {
    if let Some(n) = c.strip_prefix('T') {
        return matches!(n, "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9");
    }
    c.strip_prefix("okta-")
        .or_else(|| c.strip_prefix("entra-"))
        .is_some_and(|rest| {
            !rest.is_empty()
                && rest
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        })
}

/// `*` matches any run of characters; everything else matches itself.
pub(crate) fn glob(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == text;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !text.starts_with(first)
        || !text[first.len()..].ends_with(last)
        || text.len() < first.len() + last.len()
    {
        return false;
    }
    let mut rest = &text[first.len()..text.len() - last.len()];
    for part in &parts[1..parts.len() - 1] {
        match rest.find(part) {
            Some(i) => rest = &rest[i + part.len()..],
            None => return false,
        }
    }
    true
}

/// The mapping node that starts at `pos` (pre-order, so the outermost one).
fn find_map_at(node: &Node, pos: Pos) -> Option<&Node> {
    if node.pos == pos && matches!(node.kind, NodeKind::Map(_)) {
        return Some(node);
    }
    children(node).find_map(|c| find_map_at(c, pos))
}

fn find_map_or_seq_at(node: &Node, pos: Pos) -> Option<&Node> {
    if node.pos == pos && matches!(node.kind, NodeKind::Map(_) | NodeKind::Seq(_)) {
        return Some(node);
    }
    children(node).find_map(|c| find_map_or_seq_at(c, pos))
}

/// The mapping entry whose key starts at `pos`.
fn find_key_at(node: &Node, pos: Pos) -> Option<(&Node, &Node)> {
    if let NodeKind::Map(entries) = &node.kind
        && let Some((k, v)) = entries.iter().find(|(k, _)| k.pos == pos)
    {
        return Some((k, v));
    }
    children(node).find_map(|c| find_key_at(c, pos))
}

/// Every `{user:KEY}` / `{group:KEY}` written unquoted where YAML reads it as a one-entry
/// mapping (`value: {user:jane}` is `{"user:jane": null}`), with where it starts and the text
/// to quote. `check` would otherwise pass it and the run send a JSON object.
pub(crate) fn unquoted_placeholders(node: &Node) -> Vec<(Pos, String)> {
    let mut out = Vec::new();
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        if let NodeKind::Map(entries) = &n.kind
            && let [(k, v)] = entries.as_slice()
            && v.kind == NodeKind::Null
            && let Some(key) = k.as_str()
            && let text = format!("{{{key}}}")
            && matches!(
                super::placeholder::placeholders(&text).as_slice(),
                [IdRef::User(_) | IdRef::Group(_)]
            )
        {
            out.push((n.pos, text));
        }
        stack.extend(children(n));
    }
    out.sort();
    out
}

/// The scalar node at `pos`.
fn find_scalar_at(node: &Node, pos: Pos) -> Option<&Node> {
    if node.pos == pos && node.scalar_text().is_some() {
        return Some(node);
    }
    children(node).find_map(|c| find_scalar_at(c, pos))
}

fn children(node: &Node) -> Box<dyn Iterator<Item = &Node> + '_> {
    match &node.kind {
        NodeKind::Seq(items) => Box::new(items.iter()),
        NodeKind::Map(entries) => Box::new(entries.iter().flat_map(|(k, v)| [k, v])),
        _ => Box::new(std::iter::empty()),
    }
}

#[cfg(test)]
mod tests {
    use super::glob;

    #[test]
    fn glob_stars_match_any_run_of_characters() {
        assert!(glob("user*", "user001"));
        assert!(glob("user*", "user"));
        assert!(glob("*son", "jackson"));
        assert!(glob("a*b*c", "a-x-b-y-c"));
        assert!(glob("*", "anything"));
        assert!(glob("a**c", "ac"));
        assert!(!glob("a*b*c", "a-x-c-y-b"));
        assert!(!glob("user*", "admin"));
        assert!(!glob("ab*ba", "aba"), "prefix and suffix may not overlap");
        assert!(glob("alice", "alice") && !glob("alice", "alicex"));
    }
}

//! Seeded random sequences of Okta actions: people (generated with `fake`, as a scenario's
//! `people: { generate: … }` is), groups with some of them as members, and steps weighted
//! towards the actions that change state. Same seed and options, same sequence: the RNG is
//! ChaCha8 (a named, portable algorithm) and every choice is drawn from it in a fixed order.
//!
//! The generator keeps a rough idea of Okta's side (who is assigned, which groups are pushed)
//! so that most steps make sense; a step that does not (deactivating someone never assigned)
//! is still fine: the oracle sees the target and the model answer it alike.

use rand::{Rng, RngExt, SeedableRng};

use crate::scenario::{
    Action, ConsoleAction, ConsoleGroup, DeletedGroupPolicy, Group, Person, PersonChanges,
    ResourceKind, SupportAction, people,
};

/// What a sequence is made of, before it becomes a scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Sequence {
    pub people: Vec<Person>,
    pub groups: Vec<Group>,
    pub steps: Vec<Action>,
}

/// How big a sequence is and which steps it may use.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Shape {
    pub steps: usize,
    pub people: usize,
    pub groups: usize,
    /// Admin Console and Customer Support steps (only the embedded mock has them).
    pub console: bool,
}

const GROUP_NAMES: &[&str] = &[
    "Engineering",
    "Sales",
    "Support",
    "Design",
    "Finance",
    "Operations",
    "Marketing",
    "Legal",
];
const TITLES: &[&str] = &["Engineer", "Manager", "Director", "Analyst"];
const LOCALES: &[&str] = &["en-US", "fr-FR", "de-DE"];

/// The sequence for `seed`.
pub(crate) fn generate(seed: u64, shape: Shape) -> Sequence {
    let mut rng = rand::rngs::ChaCha8Rng::seed_from_u64(seed);
    let n_people = shape.people.clamp(1, 500) as u32;
    let mut people = people::generate(n_people, rng.next_u64(), "example.com", "user");
    // Some people's app username is not their email (Okta's mapping allows it): a server
    // that mixes the two up shows it at once.
    for p in &mut people {
        if rng.random_bool(0.3) {
            p.user_name = p.email.replace("@example.com", "@corp.example.com");
        }
    }
    let groups: Vec<Group> = (0..shape.groups.min(GROUP_NAMES.len()))
        .map(|i| Group {
            key: format!("g{}", i + 1),
            name: GROUP_NAMES[i].to_owned(),
            members: people
                .iter()
                .filter(|_| rng.random_bool(0.5))
                .map(|p| p.key.clone())
                .collect(),
        })
        .collect();
    let mut g = Gen {
        rng,
        people: people.iter().map(|p| p.key.clone()).collect(),
        groups: groups.iter().map(|g| g.key.clone()).collect(),
        names: groups.iter().map(|g| g.name.clone()).collect(),
        current: groups
            .iter()
            .map(|g| (g.key.clone(), g.name.clone()))
            .collect(),
        assigned: Vec::new(),
        pushed: Vec::new(),
        console_groups: 0,
        renames: 0,
        edits: 0,
        console: shape.console,
    };
    let steps = (0..shape.steps).map(|_| g.step()).collect();
    Sequence {
        people,
        groups,
        steps,
    }
}

struct Gen {
    rng: rand::rngs::ChaCha8Rng,
    people: Vec<String>,
    groups: Vec<String>,
    /// Every group name used so far (console groups sometimes reuse one).
    names: Vec<String>,
    /// Each Okta group's name now (renames sometimes take another group's).
    current: Vec<(String, String)>,
    assigned: Vec<String>,
    pushed: Vec<String>,
    console_groups: usize,
    renames: usize,
    edits: usize,
    console: bool,
}

/// The kinds of step, with their weights (state changes weigh most).
#[derive(Debug, Clone, Copy)]
enum Kind {
    Assign,
    Update,
    Deactivate,
    Unassign,
    Reactivate,
    Reassign,
    EditPerson,
    PushGroup,
    AddMembers,
    RemoveMembers,
    Rename,
    PushNow,
    Unlink,
    Import,
    Refresh,
    TestCredentials,
    GetUser,
    Console,
    Support,
}

const KINDS: &[(Kind, u32)] = &[
    (Kind::Assign, 12),
    (Kind::Update, 9),
    (Kind::Deactivate, 5),
    (Kind::Unassign, 4),
    (Kind::Reactivate, 5),
    (Kind::Reassign, 3),
    (Kind::EditPerson, 2),
    (Kind::PushGroup, 7),
    (Kind::AddMembers, 8),
    (Kind::RemoveMembers, 6),
    (Kind::Rename, 4),
    (Kind::PushNow, 3),
    (Kind::Unlink, 4),
    (Kind::Import, 2),
    (Kind::Refresh, 1),
    (Kind::TestCredentials, 1),
    (Kind::GetUser, 1),
    (Kind::Console, 9),
    (Kind::Support, 5),
];

impl Gen {
    fn pick<T: Clone>(&mut self, from: &[T]) -> Option<T> {
        (!from.is_empty()).then(|| from[self.rng.random_range(0..from.len())].clone())
    }

    /// Someone from `preferred` most of the time, anyone otherwise.
    fn person_from(&mut self, preferred: &[String]) -> String {
        if !preferred.is_empty() && self.rng.random_bool(0.85) {
            return self.pick(preferred).expect("not empty");
        }
        let all = self.people.clone();
        self.pick(&all).expect("a sequence has people")
    }

    fn some_people(&mut self) -> Vec<String> {
        let all = self.people.clone();
        let n = self.rng.random_range(1..=all.len().min(3));
        let mut out: Vec<String> = Vec::new();
        for _ in 0..n {
            let p = self.pick(&all).expect("a sequence has people");
            if !out.contains(&p) {
                out.push(p);
            }
        }
        out
    }

    fn group(&mut self) -> Option<String> {
        let (pushed, all) = (self.pushed.clone(), self.groups.clone());
        if !pushed.is_empty() && self.rng.random_bool(0.85) {
            return self.pick(&pushed);
        }
        self.pick(&all)
    }

    fn kind(&mut self) -> Kind {
        let allowed: Vec<(Kind, u32)> = KINDS
            .iter()
            .copied()
            .filter(|(k, _)| match k {
                Kind::Console | Kind::Support => self.console,
                Kind::PushGroup
                | Kind::AddMembers
                | Kind::RemoveMembers
                | Kind::Rename
                | Kind::PushNow
                | Kind::Unlink => !self.groups.is_empty(),
                _ => true,
            })
            .collect();
        let total: u32 = allowed.iter().map(|(_, w)| w).sum();
        let mut at = self.rng.random_range(0..total);
        for (k, w) in &allowed {
            if at < *w {
                return *k;
            }
            at -= w;
        }
        allowed[0].0
    }

    /// Someone not assigned (preferably; see `person_from`), now counted as assigned: the
    /// person of an assign, a reactivate or a reassign.
    fn assign_someone(&mut self) -> String {
        let unassigned = not_in(&self.people, &self.assigned);
        let p = self.person_from(&unassigned);
        if !self.assigned.contains(&p) {
            self.assigned.push(p.clone());
        }
        p
    }

    /// Someone assigned (preferably), now counted as not: the person of a deactivate or an
    /// unassign.
    fn unassign_someone(&mut self) -> String {
        let assigned = self.assigned.clone();
        let p = self.person_from(&assigned);
        self.assigned.retain(|a| *a != p);
        p
    }

    fn step(&mut self) -> Action {
        let kind = self.kind();
        match kind {
            Kind::Assign => Action::AssignUser {
                people: vec![self.assign_someone()],
            },
            Kind::Update => {
                let assigned = self.assigned.clone();
                let p = self.person_from(&assigned);
                let set = self.changes(&p);
                Action::UpdateUser {
                    people: vec![p],
                    set,
                }
            }
            Kind::EditPerson => {
                let p = self.person_from(&[]);
                let set = self.changes(&p);
                Action::EditPerson {
                    people: vec![p],
                    set,
                }
            }
            Kind::Deactivate => Action::DeactivateUser {
                people: vec![self.unassign_someone()],
            },
            Kind::Unassign => Action::UnassignUser {
                people: vec![self.unassign_someone()],
            },
            Kind::Reactivate => Action::ReactivateUser {
                people: vec![self.assign_someone()],
            },
            Kind::Reassign => Action::ReassignUser {
                people: vec![self.assign_someone()],
            },
            Kind::GetUser => Action::GetUser {
                people: vec![self.person_from(&[])],
            },
            Kind::PushGroup => {
                let unpushed = not_in(&self.groups, &self.pushed);
                let g = self
                    .pick(&unpushed)
                    .or_else(|| self.group())
                    .expect("groups exist");
                if !self.pushed.contains(&g) {
                    self.pushed.push(g.clone());
                }
                Action::PushGroup { groups: vec![g] }
            }
            Kind::AddMembers | Kind::RemoveMembers => {
                let group = self.group().expect("groups exist");
                let people = self.some_people();
                match kind {
                    Kind::AddMembers => Action::AddMembers { group, people },
                    _ => Action::RemoveMembers { group, people },
                }
            }
            Kind::Rename => {
                let group = self.group().expect("groups exist");
                self.renames += 1;
                // Now and then another pushed group's name: a server must refuse or handle it.
                let taken: Vec<String> = self
                    .current
                    .iter()
                    .filter(|(k, _)| *k != group && self.pushed.contains(k))
                    .map(|(_, n)| n.clone())
                    .collect();
                let to = if !taken.is_empty() && self.rng.random_bool(0.35) {
                    self.pick(&taken).expect("not empty")
                } else {
                    let base = GROUP_NAMES[self.rng.random_range(0..GROUP_NAMES.len())];
                    format!("{base} {}", self.renames)
                };
                if !self.names.contains(&to) {
                    self.names.push(to.clone());
                }
                if let Some(c) = self.current.iter_mut().find(|(k, _)| *k == group) {
                    c.1 = to.clone();
                }
                Action::RenameGroup { group, to }
            }
            Kind::PushNow => Action::PushNow {
                groups: vec![self.group().expect("groups exist")],
            },
            Kind::Unlink => {
                let group = self.group().expect("groups exist");
                self.pushed.retain(|g| *g != group);
                Action::UnlinkGroup {
                    group,
                    delete: self.rng.random_bool(0.6),
                }
            }
            Kind::Import => Action::ImportUsers,
            Kind::Refresh => Action::RefreshAppGroups,
            Kind::TestCredentials => Action::TestCredentials,
            Kind::Console => self.console_step(),
            Kind::Support => self.support_step(),
        }
    }

    /// Profile changes: one to three fields; an email change sometimes keeps the userName.
    fn changes(&mut self, key: &str) -> PersonChanges {
        self.edits += 1;
        let n = self.edits;
        let mut c = PersonChanges::default();
        let fields = self.rng.random_range(1..=3);
        for _ in 0..fields {
            match self.rng.random_range(0..7) {
                0 => c.first = Some(format!("First{n}")),
                1 => c.last = Some(format!("Last{n}")),
                2 => c.display_name = Some(format!("Display {n}")),
                3 => c.title = Some(self.pick(TITLES).expect("titles").to_owned()),
                4 => c.locale = Some(self.pick(LOCALES).expect("locales").to_owned()),
                5 => {
                    let email = format!("{key}.v{n}@example.com");
                    if self.rng.random_bool(0.5) {
                        c.user_name = Some(email.clone());
                    }
                    c.email = Some(email);
                }
                _ => {
                    // A userName that is not an email address (Zinc: Z4).
                    c.user_name = Some(format!("{key}-v{n}"));
                }
            }
        }
        c
    }

    fn console_step(&mut self) -> Action {
        let synced = |g: &mut Gen| g.group().map(ConsoleGroup::Okta);
        let any = |g: &mut Gen| {
            if g.console_groups > 0 && g.rng.random_bool(0.5) {
                let n = g.rng.random_range(1..=g.console_groups);
                Some(ConsoleGroup::Console(format!("c{n}")))
            } else {
                synced(g)
            }
        };
        let action = match self.rng.random_range(0..8) {
            0 | 1 => {
                self.console_groups += 1;
                let n = self.console_groups;
                // Sometimes the name of an Okta group (Z14: still a different group).
                let name = if self.rng.random_bool(0.4) {
                    let names = self.names.clone();
                    self.pick(&names).expect("names exist")
                } else {
                    format!("Console club {n}")
                };
                return Action::Console(ConsoleAction::CreateGroup {
                    key: format!("c{n}"),
                    name,
                });
            }
            2 => any(self).map(|group| ConsoleAction::AddMembers {
                group,
                people: vec![self.person_from(&[])],
            }),
            3 => any(self).map(|group| ConsoleAction::RemoveMembers {
                group,
                people: vec![self.person_from(&[])],
            }),
            4 => any(self).map(|group| ConsoleAction::RenameGroup {
                group,
                to: format!("Renamed in console {}", self.edits),
            }),
            5 => any(self).map(|group| ConsoleAction::DeleteGroup { group }),
            6 => synced(self).map(|group| ConsoleAction::UnlinkGroup { group }),
            _ => any(self).map(|group| ConsoleAction::SetAdmins {
                group,
                people: vec![self.person_from(&[])],
            }),
        };
        Action::Console(action.unwrap_or(ConsoleAction::ListGroups))
    }

    fn support_step(&mut self) -> Action {
        Action::Support(match self.rng.random_range(0..7) {
            0 => SupportAction::RotateToken {
                update_okta: self.rng.random_bool(0.5),
            },
            1 => SupportAction::DisableProvisioning,
            2 | 3 => SupportAction::SetScope(match self.rng.random_range(0..3) {
                0 => vec![ResourceKind::Users],
                1 => vec![ResourceKind::Groups],
                _ => vec![ResourceKind::Users, ResourceKind::Groups],
            }),
            4 => SupportAction::SetDeletedGroupPolicy(if self.rng.random_bool(0.5) {
                DeletedGroupPolicy::Delete
            } else {
                DeletedGroupPolicy::Retain
            }),
            _ => SupportAction::EnableProvisioning,
        })
    }
}

/// The keys of `all` that are not in `taken`, in their order.
fn not_in(all: &[String], taken: &[String]) -> Vec<String> {
    all.iter().filter(|k| !taken.contains(k)).cloned().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHAPE: Shape = Shape {
        steps: 30,
        people: 4,
        groups: 2,
        console: true,
    };

    #[test]
    fn the_same_seed_gives_the_same_sequence_and_another_seed_another() {
        assert_eq!(generate(7, SHAPE), generate(7, SHAPE));
        assert_ne!(generate(7, SHAPE).steps, generate(8, SHAPE).steps);
    }

    #[test]
    fn a_live_target_gets_no_console_or_support_steps() {
        let live = Shape {
            console: false,
            ..SHAPE
        };
        for seed in 0..20 {
            assert!(
                generate(seed, live)
                    .steps
                    .iter()
                    .all(|a| !a.needs_embedded_mock())
            );
        }
    }
}

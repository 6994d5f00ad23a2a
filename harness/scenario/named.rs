//! What a step names, decided in one exhaustive match over the step kinds: isolation on a
//! live server (`run/cleanup.rs`, which tags every name) and explore's shrinking (which drops
//! people and groups with the steps that name them) both read it, so a new kind is decided
//! here once, and a kind that names someone cannot slip past either.

use super::model::{Action, ConsoleAction, ConsoleGroup, PersonChanges, ScimRequest};

/// The people, groups and names one step names.
#[derive(Default)]
pub(crate) struct Named<'a> {
    /// Person keys (`people:`).
    pub people: Option<&'a mut Vec<String>>,
    /// Okta group keys: a push's `groups:`, or the one group a step changes.
    pub groups: &'a mut [String],
    /// The group a console step acts on (an Okta group or a console one).
    pub console_group: Option<&'a ConsoleGroup>,
    /// A name the step carries beyond the keys, which isolation must tag too.
    pub carried: Option<Carried<'a>>,
}

/// A name a step carries beyond the people's and groups' own (which are tagged from the
/// scenario's `people:` and `groups:`).
pub(crate) enum Carried<'a> {
    /// New email or userName of a person (`update_user`/`edit_person` `set:`).
    Person(&'a mut PersonChanges),
    /// A group's new display name (a rename, a console group).
    Group(&'a mut String),
    /// A raw request, whose path and body may name anyone.
    Raw(&'a mut ScimRequest),
}

impl<'a> Named<'a> {
    fn people(people: &'a mut Vec<String>) -> Self {
        Named {
            people: Some(people),
            ..Named::default()
        }
    }

    fn groups(groups: &'a mut [String]) -> Self {
        Named {
            groups,
            ..Named::default()
        }
    }

    fn console(group: &'a ConsoleGroup) -> Self {
        Named {
            console_group: Some(group),
            ..Named::default()
        }
    }

    fn with_people(self, people: &'a mut Vec<String>) -> Self {
        Named {
            people: Some(people),
            ..self
        }
    }

    fn carrying(self, carried: Carried<'a>) -> Self {
        Named {
            carried: Some(carried),
            ..self
        }
    }
}

impl Action {
    /// What this step names. Every kind has its own line, in the model's order, so that a new
    /// one must be decided here (a missed name would escape isolation on a live server).
    pub(crate) fn named(&mut self) -> Named<'_> {
        use Carried::{Group, Person, Raw};
        let one = std::slice::from_mut;
        match self {
            Action::TestCredentials => Named::default(),
            Action::AssignUser { people } => Named::people(people),
            Action::UpdateUser { people, set } => Named::people(people).carrying(Person(set)),
            Action::DeactivateUser { people } => Named::people(people),
            Action::UnassignUser { people } => Named::people(people),
            Action::ReactivateUser { people } => Named::people(people),
            Action::ReassignUser { people } => Named::people(people),
            Action::GetUser { people } => Named::people(people),
            Action::SyncPassword { people } => Named::people(people),
            Action::PushGroup { groups } => Named::groups(groups),
            Action::AddMembers { group, people } => Named::groups(one(group)).with_people(people),
            Action::RemoveMembers { group, people } => {
                Named::groups(one(group)).with_people(people)
            }
            Action::RenameGroup { group, to } => Named::groups(one(group)).carrying(Group(to)),
            Action::PushNow { groups } => Named::groups(groups),
            Action::UnlinkGroup { group, .. } => Named::groups(one(group)),
            Action::RefreshAppGroups => Named::default(),
            Action::ImportUsers => Named::default(),
            Action::EditPerson { people, set } => Named::people(people).carrying(Person(set)),
            Action::Scim(req) => Named::default().carrying(Raw(req)),
            Action::Console(c) => match c {
                ConsoleAction::CreateGroup { name, .. } => Named::default().carrying(Group(name)),
                ConsoleAction::RenameGroup { group, to } => {
                    Named::console(group).carrying(Group(to))
                }
                ConsoleAction::AddMembers { group, people } => {
                    Named::console(group).with_people(people)
                }
                ConsoleAction::RemoveMembers { group, people } => {
                    Named::console(group).with_people(people)
                }
                ConsoleAction::SetAdmins { group, people } => {
                    Named::console(group).with_people(people)
                }
                ConsoleAction::DeleteGroup { group } => Named::console(group),
                ConsoleAction::UnlinkGroup { group } => Named::console(group),
                ConsoleAction::ListUsers => Named::default(),
                ConsoleAction::ListGroups => Named::default(),
            },
            Action::Support(_) => Named::default(),
            // Fault rules match requests by method and path, never by a person or group.
            Action::Fault(_) => Named::default(),
        }
    }
}

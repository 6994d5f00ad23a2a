//! The client handle: configuration, Okta's directory (people, groups) and lookups. The
//! actions themselves are in `actions.rs`.

use std::sync::Arc;

use parking_lot::Mutex;

use super::OktaError;
use super::config::{App, Auth, OktaConfig};
use super::directory::{
    AppGroup, Directory, OktaGroup, Person, PersonProfile, ProfileChanges, okta_group_id_in,
    okta_user_id_in,
};
use super::http::Sender;
use super::personality::Personality;
use crate::contract::RuleId;

/// The simulated Okta app integration. Cheap to clone (clones share state); every action
/// takes `&self`, so many can run at once. State sits behind a lock that is never held
/// across a request.
#[derive(Clone)]
pub struct OktaClient {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub sender: Sender,
    pub app: App,
    /// What this kind of client sends (the `Personality` seam), made from the config.
    pub personality: Box<dyn Personality>,
    /// Test Connection probes so far (each filters by a fresh GUID).
    pub probes: std::sync::atomic::AtomicU32,
    pub push_groups: bool,
    pub group_push: super::config::GroupPush,
    pub base_url: String,
    /// See [`OktaConfig::id_seed`].
    pub id_seed: String,
    pub dir: Mutex<Directory>,
}

impl std::fmt::Debug for OktaClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OktaClient")
            .field("base_url", &self.inner.base_url)
            .field("app", &self.inner.app)
            .field("push_groups", &self.inner.push_groups)
            .finish_non_exhaustive()
    }
}

impl OktaClient {
    pub fn new(config: OktaConfig) -> Result<OktaClient, OktaError> {
        let personality = config.app.personality(&config);
        let sender = Sender::new(&config, personality.headers(), personality.retries_429())?;
        Ok(OktaClient {
            inner: Arc::new(Inner {
                sender,
                app: config.app,
                personality,
                probes: std::sync::atomic::AtomicU32::new(0),
                push_groups: config.push_groups,
                group_push: super::config::GroupPush {
                    batch_size: config.group_push.batch_size.max(1),
                    ..config.group_push
                },
                base_url: config.base_url.trim_end_matches('/').to_owned(),
                id_seed: config.id_seed.clone(),
                dir: Mutex::new(Directory::default()),
            }),
        })
    }

    /// Replaces the credentials (the admin pasted a rotated token). Later requests use it.
    pub fn set_auth(&self, auth: Auth) {
        self.inner.sender.set_auth(auth);
    }

    /// Replaces the token and keeps the auth mode (bearer, header, or basic's password).
    pub fn set_token(&self, token: &str) {
        let auth = self.inner.sender.auth().with_token(token);
        self.inner.sender.set_auth(auth);
    }

    pub fn app(&self) -> App {
        self.inner.app
    }

    /// The identity provider this client plays, as reports name it ("Okta", "Entra").
    pub(crate) fn idp(&self) -> &'static str {
        self.inner.personality.idp()
    }

    /// The rule a failed clean-up of this client's objects cites.
    pub(crate) fn deprovision_rule(&self) -> RuleId {
        self.inner.personality.deprovision_rule()
    }

    /// How many credential tests ("Test Connection") this client ran.
    pub fn connection_tests(&self) -> u32 {
        self.inner.probes.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The seed of every id this client makes up (see [`OktaConfig::id_seed`]).
    pub fn id_seed(&self) -> &str {
        &self.inner.id_seed
    }

    pub fn push_groups(&self) -> bool {
        self.inner.push_groups
    }

    /// The SCIM base URL, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    // ----- Okta's directory: changes here send nothing --------------------------------------

    /// Adds an Okta person (active, not yet assigned). Returns its Okta id, `00u…`, derived
    /// from the client's [`OktaConfig::id_seed`] and `key`: the same seed and key give the
    /// same id on every client.
    pub fn add_person(&self, key: &str, profile: PersonProfile) -> Result<String, OktaError> {
        let mut dir = self.inner.dir.lock();
        if dir.people.contains_key(key) {
            return Err(OktaError::DuplicatePerson(key.to_owned()));
        }
        let okta_id = okta_user_id_in(&self.inner.id_seed, key);
        dir.people.insert(
            key.to_owned(),
            Person {
                key: key.to_owned(),
                okta_id: okta_id.clone(),
                profile,
                active: true,
                assigned: false,
                server_id: None,
                app_active: false,
                pushed: None,
                creates: 0,
                pushed_manager: None,
                password_syncs: 0,
            },
        );
        Ok(okta_id)
    }

    /// Changes an Okta person's profile in Okta only (nothing is sent). The next push
    /// (`update_user`) sends what changed since Okta last pushed the user.
    pub fn edit_person(&self, key: &str, changes: &ProfileChanges) -> Result<(), OktaError> {
        let mut dir = self.inner.dir.lock();
        let p = dir
            .people
            .get_mut(key)
            .ok_or_else(|| OktaError::UnknownPerson(key.to_owned()))?;
        p.profile.apply(changes);
        Ok(())
    }

    /// The person's current Okta profile.
    pub fn profile(&self, key: &str) -> Result<PersonProfile, OktaError> {
        self.person(key).map(|p| p.profile)
    }

    /// A copy of everything Okta knows about one person.
    pub fn person(&self, key: &str) -> Result<Person, OktaError> {
        self.inner
            .dir
            .lock()
            .people
            .get(key)
            .cloned()
            .ok_or_else(|| OktaError::UnknownPerson(key.to_owned()))
    }

    /// Adds an Okta group (no members, not pushed). Returns its Okta id, `00g…`.
    pub fn add_group(&self, key: &str, name: &str) -> Result<String, OktaError> {
        let mut dir = self.inner.dir.lock();
        if dir.groups.contains_key(key) {
            return Err(OktaError::DuplicateGroup(key.to_owned()));
        }
        let okta_id = okta_group_id_in(&self.inner.id_seed, key);
        dir.groups.insert(
            key.to_owned(),
            OktaGroup {
                key: key.to_owned(),
                okta_id: okta_id.clone(),
                name: name.to_owned(),
                members: Vec::new(),
                pushed: None,
            },
        );
        Ok(okta_id)
    }

    /// Okta-side membership only (nothing is sent): puts `people` in `group`. Use the
    /// `add_members` action to have Okta push the change.
    pub fn add_to_group(&self, group: &str, people: &[&str]) -> Result<(), OktaError> {
        let mut dir = self.inner.dir.lock();
        let g = dir.group_for_members(group, people)?;
        for p in people {
            if !g.members.iter().any(|m| m == p) {
                g.members.push((*p).to_owned());
            }
        }
        Ok(())
    }

    /// A copy of everything Okta knows about one group.
    pub fn group(&self, key: &str) -> Result<OktaGroup, OktaError> {
        self.inner
            .dir
            .lock()
            .groups
            .get(key)
            .cloned()
            .ok_or_else(|| OktaError::UnknownGroup(key.to_owned()))
    }

    // ----- Lookups ---------------------------------------------------------------------------

    /// The Okta id of a person (`00u…`) or, failing that, of a group (`00g…`).
    pub fn okta_id(&self, key: &str) -> Option<String> {
        let dir = self.inner.dir.lock();
        dir.people
            .get(key)
            .map(|p| p.okta_id.clone())
            .or_else(|| dir.groups.get(key).map(|g| g.okta_id.clone()))
    }

    /// The server id Okta stored for a user (kept after deactivation, as Okta keeps it).
    pub fn server_user_id(&self, key: &str) -> Option<String> {
        self.inner
            .dir
            .lock()
            .people
            .get(key)
            .and_then(|p| p.server_id.clone())
    }

    /// The server id of a pushed group (`None` once unlinked).
    pub fn server_group_id(&self, key: &str) -> Option<String> {
        self.inner
            .dir
            .lock()
            .groups
            .get(key)
            .and_then(|g| g.pushed.as_ref().map(|p| p.server_id.clone()))
    }

    /// Okta's cached app groups (from the last `refresh_app_groups`).
    pub fn app_groups(&self) -> Vec<AppGroup> {
        self.inner.dir.lock().app_groups.clone()
    }

    /// Every person key, sorted.
    pub fn people(&self) -> Vec<String> {
        self.inner.dir.lock().people.keys().cloned().collect()
    }

    /// Every group key, sorted.
    pub fn groups(&self) -> Vec<String> {
        self.inner.dir.lock().groups.keys().cloned().collect()
    }
}

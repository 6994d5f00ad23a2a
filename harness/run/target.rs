//! What a scenario runs against: the `Target` abstraction.
//!
//! - [`TargetSpec::Embedded`]: a fresh [`MockZinc`] per scenario, started with the scenario's
//!   `zinc:` settings; console, support and fault steps go to its in-process handles, and the
//!   final state (SCIM view and console view) is read straight from it.
//! - [`TargetSpec::External`]: a live SCIM server at a base URL with the caller's
//!   credentials; steps that need the mock are skipped with the reason, and what the
//!   scenario created is removed afterwards unless `keep` is set.
//!
//! Everything that differs between the two lives here, so per-run unique names or a smarter
//! cleanup for live servers are added in one place.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::okta::{Auth, AuthMode, OktaClient};
use crate::report::snapshot::FinalState;
use crate::report::{Finding, StepReport, StepStatus};
use crate::scenario::{self, Action, ConsoleAction, Scenario};
use crate::zinc::{Admin, Bug, Faults, ListQuery, MockZinc, Rule, Scope, ZincConfig};

/// Where scenarios run.
#[derive(Debug, Clone)]
pub enum TargetSpec {
    /// A fresh embedded mock Zinc per scenario (the default).
    Embedded(Embedded),
    /// A live SCIM server.
    External(External),
}

impl Default for TargetSpec {
    fn default() -> Self {
        TargetSpec::Embedded(Embedded::default())
    }
}

impl TargetSpec {
    /// How reports name the target: `embedded mock` or the base URL (without credentials).
    pub fn describe(&self) -> String {
        match self {
            TargetSpec::Embedded(e) if e.broken.is_empty() && e.bugs.is_empty() => {
                "embedded mock".to_owned()
            }
            TargetSpec::Embedded(e) => {
                let mut parts = Vec::new();
                if !e.broken.is_empty() {
                    let rules: Vec<String> = e.broken.iter().map(Rule::to_string).collect();
                    parts.push(format!("rules switched off: {}", rules.join(", ")));
                }
                if !e.bugs.is_empty() {
                    let bugs: Vec<String> = e.bugs.iter().map(Bug::to_string).collect();
                    parts.push(format!("bugs switched on: {}", bugs.join(", ")));
                }
                format!("embedded mock with {}", parts.join("; "))
            }
            TargetSpec::External(x) => x.display_url(),
        }
    }

    pub fn is_embedded(&self) -> bool {
        matches!(self, TargetSpec::Embedded(_))
    }
}

/// The embedded mock's options.
#[derive(Debug, Clone, Default)]
pub struct Embedded {
    broken: BTreeSet<Rule>,
    bugs: BTreeSet<Bug>,
}

impl Embedded {
    /// Every mock of the run starts with `rule` switched off ([`ZincConfig::break_rule`]):
    /// mutation testing, to prove that the scenarios notice a broken server. No command line
    /// flag reaches this.
    pub fn with_broken_rule(mut self, rule: Rule) -> Self {
        self.broken.insert(rule);
        self
    }

    /// Every mock of the run makes this realistic server mistake ([`ZincConfig::with_bug`]):
    /// mutation testing, to prove that a scenario catches it. No command line flag reaches
    /// this.
    pub fn with_bug(mut self, bug: Bug) -> Self {
        self.bugs.insert(bug);
        self
    }
}

/// A live SCIM server.
#[derive(Clone)]
pub struct External {
    /// The SCIM base URL, e.g. `https://scim.example.com/scim/v2`.
    pub base_url: String,
    /// The credential (for `basic`: `user:password`). Never printed.
    pub token: Option<String>,
    /// Accept any TLS certificate.
    pub insecure: bool,
    /// Leave what the scenarios created on the server.
    pub keep: bool,
}

impl std::fmt::Debug for External {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("External")
            .field("base_url", &self.display_url())
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("insecure", &self.insecure)
            .field("keep", &self.keep)
            .finish()
    }
}

impl External {
    /// The base URL without any `user:password@` part.
    pub fn display_url(&self) -> String {
        match url::Url::parse(&self.base_url) {
            Ok(mut u) => {
                let _ = u.set_username("");
                let _ = u.set_password(None);
                u.to_string().trim_end_matches('/').to_owned()
            }
            Err(_) => self.base_url.clone(),
        }
    }
}

/// Why a whole scenario is not run against this target, if it is not.
pub(crate) fn skip_reason(spec: &TargetSpec, s: &Scenario) -> Option<String> {
    let TargetSpec::External(_) = spec else {
        return None;
    };
    let z = &s.zinc;
    let d = scenario::ZincSettings::default();
    let mut needs = Vec::new();
    if z.provisioning != d.provisioning {
        needs.push("provisioning: disabled".to_owned());
    }
    let scope: BTreeSet<_> = z.scope.iter().collect();
    if scope != d.scope.iter().collect() {
        needs.push(format!(
            "scope: [{}]",
            z.scope
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if z.deleted_group_policy != d.deleted_group_policy {
        needs.push("deleted_group_policy: delete".to_owned());
    }
    if needs.is_empty() {
        // Steps that change what the server does or holds (a fault, a support action, a
        // console write) cannot run on a live server, and the steps after them expect
        // their effect: skipping them alone would turn the scenario into false failures.
        // Read-only console steps are skipped one by one (step_skip_reason).
        let changes = s.steps.iter().find_map(|st| match &st.action {
            Action::Fault(_) => Some("the fault layer of the embedded mock"),
            Action::Support(_) => Some("Zinc Customer Support (the embedded mock's settings)"),
            Action::Console(c)
                if !matches!(c, ConsoleAction::ListUsers | ConsoleAction::ListGroups) =>
            {
                Some("the Zinc Admin Console of the embedded mock")
            }
            _ => None,
        });
        return changes.map(|what| {
            format!("needs {what}, which a live server does not have; later steps depend on it")
        });
    }
    Some(format!(
        "needs an embedded mock started with {}; a live server's settings cannot be changed",
        needs.join(", ")
    ))
}

/// Why a step cannot run against this target, if it cannot.
pub(crate) fn step_skip_reason(spec: &TargetSpec, action: &Action) -> Option<&'static str> {
    if spec.is_embedded() {
        return None;
    }
    match action {
        Action::Console(_) => {
            Some("needs the Zinc Admin Console of the embedded mock; a live server has none")
        }
        Action::Support(_) => Some(
            "needs Zinc Customer Support (the embedded mock's settings); a live server's cannot be changed",
        ),
        Action::Fault(_) => {
            Some("needs the fault layer of the embedded mock; a live server has none")
        }
        _ => None,
    }
}

/// One scenario's target, started.
pub(crate) enum Target {
    Embedded { zinc: MockZinc },
    External { spec: External },
}

impl Target {
    /// Starts the target for `s`: for the embedded mock, a fresh one with the scenario's
    /// `zinc:` settings.
    pub(crate) async fn start(spec: &TargetSpec, s: &Scenario) -> Result<Target, String> {
        match spec {
            TargetSpec::Embedded(e) => {
                let mut config = ZincConfig::default();
                config.provisioning = s.zinc.provisioning;
                config.scope = Scope::of(&s.zinc.scope);
                config.deleted_group_policy = s.zinc.deleted_group_policy;
                for r in &e.broken {
                    config.break_rule(*r);
                }
                for b in &e.bugs {
                    config = config.with_bug(*b);
                }
                let zinc = MockZinc::start_with(config)
                    .await
                    .map_err(|e| format!("the embedded mock Zinc could not start: {e}"))?;
                Ok(Target::Embedded { zinc })
            }
            TargetSpec::External(x) => Ok(Target::External { spec: x.clone() }),
        }
    }

    pub(crate) fn base_url(&self) -> String {
        match self {
            Target::Embedded { zinc } => zinc.base_url(),
            Target::External { spec } => spec.base_url.trim_end_matches('/').to_owned(),
        }
    }

    /// What Okta is configured with at the start: the mock's token (none while provisioning
    /// is disabled: the admin has none to paste), or the caller's credential.
    pub(crate) fn initial_auth(&self, mode: AuthMode) -> Auth {
        match self.token() {
            Some(t) => Auth::from_mode(mode, &t),
            None => Auth::None,
        }
    }

    fn token(&self) -> Option<String> {
        match self {
            Target::Embedded { zinc } => zinc.token(),
            Target::External { spec } => spec.token.clone(),
        }
    }

    pub(crate) fn insecure(&self) -> bool {
        match self {
            Target::Embedded { .. } => false,
            Target::External { spec } => spec.insecure,
        }
    }

    /// The Admin Console and support handle (embedded only).
    pub(crate) fn admin(&self) -> Option<Admin> {
        match self {
            Target::Embedded { zinc } => Some(zinc.admin()),
            Target::External { .. } => None,
        }
    }

    /// The fault layer (embedded only).
    pub(crate) fn faults(&self) -> Option<Faults> {
        match self {
            Target::Embedded { zinc } => Some(zinc.faults()),
            Target::External { .. } => None,
        }
    }

    /// Every secret the target handed out so far (tokens), for redaction.
    pub(crate) fn secrets(&self) -> Vec<String> {
        self.token().into_iter().collect()
    }

    /// The state at the end of a scenario. Embedded: the SCIM view (`GET /Users`, `GET
    /// /Groups`, read in process so that neither the token nor the scope gets in the way)
    /// and the console view. External: nothing (a live server holds other data too).
    pub(crate) fn final_state(&self) -> FinalState {
        let Target::Embedded { zinc } = self else {
            return FinalState {
                scim_users: Value::Null,
                scim_groups: Value::Null,
                console: None,
            };
        };
        let dir = zinc.directory();
        let query = ListQuery {
            count: Some(1000),
            ..ListQuery::default()
        };
        let resources = |v: Result<Value, String>| match v {
            Ok(mut list) => list
                .get_mut("Resources")
                .map(Value::take)
                .unwrap_or(Value::Array(Vec::new())),
            Err(e) => Value::String(e),
        };
        let users = resources(
            dir.list_users(&query)
                .map_err(|e| e.to_string())
                .and_then(|l| serde_json::to_value(l).map_err(|e| e.to_string())),
        );
        let groups = resources(
            dir.list_groups(&query)
                .map_err(|e| e.to_string())
                .and_then(|l| serde_json::to_value(l).map_err(|e| e.to_string())),
        );
        let admin = zinc.admin();
        let console = json!({
            "settings": admin.settings(),
            "users": admin.list_users(),
            "groups": admin.list_groups(),
        });
        FinalState {
            scim_users: users,
            scim_groups: groups,
            console: Some(console),
        }
    }

    pub(crate) fn is_embedded(&self) -> bool {
        matches!(self, Target::Embedded { .. })
    }

    /// After a scenario on a live server, unless `keep`: removes what the scenario made, as
    /// Okta would ([`cleanup::cleanup`](super::cleanup::cleanup): pushed groups deleted,
    /// users deactivated), even when a step failed. Returns the cleanup as a last step of
    /// the report (its requests, and a finding for anything it could not remove); `None`
    /// for the embedded mock (dropped whole), with `keep`, or when nothing was made.
    pub(crate) async fn cleanup(
        &self,
        okta: &OktaClient,
        steps: &[StepReport],
    ) -> Option<StepReport> {
        let Target::External { spec } = self else {
            return None;
        };
        if spec.keep {
            return None;
        }
        let exchanges: Vec<_> = steps.iter().flat_map(|s| s.exchanges.clone()).collect();
        let out = super::cleanup::cleanup(okta, &exchanges).await;
        if out.exchanges.is_empty() && out.problems.is_empty() {
            return None;
        }
        Some(StepReport {
            index: steps.len() + 1,
            label: format!("{} (as {} would)", out.summary_counts(), okta.idp()),
            line: None,
            status: if out.problems.is_empty() {
                StepStatus::Passed
            } else {
                StepStatus::Failed
            },
            skip_reason: None,
            findings: out
                .problems
                .iter()
                .map(|p| {
                    Finding::new(
                        "cleanup",
                        "removed (group deleted, user deactivated)",
                        p.as_str(),
                    )
                    .cite(okta.deprovision_rule())
                })
                .collect(),
            exchanges: out.exchanges,
            okta_message: None,
        })
    }
}

//! Running one scenario: its target, its Okta client, its steps, their checks.

use std::time::{Duration, Instant};

use serde_json::Value;

use super::baseline::{self, Adjusted, Baseline};
use super::compare::Compare;
use super::expect::{self, Observed};
use super::ids::IdBook;
use super::observe::{ActionSummary, Observer, StepView};
use super::target::{self, Target};
use super::{RunOptions, ScenarioRun, could_not_run, okta_client, okta_id_seed, profile_skip};
use super::{cleanup, wire};
use crate::okta::{
    ActionOutcome, ActionResult, Auth, AuthMode, Body, OktaClient, OktaError, RawRequest,
};
use crate::report::snapshot::{FinalState, NameMap};
use crate::report::{ScenarioReport, ScenarioStatus, StepReport, StepStatus};
use crate::scenario::{
    Action, ConsoleAction, ConsoleGroup, Fault, HttpMethod, PersonChanges, Profile, RequestAuth,
    Scenario, ScimRequest, Step, SupportAction,
};
use crate::zinc::{Admin, FaultAction, FaultResponse, FaultRule};

/// Runs `s` from start to end; never panics on what the target does. Steps not done by
/// `deadline` are cut (the scenario is then broken); against a live server the cleanup
/// still runs after them, within [`CLEANUP_GRACE`](super::CLEANUP_GRACE).
pub(crate) async fn run(
    s: &Scenario,
    opts: &RunOptions,
    deadline: Option<tokio::time::Instant>,
    mut observer: Option<&mut dyn Observer>,
) -> ScenarioRun {
    let started = Instant::now();
    // A scenario's own request timeout (`okta.timeout_ms`, e.g. a slow-server fault) replaces
    // the run's, so that it times out fast.
    let own;
    let opts = match s.okta.timeout_ms {
        Some(ms) => {
            own = RunOptions {
                timeout: Duration::from_millis(ms),
                ..opts.clone()
            };
            &own
        }
        None => opts,
    };
    let mut report = empty_report(s);
    if let Some(reason) =
        profile_skip(s, opts.profile).or_else(|| target::skip_reason(&opts.target, s))
    {
        report.status = ScenarioStatus::Skipped;
        report.steps = skipped_steps(s, &reason);
        report.skip_reason = Some(reason);
        return finished(
            report,
            started,
            NameMap::new(),
            FinalState::default(),
            Vec::new(),
        );
    }
    // A live server may be shared: every name the scenario creates carries the run's tag
    // (see `cleanup::isolate`); the report shows the tag as `zh-<run>`.
    let isolated;
    let s = if opts.target.is_embedded() {
        s
    } else {
        isolated = cleanup::isolate(s, &opts.run_id);
        &isolated
    };
    let target = match Target::start(&opts.target, s).await {
        Ok(t) => t,
        Err(e) => return broken(s, e),
    };
    let app = s.okta.app.unwrap_or(opts.app);
    report.app = Some(app.to_string());
    let mode = s.okta.auth.unwrap_or(opts.auth);
    let auth = target.initial_auth(mode);
    let okta = match okta_client(
        &target.base_url(),
        auth.clone(),
        app,
        &s.okta,
        opts,
        target.insecure(),
        okta_id_seed(s, &opts.run_id),
    ) {
        Ok(c) => c,
        Err(e) => return broken(s, format!("cannot make the Okta client: {e}")),
    };
    if let Err(e) = add_directory(&okta, s) {
        return broken(s, format!("cannot set up Okta's directory: {e}"));
    }
    let mut secrets = target.secrets();
    let mut ctx = Ctx {
        s,
        opts,
        target,
        okta,
        mode,
        auth,
        book: IdBook::default(),
        secrets: Vec::new(),
        compare: Compare {
            // Z16 (a member's display is its userName) is Zinc's, not Okta's.
            member_display: opts.profile == Profile::Zinc,
        },
        baseline: None,
        actions: Vec::new(),
    };
    // A live server holds other data too: a scenario that counts the whole directory counts
    // relative to what was there at its start (see `baseline`).
    if !ctx.target.is_embedded() && baseline::reads_directory(s).is_some() {
        let (b, step) = Baseline::take(&ctx.okta, s).await;
        ctx.baseline = Some(b);
        report.steps.push(step);
    }
    let mut cut = None;
    if let Some(o) = observer.as_deref_mut()
        && !ctx.observe(o, 0, None, deadline).await
    {
        cut = Some((0, observer_stop(opts)));
    }
    for (i, step) in s.steps.iter().enumerate() {
        if cut.is_some() {
            break;
        }
        // Ctrl-C: the step under way finishes (its requests are bounded by the timeout), no
        // new one starts, and the clean-up below still runs.
        if opts.interrupt.raised() {
            cut = Some((i, super::interrupt::INTERRUPTED.to_owned()));
            break;
        }
        let r = match deadline {
            Some(at) => match tokio::time::timeout_at(at, ctx.step(i + 1, step)).await {
                Ok(r) => r,
                Err(_) => {
                    cut = Some((i, deadline_message(opts)));
                    break;
                }
            },
            None => ctx.step(i + 1, step).await,
        };
        if let Some(o) = observer.as_deref_mut()
            && !ctx.observe(o, i + 1, Some(&r), deadline).await
        {
            report.steps.push(r);
            cut = Some((i + 1, observer_stop(opts)));
            break;
        }
        report.steps.push(r);
    }
    if let Some((i, why)) = &cut {
        report
            .steps
            .extend(skipped_steps(s, why).into_iter().skip(*i));
        report.error = Some(why.clone());
    }
    // Against a live server: what the scenario made is removed as Okta would (unless
    // --keep), and every exchange, the cleanup's too, goes through the wire checks.
    if let Some(step) = ctx.target.cleanup(&ctx.okta, &report.steps).await {
        report.steps.push(step);
    }
    if !ctx.target.is_embedded() {
        wire::check_steps(&mut report.steps, opts.profile);
    }
    wire::check_throttling(&mut report.steps);
    report.status = if cut.is_some() {
        ScenarioStatus::Broken
    } else {
        report.derived_status()
    };
    let state = ctx.target.final_state();
    secrets.append(&mut ctx.secrets);
    secrets.extend(ctx.target.secrets());
    let names = ctx
        .book
        .name_map(&ctx.okta, &ctx.target.base_url(), &secrets);
    finished(report, started, names, state, secrets)
}

/// Why an observer stopped a scenario: its own budget, or the run's deadline.
fn observer_stop(opts: &RunOptions) -> String {
    format!(
        "stopped by its observer (its budget ran out, or the run's deadline of {} s passed)",
        opts.deadline.as_secs()
    )
}

/// The token sent by `auth: wrong`: well-formed, never issued.
const WRONG_TOKEN: &str = "zh-wrong-token-0000000000000000";

/// Why a scenario was cut short by the run's deadline.
pub(crate) fn deadline_message(opts: &RunOptions) -> String {
    format!(
        "the run's deadline ({} s) passed before this scenario finished",
        opts.deadline.as_secs()
    )
}

/// The report of a scenario that never started (the run was interrupted first): broken,
/// every step skipped with `why`, so the run does not pass.
pub(crate) fn not_started(s: &Scenario, why: &str) -> ScenarioRun {
    let mut run = broken(s, why.to_owned());
    run.report.steps = skipped_steps(s, why);
    run
}

/// The report of a scenario skipped as a whole, every step skipped with `why`.
pub(crate) fn skipped(s: &Scenario, why: String) -> ScenarioRun {
    let mut report = empty_report(s);
    report.status = ScenarioStatus::Skipped;
    report.steps = skipped_steps(s, &why);
    report.skip_reason = Some(why);
    finished(
        report,
        Instant::now(),
        NameMap::new(),
        FinalState::default(),
        Vec::new(),
    )
}

/// The report of a scenario that could not run to the end.
pub(crate) fn broken(s: &Scenario, error: String) -> ScenarioRun {
    let mut report = empty_report(s);
    report.status = ScenarioStatus::Broken;
    report.error = Some(error);
    ScenarioRun {
        report,
        names: NameMap::new(),
        state: FinalState::default(),
        secrets: Vec::new(),
    }
}

fn finished(
    mut report: ScenarioReport,
    started: Instant,
    names: NameMap,
    state: FinalState,
    secrets: Vec<String>,
) -> ScenarioRun {
    report.duration = started.elapsed();
    ScenarioRun {
        report,
        names,
        state,
        secrets,
    }
}

fn empty_report(s: &Scenario) -> ScenarioReport {
    ScenarioReport {
        file: s.name.clone(),
        case: s.case.clone().unwrap_or_default(),
        title: s.title.clone(),
        rules: s.rules.iter().map(ToString::to_string).collect(),
        profiles: s.profiles.iter().map(|p| p.as_str().to_owned()).collect(),
        app: s.okta.app.map(|a| a.as_str().to_owned()),
        status: ScenarioStatus::Passed,
        duration: Duration::ZERO,
        steps: Vec::new(),
        skip_reason: None,
        error: None,
    }
}

fn skipped_steps(s: &Scenario, reason: &str) -> Vec<StepReport> {
    s.steps
        .iter()
        .enumerate()
        .map(|(i, st)| StepReport {
            index: i + 1,
            label: label(&st.action),
            line: Some(st.location.line as usize),
            status: StepStatus::Skipped,
            skip_reason: Some(reason.to_owned()),
            findings: Vec::new(),
            exchanges: Vec::new(),
            okta_message: None,
        })
        .collect()
}

/// Okta's people and groups, as the scenario declares them (nothing is sent).
fn add_directory(okta: &OktaClient, s: &Scenario) -> Result<(), OktaError> {
    for p in &s.people {
        okta.add_person(&p.key, p.okta_profile())?;
    }
    for g in &s.groups {
        okta.add_group(&g.key, &g.name)?;
        let members: Vec<&str> = g.members.iter().map(String::as_str).collect();
        okta.add_to_group(&g.key, &members)?;
    }
    Ok(())
}

/// How a step is named in reports and snapshots: `assign_user alice`,
/// `console: unlink_group eng`, `scim: GET /Users/{user:alice}`.
pub(crate) fn label(a: &Action) -> String {
    let list = |v: &[String]| v.join(", ");
    let set = |c: &PersonChanges| {
        let v = serde_json::to_value(c).unwrap_or(Value::Null);
        let keys: Vec<String> = v
            .as_object()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        format!("({})", keys.join(", "))
    };
    let cg = |g: &ConsoleGroup| match g {
        ConsoleGroup::Okta(k) => k.clone(),
        ConsoleGroup::Console(k) => k.clone(),
    };
    match a {
        Action::TestCredentials | Action::RefreshAppGroups | Action::ImportUsers => {
            a.kind().to_owned()
        }
        Action::AssignUser { people }
        | Action::DeactivateUser { people }
        | Action::UnassignUser { people }
        | Action::ReactivateUser { people }
        | Action::ReassignUser { people }
        | Action::GetUser { people }
        | Action::SyncPassword { people } => format!("{} {}", a.kind(), list(people)),
        Action::UpdateUser { people, set: c } | Action::EditPerson { people, set: c } => {
            format!("{} {} {}", a.kind(), list(people), set(c))
        }
        Action::PushGroup { groups } | Action::PushNow { groups } => {
            format!("{} {}", a.kind(), list(groups))
        }
        Action::AddMembers { group, people } | Action::RemoveMembers { group, people } => {
            format!("{} {group}: {}", a.kind(), list(people))
        }
        Action::RenameGroup { group, to } => format!("rename_group {group} to {to:?}"),
        Action::UnlinkGroup { group, delete } => {
            format!(
                "unlink_group {group}{}",
                if *delete { " (delete)" } else { "" }
            )
        }
        Action::Scim(r) => format!("scim: {} {}", r.method.as_str(), r.path),
        Action::Console(c) => format!(
            "console: {}",
            match c {
                ConsoleAction::CreateGroup { key, name } => {
                    format!("create_group {key} {name:?}")
                }
                ConsoleAction::RenameGroup { group, to } => {
                    format!("rename_group {} to {to:?}", cg(group))
                }
                ConsoleAction::AddMembers { group, people } => {
                    format!("add_members {}: {}", cg(group), list(people))
                }
                ConsoleAction::RemoveMembers { group, people } => {
                    format!("remove_members {}: {}", cg(group), list(people))
                }
                ConsoleAction::SetAdmins { group, people } => {
                    format!("set_admins {}: {}", cg(group), list(people))
                }
                ConsoleAction::DeleteGroup { group } => format!("delete_group {}", cg(group)),
                ConsoleAction::UnlinkGroup { group } => format!("unlink_group {}", cg(group)),
                ConsoleAction::ListUsers => "list_users".to_owned(),
                ConsoleAction::ListGroups => "list_groups".to_owned(),
            }
        ),
        Action::Support(sa) => format!(
            "support: {}",
            match sa {
                SupportAction::EnableProvisioning => "enable_provisioning".to_owned(),
                SupportAction::DisableProvisioning => "disable_provisioning".to_owned(),
                SupportAction::RotateToken { update_okta: true } => "rotate_token".to_owned(),
                SupportAction::RotateToken { update_okta: false } => {
                    "rotate_token (Okta keeps the old one)".to_owned()
                }
                SupportAction::SetScope(v) => format!(
                    "set_scope [{}]",
                    v.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
                ),
                SupportAction::SetDeletedGroupPolicy(p) =>
                    format!("set_deleted_group_policy {}", p.as_str()),
            }
        ),
        Action::Fault(f) => {
            let what = if f.drop {
                "drop the connection".to_owned()
            } else if let Some(st) = f.status {
                format!("answer {st}")
            } else {
                "pass".to_owned()
            };
            let delay = f
                .delay_ms
                .map(|d| format!(" after {d} ms"))
                .unwrap_or_default();
            let times = f.times.map(|n| format!(" ×{n}")).unwrap_or_default();
            format!(
                "fault: {} {} → {what}{delay}{times}",
                f.method.map_or("*", HttpMethod::as_str),
                f.path
            )
        }
    }
}

/// The state of one scenario while its steps run.
struct Ctx<'a> {
    s: &'a Scenario,
    opts: &'a RunOptions,
    target: Target,
    okta: OktaClient,
    /// How Okta sends the token (kept when support issues a new one).
    mode: AuthMode,
    /// The credentials Okta holds now.
    auth: Auth,
    book: IdBook,
    /// Tokens handed out during the scenario.
    secrets: Vec<String>,
    /// What body comparisons may take as given (the profile's Zinc rules).
    compare: Compare,
    /// What a live server held at the start, for a scenario that counts the directory.
    baseline: Option<Baseline>,
    /// What the last step's actions came to, for an [`Observer`].
    actions: Vec<ActionSummary>,
}

/// Whose server id an action reads: a person's or a group's.
#[derive(Clone, Copy)]
enum IdOf<'k> {
    User(&'k str),
    Group(&'k str),
    Nobody,
}

impl Ctx<'_> {
    /// Shows the observer the state after step `index`; false when the observer says stop or
    /// the run's deadline passed while it looked.
    async fn observe(
        &mut self,
        o: &mut dyn Observer,
        index: usize,
        step: Option<&StepReport>,
        deadline: Option<tokio::time::Instant>,
    ) -> bool {
        if step.is_none() {
            self.actions.clear();
        }
        let view = StepView {
            index,
            step,
            actions: &self.actions,
            okta: &self.okta,
            admin: self.target.admin(),
        };
        match deadline {
            Some(at) => tokio::time::timeout_at(at, o.observe(view))
                .await
                .unwrap_or(false),
            None => o.observe(view).await,
        }
    }

    async fn step(&mut self, index: usize, step: &Step) -> StepReport {
        let mut rep = StepReport {
            index,
            label: label(&step.action),
            line: Some(step.location.line as usize),
            status: StepStatus::Passed,
            skip_reason: None,
            findings: Vec::new(),
            exchanges: Vec::new(),
            okta_message: None,
        };
        if let Some(reason) = target::step_skip_reason(&self.opts.target, &step.action) {
            rep.status = StepStatus::Skipped;
            rep.skip_reason = Some(reason.to_owned());
            return rep;
        }
        let relative;
        let (step, note) = match self.baseline.as_ref().map(|b| baseline::adjust(step, b)) {
            None | Some(Adjusted::AsWritten) => (step, None),
            Some(Adjusted::Relative { step: st, note }) => {
                relative = st;
                (&*relative, Some(note))
            }
            Some(Adjusted::Skip(reason)) => {
                rep.status = StepStatus::Skipped;
                rep.skip_reason = Some(reason);
                return rep;
            }
        };
        let observed = self.act(&step.action).await;
        let several = observed.len() > 1;
        let mut messages = Vec::new();
        self.actions.clear();
        for (mut obs, err) in observed {
            if !several {
                obs.who = None;
            }
            self.actions.push(ActionSummary {
                who: obs.who.clone(),
                ok: obs.ok && err.is_none(),
                status: obs.status,
                ran: err.is_none(),
            });
            if let Some(err) = err {
                rep.findings.push(could_not_run(
                    &match &obs.who {
                        Some(w) => format!("step [{w}]"),
                        None => "step".to_owned(),
                    },
                    err,
                ));
            }
            if !matches!(step.action, Action::Fault(_)) {
                rep.findings.extend(expect::check(
                    step.expect.as_ref(),
                    &obs,
                    expect::cited_rule(step.expect.as_ref(), &self.s.rules, self.opts.profile),
                    &self.book,
                    self.compare,
                ));
            }
            if let Some(m) = &obs.message {
                messages.push(match &obs.who {
                    Some(w) => format!("{w}: {m}"),
                    None => m.clone(),
                });
            }
            rep.exchanges.extend(obs.exchanges);
        }
        if !messages.is_empty() {
            rep.okta_message = Some(messages.join("\n"));
        }
        if let Some(note) = note {
            for f in &mut rep.findings {
                f.what = format!("{} ({note})", f.what);
            }
        }
        rep.settle();
        rep
    }

    /// Runs the action; one observation per person or group it acts on, each with the
    /// reason the action could not run at all, if so.
    async fn act(&mut self, action: &Action) -> Vec<(Observed, Option<String>)> {
        let okta = self.okta.clone();
        // Whose server id each step reads (the keys below are people or groups).
        let (user, group) = (IdOf::User, IdOf::Group);
        match action {
            Action::TestCredentials => {
                vec![self.okta_obs(IdOf::Nobody, Ok(okta.test_credentials().await))]
            }
            Action::RefreshAppGroups => {
                vec![self.okta_obs(IdOf::Nobody, Ok(okta.refresh_app_groups().await))]
            }
            Action::ImportUsers => vec![self.okta_obs(IdOf::Nobody, Ok(okta.import_users().await))],
            Action::AssignUser { people } => self.each(people, user, |k| okta.assign_user(k)).await,
            Action::UpdateUser { people, set } => {
                let mut out = Vec::new();
                for p in people {
                    let before = self.book.user(p).map(str::to_owned);
                    let r = okta.update_user(p, set).await;
                    out.push(self.finish(IdOf::User(p), before, r));
                }
                out
            }
            Action::DeactivateUser { people } => {
                self.each(people, user, |k| okta.deactivate_user(k)).await
            }
            Action::UnassignUser { people } => {
                self.each(people, user, |k| okta.unassign_user(k)).await
            }
            Action::ReactivateUser { people } => {
                self.each(people, user, |k| okta.reactivate_user(k)).await
            }
            Action::ReassignUser { people } => {
                self.each(people, user, |k| okta.reassign_user(k)).await
            }
            Action::GetUser { people } => self.each(people, user, |k| okta.get_user(k)).await,
            Action::SyncPassword { people } => {
                self.each(people, user, |k| okta.sync_password(k)).await
            }
            Action::PushGroup { groups } => self.each(groups, group, |g| okta.push_group(g)).await,
            Action::PushNow { groups } => self.each(groups, group, |g| okta.push_now(g)).await,
            Action::AddMembers { group, people } => {
                let refs: Vec<&str> = people.iter().map(String::as_str).collect();
                let before = self.book.group(group).map(str::to_owned);
                let r = okta.add_members(group, &refs).await;
                vec![self.finish(IdOf::Group(group), before, r)]
            }
            Action::RemoveMembers { group, people } => {
                let refs: Vec<&str> = people.iter().map(String::as_str).collect();
                let before = self.book.group(group).map(str::to_owned);
                let r = okta.remove_members(group, &refs).await;
                vec![self.finish(IdOf::Group(group), before, r)]
            }
            Action::RenameGroup { group, to } => {
                let before = self.book.group(group).map(str::to_owned);
                let r = okta.rename_group(group, to).await;
                vec![self.finish(IdOf::Group(group), before, r)]
            }
            Action::UnlinkGroup { group, delete } => {
                let before = self.book.group(group).map(str::to_owned);
                let r = okta.unlink_group(group, *delete).await;
                vec![self.finish(IdOf::Group(group), before, r)]
            }
            Action::EditPerson { people, set } => people
                .iter()
                .map(|p| {
                    let r = okta.edit_person(p, set);
                    let err = r.err().map(|e| e.to_string());
                    (
                        Observed {
                            who: Some(p.clone()),
                            ok: err.is_none(),
                            message: err.clone(),
                            ..Observed::default()
                        },
                        err,
                    )
                })
                .collect(),
            Action::Scim(req) => vec![self.scim(req).await],
            Action::Console(c) => vec![self.console(c)],
            Action::Support(sa) => vec![self.support(sa)],
            Action::Fault(f) => vec![self.fault(f)],
        }
    }

    /// Runs `f` for each key, a person's or a group's as `of` says, and describes each
    /// outcome with the server id Okta held before it.
    async fn each<'k, F, Fut>(
        &mut self,
        keys: &'k [String],
        of: fn(&'k str) -> IdOf<'k>,
        f: F,
    ) -> Vec<(Observed, Option<String>)>
    where
        F: Fn(&'k str) -> Fut,
        Fut: Future<Output = Result<ActionOutcome, OktaError>>,
    {
        let mut out = Vec::with_capacity(keys.len());
        for k in keys {
            let of = of(k);
            let before = match of {
                IdOf::User(k) => self.book.user(k),
                IdOf::Group(k) => self.book.group(k),
                IdOf::Nobody => None,
            }
            .map(str::to_owned);
            let r = f(k).await;
            out.push(self.finish(of, before, r));
        }
        out
    }

    /// After an Okta action: learn the ids it produced, then describe it.
    fn finish(
        &mut self,
        of: IdOf<'_>,
        before: Option<String>,
        r: Result<ActionOutcome, OktaError>,
    ) -> (Observed, Option<String>) {
        let (mut obs, err) = self.okta_obs(of, r);
        obs.id_before = before;
        (obs, err)
    }

    fn okta_obs(
        &mut self,
        of: IdOf<'_>,
        r: Result<ActionOutcome, OktaError>,
    ) -> (Observed, Option<String>) {
        self.book.refresh(&self.okta);
        let (who, id_after) = match of {
            IdOf::User(k) => (Some(k.to_owned()), self.okta.server_user_id(k)),
            IdOf::Group(k) => (Some(k.to_owned()), self.okta.server_group_id(k)),
            IdOf::Nobody => (None, None),
        };
        match r {
            Ok(o) => (
                Observed {
                    who,
                    ok: o.ok,
                    message: o.message.clone(),
                    status: o.status(),
                    body: o
                        .primary_exchange()
                        .or_else(|| o.exchanges.last())
                        .and_then(|e| e.response.as_ref())
                        .and_then(|r| match &r.body {
                            Body::Json(v) => Some(v.clone()),
                            _ => None,
                        }),
                    listed: match &o.result {
                        ActionResult::Imported { users, .. } => {
                            Some(users.iter().map(|u| u.id.clone()).collect())
                        }
                        _ => None,
                    },
                    exchanges: o.exchanges,
                    id_before: None,
                    id_after,
                },
                None,
            ),
            Err(e) => {
                let why = format!("{} could not do this: {e}", self.okta.idp());
                (
                    Observed {
                        who,
                        ok: false,
                        message: Some(why.clone()),
                        id_after,
                        ..Observed::default()
                    },
                    Some(why),
                )
            }
        }
    }

    async fn scim(&mut self, req: &ScimRequest) -> (Observed, Option<String>) {
        let fail = |why: String| {
            (
                Observed {
                    ok: false,
                    message: Some(why.clone()),
                    ..Observed::default()
                },
                Some(why),
            )
        };
        let path = match self.book.resolve(&req.path) {
            Ok(p) => p,
            Err(e) => return fail(e),
        };
        let body = match &req.body {
            None => None,
            Some(b) => match resolve_json(&self.book, b) {
                Ok(v) => Some(v),
                Err(e) => return fail(e),
            },
        };
        let plain = req.headers.is_empty()
            && req.auth == RequestAuth::Default
            && !matches!(body, Some(Value::String(_)));
        let outcome = if plain {
            match self
                .okta
                .raw(req.method.as_str(), &path, body.as_ref())
                .await
            {
                Ok(o) => o,
                Err(e) => return fail(e.to_string()),
            }
        } else {
            let auth = match req.auth {
                RequestAuth::Default => None,
                RequestAuth::None => Some(Auth::None),
                RequestAuth::Wrong => Some(Auth::from_mode(self.mode, WRONG_TOKEN)),
            };
            let raw = RawRequest {
                method: req.method.as_str().to_owned(),
                path,
                body,
                headers: req
                    .headers
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
                auth,
            };
            match self.okta.raw_request(&raw).await {
                Ok(o) => o,
                Err(e) => return fail(e.to_string()),
            }
        };
        self.okta_obs(IdOf::Nobody, Ok(outcome))
    }

    fn admin(&self) -> Result<Admin, String> {
        self.target
            .admin()
            .ok_or_else(|| "the target has no Admin Console".to_owned())
    }

    fn console_group_id(&self, g: &ConsoleGroup) -> Result<String, String> {
        match g {
            ConsoleGroup::Okta(k) => {
                self.book.group(k).map(str::to_owned).ok_or_else(|| {
                    format!("Okta never pushed group {k}, so Zinc has no group for it")
                })
            }
            ConsoleGroup::Console(k) => self
                .book
                .console_group(k)
                .map(str::to_owned)
                .ok_or_else(|| format!("no console group {k} was created")),
        }
    }

    fn user_ids(&self, people: &[String]) -> Result<Vec<String>, String> {
        people
            .iter()
            .map(|p| {
                self.book.user(p).map(str::to_owned).ok_or_else(|| {
                    format!("{p} was never provisioned, so Zinc has no user for them")
                })
            })
            .collect()
    }

    /// A console change of `group` that names `people`: both resolved to Zinc's ids, then
    /// `change` made with them; its result as JSON.
    fn people_change<T: serde::Serialize, E: ToString>(
        &self,
        group: &ConsoleGroup,
        people: &[String],
        change: impl FnOnce(&str, &[&str]) -> Result<T, E>,
    ) -> Result<Option<Value>, String> {
        let id = self.console_group_id(group)?;
        let users = self.user_ids(people)?;
        let refs: Vec<&str> = users.iter().map(String::as_str).collect();
        let changed = change(&id, &refs).map_err(|e| e.to_string())?;
        Ok(Some(to_json(&changed)))
    }

    /// A console action: `ok` is whether Zinc accepted it; `body` its result; `message`
    /// the console's refusal.
    fn console(&mut self, c: &ConsoleAction) -> (Observed, Option<String>) {
        let admin = match self.admin() {
            Ok(a) => a,
            Err(e) => return (Observed::default(), Some(e)),
        };
        let result: Result<Option<Value>, String> = (|| {
            Ok(match c {
                ConsoleAction::CreateGroup { key, name } => {
                    let g = admin.create_group(name).map_err(|e| e.to_string())?;
                    self.book.add_console_group(key, g.id.clone());
                    Some(to_json(&g))
                }
                ConsoleAction::RenameGroup { group, to } => {
                    let id = self.console_group_id(group)?;
                    Some(to_json(
                        &admin.rename_group(&id, to).map_err(|e| e.to_string())?,
                    ))
                }
                ConsoleAction::AddMembers { group, people } => {
                    self.people_change(group, people, |id, ids| admin.add_members(id, ids))?
                }
                ConsoleAction::RemoveMembers { group, people } => {
                    self.people_change(group, people, |id, ids| admin.remove_members(id, ids))?
                }
                ConsoleAction::SetAdmins { group, people } => {
                    self.people_change(group, people, |id, ids| admin.set_admins(id, ids))?
                }
                ConsoleAction::DeleteGroup { group } => {
                    let id = self.console_group_id(group)?;
                    admin.delete_group(&id).map_err(|e| e.to_string())?;
                    None
                }
                ConsoleAction::UnlinkGroup { group } => {
                    let id = self.console_group_id(group)?;
                    Some(to_json(
                        &admin.unlink_group(&id).map_err(|e| e.to_string())?,
                    ))
                }
                ConsoleAction::ListUsers => Some(to_json(&admin.list_users())),
                ConsoleAction::ListGroups => Some(to_json(&admin.list_groups())),
            })
        })();
        (console_obs(result), None)
    }

    fn support(&mut self, sa: &SupportAction) -> (Observed, Option<String>) {
        let admin = match self.admin() {
            Ok(a) => a,
            Err(e) => return (Observed::default(), Some(e)),
        };
        let result: Result<(), String> = match sa {
            SupportAction::EnableProvisioning => {
                // Support hands the token to the admin, who pastes it into Okta.
                let token = admin.enable_provisioning();
                self.give_okta(&token);
                Ok(())
            }
            SupportAction::DisableProvisioning => {
                admin.disable_provisioning();
                Ok(())
            }
            SupportAction::RotateToken { update_okta } => match admin.rotate_token() {
                Ok(token) => {
                    self.secrets.push(token.clone());
                    if *update_okta {
                        self.give_okta(&token);
                    }
                    Ok(())
                }
                Err(e) => Err(e.to_string()),
            },
            SupportAction::SetScope(v) => {
                admin.set_scope(crate::contract::Scope::of(v));
                Ok(())
            }
            SupportAction::SetDeletedGroupPolicy(p) => {
                admin.set_deleted_group_policy(*p);
                Ok(())
            }
        };
        let result = result.map(|()| serde_json::to_value(admin.settings()).ok());
        (console_obs(result), None)
    }

    fn give_okta(&mut self, token: &str) {
        self.secrets.push(token.to_owned());
        self.auth = Auth::from_mode(self.mode, token);
        self.okta.set_auth(self.auth.clone());
    }

    fn fault(&mut self, f: &Fault) -> (Observed, Option<String>) {
        let Some(faults) = self.target.faults() else {
            return (
                Observed::default(),
                Some("the target has no fault layer".to_owned()),
            );
        };
        let action = if f.drop {
            FaultAction::Drop
        } else if let Some(status) = f.status {
            FaultAction::Respond(FaultResponse {
                status,
                headers: f
                    .headers
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
                body: f.body.clone(),
            })
        } else {
            FaultAction::Pass
        };
        let added = faults.add(FaultRule {
            method: f.method.map(|m| m.as_str().to_owned()),
            path: f.path.clone(),
            times: f.times,
            delay: f.delay_ms.map(Duration::from_millis),
            action,
        });
        match added {
            Ok(_) => (
                Observed {
                    ok: true,
                    ..Observed::default()
                },
                None,
            ),
            // `check` refuses these first; a scenario built in code may still carry one.
            Err(e) => (Observed::default(), Some(format!("bad fault rule: {e}"))),
        }
    }
}

fn console_obs(result: Result<Option<Value>, String>) -> Observed {
    match result {
        Ok(body) => Observed {
            ok: true,
            body,
            ..Observed::default()
        },
        Err(m) => Observed {
            ok: false,
            message: Some(m),
            ..Observed::default()
        },
    }
}

/// Placeholders resolved in every string of a JSON body; the first string that cannot be
/// resolved is the error.
fn resolve_json(book: &IdBook, v: &Value) -> Result<Value, String> {
    let mut out = v.clone();
    let mut error = None;
    super::json::each_string(&mut out, &mut |s| {
        if error.is_none() {
            match book.resolve(s) {
                Ok(r) => *s = r,
                Err(e) => error = Some(e),
            }
        }
    });
    error.map_or(Ok(out), Err)
}

fn to_json<T: serde::Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

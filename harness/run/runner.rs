//! Running scenarios: the options, one scenario, and many at once under one deadline (the module docs of [`super`] say how).

use std::time::{Duration, Instant, SystemTime};

use futures::StreamExt;

use crate::okta::{App, AuthMode, OktaClient};
use crate::report::progress::Progress;
use crate::report::snapshot::{self, FinalState, NameMap, Snapshot};
use crate::report::{Finding, RunReport, ScenarioReport, ScenarioStatus};
use crate::scenario::{Profile, Scenario};

use super::{Interrupt, TargetSpec, baseline, cleanup, exec, interrupt, observe, target};

/// How to run.
#[derive(Debug, Clone)]
pub struct RunOptions {
    pub target: TargetSpec,
    /// Only the scenarios whose `profiles` include it (`[okta, zinc]` runs in both).
    pub profile: Profile,
    /// The Okta personality for scenarios that do not fix one.
    pub app: App,
    /// How Okta sends the token, for scenarios that do not fix it.
    pub auth: AuthMode,
    /// Scenarios at once (at least 1).
    pub jobs: usize,
    /// Each HTTP request's timeout (connect included). Okta's: 60 s.
    pub timeout: Duration,
    /// The longest real wait before retrying a 429 (Okta's own schedule is reported, not
    /// waited; a scenario's `okta.retry_wait_ms` overrides it).
    pub retry_wait: Duration,
    /// The whole run's deadline: scenarios not finished by then are reported broken.
    pub deadline: Duration,
    /// Against a live server, every name the run creates starts with `zh-<run id>-`
    /// (see [`cleanup`]); reports show `zh-<run>`. Default: a fresh random id.
    pub run_id: cleanup::RunId,
    /// Raised (Ctrl-C): no new step starts, the clean-ups still run, the report is partial.
    /// Raised by the run itself after the first failure when `fail_fast` is set.
    pub interrupt: Interrupt,
    /// `--fail-fast`: after the first failed or broken scenario no new one starts (those
    /// under way run to their end and clean up); see `interrupt`.
    pub fail_fast: bool,
}

impl Default for RunOptions {
    /// The embedded mock, profile zinc, `oin`, bearer, one job per CPU, 60 s per request
    /// (Okta's), 100 ms at most before retrying a 429, 10 minutes for the run.
    fn default() -> Self {
        RunOptions {
            target: TargetSpec::default(),
            profile: Profile::Zinc,
            app: App::Oin,
            auth: AuthMode::Bearer,
            jobs: default_jobs(),
            timeout: crate::okta::DEFAULT_TIMEOUT,
            retry_wait: crate::okta::DEFAULT_RETRY_WAIT,
            deadline: Duration::from_secs(600),
            run_id: cleanup::RunId::random(),
            interrupt: Interrupt::new(),
            fail_fast: false,
        }
    }
}

/// The number of CPUs (1 when unknown).
pub(crate) fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// One scenario's outcome: its report, and what its snapshot is made of.
#[derive(Debug, Clone)]
pub struct ScenarioRun {
    pub report: ScenarioReport,
    /// Server ids → `<user:alice>`…, the base URL, the tokens.
    pub names: NameMap,
    /// The final SCIM and console state (embedded mock only).
    pub state: FinalState,
    /// Secrets the run handled (tokens), to scrub from any output.
    pub secrets: Vec<String>,
}

impl ScenarioRun {
    /// The normalized transcript and final state, as the scenario tests keep it with insta.
    pub fn snapshot(&self) -> Snapshot {
        snapshot::normalize_scenario(&self.report, &self.names, &self.state)
    }

    /// How many HTTP requests the scenario's steps sent.
    pub fn requests(&self) -> usize {
        self.report.steps.iter().map(|s| s.exchanges.len()).sum()
    }

    /// Every finding, with its step, as text (for test failure messages).
    pub fn findings_text(&self) -> String {
        let mut out = String::new();
        if let Some(e) = &self.report.error {
            out.push_str(&format!("broken: {e}\n"));
        }
        for s in &self.report.steps {
            for f in &s.findings {
                out.push_str(&format!(
                    "step {} `{}` (line {}): {}: expected {}, got {}{}\n",
                    s.index,
                    s.label,
                    s.line.unwrap_or(0),
                    f.what,
                    f.expected,
                    f.actual,
                    f.rule
                        .as_deref()
                        .map(|r| format!(" [{r}]"))
                        .unwrap_or_default()
                ));
            }
        }
        out
    }
}

/// The whole run's outcome.
#[derive(Debug, Clone)]
pub struct RunOutcome {
    /// Secrets already redacted.
    pub report: RunReport,
    /// HTTP requests sent by the scenarios' steps.
    pub requests: usize,
}

/// Runs one scenario (no deadline beyond the per-request timeout).
pub async fn run_scenario(s: &Scenario, opts: &RunOptions) -> ScenarioRun {
    exec::run(s, opts, None, None).await
}

/// Runs one scenario with an `observe::Observer` watching every step; steps not done by
/// `deadline` are cut, as in [`run_all`].
pub(crate) async fn run_observed(
    s: &Scenario,
    opts: &RunOptions,
    deadline: Option<tokio::time::Instant>,
    observer: &mut dyn observe::Observer,
) -> ScenarioRun {
    exec::run(s, opts, deadline, Some(observer)).await
}

/// How long the cleanup after a scenario may still take once the run's deadline passed.
pub(crate) const CLEANUP_GRACE: Duration = Duration::from_secs(30);

/// Runs `scenarios` with up to `opts.jobs` at once and reports them in the given order.
/// `progress` is told when each one starts and finishes.
pub async fn run_all(
    scenarios: Vec<Scenario>,
    opts: &RunOptions,
    progress: Option<&Progress>,
) -> RunOutcome {
    let started = Started::now();
    let deadline = tokio::time::Instant::now() + opts.deadline;
    let jobs = opts.jobs.max(1);
    // On a live server, a scenario that counts the whole directory runs alone, after the
    // others (which run `jobs` at once): nobody else's users come and go while it counts.
    let (alone, shared): (Vec<_>, Vec<_>) = scenarios
        .iter()
        .enumerate()
        .partition(|(_, s)| must_run_alone(s, opts));
    let mut runs: Vec<(usize, ScenarioRun)> = futures::stream::iter(shared)
        .map(|(i, s)| run_one(i, s, opts, deadline, progress))
        .buffer_unordered(jobs)
        .collect()
        .await;
    runs.extend(
        futures::stream::iter(alone)
            .map(|(i, s)| run_one(i, s, opts, deadline, progress))
            .buffer_unordered(1)
            .collect::<Vec<_>>()
            .await,
    );
    runs.sort_by_key(|(i, _)| *i);
    let requests = runs.iter().map(|(_, r)| r.requests()).sum();
    let secrets: Vec<String> = runs
        .iter()
        .flat_map(|(_, r)| r.secrets.iter().cloned())
        .collect();
    let mut report = started.report(opts, runs.into_iter().map(|(_, r)| r.report).collect());
    report.stopped_early = opts
        .interrupt
        .reason()
        .map(|reason| crate::report::StoppedEarly {
            reason,
            not_started: opts.interrupt.not_started(),
        });
    redact(&mut report, &opts.target, secrets);
    // Reruns give the same report: the run's tag becomes `zh-<run>`.
    cleanup::normalize_run_id(&mut report, &opts.run_id);
    RunOutcome { report, requests }
}

/// When a run began, for its report's `started_at` and `duration`.
pub(crate) struct Started {
    instant: Instant,
    stamp: String,
}

impl Started {
    pub(crate) fn now() -> Started {
        Started {
            instant: Instant::now(),
            stamp: crate::report::rfc3339_utc(SystemTime::now()),
        }
    }

    pub(crate) fn elapsed(&self) -> Duration {
        self.instant.elapsed()
    }

    /// The report of a run that began then and ends now: `scenarios` in their order, against
    /// the target, in the profile and with the app of `opts`.
    pub(crate) fn report(&self, opts: &RunOptions, scenarios: Vec<ScenarioReport>) -> RunReport {
        RunReport {
            started_at: Some(self.stamp.clone()),
            duration: self.elapsed(),
            scenarios,
            ..RunReport::new(
                opts.target.describe(),
                opts.profile.as_str(),
                opts.app.to_string(),
            )
        }
    }
}

/// Redacts from `report` every secret the run handled (`secrets`: the scenarios' tokens)
/// and the target's own: its token and, for Basic auth, the password alone.
pub(crate) fn redact(report: &mut RunReport, target: &TargetSpec, mut secrets: Vec<String>) {
    if let TargetSpec::External(x) = target
        && let Some(t) = &x.token
    {
        secrets.push(t.clone());
        if let Some((_, pw)) = t.split_once(':') {
            secrets.push(pw.to_owned());
        }
    }
    let refs: Vec<&str> = secrets.iter().map(String::as_str).collect();
    report.redact_secrets(&refs);
}

/// One scenario of [`run_all`], `i` its place in the report.
async fn run_one(
    i: usize,
    s: &Scenario,
    opts: &RunOptions,
    deadline: tokio::time::Instant,
    progress: Option<&Progress>,
) -> (usize, ScenarioRun) {
    match opts.interrupt.reason() {
        None => {}
        Some(interrupt::StopReason::Interrupted) => {
            opts.interrupt.count_not_started();
            return (i, exec::not_started(s, interrupt::NOT_STARTED));
        }
        Some(interrupt::StopReason::FailFast { scenario }) => {
            opts.interrupt.count_not_started();
            return (i, exec::skipped(s, interrupt::not_started_after(&scenario)));
        }
    }
    if let Some(p) = progress {
        p.start(&s.name);
    }
    // The steps stop at the deadline; the cleanup after them gets a short grace, and this
    // bound catches anything that would still hang.
    let hard = deadline + CLEANUP_GRACE;
    let run = match tokio::time::timeout_at(hard, exec::run(s, opts, Some(deadline), None)).await {
        Ok(run) => run,
        Err(_) => exec::broken(s, exec::deadline_message(opts)),
    };
    if let Some(p) = progress {
        p.finish_scenario(&run.report);
    }
    if opts.fail_fast
        && matches!(
            run.report.status,
            ScenarioStatus::Failed | ScenarioStatus::Broken
        )
    {
        opts.interrupt.stop(interrupt::StopReason::FailFast {
            scenario: run.report.display_name().to_owned(),
        });
    }
    (i, run)
}

/// Whether `s` must run with no other scenario beside it: on a live server, when it will run
/// and counts the whole directory ([`baseline::reads_directory`]).
pub(crate) fn must_run_alone(s: &Scenario, opts: &RunOptions) -> bool {
    !opts.target.is_embedded()
        && profile_skip(s, opts.profile).is_none()
        && target::skip_reason(&opts.target, s).is_none()
        && baseline::reads_directory(s).is_some()
}

/// Whether a scenario is skipped for the run's profile, and why.
pub(crate) fn profile_skip(s: &Scenario, profile: Profile) -> Option<String> {
    // A scenario runs in the profiles it lists. `[okta]` alone marks Okta's generic
    // expectation where Zinc documents otherwise (e.g. Okta's CRUD test keeps a deactivated
    // user readable; Zinc removes it, Z10): it must not run as a Zinc check.
    if s.in_profile(profile) {
        return None;
    }
    Some(format!(
        "not in the {} profile (its profiles: {})",
        profile.as_str(),
        s.profiles
            .iter()
            .map(|p| p.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    ))
}

/// What a scenario's Okta ids are derived from: the run id and the scenario file's name (not
/// its folder, as for [`cleanup::scenario_tag`]), so every run, scenario and person sends its
/// own `externalId` (`00u…`) and a rerun with the same run id sends the same ones.
pub(crate) fn okta_id_seed(s: &Scenario, run: &cleanup::RunId) -> String {
    let file = s.name.rsplit(['/', '\\']).next().unwrap_or(&s.name);
    format!("{}/{file}", run.as_str())
}

/// A finding for something the step could not do at all (not a check of the target).
pub(crate) fn could_not_run(what: &str, why: impl Into<String>) -> Finding {
    Finding::new(what, "the step runs", why.into())
}

/// An Okta client for `base_url` with `auth`, the run's timeout, and the scenario's app;
/// its Okta ids are seeded with `id_seed` ([`okta_id_seed`]).
pub(crate) fn okta_client(
    base_url: &str,
    auth: crate::okta::Auth,
    app: App,
    settings: &crate::scenario::OktaSettings,
    opts: &RunOptions,
    insecure: bool,
    id_seed: String,
) -> Result<OktaClient, String> {
    let mut config = crate::okta::OktaConfig::new(base_url, auth);
    config.id_seed = id_seed;
    config.app = app;
    config.push_groups = settings.push_groups;
    let push = &mut config.group_push;
    if let Some(n) = settings.group_patch_batch_size {
        push.batch_size = n as usize;
    }
    push.after_create = match settings.group_create {
        None | Some(crate::scenario::GroupCreate::Members) => crate::okta::AfterCreate::Members,
        Some(crate::scenario::GroupCreate::RenameThenMembers) => {
            crate::okta::AfterCreate::RenameThenMembers
        }
    };
    push.get_before_rename = settings.get_before_rename;
    push.import_groups = settings.import_groups;
    config.entra = crate::okta::EntraSettings {
        matching: settings
            .matching
            .clone()
            .unwrap_or_else(|| crate::okta::EntraSettings::default().matching),
        unassign: settings.unassign.unwrap_or_default(),
        on_demand: settings.on_demand,
    };
    config.timeout = opts.timeout;
    // Okta's 429 schedule (10 tries, minutes apart) is the model each 429 reports; the real
    // wait is bounded, so a throttling server cannot park the run.
    config.retry.max_wait = settings
        .retry_wait_ms
        .map_or(opts.retry_wait, Duration::from_millis);
    config.accept_invalid_certs = insecure;
    OktaClient::new(config).map_err(|e| e.to_string())
}

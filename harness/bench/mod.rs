//! The `bench` load generator: provisions a generated directory through the real simulated
//! Okta client ([`crate::okta::OktaClient`]), the way Okta would, with `concurrency` actions
//! in flight, and measures the server.
//!
//! Phases, in Okta's order: **assign users** (lookup by `userName` + create, per user),
//! **push groups** (lookup by `displayName` + create), **add members** (the membership PATCH
//! and the rename PATCH Okta sends after it; `aiw`: GET + PUT), **import users** and
//! **refresh app groups** (paging through everything, 100 a page), then **reads** (a fixed
//! number of by-id reads and `eq` lookups), and with [`BenchConfig::load`] a time-bound
//! **load** of the same reads while the resident memory is sampled every second.
//!
//! The **baseline** runs the same phases, with the same client code, against a server that
//! answers one fixed body ([`baseline`]), in the same process just before; the report gives
//! `target throughput / baseline throughput` per phase, a ratio that holds on a noisy machine
//! where absolute times do not.
//!
//! **Harness overhead** per request is the actions' wall time not spent inside an exchange
//! (an exchange runs from sending the request to having read the whole response): building
//! bodies, Okta's bookkeeping, recording the transcript, parsing answers, scheduling. With
//! the embedded mock the report also splits this process's CPU time between the server's
//! threads and everyone else (the client), per request.

pub mod baseline;
pub mod procfs;
pub mod render;
pub mod stats;

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::okta::{
    ActionOutcome, ActionResult, App, Auth, OktaClient, OktaConfig, OktaError, PersonProfile,
    Recording,
};
use crate::zinc::{MockZinc, ZincConfig};
use stats::{KindStats, Tally};

/// Where the bench sends its requests.
#[derive(Debug, Clone)]
pub enum Target {
    /// A mock Zinc started in this process on loopback.
    Embedded,
    /// A live SCIM server: its base URL and how Okta authenticates to it.
    Live { base_url: String, auth: Auth },
}

/// The size and shape of one bench run.
#[derive(Debug, Clone)]
pub struct BenchConfig {
    pub users: usize,
    pub groups: usize,
    pub members_per_group: usize,
    /// Okta actions in flight at once (at least 1).
    pub concurrency: usize,
    pub app: App,
    /// Picks the names and the group memberships; the same seed gives the same directory.
    pub seed: u64,
    /// By-id reads and `eq` lookups in the `reads` phase (0: no reads phase).
    pub reads: usize,
    /// Run the same phases against the fixed-body baseline server first.
    pub baseline: bool,
    /// A time-bound read/lookup load after the phases, sampling memory every second.
    pub load: Option<Duration>,
    /// The whole run stops with an error when it takes longer.
    pub time_limit: Duration,
    /// Per-request timeout of the simulated Okta.
    pub request_timeout: Duration,
}

impl Default for BenchConfig {
    fn default() -> Self {
        BenchConfig {
            users: 1000,
            groups: 100,
            members_per_group: 20,
            concurrency: 8,
            app: App::Oin,
            seed: 1,
            reads: 2000,
            baseline: true,
            load: None,
            time_limit: Duration::from_secs(600),
            request_timeout: Duration::from_secs(30),
        }
    }
}

/// The reads phase runs in this many rounds, alternating baseline and target.
const READ_ROUNDS: usize = 5;

/// Largest directory the bench generates (keeps a typo from eating the machine).
pub const MAX_USERS: usize = 1_000_000;
pub const MAX_GROUPS: usize = 100_000;

/// Why a bench could not run to the end.
#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    #[error("bad bench settings: {0}")]
    Config(String),
    #[error("cannot start the {what}: {why}")]
    Start { what: &'static str, why: String },
    #[error("the target does not answer as a SCIM server: {0}")]
    Unreachable(String),
    #[error(transparent)]
    Okta(#[from] OktaError),
    #[error("the time limit of {limit:?} was reached during {phase}")]
    TimeLimit { limit: Duration, phase: String },
}

/// Everything one bench run measured.
#[derive(Debug, Clone, Serialize)]
pub struct BenchReport {
    /// `embedded` or the target's base URL (credentials never appear).
    pub target: String,
    pub app: App,
    pub users: usize,
    pub groups: usize,
    pub members_per_group: usize,
    pub concurrency: usize,
    pub seed: u64,
    /// The phases against the target, in order.
    pub phases: Vec<PhaseReport>,
    /// Latency per request kind over every phase but `load`.
    pub requests: Vec<KindStats>,
    pub totals: Totals,
    /// What the target ended up holding, as Okta saw it.
    pub directory: DirectoryCounts,
    pub overhead: Overhead,
    pub memory: Memory,
    pub baseline: Option<BaselineReport>,
    pub load: Option<LoadReport>,
    /// The first failure messages (secrets already removed).
    pub errors: Vec<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PhaseReport {
    pub name: String,
    pub actions: u64,
    pub requests: u64,
    /// Failed exchanges (no answer, or not a 2xx).
    pub errors: u64,
    pub failed_actions: u64,
    pub wall_ms: f64,
    pub requests_per_sec: f64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Totals {
    pub requests: u64,
    pub errors: u64,
    pub failed_actions: u64,
    /// Wall time of the target's phases (not the baseline, not `load`).
    pub wall_ms: f64,
    pub requests_per_sec: f64,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct DirectoryCounts {
    pub users_created: u64,
    /// Users the lookup found (a rerun against a live server links instead of creating).
    pub users_linked: u64,
    pub groups_created: u64,
    pub groups_linked: u64,
    /// `add members` actions that sent their change.
    pub memberships_pushed: u64,
    /// Users the import listed (active ones).
    pub imported_users: u64,
    /// Groups "Refresh App Groups" listed.
    pub app_groups: u64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Overhead {
    /// Mean time per request spent inside exchanges (waiting on the server).
    pub wait_us_per_request: f64,
    /// Mean action wall time per request *not* spent inside an exchange.
    pub harness_us_per_request: f64,
    /// `harness / (harness + wait)`.
    pub harness_share: f64,
    /// CPU time of the client's threads per request (embedded target only).
    pub client_cpu_us_per_request: Option<f64>,
    /// CPU time of the embedded server's threads per request.
    pub server_cpu_us_per_request: Option<f64>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Memory {
    /// `VmHWM` at the end: the process's peak resident memory (embedded server included).
    pub peak_rss_kib: Option<u64>,
    pub rss_before_kib: Option<u64>,
    pub rss_after_kib: Option<u64>,
    /// Resident memory growth over the target's phases per user (client + embedded server).
    pub bytes_per_user: Option<f64>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct BaselineReport {
    pub phases: Vec<PhaseReport>,
    /// `target requests/s ÷ baseline requests/s` per phase with the same request mix
    /// (the list phases differ: the baseline answers one empty page).
    pub ratios: Vec<Ratio>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Ratio {
    pub phase: String,
    pub ratio: f64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct LoadReport {
    pub seconds: f64,
    pub requests: u64,
    pub errors: u64,
    pub requests_per_sec: f64,
    /// Resident memory sampled once a second, from the start of the load.
    pub rss_kib_samples: Vec<u64>,
    pub rss_first_kib: Option<u64>,
    pub rss_last_kib: Option<u64>,
}

/// The generated directory: the same seed gives the same people and groups.
struct Plan {
    people: Vec<(String, PersonProfile)>,
    groups: Vec<(String, String, Vec<String>)>,
}

const FIRST: &[&str] = &[
    "Ada", "Alan", "Barbara", "Claude", "Dana", "Edsger", "Frances", "Grace", "Hedy", "Ivan",
    "Joan", "Ken", "Linus", "Margaret", "Niklaus", "Ole", "Peter", "Radia", "Sophie", "Tim",
];
const LAST: &[&str] = &[
    "Lovelace",
    "Turing",
    "Liskov",
    "Shannon",
    "Scott",
    "Dijkstra",
    "Allen",
    "Hopper",
    "Lamarr",
    "Sutherland",
    "Clarke",
    "Thompson",
    "Torvalds",
    "Hamilton",
    "Wirth",
    "Dahl",
    "Naur",
    "Perlman",
    "Wilson",
    "Berners-Lee",
];

/// splitmix64 step (stable across platforms, no dependency).
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

impl Plan {
    fn new(c: &BenchConfig) -> Plan {
        let people = (0..c.users)
            .map(|i| {
                let h = mix(c.seed ^ mix(i as u64));
                let first = FIRST[(h % FIRST.len() as u64) as usize];
                let last = LAST[((h >> 32) % LAST.len() as u64) as usize];
                // Unique per user and per seed: a new seed is a fresh directory on a live server.
                let email = format!(
                    "{}.{}.{i}@bench-{}.example.com",
                    first.to_lowercase(),
                    last.to_lowercase(),
                    c.seed
                );
                (format!("u{i}"), PersonProfile::new(first, last, email))
            })
            .collect();
        let k = c.members_per_group.min(c.users);
        let groups = (0..c.groups)
            .map(|j| {
                let start = if c.users == 0 {
                    0
                } else {
                    (mix(c.seed.wrapping_add(0x5eed) ^ mix(j as u64)) % c.users as u64) as usize
                };
                let members = (0..k)
                    .map(|t| format!("u{}", (start + t) % c.users))
                    .collect();
                (
                    format!("g{j}"),
                    format!("Bench {} Group {j}", c.seed),
                    members,
                )
            })
            .collect();
        Plan { people, groups }
    }
}

/// A phase's work, given the item index.
type Job = Arc<
    dyn Fn(
            usize,
        )
            -> std::pin::Pin<Box<dyn Future<Output = Result<ActionOutcome, OktaError>> + Send>>
        + Send
        + Sync,
>;

/// How long a phase runs.
#[derive(Clone, Copy)]
enum Limit {
    /// Items `0..n`.
    Count(usize),
    /// Items `0, 1, 2, …` until the deadline.
    Until(Instant),
}

/// Runs `job` with `concurrency` workers; each keeps its own tally (no shared lock).
/// Dropping the returned future aborts the workers (the `JoinSet` goes with it).
async fn drive(limit: Limit, concurrency: usize, job: Job) -> Tally {
    let next = Arc::new(AtomicUsize::new(0));
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..concurrency.max(1) {
        let next = next.clone();
        let job = job.clone();
        set.spawn(async move {
            let mut tally = Tally::default();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                match limit {
                    Limit::Count(n) if i >= n => break,
                    Limit::Until(t) if Instant::now() >= t => break,
                    _ => {}
                }
                let started = Instant::now();
                match job(i).await {
                    Ok(outcome) => {
                        tally.action(started.elapsed(), &outcome);
                        tally.result(&outcome.result, outcome.ok);
                    }
                    Err(e) => tally.broken(started.elapsed(), e.to_string()),
                }
            }
            tally
        });
    }
    let mut total = Tally::default();
    while let Some(done) = set.join_next().await {
        if let Ok(t) = done {
            total.merge(t);
        }
    }
    total
}

/// One phase's tally and wall time.
struct Phase {
    name: &'static str,
    tally: Tally,
    wall: Duration,
}

impl Phase {
    fn report(&self) -> PhaseReport {
        let secs = self.wall.as_secs_f64();
        PhaseReport {
            name: self.name.to_owned(),
            actions: self.tally.actions,
            requests: self.tally.requests,
            errors: self.tally.failed_requests(),
            failed_actions: self.tally.failed_actions,
            wall_ms: secs * 1000.0,
            requests_per_sec: if secs > 0.0 {
                self.tally.requests as f64 / secs
            } else {
                0.0
            },
        }
    }
}

/// The phases of one client against one server.
struct Session {
    okta: OktaClient,
    plan: Arc<Plan>,
    config: BenchConfig,
    phases: Vec<Phase>,
    /// CPU time over this session's phases only.
    cpu: procfs::CpuSplit,
}

impl Session {
    fn new(
        base_url: &str,
        auth: Auth,
        plan: Arc<Plan>,
        config: &BenchConfig,
    ) -> Result<Session, BenchError> {
        let mut oc = OktaConfig::new(base_url, auth);
        oc.app = config.app;
        oc.timeout = config.request_timeout;
        // Durations, statuses and request bodies are all the bench reads of a transcript.
        oc.recording = Recording::Lean;
        let okta = OktaClient::new(oc)?;
        for (key, profile) in &plan.people {
            okta.add_person(key, profile.clone())?;
        }
        Ok(Session {
            okta,
            plan,
            config: config.clone(),
            phases: Vec::new(),
            cpu: procfs::CpuSplit::default(),
        })
    }

    /// Runs one phase (or one more round of it: a phase of the same name just before is
    /// added to), with its wall time and this process's CPU split over it.
    async fn phase(&mut self, name: &'static str, limit: Limit, job: Job) {
        self.run_phase(name, limit, self.config.concurrency, job)
            .await;
    }

    /// Runs a phase whose whole work is one action (import, refresh).
    async fn single(&mut self, name: &'static str, job: Job) {
        self.run_phase(name, Limit::Count(1), 1, job).await;
    }

    async fn run_phase(&mut self, name: &'static str, limit: Limit, workers: usize, job: Job) {
        let cpu_before = procfs::cpu_split();
        let started = Instant::now();
        let tally = drive(limit, workers, job).await;
        let wall = started.elapsed();
        if let (Some(after), Some(before)) = (procfs::cpu_split(), cpu_before) {
            self.cpu = self.cpu.plus(after.since(before));
        }
        match self.phases.last_mut() {
            Some(last) if last.name == name => {
                last.tally.merge(tally);
                last.wall += wall;
            }
            _ => self.phases.push(Phase { name, tally, wall }),
        }
    }

    /// One round of the read mix (rounds alternate between baseline and target, so both see
    /// the same machine: a noisy neighbour hits both alike).
    async fn reads_round(&mut self, n: usize) {
        if n > 0 && !self.plan.people.is_empty() {
            let job = self.read_job();
            self.phase("reads", Limit::Count(n), job).await;
        }
    }

    /// The provisioning phases, then the reads.
    async fn provision(
        &mut self,
        current: &parking_lot::Mutex<&'static str>,
    ) -> Result<(), BenchError> {
        let okta = self.okta.clone();
        let plan = self.plan.clone();

        *current.lock() = "assign users";
        let (o, p) = (okta.clone(), plan.clone());
        let assign: Job = Arc::new(move |i| {
            let (o, p) = (o.clone(), p.clone());
            Box::pin(async move { o.assign_user(&p.people[i].0).await })
        });
        self.phase("assign users", Limit::Count(plan.people.len()), assign)
            .await;

        for (key, name, _) in &plan.groups {
            okta.add_group(key, name)?;
        }
        *current.lock() = "push groups";
        let (o, p) = (okta.clone(), plan.clone());
        let push: Job = Arc::new(move |i| {
            let (o, p) = (o.clone(), p.clone());
            Box::pin(async move { o.push_group(&p.groups[i].0).await })
        });
        self.phase("push groups", Limit::Count(plan.groups.len()), push)
            .await;

        *current.lock() = "add members";
        let (o, p) = (okta.clone(), plan.clone());
        let members: Job = Arc::new(move |i| {
            let (o, p) = (o.clone(), p.clone());
            Box::pin(async move {
                let (key, _, members) = &p.groups[i];
                let refs: Vec<&str> = members.iter().map(String::as_str).collect();
                o.add_members(key, &refs).await
            })
        });
        self.phase("add members", Limit::Count(plan.groups.len()), members)
            .await;

        *current.lock() = "import users";
        let o = okta.clone();
        self.single(
            "import users",
            Arc::new(move |_| {
                let o = o.clone();
                Box::pin(async move { Ok(o.import_users().await) })
            }),
        )
        .await;

        *current.lock() = "refresh app groups";
        let o = okta.clone();
        self.single(
            "refresh app groups",
            Arc::new(move |_| {
                let o = o.clone();
                Box::pin(async move { Ok(o.refresh_app_groups().await) })
            }),
        )
        .await;

        Ok(())
    }

    /// The read mix: by-id user read, `userName eq` lookup, and when there are groups a
    /// by-id group read and a `displayName eq` lookup, in turn.
    fn read_job(&self) -> Job {
        let okta = self.okta.clone();
        let users: Arc<Vec<(String, Option<String>)>> = Arc::new(
            self.plan
                .people
                .iter()
                .map(|(k, p)| (k.clone(), Some(p.user_name().to_owned())))
                .collect(),
        );
        let groups: Arc<Vec<(Option<String>, String)>> = Arc::new(
            self.plan
                .groups
                .iter()
                .map(|(k, name, _)| (okta.server_group_id(k), name.clone()))
                .collect(),
        );
        let kinds = if groups.is_empty() { 2 } else { 4 };
        Arc::new(move |i| {
            let (okta, users, groups) = (okta.clone(), users.clone(), groups.clone());
            Box::pin(async move {
                // Spread the reads over the whole directory, not its first rows.
                let pick = (mix(i as u64 / kinds as u64) % users.len() as u64) as usize;
                match i % kinds {
                    0 => okta.get_user(&users[pick].0).await,
                    1 => {
                        let name = users[pick].1.as_deref().unwrap_or_default();
                        okta.raw(
                            "GET",
                            &format!("/Users?filter=userName eq \"{name}\""),
                            None,
                        )
                        .await
                    }
                    2 => {
                        let g = &groups[pick % groups.len()];
                        match &g.0 {
                            Some(id) => okta.raw("GET", &format!("/Groups/{id}"), None).await,
                            None => Err(OktaError::NotPushed(g.1.clone())),
                        }
                    }
                    _ => {
                        let g = &groups[pick % groups.len()];
                        okta.raw(
                            "GET",
                            &format!("/Groups?filter=displayName eq \"{}\"", g.1),
                            None,
                        )
                        .await
                    }
                }
            })
        })
    }
}

impl Tally {
    /// Counts what an action achieved (created vs linked, listed).
    fn result(&mut self, result: &ActionResult, ok: bool) {
        if !ok {
            return;
        }
        let c = &mut self.counts;
        match result {
            ActionResult::User { created: true, .. } => c.users_created += 1,
            ActionResult::User { created: false, .. } => c.users_linked += 1,
            ActionResult::Group { created: true, .. } => c.groups_created += 1,
            ActionResult::Group { created: false, .. } => c.groups_updated += 1,
            ActionResult::Imported { users, .. } => c.imported_users += users.len() as u64,
            ActionResult::AppGroups { groups } => c.app_groups += groups.len() as u64,
            _ => {}
        }
    }
}

/// Strips credentials from a URL before it is shown.
fn display_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) => {
            let _ = u.set_username("");
            let _ = u.set_password(None);
            u.to_string().trim_end_matches('/').to_owned()
        }
        Err(_) => "<invalid URL>".to_owned(),
    }
}

fn check(config: &BenchConfig) -> Result<(), BenchError> {
    let bad = |m: String| Err(BenchError::Config(m));
    if config.users > MAX_USERS {
        return bad(format!(
            "--users {} is above the limit of {MAX_USERS}",
            config.users
        ));
    }
    if config.groups > MAX_GROUPS {
        return bad(format!(
            "--groups {} is above the limit of {MAX_GROUPS}",
            config.groups
        ));
    }
    if config.groups > 0 && config.members_per_group > config.users {
        return bad(format!(
            "--members-per-group {} is more than --users {}",
            config.members_per_group, config.users
        ));
    }
    if config.concurrency == 0 || config.concurrency > 1024 {
        return bad("--concurrency must be between 1 and 1024".into());
    }
    Ok(())
}

/// Runs the bench against `target`. Bounded by [`BenchConfig::time_limit`].
pub async fn run(target: Target, config: &BenchConfig) -> Result<BenchReport, BenchError> {
    check(config)?;
    let current = Arc::new(parking_lot::Mutex::new("setup"));
    let limit = config.time_limit;
    match tokio::time::timeout(limit, run_inner(target, config, current.clone())).await {
        Ok(r) => r,
        Err(_) => Err(BenchError::TimeLimit {
            limit,
            phase: (*current.lock()).to_owned(),
        }),
    }
}

async fn run_inner(
    target: Target,
    config: &BenchConfig,
    current: Arc<parking_lot::Mutex<&'static str>>,
) -> Result<BenchReport, BenchError> {
    let plan = Arc::new(Plan::new(config));

    // The baseline's provisioning first, on its own client; its server stays up for the
    // read rounds, which alternate with the target's.
    let mut baseline = if config.baseline {
        *current.lock() = "baseline";
        let server = baseline::Baseline::start().map_err(|e| BenchError::Start {
            what: "baseline server",
            why: e.to_string(),
        })?;
        let mut session = Session::new(
            &server.base_url(),
            Auth::Bearer("baseline".into()),
            plan.clone(),
            config,
        )?;
        let unused = parking_lot::Mutex::new("baseline");
        session.provision(&unused).await?;
        Some((server, session))
    } else {
        None
    };

    let (zinc, base_url, auth, shown) = match target {
        Target::Embedded => {
            // No request log: a benchmark measures serving, not recording.
            let mut config = ZincConfig::default();
            config.request_log_limit = 0;
            let zinc = MockZinc::start_with(config)
                .await
                .map_err(|e| BenchError::Start {
                    what: "mock Zinc",
                    why: e.to_string(),
                })?;
            let token = zinc.token().unwrap_or_default();
            let url = zinc.base_url();
            (Some(zinc), url, Auth::Bearer(token), "embedded".to_owned())
        }
        Target::Live { base_url, auth } => {
            let shown = display_url(&base_url);
            (None, base_url, auth, shown)
        }
    };

    *current.lock() = "setup";
    let mut session = Session::new(&base_url, auth, plan.clone(), config)?;
    let probe = session.okta.test_credentials().await;
    if !probe.ok {
        return Err(BenchError::Unreachable(
            probe
                .message
                .unwrap_or_else(|| "Test API Credentials failed".into()),
        ));
    }

    let rss_before = procfs::rss_kib();
    session.provision(&current).await?;
    *current.lock() = "reads";
    for round in 0..READ_ROUNDS {
        let n = config.reads / READ_ROUNDS + usize::from(round < config.reads % READ_ROUNDS);
        if let Some((_, b)) = baseline.as_mut() {
            b.reads_round(n).await;
        }
        session.reads_round(n).await;
    }
    let wall: Duration = session.phases.iter().map(|p| p.wall).sum();
    let cpu = Some(session.cpu).filter(|_| procfs::cpu_split().is_some());
    let rss_after = procfs::rss_kib();
    let baseline = baseline.map(|(server, b)| {
        drop(server);
        b.phases.iter().map(Phase::report).collect::<Vec<_>>()
    });

    let load = match config.load {
        Some(d) if !plan.people.is_empty() => {
            *current.lock() = "load";
            Some(load_phase(&session, d).await)
        }
        _ => None,
    };

    let counts_of = |name: &str| {
        session
            .phases
            .iter()
            .find(|p| p.name == name)
            .map(|p| p.tally.counts)
            .unwrap_or_default()
    };
    let directory = DirectoryCounts {
        users_created: counts_of("assign users").users_created,
        users_linked: counts_of("assign users").users_linked,
        groups_created: counts_of("push groups").groups_created,
        groups_linked: counts_of("push groups").groups_updated,
        memberships_pushed: counts_of("add members").groups_updated,
        imported_users: counts_of("import users").imported_users,
        app_groups: counts_of("refresh app groups").app_groups,
    };

    // Everything of the target's phases (the load has its own figures).
    let mut all = Tally::default();
    let mut phases = Vec::new();
    for p in std::mem::take(&mut session.phases) {
        phases.push(p.report());
        all.merge(p.tally);
    }
    let requests = all.requests;
    let per_req = |d: Duration| {
        if requests > 0 {
            d.as_secs_f64() * 1e6 / requests as f64
        } else {
            0.0
        }
    };
    let harness = all.action_time.saturating_sub(all.wait_time);
    let total_action = all.action_time.as_secs_f64();
    let tick_us = 1e6 / procfs::TICKS_PER_SEC as f64;
    let overhead = Overhead {
        wait_us_per_request: per_req(all.wait_time),
        harness_us_per_request: per_req(harness),
        harness_share: if total_action > 0.0 {
            harness.as_secs_f64() / total_action
        } else {
            0.0
        },
        client_cpu_us_per_request: cpu
            .filter(|_| requests > 0)
            .map(|c| c.client as f64 * tick_us / requests as f64),
        server_cpu_us_per_request: cpu
            .filter(|_| zinc.is_some() && requests > 0)
            .map(|c| c.server as f64 * tick_us / requests as f64),
    };
    let memory = Memory {
        peak_rss_kib: procfs::peak_rss_kib(),
        rss_before_kib: rss_before,
        rss_after_kib: rss_after,
        bytes_per_user: rss_before
            .zip(rss_after)
            .filter(|_| config.users > 0)
            .map(|(b, a)| (a.saturating_sub(b) as f64 * 1024.0) / config.users as f64),
    };
    let baseline = baseline.map(|base| {
        let same_mix = ["assign users", "push groups", "add members", "reads"];
        let ratios = same_mix
            .iter()
            .filter_map(|name| {
                let t = phases.iter().find(|p| p.name == *name)?;
                let b = base.iter().find(|p| p.name == *name)?;
                (b.requests_per_sec > 0.0 && t.requests > 0).then(|| Ratio {
                    phase: (*name).to_owned(),
                    ratio: t.requests_per_sec / b.requests_per_sec,
                })
            })
            .collect();
        BaselineReport {
            phases: base,
            ratios,
        }
    });
    let secs = wall.as_secs_f64();
    let report = BenchReport {
        target: shown,
        app: config.app,
        users: config.users,
        groups: config.groups,
        members_per_group: config.members_per_group.min(config.users),
        concurrency: config.concurrency,
        seed: config.seed,
        totals: Totals {
            requests,
            errors: all.failed_requests(),
            failed_actions: all.failed_actions,
            wall_ms: secs * 1000.0,
            requests_per_sec: if secs > 0.0 {
                requests as f64 / secs
            } else {
                0.0
            },
        },
        requests: all.kinds(),
        phases,
        directory,
        overhead,
        memory,
        baseline,
        load,
        errors: all.messages.clone(),
    };
    drop(zinc);
    Ok(report)
}

/// The time-bound read load, sampling resident memory once a second.
async fn load_phase(session: &Session, duration: Duration) -> LoadReport {
    let stop = Arc::new(AtomicBool::new(false));
    let sampler = {
        let stop = stop.clone();
        tokio::spawn(async move {
            let mut samples = Vec::new();
            let mut tick = tokio::time::interval(Duration::from_secs(1));
            while !stop.load(Ordering::Relaxed) {
                tick.tick().await;
                if let Some(kib) = procfs::rss_kib() {
                    samples.push(kib);
                }
            }
            samples
        })
    };
    let started = Instant::now();
    let tally = drive(
        Limit::Until(started + duration),
        session.config.concurrency,
        session.read_job(),
    )
    .await;
    let secs = started.elapsed().as_secs_f64();
    stop.store(true, Ordering::Relaxed);
    let samples = sampler.await.unwrap_or_default();
    LoadReport {
        seconds: secs,
        requests: tally.requests,
        errors: tally.failed_requests(),
        requests_per_sec: if secs > 0.0 {
            tally.requests as f64 / secs
        } else {
            0.0
        },
        rss_first_kib: samples.first().copied(),
        rss_last_kib: samples.last().copied(),
        rss_kib_samples: samples,
    }
}

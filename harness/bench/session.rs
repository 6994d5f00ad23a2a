//! The phases of one simulated Okta client against one server.

use std::sync::Arc;
use std::time::Instant;

use super::config::*;
use super::drive::*;
use super::plan::*;
use super::procfs;
use super::stats::Tally;
use crate::okta::{ActionResult, Auth, OktaClient, OktaConfig, OktaError, Recording};

/// The phases of one client against one server.
pub(super) struct Session {
    pub(super) okta: OktaClient,
    pub(super) plan: Arc<Plan>,
    pub(super) config: BenchConfig,
    pub(super) phases: Vec<Phase>,
    /// CPU time over this session's phases only.
    pub(super) cpu: procfs::CpuSplit,
}

impl Session {
    pub(super) fn new(
        base_url: &str,
        auth: Auth,
        plan: Arc<Plan>,
        config: &BenchConfig,
    ) -> Result<Session, BenchError> {
        let mut oc = OktaConfig::new(base_url, auth);
        oc.app = config.app;
        oc.timeout = config.request_timeout;
        // A load run backs off as a throttling server asks (Okta's schedule, cut to 5 s or
        // the request timeout), not the 100 ms a scenario run waits at most.
        oc.retry.max_wait = config
            .request_timeout
            .min(std::time::Duration::from_secs(5));
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
    pub(super) async fn phase(&mut self, name: &'static str, limit: Limit, job: Job) {
        self.run_phase(name, limit, self.config.concurrency, job)
            .await;
    }

    /// Runs a phase whose whole work is one action (import, refresh).
    pub(super) async fn single(&mut self, name: &'static str, job: Job) {
        self.run_phase(name, Limit::Count(1), 1, job).await;
    }

    pub(super) async fn run_phase(
        &mut self,
        name: &'static str,
        limit: Limit,
        workers: usize,
        job: Job,
    ) {
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
    pub(super) async fn reads_round(&mut self, n: usize) {
        if n > 0 && !self.plan.people.is_empty() {
            let job = self.read_job();
            self.phase("reads", Limit::Count(n), job).await;
        }
    }

    /// The provisioning phases, then the reads.
    pub(super) async fn provision(
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
    pub(super) fn read_job(&self) -> Job {
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
    pub(super) fn result(&mut self, result: &ActionResult, ok: bool) {
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

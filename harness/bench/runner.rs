//! The bench run: the baseline first, then the target, phase by phase, within the time limit.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use super::config::*;
use super::drive::*;
use super::plan::*;
use super::report::*;
use super::session::*;
use super::stats::Tally;
use super::{baseline, procfs};
use crate::okta::Auth;
use crate::zinc::{MockZinc, ZincConfig};

/// Strips credentials from a URL before it is shown.
pub(super) fn display_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) => {
            let _ = u.set_username("");
            let _ = u.set_password(None);
            u.to_string().trim_end_matches('/').to_owned()
        }
        Err(_) => "<invalid URL>".to_owned(),
    }
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

pub(super) async fn run_inner(
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
            let zinc = MockZinc::start_with(ZincConfig::default().with_request_log_limit(0))
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
pub(super) async fn load_phase(session: &Session, duration: Duration) -> LoadReport {
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

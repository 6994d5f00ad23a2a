//! One exploration: sequences generated from the seed run against the target (and, in the
//! zinc profile, against a fresh embedded mock as the model) until one diverges or the
//! budget is spent; the divergence shrunk, written as a scenario and checked both ways.

use std::time::{Duration, Instant};

use super::compare::{self, Divergence};
use super::emit::{self, Header};
use super::generate::{self, Sequence, Shape};
use super::observe::{Probe, Snapshot};
use super::shrink::{self, ShrinkStats};
use crate::contract::ExitCode;
use crate::okta::{App, AuthMode};
use crate::report::{Finding, RunReport, ScenarioReport, ScenarioStatus, StepStatus};
use crate::run::{self, RunOptions, ScenarioRun, Started, TargetSpec, cleanup};
use crate::scenario::{self, Expect, Profile, Scenario};

/// How to explore.
#[derive(Debug, Clone)]
pub struct ExploreOptions {
    pub target: TargetSpec,
    /// `zinc`: the model is a fresh embedded mock Zinc; `okta`: the model is Okta's view.
    pub profile: Profile,
    pub app: App,
    pub auth: AuthMode,
    /// Sequence `i` (0-based) is generated from `seed` and `i`.
    pub seed: u64,
    /// Steps per sequence.
    pub steps: usize,
    pub people: usize,
    pub groups: usize,
    /// At most this many sequences.
    pub sequences: usize,
    /// No new sequence starts after this; a sequence still running is cut.
    pub time: Duration,
    /// Every HTTP request of the exploration (steps, reads, shrinking), target and model.
    pub max_requests: usize,
    pub shrink_tries: usize,
    pub shrink_time: Duration,
    /// Each HTTP request's timeout.
    pub timeout: Duration,
}

impl Default for ExploreOptions {
    /// The embedded mock, profile zinc, `oin`, seed 1, 8 sequences of 40 steps with 4 people
    /// and 3 groups, 60 s, 200 000 requests, 300 shrink tries in 60 s, 10 s per request.
    fn default() -> Self {
        ExploreOptions {
            target: TargetSpec::default(),
            profile: Profile::Zinc,
            app: App::Oin,
            auth: AuthMode::Bearer,
            seed: 1,
            steps: 40,
            people: 4,
            groups: 3,
            sequences: 8,
            time: Duration::from_secs(60),
            max_requests: 200_000,
            shrink_tries: 300,
            shrink_time: Duration::from_secs(60),
            timeout: Duration::from_secs(10),
        }
    }
}

/// What an exploration found.
#[derive(Debug, Clone)]
pub struct ExploreOutcome {
    /// One scenario per explored sequence (a diverging one failed at the step where it
    /// showed), in the run's report model: pretty, JSON and JUnit render it.
    pub report: RunReport,
    pub found: Option<Found>,
    /// HTTP requests sent, target and model.
    pub requests: usize,
    /// Why exploring stopped before `sequences` ran, if it did.
    pub stopped: Option<String>,
}

/// A divergence, shrunk.
#[derive(Debug, Clone)]
pub struct Found {
    /// The seed of the sequence that diverged (reproduce with `--seed`, `--sequences 1`).
    pub seed: u64,
    /// The divergence in the sequence as generated, and its steps to the first divergence.
    pub first: Divergence,
    pub first_steps: usize,
    /// From the start of the exploration to the first divergence.
    pub time_to_first: Duration,
    /// The shrunk sequence's divergence, and the sequence.
    pub divergence: Divergence,
    pub sequence: Sequence,
    pub shrink: ShrinkStats,
    /// The scenario file (fails on the target, passes on the model).
    pub scenario: String,
    /// Its step count (reads included).
    pub scenario_steps: usize,
    /// Whether running the written file confirmed it: it fails on the target, and (zinc
    /// profile) passes on the model. `None` when it could not be checked.
    pub fails_on_target: Option<bool>,
    pub passes_on_model: Option<bool>,
}

impl ExploreOutcome {
    /// 0 without divergence, 1 with one, 3 when the run broke.
    pub fn exit_code(&self) -> ExitCode {
        self.report.exit_code()
    }
}

/// The seed of sequence `i`: `seed` itself first, then well-mixed derivations.
pub fn sequence_seed(seed: u64, i: usize) -> u64 {
    if i == 0 {
        return seed;
    }
    let mut z = seed ^ (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Explores the target as `opts` says.
pub async fn explore(opts: &ExploreOptions) -> ExploreOutcome {
    let started = Started::now();
    let mut ex = Explorer {
        opts,
        requests: 0,
        hard_deadline: tokio::time::Instant::now() + opts.time + opts.shrink_time,
    };
    let shape = Shape {
        steps: opts.steps.max(1),
        people: opts.people.max(1),
        groups: opts.groups,
        console: opts.target.is_embedded() && opts.profile == Profile::Zinc,
    };
    let mut scenarios = Vec::new();
    // What the sequences' runs handled (tokens), redacted from the report as `run` does.
    let mut secrets = Vec::new();
    let mut found = None;
    let mut stopped = None;
    for i in 0..opts.sequences.max(1) {
        if i > 0 && started.elapsed() >= opts.time {
            stopped = Some(format!(
                "the time budget ({} s) ran out",
                opts.time.as_secs()
            ));
            break;
        }
        if ex.requests >= opts.max_requests {
            stopped = Some(format!(
                "the request budget ({}) ran out",
                opts.max_requests
            ));
            break;
        }
        let seed = sequence_seed(opts.seed, i);
        let seq = generate::generate(seed, shape);
        let deadline = tokio::time::Instant::now()
            + opts
                .time
                .saturating_sub(started.elapsed())
                .max(opts.timeout);
        let Some(trial) = ex.trial(&seq, seed, deadline).await else {
            scenarios.push(broken_report(
                seed,
                "the generated sequence is not a valid scenario",
            ));
            break;
        };
        secrets.extend(trial.target.secrets.iter().cloned());
        let mut rep = sequence_report(&trial, seed, &seq);
        if let Some(d) = &trial.divergence {
            mark(&mut rep, d);
            let time_to_first = started.elapsed();
            scenarios.push(rep);
            found = Some(
                ex.shrink_and_write(seq, seed, d.clone(), time_to_first)
                    .await,
            );
            break;
        }
        scenarios.push(rep);
    }
    let mut report = started.report(&ex.run_options(opts.target.clone()), scenarios);
    run::redact(&mut report, &opts.target, secrets);
    ExploreOutcome {
        report,
        found,
        requests: ex.requests,
        stopped,
    }
}

struct Explorer<'a> {
    opts: &'a ExploreOptions,
    requests: usize,
    hard_deadline: tokio::time::Instant,
}

/// One sequence run on the target (and the model).
struct Trial {
    target: ScenarioRun,
    /// Whether each step succeeded on the reference (the model; Okta's view: the target).
    outcomes: Vec<Option<bool>>,
    divergence: Option<Divergence>,
}

fn scenario_name(seed: u64) -> String {
    format!("explore-seed-{seed}.yaml")
}

impl Explorer<'_> {
    fn header(&self, seed: u64, comment: Vec<String>) -> Header<'static> {
        Header {
            title: format!("explore: sequence of seed {seed}"),
            comment,
            profile: self.opts.profile,
            app: self.opts.app.as_str(),
        }
    }

    fn run_options(&self, target: TargetSpec) -> RunOptions {
        RunOptions {
            target,
            profile: self.opts.profile,
            app: self.opts.app,
            auth: self.opts.auth,
            jobs: 1,
            timeout: self.opts.timeout,
            deadline: self.opts.time + self.opts.shrink_time,
            // A fresh run id (and so fresh tags on a live server) for every try.
            ..RunOptions::default()
        }
    }

    /// The sequence as the scenario `run` would read (written and parsed back, so that what
    /// explore runs and what it writes are the same), expecting nothing of any step.
    fn as_scenario(&self, seq: &Sequence, seed: u64) -> Option<Scenario> {
        let text = emit::scenario(&self.header(seed, Vec::new()), seq, &[], None);
        let mut s = scenario::parse(&scenario_name(seed), &text).ok()?;
        for step in &mut s.steps {
            step.expect = Some(Expect::default());
        }
        Some(s)
    }

    fn probe(&self, s: &Scenario, opts: &RunOptions) -> Probe {
        let tag = (!opts.target.is_embedded()).then(|| cleanup::scenario_tag(s, &opts.run_id));
        let budget = self.opts.max_requests.saturating_sub(self.requests);
        Probe::new(
            self.opts.profile,
            tag,
            s.people.iter().map(|p| p.key.clone()).collect(),
            s.groups.iter().map(|g| g.key.clone()).collect(),
            budget,
            self.opts.target.is_embedded(),
        )
    }

    /// Runs `seq` on a fresh state; `None` when it is not a valid scenario (a shrink
    /// candidate that lost a step a later one needs).
    async fn trial(
        &mut self,
        seq: &Sequence,
        seed: u64,
        deadline: tokio::time::Instant,
    ) -> Option<Trial> {
        let s = self.as_scenario(seq, seed)?;
        let deadline = deadline.min(self.hard_deadline);
        let topts = self.run_options(self.opts.target.clone());
        let mut tprobe = self.probe(&s, &topts);
        match self.opts.profile {
            Profile::Zinc => {
                let mopts = self.run_options(TargetSpec::default());
                let mut mprobe = self.probe(&s, &mopts);
                let (target, _model) = tokio::join!(
                    run::run_observed(&s, &topts, Some(deadline), &mut tprobe),
                    run::run_observed(&s, &mopts, Some(deadline), &mut mprobe),
                );
                self.requests += tprobe.requests + mprobe.requests;
                let divergence = compare::against_model(&tprobe.trace, &mprobe.trace);
                Some(Trial {
                    target,
                    outcomes: outcomes(&mprobe.trace, seq.steps.len()),
                    divergence,
                })
            }
            // Entra, like Okta: the client's own view of what it pushed is the oracle.
            Profile::Okta | Profile::Entra => {
                let target = run::run_observed(&s, &topts, Some(deadline), &mut tprobe).await;
                self.requests += tprobe.requests;
                Some(Trial {
                    target,
                    outcomes: outcomes(&tprobe.trace, seq.steps.len()),
                    divergence: compare::against_okta(&tprobe.trace),
                })
            }
        }
    }

    async fn shrink_and_write(
        &mut self,
        seq: Sequence,
        seed: u64,
        first: Divergence,
        time_to_first: Duration,
    ) -> Found {
        let first_steps = first.step;
        let deadline = Instant::now() + self.opts.shrink_time;
        let max = self.opts.shrink_tries;
        let (small, divergence, stats) = shrink::shrink(
            seq,
            first.clone(),
            max,
            deadline,
            async |cand: &Sequence| -> Option<Divergence> {
                if self.requests >= self.opts.max_requests {
                    return None;
                }
                let until = tokio::time::Instant::now() + self.opts.shrink_time;
                self.trial(cand, seed, until).await?.divergence
            },
        )
        .await;
        // The outcomes of the shrunk sequence on the reference, for its `expect: ok` lines.
        let until = tokio::time::Instant::now() + self.opts.shrink_time;
        let again = self.trial(&small, seed, until).await;
        let (outcomes, divergence) = match again {
            Some(t) => (t.outcomes, t.divergence.unwrap_or(divergence)),
            None => (Vec::new(), divergence),
        };
        let comment = vec![
            format!(
                "Found by `zinc-harness explore --seed {} --sequences 1` (profile {}, app {}) against {}.",
                seed,
                self.opts.profile.as_str(),
                self.opts.app,
                self.opts.target.describe()
            ),
            format!(
                "Shrunk from {} steps to {} in {} tries. The last expectation holds on the reference ({}) and failed on the target.",
                first_steps,
                small.steps.len(),
                stats.tries,
                match self.opts.profile {
                    Profile::Zinc => "a fresh embedded mock Zinc",
                    Profile::Okta => "what Okta believes it pushed",
                    Profile::Entra => "what Entra believes it pushed",
                }
            ),
        ];
        let text = emit::scenario(
            &self.header(seed, comment),
            &small,
            &outcomes,
            Some(&divergence),
        );
        let (fails_on_target, passes_on_model, scenario_steps) = self.verify(&text, seed).await;
        Found {
            seed,
            first,
            first_steps,
            time_to_first,
            divergence,
            sequence: small,
            shrink: stats,
            scenario: text,
            scenario_steps,
            fails_on_target,
            passes_on_model,
        }
    }

    /// Runs the written file as `zinc-harness run` would: on the target it must fail, on
    /// the model (zinc profile) pass.
    async fn verify(&mut self, text: &str, seed: u64) -> (Option<bool>, Option<bool>, usize) {
        let Ok(s) = scenario::parse(&scenario_name(seed), text) else {
            return (None, None, 0);
        };
        let steps = s.steps.len();
        let on_target = run::run_scenario(&s, &self.run_options(self.opts.target.clone())).await;
        self.requests += on_target.requests();
        let fails = on_target.report.status == ScenarioStatus::Failed;
        let passes = match self.opts.profile {
            Profile::Zinc => {
                let on_model =
                    run::run_scenario(&s, &self.run_options(TargetSpec::default())).await;
                self.requests += on_model.requests();
                Some(on_model.report.status == ScenarioStatus::Passed)
            }
            Profile::Okta | Profile::Entra => None,
        };
        (Some(fails), passes, steps)
    }
}

/// Whether each step succeeded, as a trace shows it.
fn outcomes(trace: &[Snapshot], steps: usize) -> Vec<Option<bool>> {
    let mut out = vec![None; steps];
    for snap in trace {
        if snap.index >= 1 && snap.index <= steps {
            out[snap.index - 1] = Some(snap.actions.iter().all(|a| a.ok));
        }
    }
    out
}

/// The target's run of one sequence as a report: the steps' own checks are not explore's
/// (every step expects nothing; `run` makes the wire checks), so they are cleared; the
/// divergence, if any, is the one finding.
fn sequence_report(trial: &Trial, seed: u64, seq: &Sequence) -> ScenarioReport {
    let mut rep = trial.target.report.clone();
    rep.file = format!("explore/seed-{seed}");
    rep.title = format!(
        "seed {seed}: {} steps, {} people, {} groups",
        seq.steps.len(),
        seq.people.len(),
        seq.groups.len()
    );
    rep.rules.clear();
    for st in &mut rep.steps {
        if st.index <= seq.steps.len() {
            st.findings.clear();
            if st.status == StepStatus::Failed {
                st.status = StepStatus::Passed;
            }
        }
    }
    rep.error = None;
    rep.status = rep.derived_status();
    rep
}

fn mark(rep: &mut ScenarioReport, d: &Divergence) {
    if let Some(st) = rep.steps.iter_mut().find(|s| s.index == d.step) {
        st.fail(
            Finding::new(
                format!("divergence: {}", d.what),
                d.expected.clone(),
                d.actual.clone(),
            )
            .hint(format!(
                "the reference answers {} after this step; the shrunk scenario below shows it in a few steps",
                d.expected
            )),
        );
    }
    rep.status = ScenarioStatus::Failed;
}

fn broken_report(seed: u64, why: &str) -> ScenarioReport {
    let mut rep = ScenarioReport::new(format!("explore/seed-{seed}"), "", format!("seed {seed}"));
    rep.status = ScenarioStatus::Broken;
    rep.error = Some(why.to_owned());
    rep
}

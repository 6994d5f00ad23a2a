//! `zinc-harness explore`: seeded random Okta action sequences against the embedded mock or
//! a live server, held against a reference model; a divergence is shrunk to a scenario file.

use std::path::PathBuf;
use std::time::Duration;

use crate::contract::ExitCode;
use crate::explore::{self, ExploreOptions};
use crate::report::pretty;
use crate::run::{RunOptions, TargetSpec};

#[derive(Debug, clap::Args)]
pub(crate) struct ExploreArgs {
    #[command(flatten)]
    pub target: super::target::TargetArgs,
    /// The seed: the same seed and options give the same sequences.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// Steps per sequence.
    #[arg(long, value_name = "N", default_value_t = 40, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub steps: u32,
    /// People in Okta's directory.
    #[arg(long, value_name = "P", default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=500))]
    pub people: u32,
    /// Okta groups (at most 8).
    #[arg(long, value_name = "G", default_value_t = 3, value_parser = clap::value_parser!(u32).range(0..=8))]
    pub groups: u32,
    /// At most this many sequences (each from the seed and its number).
    #[arg(long, value_name = "N", default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub sequences: u32,
    /// Time budget for exploring, in seconds (shrinking has its own, --shrink-time).
    #[arg(long, value_name = "SECS", default_value_t = 60.0, value_parser = super::run::positive_secs)]
    pub time: f64,
    /// Time budget for shrinking a divergence, in seconds.
    #[arg(long, value_name = "SECS", default_value_t = 60.0, value_parser = super::run::positive_secs)]
    pub shrink_time: f64,
    /// Most shrink attempts.
    #[arg(long, value_name = "N", default_value_t = 300)]
    pub shrink_tries: usize,
    /// Most HTTP requests in all (target and model, shrinking included).
    #[arg(long, value_name = "N", default_value_t = 200_000)]
    pub max_requests: usize,
    /// Timeout of each HTTP request, in seconds.
    #[arg(long, value_name = "SECS", default_value_t = 10.0, value_parser = super::run::positive_secs)]
    pub timeout: f64,
    /// Save the shrunk scenario in this folder (`explore-seed-S.yaml`).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub report: super::emit::ReportArgs,
}

pub(crate) async fn exec(args: ExploreArgs) -> ExitCode {
    super::emit::exit_code(run(args).await)
}

fn options(args: &ExploreArgs) -> Result<ExploreOptions, String> {
    Ok(ExploreOptions {
        target: args.target.spec()?,
        profile: args.target.profile,
        app: args.target.app,
        auth: args.target.auth,
        seed: args.seed,
        steps: args.steps as usize,
        people: args.people as usize,
        groups: args.groups as usize,
        sequences: args.sequences as usize,
        time: Duration::from_secs_f64(args.time),
        max_requests: args.max_requests,
        shrink_tries: args.shrink_tries,
        shrink_time: Duration::from_secs_f64(args.shrink_time),
        timeout: Duration::from_secs_f64(args.timeout),
    })
}

async fn run(args: ExploreArgs) -> Result<ExitCode, (ExitCode, String)> {
    let opts = options(&args).map_err(|m| (ExitCode::BadInput, m))?;
    // As `run` does: a target Okta cannot even be set up with stops here, with one message.
    if let TargetSpec::External(x) = &opts.target {
        let ropts = RunOptions {
            target: opts.target.clone(),
            profile: opts.profile,
            app: opts.app,
            auth: opts.auth,
            timeout: opts.timeout,
            ..RunOptions::default()
        };
        if let Err(failure) = crate::run::preflight::check(x, &ropts).await {
            return Err((ExitCode::BrokenRun, failure.message));
        }
    }
    eprintln!(
        "zinc-harness explore: seed {}, up to {} sequences of {} steps ({} people, {} groups) against {} (profile {}, app {})",
        opts.seed,
        opts.sequences,
        opts.steps,
        opts.people,
        opts.groups,
        opts.target.describe(),
        opts.profile.as_str(),
        opts.app
    );
    let outcome = explore::explore(&opts).await;
    let report = &outcome.report;
    args.report
        .emit(report, |opts| pretty::render(report, &opts))?;
    if let Some(why) = &outcome.stopped {
        eprintln!("zinc-harness explore: stopped early: {why}");
    }
    match &outcome.found {
        None => eprintln!(
            "zinc-harness explore: no divergence (seed {}, {} HTTP requests)",
            opts.seed, outcome.requests
        ),
        Some(f) => {
            eprintln!(
                "zinc-harness explore: divergence after step {} of the sequence of seed {} ({:.2} s in): {}",
                f.first_steps,
                f.seed,
                f.time_to_first.as_secs_f64(),
                f.first.what
            );
            eprintln!(
                "zinc-harness explore: shrunk to {} steps ({} in the scenario, reads included) in {} tries{}; the scenario {} on the target{}",
                f.sequence.steps.len(),
                f.scenario_steps,
                f.shrink.tries,
                if f.shrink.cut_short {
                    " (budget ran out)"
                } else {
                    ""
                },
                match f.fails_on_target {
                    Some(true) => "fails",
                    Some(false) => "does NOT fail",
                    None => "could not be checked",
                },
                match f.passes_on_model {
                    Some(true) => " and passes on the model",
                    Some(false) => " but does NOT pass on the model",
                    None => "",
                }
            );
            super::out::println(&format!(
                "\n# --- explore-seed-{}.yaml ---\n{}",
                f.seed, f.scenario
            ));
            if let Some(dir) = &args.out {
                let path = dir.join(format!("explore-seed-{}.yaml", f.seed));
                std::fs::create_dir_all(dir)
                    .and_then(|()| std::fs::write(&path, &f.scenario))
                    .map_err(|e| {
                        (
                            ExitCode::BrokenRun,
                            format!("cannot write {}: {e}", path.display()),
                        )
                    })?;
                eprintln!("zinc-harness explore: saved {}", path.display());
            }
        }
    }
    eprintln!(
        "zinc-harness explore: {} HTTP requests in {:.3} s",
        outcome.requests,
        report.duration.as_secs_f64()
    );
    Ok(outcome.exit_code())
}

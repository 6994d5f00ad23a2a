//! `zinc-harness run`: scenarios against the embedded mock Zinc (default) or a live server.
//!
//! Without PATHS it runs every scenario under `./scenarios/`, or, outside a checkout, the
//! scenarios built into the binary. Exit codes: see [`ExitCode`].

use std::io::IsTerminal as _;
use std::path::PathBuf;
use std::time::Duration;

use super::emit::{Format, ReportArgs};
use crate::contract::ExitCode;
use crate::report::pretty;
use crate::report::progress::Progress;
use crate::run::{self, RunOptions, TargetSpec};
use crate::scenario::Scenario;

#[derive(Debug, clap::Args)]
pub(crate) struct RunArgs {
    /// Scenario files or folders. Default: ./scenarios/ when it exists, else the scenarios
    /// built into zinc-harness.
    pub paths: Vec<PathBuf>,
    /// Run the scenarios built into zinc-harness, even where ./scenarios/ exists.
    #[arg(long, conflicts_with = "paths")]
    pub builtin: bool,
    #[command(flatten)]
    pub target: super::target::TargetArgs,
    #[command(flatten)]
    pub report: ReportArgs,
    /// Only scenarios whose file, case or title contains TEXT (case-insensitive). Repeat it
    /// to run those matching any of them.
    #[arg(long, value_name = "TEXT")]
    pub filter: Vec<String>,
    /// Leave out scenarios whose file, case or title contains TEXT (case-insensitive);
    /// repeatable, and applied after --filter.
    #[arg(long, value_name = "TEXT")]
    pub exclude: Vec<String>,
    /// Show the steps and exchanges of passing scenarios too, not only of failed ones.
    #[arg(long, short = 'v')]
    pub verbose: bool,
    /// Start no new scenario after the first one that fails or breaks. Those under way run
    /// to their end and clean up; the ones not started are reported skipped, and the report
    /// says why the run stopped early.
    #[arg(long)]
    pub fail_fast: bool,
    /// Scenarios run at once. Default: the number of CPUs.
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u32).range(1..=256))]
    pub jobs: Option<u32>,
    /// Timeout of each HTTP request, in seconds: Okta's 60 by default. Lower it (e.g.
    /// `--timeout 5`) to make a server that hangs fail fast.
    #[arg(long, value_name = "SECS", default_value_t = 60.0, value_parser = positive_secs)]
    pub timeout: f64,
    /// The longest real wait before retrying a 429, in seconds (0 retries at once). Okta's
    /// own schedule (`Retry-After` in integer seconds, else 5 minutes, doubling, 10 tries)
    /// is reported with each 429, not waited; raise this against a live server whose
    /// throttle needs longer to clear. A scenario's `okta: { retry_wait_ms }` wins.
    #[arg(long, value_name = "SECS", default_value_t = 0.1, value_parser = wait_secs)]
    pub retry_wait: f64,
    /// The whole command's deadline, in seconds, the target checks before the run included:
    /// scenarios not done by then are reported broken. Against a live server the clean-up
    /// of what they made may take up to 30 s more (said when it does).
    #[arg(long, value_name = "SECS", default_value_t = 600.0, value_parser = positive_secs)]
    pub deadline: f64,
}

/// Seconds, more than 0 and at most a day; the message says which bound was missed.
pub(crate) fn positive_secs(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(v) if v > 0.0 && v <= 86_400.0 => Ok(v),
        Ok(v) if v.is_finite() && v <= 0.0 => Err(format!(
            "{s:?}: the time must be more than 0 seconds (e.g. 0.5 or 30)"
        )),
        Ok(v) if v.is_finite() => Err(format!(
            "{s:?}: the time must be at most 86400 seconds (one day)"
        )),
        _ => Err(format!("{s:?} is not a number of seconds (e.g. 0.5 or 30)")),
    }
}

/// A wait in seconds: 0 (no wait) up to an hour.
fn wait_secs(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(v) if (0.0..=3600.0).contains(&v) => Ok(v),
        Ok(v) if v.is_finite() => Err(format!(
            "{s:?}: the wait must be from 0 to 3600 seconds (e.g. 0.1 or 5)"
        )),
        _ => Err(format!("{s:?} is not a number of seconds (e.g. 0.1 or 5)")),
    }
}

pub(crate) async fn exec(args: RunArgs) -> ExitCode {
    super::emit::exit_code(run(args).await)
}

async fn run(args: RunArgs) -> Result<ExitCode, (ExitCode, String)> {
    // --deadline bounds the whole command: the target checks below count against it.
    let deadline = tokio::time::Instant::now() + Duration::from_secs_f64(args.deadline);
    let bad = |m: String| (ExitCode::BadInput, m);
    let mut opts = options(&args).map_err(bad)?;
    let (source, scenarios) = load(&args.paths, args.builtin, &args.filter, &args.exclude)?;
    let ctrl_c = on_ctrl_c(&opts);

    // Against a live target: can Okta even be set up with it? If not, one message, exit 3,
    // and the report (one broken `preflight` entry) still goes where it was asked to.
    let checked = match &opts.target {
        TargetSpec::External(x) => tokio::time::timeout_at(
            deadline,
            run::preflight::check(x, &opts),
        )
        .await
        .map_err(|_| {
            (
                ExitCode::BrokenRun,
                format!(
                    "the deadline ({} s) passed while checking the target, before any scenario ran",
                    args.deadline
                ),
            )
        })?,
        TargetSpec::Embedded(_) => Ok(()),
    };
    if let Err(failure) = checked {
        // The message alone on a terminal; the report too when one was asked for.
        if args.report.output.is_some() || args.report.format != Format::Pretty {
            let mut report = run::preflight::report(&failure, &opts);
            // The secrets of the run's credential: this report is not built by a run.
            run::redact(&mut report, &opts.target, Vec::new());
            emit(&args, &source, &report)?;
        }
        eprintln!("error: {}", failure.message);
        return Ok(ExitCode::BrokenRun);
    }
    opts.deadline = deadline.saturating_duration_since(tokio::time::Instant::now());

    // Live progress on stderr, unless the readable report is about to fill the same
    // terminal anyway (it would show every scenario line twice). The readable report goes
    // to stdout unless another format does.
    let pretty_on_stdout = args.report.format == Format::Pretty || args.report.output.is_some();
    let progress = if pretty_on_stdout && std::io::stdout().is_terminal() {
        Progress::hidden(scenarios.len())
    } else if pretty_on_stdout {
        // `run | tee log`: the report reaches the terminal too, with every scenario line.
        Progress::stderr_bar_only(scenarios.len())
    } else {
        Progress::stderr(scenarios.len())
    };
    let outcome = run::run_all(scenarios, &opts, Some(&progress)).await;
    progress.finish();
    if let TargetSpec::External(x) = &opts.target
        && x.keep
    {
        // The report shows `zh-<run>` (reruns compare equal); this is where to look.
        eprintln!(
            "zinc-harness: --keep: what this run made is still on the target; its names start with {}",
            opts.run_id.tag()
        );
    }
    ctrl_c.abort();
    if opts.interrupt.raised() {
        eprintln!(
            "zinc-harness: interrupted: the report below is partial (steps not run are skipped, scenarios cut short are broken); what this run made is named {}-…{}",
            opts.run_id.tag(),
            if is_live_and_cleaned(&opts) {
                " and was cleaned up (see each scenario's cleanup step)"
            } else {
                ""
            }
        );
    }
    let report = &outcome.report;
    let over = tokio::time::Instant::now().saturating_duration_since(deadline);
    if !over.is_zero() {
        eprintln!(
            "zinc-harness: the deadline passed; the clean-up after the scenarios it cut short took {:.1} s of its own grace (at most {} s)",
            over.as_secs_f64(),
            run::CLEANUP_GRACE.as_secs()
        );
    }
    emit(&args, &source, report)?;
    eprintln!(
        "zinc-harness: {} HTTP requests in {:.3} s",
        outcome.requests,
        report.duration.as_secs_f64()
    );
    Ok(report.exit_code())
}

/// Ctrl-C once: `opts.interrupt` is raised, so no new step starts and every scenario under
/// way still runs its clean-up; the run then ends with the partial report (exit 3: it broke).
/// Ctrl-C twice: the process ends at once with exit 130 (128 + SIGINT), saying what may be
/// left on the target.
fn on_ctrl_c(opts: &RunOptions) -> tokio::task::JoinHandle<()> {
    let interrupt = opts.interrupt.clone();
    let tag = opts.run_id.tag();
    let live = matches!(opts.target, TargetSpec::External(_));
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_err() {
            return;
        }
        interrupt.raise();
        eprintln!(
            "\nzinc-harness: interrupted: no new step starts; the steps under way finish{} (run tag {tag}). Ctrl-C again stops at once.",
            if live {
                " and each scenario cleans up"
            } else {
                ""
            }
        );
        if tokio::signal::ctrl_c().await.is_ok() {
            if live {
                eprintln!(
                    "zinc-harness: stopped at once, before the clean-up finished: users and groups whose names start with {tag}- may still be on the target (active users, pushed groups); deactivate and delete them there"
                );
            } else {
                eprintln!("zinc-harness: stopped at once; no report was written");
            }
            std::process::exit(i32::from(ExitCode::Interrupted));
        }
    })
}

/// Whether the run's scenarios clean up after themselves (a live target without --keep).
fn is_live_and_cleaned(opts: &RunOptions) -> bool {
    matches!(&opts.target, TargetSpec::External(x) if !x.keep)
}

/// Writes `report` where `--format` and `--output` say; the readable report starts with
/// where its scenarios came from.
fn emit(
    args: &RunArgs,
    source: &str,
    report: &crate::report::RunReport,
) -> Result<(), (ExitCode, String)> {
    args.report.emit(report, |opts| {
        let opts = pretty::PrettyOptions {
            verbose: args.verbose,
            ..opts
        };
        format!("{source}\n{}", pretty::render(report, &opts))
    })
}

fn options(args: &RunArgs) -> Result<RunOptions, String> {
    Ok(RunOptions {
        target: args.target.spec()?,
        profile: args.target.profile,
        app: args.target.app,
        auth: args.target.auth,
        jobs: args.jobs.map_or_else(run::default_jobs, |n| n as usize),
        timeout: Duration::from_secs_f64(args.timeout),
        retry_wait: Duration::from_secs_f64(args.retry_wait),
        deadline: Duration::from_secs_f64(args.deadline),
        run_id: run::cleanup::RunId::random(),
        interrupt: run::Interrupt::new(),
        fail_fast: args.fail_fast,
    })
}

/// Every scenario to run, parsed and validated, with the line naming their source; any bad
/// file stops the run (exit 2) with all the problems of all the files.
fn load(
    paths: &[PathBuf],
    builtin: bool,
    filters: &[String],
    excludes: &[String],
) -> Result<(String, Vec<Scenario>), (ExitCode, String)> {
    let bad = |m: String| (ExitCode::BadInput, m);
    // `d` is a rendered diagnostic ("PATH: error: …"): put it on its own line, as for an
    // invalid file, rather than after a second "error: ".
    let (origin, sources) = super::scenarios::select(paths, builtin)
        .map_err(|d| bad(format!("cannot read the scenarios (nothing was run):\n{d}")))?;
    if sources.is_empty() {
        return Err(bad(format!("no scenario files in {origin}")));
    }
    let mut scenarios = Vec::new();
    let mut problems = Vec::new();
    for src in &sources {
        match src.load() {
            Ok(s) => scenarios.push(s),
            Err(d) => problems.push(d.to_string()),
        }
    }
    if !problems.is_empty() {
        return Err(bad(format!(
            "{} of {} scenario files are invalid (nothing was run):\n{}",
            problems.len(),
            sources.len(),
            problems.join("\n")
        )));
    }
    let total = scenarios.len();
    // Case-insensitive, on the file, the case and the title.
    let matches = |s: &Scenario, text: &str| {
        let f = text.to_lowercase();
        s.name.to_lowercase().contains(&f)
            || s.case
                .as_deref()
                .is_some_and(|c| c.to_lowercase().contains(&f))
            || s.title.to_lowercase().contains(&f)
    };
    if !filters.is_empty() {
        scenarios.retain(|s| filters.iter().any(|f| matches(s, f)));
    }
    scenarios.retain(|s| !excludes.iter().any(|x| matches(s, x)));
    if scenarios.is_empty() && (!filters.is_empty() || !excludes.is_empty()) {
        // The message echoes what was typed.
        let said: Vec<String> = filters
            .iter()
            .map(|f| format!("--filter {f:?}"))
            .chain(excludes.iter().map(|x| format!("--exclude {x:?}")))
            .collect();
        return Err(bad(format!(
            "no scenario in {origin} is left by {}",
            said.join(" ")
        )));
    }
    let mut line = super::scenarios::source_line(&origin, total);
    if scenarios.len() < total {
        line.push_str(&format!(
            "; {} selected by --filter/--exclude",
            scenarios.len()
        ));
    }
    Ok((line, scenarios))
}

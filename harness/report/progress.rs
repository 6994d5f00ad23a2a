//! Live progress on a terminal: a bar on stderr with one line printed above it per finished
//! scenario. Silent when stderr is not a terminal (CI logs, pipes), so it never mixes with a
//! report written to stdout or a file.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle, TermLike};

use super::{ScenarioReport, pretty};

/// The progress display of one run.
#[derive(Debug)]
pub struct Progress {
    bar: ProgressBar,
    color: bool,
    enabled: bool,
    /// Whether each finished scenario's line is printed above the bar.
    lines: bool,
}

impl Progress {
    /// A bar for `total` scenarios on stderr, when stderr is a terminal; otherwise silent.
    /// Colours follow [`pretty::color_enabled`].
    pub fn stderr(total: usize) -> Self {
        Self::stderr_with_lines(total, true)
    }

    /// Like [`Progress::stderr`], but only the bar: for when the readable report goes to
    /// stdout (`run | tee log`) and would show every scenario line a second time.
    pub fn stderr_bar_only(total: usize) -> Self {
        Self::stderr_with_lines(total, false)
    }

    fn stderr_with_lines(total: usize, lines: bool) -> Self {
        let tty = std::io::stderr().is_terminal();
        if tty {
            let mut p = Self::with_target(
                total,
                ProgressDrawTarget::stderr(),
                pretty::color_enabled(true),
            );
            p.lines = lines;
            p
        } else {
            Self::hidden(total)
        }
    }

    /// A progress display that shows nothing (e.g. with `--format json` to stdout on a
    /// terminal, or in tests).
    pub fn hidden(total: usize) -> Self {
        let mut p = Self::with_target(total, ProgressDrawTarget::hidden(), false);
        p.enabled = false;
        p
    }

    /// A bar drawn on any terminal-like target (an embedding tool's own terminal, or an
    /// in-memory one in tests), shown whatever stderr is.
    pub fn on_terminal(total: usize, terminal: Box<dyn TermLike>, color: bool) -> Self {
        Self::with_target(total, ProgressDrawTarget::term_like(terminal), color)
    }

    fn with_target(total: usize, target: ProgressDrawTarget, color: bool) -> Self {
        let bar = ProgressBar::with_draw_target(Some(total as u64), target);
        let template = if color {
            "{spinner:.cyan} [{bar:30.cyan/blue}] {pos}/{len} {wide_msg}"
        } else {
            "{spinner} [{bar:30}] {pos}/{len} {wide_msg}"
        };
        bar.set_style(
            ProgressStyle::with_template(template)
                .expect("the template is valid")
                .progress_chars("=> "),
        );
        Progress {
            bar,
            color,
            enabled: true,
            lines: true,
        }
    }

    /// Whether anything is drawn.
    pub fn is_enabled(&self) -> bool {
        self.enabled && !self.bar.is_hidden()
    }

    /// A scenario started: its name goes next to the bar.
    pub fn start(&self, name: &str) {
        self.bar.set_message(name.to_string());
    }

    /// A scenario finished: its report line (as in the pretty report) is printed above the
    /// bar, and the bar advances.
    pub fn finish_scenario(&self, scenario: &ScenarioReport) {
        if self.is_enabled() && self.lines {
            self.bar
                .println(pretty::scenario_line(scenario, self.color));
        }
        self.bar.inc(1);
    }

    /// How many scenarios have finished.
    pub fn finished(&self) -> u64 {
        self.bar.position()
    }

    /// The run is over: the bar is removed so the report starts on a clean line.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

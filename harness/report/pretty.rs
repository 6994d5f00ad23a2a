//! The run report as terminal text.
//!
//! Layout: a header naming the target, one line per scenario (`✓` passed, `✗` failed, `–`
//! skipped, `!` broken; case, title, duration or the reason), every failed step (and the
//! step where a broken scenario stopped) expanded
//! (label and `file:line`, each finding with expected vs actual, rule and fix hint, the Okta
//! message, then the requests sent and the responses that came back, bodies pretty-printed
//! and cut), the failures grouped by root cause, and last, on its own line, the count line CI
//! systems read: `N passed, N failed, N skipped`.
//!
//! Colours are plain ANSI codes behind one switch ([`PrettyOptions::color`]); use
//! [`color_enabled`] to decide it for a stream: off under `NO_COLOR`, when the stream is not a
//! terminal (a pipe, a file), or with `TERM=dumb`. The count line is never coloured.

use std::fmt::Write as _;
use std::io::IsTerminal;

use serde_json::Value;

use super::{
    Body, Exchange, Finding, RunReport, ScenarioReport, ScenarioStatus, StepReport, StepStatus,
    format_duration, redact,
};
use crate::contract::Severity;

/// How to render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrettyOptions {
    /// ANSI colours on or off.
    pub color: bool,
    /// A body longer than this many lines (pretty-printed) is cut.
    pub max_body_lines: usize,
    /// A line longer than this many characters is cut.
    pub max_line_chars: usize,
    /// At most this many exchanges are shown per failed step (the last ones: a check is
    /// usually about the step's final request).
    pub max_exchanges: usize,
    /// Also show the steps of passing scenarios with their exchanges (`run --verbose`),
    /// for reading what a server answered when nothing failed.
    pub verbose: bool,
}

impl Default for PrettyOptions {
    /// No colour, bodies cut at 40 lines of 160 characters, 4 exchanges per failed step.
    fn default() -> Self {
        PrettyOptions {
            color: false,
            max_body_lines: 40,
            max_line_chars: 160,
            max_exchanges: 4,
            verbose: false,
        }
    }
}

impl PrettyOptions {
    /// Default options without colours (for files, pipes and tests).
    pub fn plain() -> Self {
        Self::default()
    }

    /// Default options with colours decided for `stream` by [`color_enabled`]
    /// (e.g. `PrettyOptions::for_stream(&std::io::stdout())`). Writing to a file? Use
    /// [`PrettyOptions::plain`].
    pub fn for_stream(stream: &impl IsTerminal) -> Self {
        PrettyOptions {
            color: color_enabled(stream.is_terminal()),
            ..Self::default()
        }
    }
}

/// `--color always|never` of the command line, once set: wins over the environment.
static COLOR_OVERRIDE: std::sync::OnceLock<bool> = std::sync::OnceLock::new();

/// Fixes colours on (`true`) or off for the rest of the process (`--color always|never`);
/// the first call wins. Without it, [`color_enabled`] decides from the environment.
pub fn force_color(on: bool) {
    let _ = COLOR_OVERRIDE.set(on);
}

/// Whether to colour output going to a stream that is (`is_tty`) or is not a terminal: as
/// [`force_color`] fixed it, else from the environment (see [`color_choice`]).
pub fn color_enabled(is_tty: bool) -> bool {
    if let Some(on) = COLOR_OVERRIDE.get() {
        return *on;
    }
    let var = |k: &str| std::env::var(k).ok();
    color_choice(
        var("NO_COLOR").as_deref(),
        var("CLICOLOR_FORCE").as_deref(),
        var("TERM").as_deref(),
        is_tty,
    )
}

/// The colour decision, from the values of `NO_COLOR`, `CLICOLOR_FORCE` and `TERM`:
/// `NO_COLOR` set and non-empty → off (it wins over everything, see no-color.org);
/// `CLICOLOR_FORCE` set, non-empty and not `0` → on; not a terminal → off; `TERM=dumb` → off;
/// otherwise on.
pub fn color_choice(
    no_color: Option<&str>,
    clicolor_force: Option<&str>,
    term: Option<&str>,
    is_tty: bool,
) -> bool {
    if no_color.is_some_and(|v| !v.is_empty()) {
        return false;
    }
    if clicolor_force.is_some_and(|v| !v.is_empty() && v != "0") {
        return true;
    }
    is_tty && term != Some("dumb")
}

/// The colour switch: every styled piece of text goes through it.
#[derive(Clone, Copy)]
struct Paint(bool);

impl Paint {
    fn code(self, code: &str, s: &str) -> String {
        if self.0 {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    fn green(self, s: &str) -> String {
        self.code("32", s)
    }
    fn red(self, s: &str) -> String {
        self.code("31", s)
    }
    fn yellow(self, s: &str) -> String {
        self.code("33", s)
    }
    fn bold(self, s: &str) -> String {
        self.code("1", s)
    }
    fn dim(self, s: &str) -> String {
        self.code("2", s)
    }
    fn cyan(self, s: &str) -> String {
        self.code("36", s)
    }
}

/// The whole report as terminal text, ending with a newline. Secrets are scrubbed first.
pub fn render(report: &RunReport, opts: &PrettyOptions) -> String {
    let report = redact::scrubbed(report);
    let p = Paint(opts.color);
    let mut out = String::new();
    let n = report.scenarios.len();
    let _ = writeln!(
        out,
        "{} {} {} against {} (profile {}, app {})",
        p.bold("zinc-harness:"),
        n,
        if n == 1 { "scenario" } else { "scenarios" },
        report.target,
        report.profile,
        report.app
    );
    out.push('\n');
    for s in &report.scenarios {
        out.push_str(&scenario_line_painted(s, p));
        out.push('\n');
        match s.status {
            // Failed steps, and passed ones that hold a warning.
            ScenarioStatus::Failed => {
                for step in s.noteworthy_steps() {
                    render_step(&mut out, s, step, opts, p);
                }
            }
            // Where it broke: the last step that reached the target, with what came back.
            ScenarioStatus::Broken => {
                if let Some(step) = s.steps.iter().rev().find(|st| !st.exchanges.is_empty()) {
                    render_step(&mut out, s, step, opts, p);
                }
            }
            ScenarioStatus::Passed if opts.verbose => {
                for step in s.steps.iter().filter(|st| st.status != StepStatus::Skipped) {
                    render_step(&mut out, s, step, opts, p);
                }
            }
            ScenarioStatus::Passed => {
                for step in s.noteworthy_steps() {
                    render_step(&mut out, s, step, opts, p);
                }
            }
            ScenarioStatus::Skipped => {}
        }
        render_skipped_steps(&mut out, s, p);
    }
    out.push('\n');

    let causes = report.root_causes();
    let (fails, warns): (Vec<_>, Vec<_>) =
        causes.iter().partition(|c| c.severity == Severity::Fail);
    for (group, title) in [
        (fails, "Failures by root cause:"),
        (
            warns,
            "Warnings by root cause (deviations the IdP tolerates; they never change the exit code):",
        ),
    ] {
        if group.is_empty() {
            continue;
        }
        let _ = writeln!(out, "{}", p.bold(title));
        for c in group {
            let rule = c
                .rule
                .as_deref()
                .map(|r| format!("[{r}] "))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  {}× {}{}  {}",
                c.count,
                p.yellow(&rule),
                c.cause,
                p.dim(&format!("({})", c.scenarios.join(", ")))
            );
        }
        // Every id cited above, once, in order: the binary alone explains each.
        let mut ids: Vec<&str> = Vec::new();
        for id in causes.iter().filter_map(|c| c.rule.as_deref()) {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        if !ids.is_empty() {
            let _ = writeln!(
                out,
                "  {}",
                p.dim(&format!(
                    "look a rule up: zinc-harness rules {}",
                    ids.join(" ")
                ))
            );
        }
        out.push('\n');
    }
    let counts = report.counts();
    if counts.broken > 0 {
        let _ = writeln!(
            out,
            "{} broken (counted as failed): the target could not be reached or the run broke",
            counts.broken
        );
    }
    if let Some(stop) = &report.stopped_early {
        let _ = writeln!(
            out,
            "{} {}",
            p.yellow("Stopped early:"),
            one_line(&stop.message())
        );
    }
    let _ = writeln!(out, "Finished in {}", format_duration(report.duration));
    // Alone on its own line and never coloured: CI systems read it.
    let _ = writeln!(out, "{}", counts.summary_line());
    out
}

/// Steps skipped with a reason (e.g. they need the Admin Console), one line per reason:
/// a skip is not a failure, but the reader should know what was not checked.
fn render_skipped_steps(out: &mut String, s: &ScenarioReport, p: Paint) {
    let mut by_reason: Vec<(&str, Vec<usize>)> = Vec::new();
    for st in s.steps.iter().filter(|st| st.status == StepStatus::Skipped) {
        let Some(reason) = st.skip_reason.as_deref() else {
            continue;
        };
        match by_reason.iter_mut().find(|(r, _)| *r == reason) {
            Some((_, steps)) => steps.push(st.index),
            None => by_reason.push((reason, vec![st.index])),
        }
    }
    for (reason, steps) in by_reason {
        let list: Vec<String> = steps.iter().map(usize::to_string).collect();
        let what = if steps.len() == 1 { "step" } else { "steps" };
        let _ = writeln!(
            out,
            "    {}",
            p.yellow(&format!(
                "– {what} {} skipped: {}",
                list.join(", "),
                one_line(reason)
            ))
        );
    }
}

/// One line for a scenario, as in the report and the progress display (no trailing
/// newline). Secrets in it are scrubbed.
pub fn scenario_line(s: &ScenarioReport, color: bool) -> String {
    crate::contract::redact::scrub_text(&scenario_line_painted(s, Paint(color))).into_owned()
}

fn scenario_line_painted(s: &ScenarioReport, p: Paint) -> String {
    let (mark, tail) = match s.status {
        ScenarioStatus::Passed => {
            let skipped = s
                .steps
                .iter()
                .filter(|st| st.status == StepStatus::Skipped)
                .count();
            let mut extra = match skipped {
                0 => String::new(),
                1 => ", 1 step skipped".to_string(),
                k => format!(", {k} steps skipped"),
            };
            extra.push_str(&warnings_note(s));
            (
                p.green("✓"),
                p.dim(&format!("({}{extra})", format_duration(s.duration))),
            )
        }
        ScenarioStatus::Failed => {
            let k = s.failed_steps().count();
            let what = if k == 1 { "step" } else { "steps" };
            (
                p.red("✗"),
                p.dim(&format!(
                    "({}, {k} {what} failed{})",
                    format_duration(s.duration),
                    warnings_note(s)
                )),
            )
        }
        ScenarioStatus::Skipped => (
            p.yellow("–"),
            p.yellow(&format!(
                "(skipped: {})",
                s.skip_reason.as_deref().unwrap_or("no reason given")
            )),
        ),
        ScenarioStatus::Broken => (
            p.red("!"),
            p.red(&format!(
                "(broken: {})",
                s.error.as_deref().unwrap_or("the scenario could not run")
            )),
        ),
    };
    let case = if s.case.is_empty() {
        String::new()
    } else {
        format!("{}  ", p.bold(&s.case))
    };
    format!("{mark} {case}{}  {tail}", one_line(&s.title))
}

/// `, 1 warning` / `, N warnings`, or nothing.
fn warnings_note(s: &ScenarioReport) -> String {
    match s.warning_count() {
        0 => String::new(),
        1 => ", 1 warning".to_owned(),
        n => format!(", {n} warnings"),
    }
}

/// One failed step expanded as in the report (label, findings, exchanges), for other
/// renderers that embed it (JUnit's failure text).
pub(crate) fn step_text(s: &ScenarioReport, step: &StepReport, opts: &PrettyOptions) -> String {
    let mut out = String::new();
    render_step(&mut out, s, step, opts, Paint(opts.color));
    out
}

fn render_step(
    out: &mut String,
    s: &ScenarioReport,
    step: &StepReport,
    o: &PrettyOptions,
    p: Paint,
) {
    let place = match step.line {
        Some(l) => format!("{}:{l}", s.file),
        None => s.file.clone(),
    };
    let _ = writeln!(
        out,
        "    {} {}  {}",
        p.bold(&format!("step {}:", step.index)),
        one_line(&step.label),
        p.dim(&format!("({place})"))
    );
    for f in &step.findings {
        render_finding(out, f, o, p);
    }
    if let Some(m) = &step.okta_message {
        let _ = writeln!(out, "      okta says: {}", one_line(m));
    }
    let shown = step.exchanges.len().min(o.max_exchanges);
    let hidden = step.exchanges.len() - shown;
    if hidden > 0 {
        let _ = writeln!(
            out,
            "      {}",
            p.dim(&format!(
                "… {hidden} earlier exchange{} not shown",
                if hidden == 1 { "" } else { "s" }
            ))
        );
    }
    for e in &step.exchanges[hidden..] {
        render_exchange(out, e, o, p);
    }
}

fn render_finding(out: &mut String, f: &Finding, o: &PrettyOptions, p: Paint) {
    let rule = f
        .rule
        .as_deref()
        .map(|r| format!("  {}", p.yellow(&format!("[{r}]"))))
        .unwrap_or_default();
    // A warning is marked apart from a failure: `⚠ warn` instead of `✗`.
    let mark = match f.severity {
        Severity::Fail => p.red("✗"),
        Severity::Warn => p.yellow("⚠ warn"),
    };
    let exp = compact(&f.expected);
    let act = compact(&f.actual);
    if exp.chars().count() + act.chars().count() <= 100
        && !exp.contains('\n')
        && !act.contains('\n')
    {
        let _ = writeln!(
            out,
            "      {} {}: expected {}, got {}{rule}",
            mark,
            one_line(&f.what),
            p.green(&exp),
            p.red(&act)
        );
    } else {
        let _ = writeln!(out, "      {} {}{rule}", mark, one_line(&f.what));
        let _ = writeln!(out, "        expected:");
        write_block(out, &pretty_value(&f.expected), 10, o, p, |s| p.green(s));
        let _ = writeln!(out, "        got:");
        write_block(out, &pretty_value(&f.actual), 10, o, p, |s| p.red(s));
    }
    if let Some(h) = &f.hint {
        let _ = writeln!(out, "        {} {}", p.cyan("fix:"), one_line(h));
    }
    if !f.evidence.is_empty() {
        let _ = writeln!(
            out,
            "        {} {}",
            p.cyan("source:"),
            p.dim(&f.evidence.join("; "))
        );
    }
}

/// Headers worth showing in a report; the rest is noise (and a place secrets hide).
const SHOWN_HEADERS: &[&str] = &[
    "authorization",
    "content-type",
    "location",
    "www-authenticate",
    "retry-after",
];

fn render_exchange(out: &mut String, e: &Exchange, o: &PrettyOptions, p: Paint) {
    let _ = writeln!(out, "      {} {} {}", p.cyan("→"), e.method, e.path);
    for (k, v) in &e.request_headers {
        if SHOWN_HEADERS.contains(&k.to_ascii_lowercase().as_str()) {
            let _ = writeln!(
                out,
                "          {}",
                p.dim(&format!("{}: {}", k.to_ascii_lowercase(), one_line(v)))
            );
        }
    }
    if let Some(b) = &e.request_body {
        write_body(out, b, o, p);
    }
    match &e.response {
        Some(r) => {
            let _ = writeln!(
                out,
                "      {} {}  {}",
                p.cyan("←"),
                p.bold(&r.status.to_string()),
                p.dim(&format_duration(e.duration))
            );
            for (k, v) in &r.headers {
                if SHOWN_HEADERS.contains(&k.to_ascii_lowercase().as_str()) {
                    let _ = writeln!(
                        out,
                        "          {}",
                        p.dim(&format!("{}: {}", k.to_ascii_lowercase(), one_line(v)))
                    );
                }
            }
            write_body(out, &r.body, o, p);
            if let Some(next) = &e.okta_retry {
                let _ = writeln!(out, "          {}", p.yellow(&one_line(next)));
            }
            if let Some(err) = &e.error {
                let _ = writeln!(
                    out,
                    "          {}",
                    p.red(&format!("unreadable: {}", one_line(err)))
                );
            }
        }
        None => {
            let _ = writeln!(
                out,
                "      {} {}",
                p.cyan("←"),
                p.red(&format!(
                    "no response: {}",
                    one_line(e.error.as_deref().unwrap_or("none arrived"))
                ))
            );
        }
    }
}

fn write_body(out: &mut String, b: &Body, o: &PrettyOptions, p: Paint) {
    match b {
        Body::Empty => {}
        Body::Json(v) => write_block(out, &pretty_value(v), 10, o, p, |s| s.to_string()),
        Body::Text(t) if t.is_empty() => {}
        Body::Text(t) => write_block(out, t, 10, o, p, |s| s.to_string()),
    }
}

/// Writes `text` indented by `indent`, cut to the configured lines and line length.
fn write_block(
    out: &mut String,
    text: &str,
    indent: usize,
    o: &PrettyOptions,
    p: Paint,
    style: impl Fn(&str) -> String,
) {
    let pad = " ".repeat(indent);
    let lines: Vec<&str> = text.lines().collect();
    for line in lines.iter().take(o.max_body_lines) {
        let _ = writeln!(
            out,
            "{pad}{}",
            style(&cut(&printable(line), o.max_line_chars))
        );
    }
    if lines.len() > o.max_body_lines {
        let _ = writeln!(
            out,
            "{pad}{}",
            p.dim(&format!("… {} more lines", lines.len() - o.max_body_lines))
        );
    }
}

fn pretty_value(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_else(|_| v.to_string())
}

fn compact(v: &Value) -> String {
    match v {
        Value::Null => "nothing".to_string(),
        other => other.to_string(),
    }
}

fn cut(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max).collect();
        t.push('…');
        t
    }
}

/// One line, control characters shown as `\u{..}` so a hostile body cannot drive the
/// terminal.
fn one_line(s: &str) -> String {
    printable(&s.replace(['\r', '\n'], " "))
}

fn printable(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() && c != '\t' {
                format!("\\u{{{:x}}}", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_color_wins_and_pipes_are_plain() {
        assert!(color_choice(None, None, Some("xterm"), true));
        assert!(!color_choice(Some("1"), None, Some("xterm"), true));
        assert!(!color_choice(Some("1"), Some("1"), Some("xterm"), true));
        assert!(color_choice(Some(""), None, Some("xterm"), true));
        assert!(!color_choice(None, None, Some("xterm"), false));
        assert!(!color_choice(None, None, Some("dumb"), true));
        assert!(color_choice(None, Some("1"), None, false));
        assert!(!color_choice(None, Some("0"), None, false));
    }

    #[test]
    fn control_characters_cannot_reach_the_terminal() {
        assert_eq!(one_line("a\x1b[31mb\nc"), "a\\u{1b}[31mb c");
    }
}

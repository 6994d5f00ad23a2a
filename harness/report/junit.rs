//! The run report as JUnit XML, the format every CI system reads.
//!
//! Shape (the common "Jenkins/Ant" JUnit dialect, as read by Jenkins, GitLab, GitHub
//! Actions reporters, Azure DevOps):
//!
//! ```xml
//! <testsuites name="zinc-harness" tests=… failures=… errors=… skipped=… time=…>
//!   <testsuite name="scenarios/troubleshooting" tests=… failures=… errors=… skipped=… time=… timestamp=…>
//!     <properties> target, profile, app </properties>
//!     <testcase name="{title}" classname="{case, or the file when it has none}" time=…>
//!       <failure message="{first finding}" type="{its rule}">{every failed step, expanded}</failure>
//!       <system-out>{the step-by-step transcript summary, with each warning}</system-out>
//!     </testcase>
//!   </testsuite>
//! </testsuites>
//! ```
//!
//! - One `<testsuite>` per scenario folder (the parent directory of the file), in the order
//!   the folders first appear, so CI dashboards group troubleshooting cases, Okta
//!   compatibility and fault scenarios apart.
//! - One `<testcase>` per scenario. A failed scenario has one `<failure>`; a broken one has an
//!   `<error type="broken">` (the run could not say whether the target conforms); a skipped
//!   one has `<skipped message="{reason}"/>`.
//! - `time` is in seconds with millisecond precision.
//! - Attributes are escaped by quick-xml; failure texts and `system-out` are CDATA (split
//!   around any `]]>`). Characters XML 1.0 cannot carry at all (control
//!   characters a misbehaving server may send) are written as `\u{..}`; secrets are scrubbed
//!   first.

use std::io;
use std::time::Duration;

use quick_xml::Writer;
use quick_xml::events::{BytesCData, BytesDecl, Event};

use super::{
    RunReport, ScenarioReport, ScenarioStatus, StepStatus, format_duration, pretty, redact, seconds,
};

/// The report as a JUnit XML document (UTF-8, with declaration, ending with a newline).
pub fn render(report: &RunReport) -> String {
    let report = redact::scrubbed(report);
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    write_doc(&mut w, &report).expect("writing XML to memory cannot fail");
    let mut s = String::from_utf8(w.into_inner()).expect("quick-xml writes the UTF-8 it is given");
    s.push('\n');
    s
}

#[derive(Default, Clone, Copy)]
struct Tally {
    tests: usize,
    failures: usize,
    errors: usize,
    skipped: usize,
    time: Duration,
}

impl Tally {
    fn of<'a>(scenarios: impl IntoIterator<Item = &'a ScenarioReport>) -> Tally {
        let mut t = Tally::default();
        for s in scenarios {
            t.tests += 1;
            t.time += s.duration;
            match s.status {
                ScenarioStatus::Passed => {}
                ScenarioStatus::Failed => t.failures += 1,
                ScenarioStatus::Skipped => t.skipped += 1,
                ScenarioStatus::Broken => t.errors += 1,
            }
        }
        t
    }

    fn attrs(&self) -> [(&'static str, String); 5] {
        [
            ("tests", self.tests.to_string()),
            ("failures", self.failures.to_string()),
            ("errors", self.errors.to_string()),
            ("skipped", self.skipped.to_string()),
            ("time", seconds(self.time)),
        ]
    }
}

/// The folder a scenario belongs to: its file's parent directory, `.` when it has none.
fn folder(file: &str) -> &str {
    match file.rfind(['/', '\\']) {
        Some(0) => "/",
        Some(i) => &file[..i],
        None => ".",
    }
}

fn write_doc(w: &mut Writer<Vec<u8>>, r: &RunReport) -> io::Result<()> {
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let mut folders: Vec<&str> = Vec::new();
    for s in &r.scenarios {
        let f = folder(&s.file);
        if !folders.contains(&f) {
            folders.push(f);
        }
    }
    let total = Tally::of(&r.scenarios);
    let mut root = w
        .create_element("testsuites")
        .with_attribute(("name", "zinc-harness"));
    for (k, v) in total.attrs() {
        // The run's wall-clock time, not the sum of scenario times (they may run in
        // parallel).
        let v = if k == "time" { seconds(r.duration) } else { v };
        root = root.with_attribute((k, v.as_str()));
    }
    root.write_inner_content(|w| {
        for f in &folders {
            let scenarios: Vec<&ScenarioReport> = r
                .scenarios
                .iter()
                .filter(|s| folder(&s.file) == *f)
                .collect();
            write_suite(w, r, f, &scenarios)?;
        }
        Ok(())
    })?;
    Ok(())
}

fn write_suite(
    w: &mut Writer<Vec<u8>>,
    r: &RunReport,
    name: &str,
    scenarios: &[&ScenarioReport],
) -> io::Result<()> {
    let tally = Tally::of(scenarios.iter().copied());
    let name = xml_safe(name);
    let mut el = w
        .create_element("testsuite")
        .with_attribute(("name", name.as_str()));
    for (k, v) in tally.attrs() {
        el = el.with_attribute((k, v.as_str()));
    }
    let timestamp = r.started_at.as_deref().map(junit_timestamp);
    if let Some(ts) = &timestamp {
        el = el.with_attribute(("timestamp", ts.as_str()));
    }
    el.write_inner_content(|w| {
        w.create_element("properties").write_inner_content(|w| {
            for (k, v) in [
                ("target", &r.target),
                ("profile", &r.profile),
                ("app", &r.app),
            ] {
                let v = xml_safe(v);
                w.create_element("property")
                    .with_attribute(("name", k))
                    .with_attribute(("value", v.as_str()))
                    .write_empty()?;
            }
            Ok(())
        })?;
        for s in scenarios {
            write_case(w, s)?;
        }
        Ok(())
    })?;
    Ok(())
}

fn write_case(w: &mut Writer<Vec<u8>>, s: &ScenarioReport) -> io::Result<()> {
    let name = xml_safe(&s.title);
    let classname = xml_safe(s.display_name());
    let el = w
        .create_element("testcase")
        .with_attribute(("name", name.as_str()))
        .with_attribute(("classname", classname.as_str()))
        .with_attribute(("time", seconds(s.duration).as_str()));
    el.write_inner_content(|w| {
        match s.status {
            ScenarioStatus::Passed => {}
            ScenarioStatus::Skipped => {
                let msg = xml_safe(s.skip_reason.as_deref().unwrap_or("skipped"));
                w.create_element("skipped")
                    .with_attribute(("message", msg.as_str()))
                    .write_empty()?;
            }
            ScenarioStatus::Broken => {
                let err = s.error.as_deref().unwrap_or("the scenario could not run");
                let msg = xml_safe(&one_line(err));
                let mut text = format!("{} could not run to the end: {err}\n", s.file);
                text.push_str(&failed_steps_text(s));
                w.create_element("error")
                    .with_attribute(("message", msg.as_str()))
                    .with_attribute(("type", "broken"))
                    .write_inner_content(|w| cdata(w, &text))?;
            }
            ScenarioStatus::Failed => {
                // The failure names the failing findings; warnings are in `system-out`.
                let findings: Vec<_> = s
                    .steps
                    .iter()
                    .flat_map(|st| &st.findings)
                    .filter(|f| f.fails())
                    .collect();
                let msg = match findings.first() {
                    Some(f) => {
                        let rule = f
                            .rule
                            .as_deref()
                            .map(|r| format!(" [{r}]"))
                            .unwrap_or_default();
                        let more = match findings.len() {
                            1 => String::new(),
                            n => format!(" (+{} more)", n - 1),
                        };
                        format!(
                            "{}: expected {}, got {}{rule}{more}",
                            f.what, f.expected, f.actual
                        )
                    }
                    None => "a step failed".to_string(),
                };
                let ty = findings
                    .first()
                    .and_then(|f| f.rule.as_deref())
                    .unwrap_or("finding");
                let msg = xml_safe(&one_line(&msg));
                let ty = xml_safe(ty);
                w.create_element("failure")
                    .with_attribute(("message", msg.as_str()))
                    .with_attribute(("type", ty.as_str()))
                    .write_inner_content(|w| cdata(w, &failed_steps_text(s)))?;
            }
        }
        w.create_element("system-out")
            .write_inner_content(|w| cdata(w, &transcript_summary(s)))?;
        Ok(())
    })?;
    Ok(())
}

/// Long text as CDATA: bodies full of `<`, `&` and quotes stay readable in the raw file, and
/// consumers that mishandle entity references in text (some do) still read it intact. A
/// `]]>` inside is split across two sections, as XML requires.
fn cdata(w: &mut Writer<Vec<u8>>, text: &str) -> io::Result<()> {
    let text = xml_safe(text);
    for section in BytesCData::escaped(&text) {
        w.write_event(Event::CData(section))?;
    }
    Ok(())
}

/// Every failed step expanded as in the pretty report (no colours).
fn failed_steps_text(s: &ScenarioReport) -> String {
    let opts = pretty::PrettyOptions::plain();
    s.failed_steps()
        .map(|st| pretty::step_text(s, st, &opts))
        .collect::<Vec<_>>()
        .join("")
}

/// The scenario step by step: status, label, line, and each exchange as one line.
fn transcript_summary(s: &ScenarioReport) -> String {
    let mut out = format!("{}\n", s.file);
    for st in &s.steps {
        let line = st.line.map(|l| format!(" (line {l})")).unwrap_or_default();
        let reason = match (st.status, &st.skip_reason) {
            (StepStatus::Skipped, Some(r)) => format!(": {r}"),
            _ => String::new(),
        };
        out.push_str(&format!(
            "{}. {}{line}: {}{reason}\n",
            st.index,
            st.label,
            st.status.as_str()
        ));
        for e in &st.exchanges {
            let outcome = match (&e.response, &e.error) {
                (Some(r), _) => r.status.to_string(),
                (None, Some(err)) => format!("no response ({err})"),
                (None, None) => "no response".to_string(),
            };
            out.push_str(&format!(
                "   {} {} -> {outcome} ({})\n",
                e.method,
                e.path,
                format_duration(e.duration)
            ));
            if let Some(next) = &e.okta_retry {
                out.push_str(&format!("      {next}\n"));
            }
        }
        if let Some(m) = &st.okta_message {
            out.push_str(&format!("   okta says: {m}\n"));
        }
        // JUnit has no warning state: warnings are lines here, marked so a reader finds them.
        for f in st.warnings() {
            let rule = f
                .rule
                .as_deref()
                .map(|r| format!(" [{r}]"))
                .unwrap_or_default();
            out.push_str(&format!(
                "   warning{rule}: {}: expected {}, got {}\n",
                f.what, f.expected, f.actual
            ));
            if let Some(h) = &f.hint {
                out.push_str(&format!("     fix: {h}\n"));
            }
        }
    }
    out
}

fn one_line(s: &str) -> String {
    s.replace(['\r', '\n'], " ")
}

/// JUnit's `timestamp` is an `xs:dateTime` without zone in the common XSDs: keep
/// `YYYY-MM-DDTHH:MM:SS` of an RFC 3339 UTC time.
fn junit_timestamp(rfc3339: &str) -> String {
    rfc3339.chars().take(19).collect()
}

/// Text XML 1.0 can carry: characters it forbids even escaped (most C0 controls, U+FFFE,
/// U+FFFF) become `\u{..}`.
pub fn xml_safe(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => c.to_string(),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {
                format!("\\u{{{:x}}}", c as u32)
            }
            c => c.to_string(),
        })
        .collect()
}

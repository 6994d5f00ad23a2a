//! The progress display: one line per finished scenario on a terminal, nothing otherwise.

use std::io::IsTerminal;
use std::sync::{Arc, Mutex};

use indicatif::TermLike;
use zinc_harness::report::progress::Progress;

use super::fixtures::*;

/// A terminal that records what is written to it.
#[derive(Debug, Clone, Default)]
struct Recorder(Arc<Mutex<String>>);

impl TermLike for Recorder {
    fn width(&self) -> u16 {
        100
    }
    fn move_cursor_up(&self, _: usize) -> std::io::Result<()> {
        Ok(())
    }
    fn move_cursor_down(&self, _: usize) -> std::io::Result<()> {
        Ok(())
    }
    fn move_cursor_right(&self, _: usize) -> std::io::Result<()> {
        Ok(())
    }
    fn move_cursor_left(&self, _: usize) -> std::io::Result<()> {
        Ok(())
    }
    fn write_line(&self, s: &str) -> std::io::Result<()> {
        let mut out = self.0.lock().unwrap();
        out.push_str(s);
        out.push('\n');
        Ok(())
    }
    fn write_str(&self, s: &str) -> std::io::Result<()> {
        self.0.lock().unwrap().push_str(s);
        Ok(())
    }
    fn clear_line(&self) -> std::io::Result<()> {
        Ok(())
    }
    fn flush(&self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn one_line_per_scenario_on_a_terminal() {
    let term = Recorder::default();
    let p = Progress::on_terminal(3, Box::new(term.clone()), false);
    assert!(p.is_enabled());
    for s in [passed(), failed(), skipped()] {
        p.start(&s.title);
        p.finish_scenario(&s);
    }
    p.finish();
    assert_eq!(p.finished(), 3);
    let written = term.0.lock().unwrap().clone();
    for line in [
        "✓ T8  Deactivated users are not in Zinc  (120ms, 1 step skipped)",
        "✗ T4  A userName that is not an email is refused  (120ms, 2 steps failed)",
        "– T6  New console groups are missing from Okta  (skipped: needs the Admin Console of the embedded mock)",
    ] {
        assert!(written.contains(line), "{line:?} not in {written:?}");
    }
    assert!(!written.contains('\x1b'), "colours were off: {written:?}");
}

#[test]
fn silent_when_not_a_terminal() {
    let hidden = Progress::hidden(2);
    assert!(!hidden.is_enabled());
    hidden.finish_scenario(&passed());
    assert_eq!(hidden.finished(), 1, "it still counts");
    // On stderr it draws only when stderr is a terminal (never under CI or a pipe).
    assert_eq!(
        Progress::stderr(1).is_enabled(),
        std::io::stderr().is_terminal()
    );
}

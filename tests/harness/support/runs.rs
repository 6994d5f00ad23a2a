//! What the runner tests start from: a built-in scenario by its path, and the mock as a live
//! target.

use zinc_harness::run::{External, TargetSpec};
use zinc_harness::scenario::{self, Scenario};
use zinc_harness::zinc::MockZinc;

/// The built-in scenario `scenarios/<path>`, parsed; panics naming it where there is none.
pub(crate) fn builtin(path: &str) -> Scenario {
    let name = format!("scenarios/{path}");
    let (_, text) = scenario::builtin()
        .iter()
        .find(|(n, _)| *n == name)
        .unwrap_or_else(|| panic!("no built-in scenario {name}"));
    scenario::parse(&name, text).unwrap_or_else(|d| panic!("{d}"))
}

/// `zinc` as a live target, given as a user gives one (its base URL and token), the run's
/// people removed afterwards.
pub(crate) fn live_target(zinc: &MockZinc) -> TargetSpec {
    TargetSpec::External(External {
        base_url: zinc.base_url(),
        token: zinc.token(),
        insecure: false,
        keep: false,
    })
}

/// A scenario written in the test, parsed; panics with its diagnostics where it does not
/// parse.
pub(crate) fn parsed(name: &str, text: &str) -> Scenario {
    scenario::parse(name, text).unwrap_or_else(|d| panic!("{d}"))
}

/// A server at `base` that is no Zinc as a live target with `token`: the run leaves what it
/// made there (nothing to clean up on a stand-in).
pub(crate) fn stand_in_target(base: String, token: &str) -> TargetSpec {
    TargetSpec::External(External {
        base_url: base,
        token: Some(token.into()),
        insecure: false,
        keep: true,
    })
}

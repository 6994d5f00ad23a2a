//! A seam for tools that watch a scenario while it runs (the `explore` command's oracle):
//! after the start and after every step, an [`Observer`] is given what the step came to, the
//! Okta client (Okta's own view, and its credentials to read the target) and, on the embedded
//! mock, the Admin Console. Observers only read; they never change what the scenario does.

use futures::future::BoxFuture;

use crate::okta::OktaClient;
use crate::report::StepReport;
use crate::zinc::Admin;

/// What one action of a step came to (one per person or group the step acted on).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ActionSummary {
    /// The person or group key, when the step acted on several.
    pub who: Option<String>,
    /// What Okta recorded (console and support steps: whether Zinc accepted it).
    pub ok: bool,
    /// The status of the action's main exchange, when one was answered.
    pub status: Option<u16>,
    /// False when the step could not even be tried (e.g. Okta never provisioned the
    /// person): its report then holds a "could not run" finding whatever `expect:` says.
    pub ran: bool,
}

/// What an observer is shown after a step (`index` 0: before the first step).
pub(crate) struct StepView<'a> {
    pub index: usize,
    /// The step's report (exchanges, findings); `None` before the first step.
    pub step: Option<&'a StepReport>,
    pub actions: &'a [ActionSummary],
    pub okta: &'a OktaClient,
    /// The embedded mock's Admin Console; `None` against a live server.
    pub admin: Option<Admin>,
}

/// Watches a scenario run (see the module doc).
pub(crate) trait Observer: Send {
    /// Looks at the state after a step; `false` stops the scenario there (a budget ran out),
    /// which reports it broken with the run's deadline message.
    fn observe<'a>(&'a mut self, view: StepView<'a>) -> BoxFuture<'a, bool>;
}

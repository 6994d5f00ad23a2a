//! Test kit shared across the parts' tests: real third-party SCIM servers on loopback
//! (`scim2-server` from PyPI; the interop matrix of `fixtures/servers/`), misbehaving targets
//! made of raw TCP where wiremock cannot misbehave enough (a body that drips, a body of 50 MB)
//! and wiremock servers that answer everything alike, what the runner tests start from
//! (built-in scenarios, the mock as a live target), readers of the JSON reports, and
//! signals to the processes the tests start.

pub(crate) mod json;
pub(crate) mod logged;
pub(crate) mod mocks;
pub(crate) mod process;
pub(crate) mod runs;
pub mod scim2;
pub mod servers;
pub mod targets;

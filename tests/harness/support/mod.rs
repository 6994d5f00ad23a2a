//! Test kit shared by the conformance tests: real third-party SCIM servers on loopback
//! (`scim2-server` from PyPI; the interop matrix of `fixtures/servers/`), and misbehaving
//! targets made of raw TCP where wiremock cannot misbehave enough (a body that drips, a body
//! of 50 MB), and wiremock servers that answer everything alike.

pub(crate) mod json;
pub(crate) mod mocks;
pub mod scim2;
pub mod servers;
pub mod targets;

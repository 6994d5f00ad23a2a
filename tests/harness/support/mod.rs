//! Test kit shared by the conformance tests: a real third-party SCIM server (`scim2-server`
//! from PyPI) on loopback, and misbehaving targets made of raw TCP where wiremock cannot
//! misbehave enough (a body that drips, a body of 50 MB).

pub mod scim2;
pub mod targets;

//! `zinc-harness explore`: model-based testing of a SCIM server with Okta's own actions.
//!
//! Seeded random sequences of Okta actions (`generate`) run against the target; after the
//! start and after every step the target's observable state is read (`observe`) and held
//! against a reference (`compare`): in the zinc profile a fresh embedded mock Zinc that ran
//! the same sequence (its `Directory` is the contract made executable), in the okta profile
//! what the simulated Okta believes it pushed (`okta_view`). The first divergence is
//! shrunk (`shrink`) to a few steps and written as a scenario file (`emit`) whose last
//! expectation fails on the target and holds on the reference; `driver` ties it together.

pub(crate) mod compare;
pub(crate) mod driver;
pub(crate) mod emit;
pub(crate) mod generate;
pub(crate) mod observe;
pub(crate) mod okta_view;
pub(crate) mod shrink;

pub use compare::Divergence;
pub use driver::{ExploreOptions, ExploreOutcome, Found, explore, sequence_seed};
pub use generate::Sequence;
pub use shrink::ShrinkStats;

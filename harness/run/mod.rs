//! run (being built).

pub mod cleanup;
pub mod wire;

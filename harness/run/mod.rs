//! run (being built).

pub mod wire;

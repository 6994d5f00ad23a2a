//! run (being built).

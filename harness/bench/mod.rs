//! bench (being built).

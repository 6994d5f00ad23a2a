//! Tests of scenario (being built).

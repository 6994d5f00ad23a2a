//! Tests of zinc (being built).

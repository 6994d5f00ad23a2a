//! Tests of okta (being built).

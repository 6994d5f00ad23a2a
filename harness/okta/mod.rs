//! okta (being built).

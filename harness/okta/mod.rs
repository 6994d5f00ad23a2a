//! The simulated Okta client (being built).

pub mod transcript;

//! zinc (being built).

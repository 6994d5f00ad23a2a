//! scim (being built).

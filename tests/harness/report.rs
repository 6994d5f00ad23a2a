//! Tests of report (being built).

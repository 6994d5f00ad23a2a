//! Tests of the scenario format: parsing into resolved steps, every error message (a corpus of
//! broken files, snapshotted), arbitrary bytes, generated people, the schema and the authoring
//! commands (`check`, `schema`, `new`, `list`).

mod authoring;
mod corpus;
mod docs;
mod faults;
mod fuzz;
mod parse;
mod people;

/// Snapshots of this module live with everyone else's, in tests/harness/snapshots/.
fn snapshots() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings
}

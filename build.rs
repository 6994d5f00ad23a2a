//! Reruns the build when a scenario file changes, so the scenario test list and the scenarios
//! built into the binary never go stale.
fn main() {
    println!("cargo::rerun-if-changed=scenarios");
    println!("cargo::rerun-if-changed=build.rs");
}

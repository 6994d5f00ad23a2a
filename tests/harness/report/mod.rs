//! Tests of report: the renderers on hand-built reports (insta snapshots), colours, JUnit
//! read back by a real JUnit consumer, snapshot normalization, and that no secret reaches any
//! rendered output.

/// Snapshots of this part live with every other part's, in `tests/harness/snapshots/`.
macro_rules! snapshot {
    ($assert:ident!($($args:tt)*)) => {
        insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => true }, {
            insta::$assert!($($args)*);
        })
    };
}

mod fixtures;
mod json;
pub(crate) mod junit;
mod model;
mod normalize;
mod pretty;
mod progress;
mod secrets;

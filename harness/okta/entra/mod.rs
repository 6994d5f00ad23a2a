//! The Microsoft Entra ID personality of the simulated client (`entra`, `entra-compliant`):
//! what Entra's provisioning service sends a SCIM app, after
//! `../shared/docs/entra-client-reference.md` (its table rows are cited as `row N`, its
//! sources as `E1`…`E11`, `I1`…`I21`).
//!
//! - `dialect`: the request bodies and paths of both PATCH dialects (legacy, the default
//!   non-gallery `scim` job; compliant, the `aadOptscim062020` flag).
//! - `ids`: Entra's object ids (GUIDs), from the run's id seed and the person or group key.
//! - `fate`: what the provisioning service would do with an answer (retry, escrow,
//!   quarantine), reported on the action instead of waited for.
//! - `personality`: Entra behind the client's `Personality` seam (what each action sends).

pub(crate) mod dialect;
pub(crate) mod fate;
pub(crate) mod ids;
mod personality;

pub use dialect::{Dialect, MatchAttr, UnassignMode};
pub use fate::{FailureCounts, Fate};
pub use ids::{entra_group_id, entra_group_id_in, entra_user_id, entra_user_id_in, probe_guid};
pub(crate) use personality::Entra;
pub use personality::{ENTRA_CONTENT_TYPE, ENTRA_HEADERS};

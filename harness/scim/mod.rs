//! The SCIM 2.0 wire model both ends share (RFC 7643 / RFC 7644, as far as Okta and Zinc use
//! it): schema URNs, [`ScimError`], [`ListResponse`], [`PatchOp`], the User and Group
//! resources and a small filter parser.
//!
//! It knows nothing of Okta or Zinc: the Zinc rules live in [`crate::zinc`].

pub(crate) mod error;
pub mod filter;
pub(crate) mod list;
pub(crate) mod patch;
pub(crate) mod resource;

pub use error::{ScimError, ScimType};
pub use filter::{AttrPath, CompValue, CompareOp, Filter};
pub use list::ListResponse;
pub use patch::{PatchOp, PatchOpKind, PatchOperation, PatchPath};
pub use resource::{Email, Group, Member, Meta, Name, User};

// The URNs live in the contract; these names are the wire model's.
pub use crate::contract::urn::{
    ENTERPRISE_USER as ENTERPRISE_USER_SCHEMA, ERROR as ERROR_SCHEMA, GROUP as GROUP_SCHEMA,
    LIST_RESPONSE as LIST_RESPONSE_SCHEMA, PATCH_OP as PATCH_OP_SCHEMA,
    RESOURCE_TYPE as RESOURCE_TYPE_SCHEMA, SCHEMA as SCHEMA_SCHEMA,
    SERVICE_PROVIDER_CONFIG as SERVICE_PROVIDER_CONFIG_SCHEMA, USER as USER_SCHEMA,
};
/// The SCIM media type.
pub const CONTENT_TYPE: &str = "application/scim+json";

//! The SCIM 2.0 wire model both ends share (RFC 7643 / RFC 7644, as far as Okta and Zinc use
//! it): schema URNs, [`ScimError`], [`ListResponse`], [`PatchOp`], the User and Group
//! resources and a small filter parser.
//!
//! It knows nothing of Okta or Zinc: the Zinc rules live in [`crate::zinc`].

pub mod error;
pub mod filter;
pub mod list;
pub mod patch;
pub mod resource;

pub use error::{ScimError, ScimType};
pub use filter::{AttrPath, CompValue, CompareOp, Filter};
pub use list::ListResponse;
pub use patch::{PatchOp, PatchOpKind, PatchOperation, PatchPath};
pub use resource::{Email, Group, Member, Meta, Name, User};

/// Core User schema.
pub const USER_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
/// Core Group schema.
pub const GROUP_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
/// Enterprise User extension.
pub const ENTERPRISE_USER_SCHEMA: &str =
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
/// ListResponse message.
pub const LIST_RESPONSE_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
/// Error message.
pub const ERROR_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:Error";
/// PatchOp message.
pub const PATCH_OP_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
/// ServiceProviderConfig schema.
pub const SERVICE_PROVIDER_CONFIG_SCHEMA: &str =
    "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";
/// ResourceType schema.
pub const RESOURCE_TYPE_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
/// Schema (the schema of schemas).
pub const SCHEMA_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:Schema";
/// The SCIM media type.
pub const CONTENT_TYPE: &str = "application/scim+json";

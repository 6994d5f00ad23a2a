//! The ListResponse message (RFC 7644 §3.4.2).

use serde::{Deserialize, Serialize};

use super::LIST_RESPONSE_SCHEMA;

/// A page of resources. The three counters are JSON numbers, and `items_per_page` always
/// equals `resources.len()` (Okta rejects anything else).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListResponse<T> {
    pub schemas: Vec<String>,
    #[serde(rename = "totalResults")]
    pub total_results: u64,
    #[serde(rename = "startIndex")]
    pub start_index: u64,
    #[serde(rename = "itemsPerPage")]
    pub items_per_page: u64,
    #[serde(rename = "Resources", default = "Vec::new")]
    pub resources: Vec<T>,
}

impl<T> ListResponse<T> {
    /// A page starting at the 1-based `start_index` out of `total_results`.
    pub fn new(total_results: u64, start_index: u64, resources: Vec<T>) -> Self {
        Self {
            schemas: vec![LIST_RESPONSE_SCHEMA.to_owned()],
            total_results,
            start_index,
            items_per_page: resources.len() as u64,
            resources,
        }
    }
}

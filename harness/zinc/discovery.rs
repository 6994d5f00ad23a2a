//! Z25: the discovery documents (`/ServiceProviderConfig`, `/ResourceTypes`, `/Schemas`).

use serde_json::{Value, json};

use crate::scim;

pub(crate) fn service_provider_config(base: &str) -> Value {
    json!({
        "schemas": [scim::SERVICE_PROVIDER_CONFIG_SCHEMA],
        "documentationUri": "https://github.com/zinc-harness/zinc-harness",
        "patch": {"supported": true},
        "bulk": {"supported": false, "maxOperations": 0, "maxPayloadSize": 0},
        "filter": {"supported": true, "maxResults": super::directory::MAX_COUNT},
        "changePassword": {"supported": false},
        "sort": {"supported": false},
        "etag": {"supported": false},
        "authenticationSchemes": [{
            "type": "oauthbearertoken",
            "name": "OAuth Bearer Token",
            "description": "Authentication with the bearer token issued by Zinc Customer Support",
            "primary": true
        }],
        "meta": {
            "resourceType": "ServiceProviderConfig",
            "location": format!("{base}/ServiceProviderConfig")
        }
    })
}

pub(crate) fn resource_types(base: &str) -> Vec<Value> {
    vec![
        json!({
            "schemas": [scim::RESOURCE_TYPE_SCHEMA],
            "id": "User",
            "name": "User",
            "endpoint": "/Users",
            "description": "Zinc user (userName is the email)",
            "schema": scim::USER_SCHEMA,
            "meta": {"resourceType": "ResourceType", "location": format!("{base}/ResourceTypes/User")}
        }),
        json!({
            "schemas": [scim::RESOURCE_TYPE_SCHEMA],
            "id": "Group",
            "name": "Group",
            "endpoint": "/Groups",
            "description": "Zinc group synced from the external directory",
            "schema": scim::GROUP_SCHEMA,
            "meta": {"resourceType": "ResourceType", "location": format!("{base}/ResourceTypes/Group")}
        }),
    ]
}

fn attr(name: &str, kind: &str, required: bool, mutability: &str, extra: Value) -> Value {
    let mut a = json!({
        "name": name,
        "type": kind,
        "multiValued": false,
        "required": required,
        "caseExact": false,
        "mutability": mutability,
        "returned": "default",
        "uniqueness": "none"
    });
    if let (Value::Object(a), Value::Object(extra)) = (&mut a, extra) {
        a.extend(extra);
    }
    a
}

pub(crate) fn schemas(base: &str) -> Vec<Value> {
    let user = json!({
        "schemas": [scim::SCHEMA_SCHEMA],
        "id": scim::USER_SCHEMA,
        "name": "User",
        "description": "Zinc User: userName is the email; displayName is derived from the name",
        "attributes": [
            attr("userName", "string", true, "immutable", json!({"uniqueness": "server"})),
            attr("name", "complex", false, "readWrite", json!({"subAttributes": [
                attr("givenName", "string", false, "readWrite", json!({})),
                attr("familyName", "string", false, "readWrite", json!({})),
            ]})),
            attr("displayName", "string", false, "readOnly", json!({})),
            attr("emails", "complex", false, "readOnly", json!({"multiValued": true})),
            attr("externalId", "string", false, "readWrite", json!({"caseExact": true})),
            attr("active", "boolean", false, "readWrite", json!({})),
        ],
        "meta": {"resourceType": "Schema", "location": format!("{base}/Schemas/{}", scim::USER_SCHEMA)}
    });
    let group = json!({
        "schemas": [scim::SCHEMA_SCHEMA],
        "id": scim::GROUP_SCHEMA,
        "name": "Group",
        "description": "Zinc Group synced from the external directory",
        "attributes": [
            attr("displayName", "string", true, "readWrite", json!({"uniqueness": "server"})),
            attr("externalId", "string", false, "readWrite", json!({"caseExact": true})),
            attr("members", "complex", false, "readWrite", json!({"multiValued": true, "subAttributes": [
                attr("value", "string", true, "immutable", json!({})),
                attr("display", "string", false, "readOnly", json!({})),
            ]})),
        ],
        "meta": {"resourceType": "Schema", "location": format!("{base}/Schemas/{}", scim::GROUP_SCHEMA)}
    });
    vec![user, group]
}

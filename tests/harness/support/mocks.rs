//! wiremock servers that answer every request alike: the misbehaving targets wiremock can
//! play (an HTML page, a 500, a body that is not JSON).

use serde_json::json;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};
use zinc_harness::scim::ERROR_SCHEMA;

/// A wiremock server answering every request with `resp`.
pub(crate) async fn answering(resp: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(resp).mount(&server).await;
    server
}

/// A SCIM base URL on `server` (`/scim/v2`).
pub(crate) fn scim_base(server: &MockServer) -> String {
    format!("{}/scim/v2", server.uri())
}

/// A SCIM error 500 whose detail is "database is down".
pub(crate) fn database_is_down() -> ResponseTemplate {
    ResponseTemplate::new(500).set_body_json(json!({
        "schemas": [ERROR_SCHEMA], "status": "500", "detail": "database is down"}))
}

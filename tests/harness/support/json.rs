//! Reading the JSON documents the harness writes (reports, listings) and the mock answers.

use serde_json::Value;

/// The string `key` of every object in the JSON array `list`, in order (the files of a
/// report's scenarios, the statuses of its steps); panics where `list` is no array or an
/// item has no such string.
pub(crate) fn strings<'a>(list: &'a Value, key: &str) -> Vec<&'a str> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|item| item[key].as_str().unwrap())
        .collect()
}

/// `GET url` with `token` as the bearer, straight to the server (no proxy: the tests talk to
/// loopback only); panics where no answer comes.
pub(crate) async fn get(url: &str, token: &str) -> reqwest::Response {
    reqwest::Client::builder()
        .no_proxy()
        .build()
        .unwrap()
        .get(url)
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

/// The JSON body of [`get`]; panics where it is no JSON.
pub(crate) async fn get_json(url: &str, token: &str) -> Value {
    get(url, token).await.json().await.unwrap()
}

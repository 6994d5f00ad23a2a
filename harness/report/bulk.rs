//! Keeps snapshots of bulk scenarios reviewable: a snapshot should show its point, not bury it.
//!
//! A scenario that creates 105 users or pages through a directory made snapshots of 10,000+
//! lines, nearly all of them the same request again. After normalization (so placeholders are
//! numbered over the whole transcript, as before), two things are shortened:
//! - a JSON array of more than [`LONG_ARRAY`] items (a page of `Resources`, a member list, the
//!   final state's users) becomes `{"<items>": N, "first": …, "last": …}`;
//! - a step of more than [`BULK_STEP`] exchanges keeps its first and last [`KEEP`] exchanges
//!   and a `summary`: how many requests of each shape (method, path with placeholders and
//!   filter values folded) got each status.
//!
//! The scenario's `expect:` clauses still check every resource and every exchange; only the
//! snapshot is a summary. Short scenarios are unchanged.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::snapshot::SnapshotStep;

/// Arrays longer than this are summarized.
pub(crate) const LONG_ARRAY: usize = 10;
/// Steps with more exchanges than this are summarized.
pub(crate) const BULK_STEP: usize = 12;
/// Exchanges kept at each end of a summarized step.
pub(crate) const KEEP: usize = 2;

/// Summarizes long arrays anywhere in `v`.
pub(crate) fn shorten_arrays(v: &mut Value) {
    match v {
        Value::Array(items) => {
            items.iter_mut().for_each(shorten_arrays);
            if items.len() > LONG_ARRAY {
                let n = items.len();
                let last = items.pop().unwrap_or(Value::Null);
                let first = items.swap_remove(0);
                *v = json!({ "<items>": n, "first": first, "last": last });
            }
        }
        Value::Object(map) => map.values_mut().for_each(shorten_arrays),
        Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) => {}
    }
}

/// Summarizes a step with many exchanges, in place.
pub(crate) fn shorten_step(step: &mut SnapshotStep) {
    let n = step.exchanges.len();
    if n <= BULK_STEP {
        return;
    }
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for e in &step.exchanges {
        let outcome = match (&e.response, &e.error) {
            (Some(r), _) => r.status.to_string(),
            (None, Some(_)) => "error".to_owned(),
            (None, None) => "no answer".to_owned(),
        };
        let key = format!(
            "{} {} → {outcome}",
            e.request.method,
            path_shape(&e.request.path)
        );
        *counts.entry(key).or_default() += 1;
    }
    let mut summary = Map::new();
    summary.insert("exchanges".to_owned(), json!(n));
    summary.insert(
        "omitted".to_owned(),
        json!(format!(
            "exchanges {}..={} (the first and last {KEEP} are shown)",
            KEEP + 1,
            n - KEEP
        )),
    );
    summary.insert(
        "requests".to_owned(),
        Value::Object(counts.into_iter().map(|(k, c)| (k, json!(c))).collect()),
    );
    step.summary = Some(Value::Object(summary));
    step.exchanges.drain(KEEP..n - KEEP);
}

/// The shape of a request path: placeholders lose their key (`<user:alice>` → `<user>`),
/// query values become `…` except the paging numbers, which are the point of a paging test.
fn path_shape(path: &str) -> String {
    let (route, query) = path.split_once('?').unwrap_or((path, ""));
    let mut out = fold_placeholders(route);
    if !query.is_empty() {
        let params: Vec<String> = query
            .split('&')
            .map(|p| match p.split_once('=') {
                Some((k, v)) if k == "startIndex" || k == "count" => format!("{k}={v}"),
                Some((k, _)) => format!("{k}=…"),
                None => p.to_owned(),
            })
            .collect();
        out.push('?');
        out.push_str(&params.join("&"));
    }
    out
}

fn fold_placeholders(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let tail = &rest[open..];
        match (tail.find(':'), tail.find('>')) {
            (Some(colon), Some(close)) if colon < close => {
                out.push_str(&tail[..colon]);
                out.push('>');
                rest = &tail[close + 1..];
            }
            _ => {
                out.push('<');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::snapshot::{SnapshotExchange, SnapshotRequest, SnapshotResponse};

    #[test]
    fn long_arrays_keep_count_first_and_last() {
        let mut v = json!({"Resources": (1..=11).collect::<Vec<_>>(), "short": [1, 2]});
        shorten_arrays(&mut v);
        assert_eq!(
            v,
            json!({"Resources": {"<items>": 11, "first": 1, "last": 11}, "short": [1, 2]})
        );
        let mut ten = json!((1..=10).collect::<Vec<_>>());
        let before = ten.clone();
        shorten_arrays(&mut ten);
        assert_eq!(
            ten, before,
            "arrays of up to LONG_ARRAY items are kept whole"
        );
    }

    fn exchange(path: &str, status: u16) -> SnapshotExchange {
        SnapshotExchange {
            request: SnapshotRequest {
                method: "GET".into(),
                path: path.into(),
                headers: BTreeMap::new(),
                body: Value::Null,
            },
            response: Some(SnapshotResponse {
                status,
                headers: BTreeMap::new(),
                body: Value::Null,
            }),
            error: None,
            okta_retry: None,
        }
    }

    #[test]
    fn a_bulk_step_keeps_its_ends_and_counts_the_rest() {
        let mut step = SnapshotStep {
            step: "import_users".into(),
            summary: None,
            exchanges: (1..=13)
                .map(|i| exchange(&format!("/Users/<user:p{i}>?startIndex=1&count=100"), 200))
                .collect(),
        };
        shorten_step(&mut step);
        assert_eq!(step.exchanges.len(), 2 * KEEP);
        assert_eq!(
            step.exchanges[0].request.path,
            "/Users/<user:p1>?startIndex=1&count=100"
        );
        assert_eq!(
            step.exchanges[3].request.path,
            "/Users/<user:p13>?startIndex=1&count=100"
        );
        assert_eq!(
            step.summary.unwrap()["requests"],
            json!({"GET /Users/<user>?startIndex=1&count=100 → 200": 13})
        );
    }

    #[test]
    fn a_short_step_is_unchanged() {
        let mut step = SnapshotStep {
            step: "get_user".into(),
            summary: None,
            exchanges: (0..BULK_STEP).map(|_| exchange("/Users", 200)).collect(),
        };
        let before = step.clone();
        shorten_step(&mut step);
        assert_eq!(step, before);
    }

    #[test]
    fn filter_values_fold_but_paging_numbers_stay() {
        assert_eq!(
            path_shape("/Users?filter=userName%20eq%20%22a%40b.c%22&startIndex=101&count=100"),
            "/Users?filter=…&startIndex=101&count=100"
        );
        assert_eq!(fold_placeholders("a <b c> <user:x#2>"), "a <b c> <user>");
    }
}

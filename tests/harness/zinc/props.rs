//! Property tests: no input makes the filter parser, the PATCH applier, the request decoding or
//! the HTTP shell panic, and a refused request changes nothing. `PROPTEST_CASES` scales them.

use proptest::prelude::*;
use serde_json::{Map, Value, json};
use zinc_harness::scim::{Filter, PatchOp, PatchPath, ScimType};
use zinc_harness::zinc::{Directory, ListQuery, ZincConfig};

/// Words that steer random input into the interesting corners.
const WORDS: &[&str] = &[
    "userName",
    "displayName",
    "externalId",
    "id",
    "members",
    "value",
    "display",
    "active",
    "name",
    "name.givenName",
    "name.familyName",
    "emails",
    "password",
    "eq",
    "EQ",
    "ne",
    "co",
    "sw",
    "pr",
    "gt",
    "and",
    "or",
    "not",
    "(",
    ")",
    "[",
    "]",
    "\"",
    "\"a@b.c\"",
    "\"x\"",
    "true",
    "false",
    "null",
    "1",
    // The wire text on purpose: a fuzz token is what a client would type.
    "urn:ietf:params:scim:schemas:core:2.0:User:userName",
    ".",
    "$ref",
    "op",
    "path",
    "Operations",
    "add",
    "remove",
    "replace",
    "Replace",
    "members[value eq \"x\"]",
    "\\",
    "\u{1F600}",
    "",
];

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => proptest::sample::select(WORDS).prop_map(str::to_owned),
        1 => "[ -~]{0,6}",
        1 => any::<String>().prop_map(|s| s.chars().take(6).collect()),
    ]
}

fn sentence() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::collection::vec(word(), 0..10).prop_map(|w| w.join(" ")),
        proptest::collection::vec(word(), 0..10).prop_map(|w| w.concat()),
        any::<String>(),
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| json!(f)),
        word().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            proptest::collection::vec((word(), inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<String, Value>>())),
        ]
    })
}

/// A PatchOp-shaped value with random parts, so that most cases get past the envelope.
fn patch_body() -> impl Strategy<Value = Value> {
    let op = (
        proptest::sample::select(&["add", "remove", "replace", "Replace", "bogus"][..]),
        proptest::option::of(prop_oneof![word(), sentence()]),
        proptest::option::of(json_value()),
    )
        .prop_map(|(op, path, value)| {
            let mut o = Map::new();
            o.insert("op".into(), json!(op));
            if let Some(p) = path {
                o.insert("path".into(), json!(p));
            }
            if let Some(v) = value {
                o.insert("value".into(), v);
            }
            Value::Object(o)
        });
    prop_oneof![
        4 => proptest::collection::vec(op, 0..4)
            .prop_map(|ops| json!({"schemas": [zinc_harness::scim::PATCH_OP_SCHEMA], "Operations": ops})),
        1 => json_value(),
    ]
}

fn directory() -> (Directory, String, String) {
    let dir = Directory::new(&ZincConfig::default(), "http://127.0.0.1:1/scim/v2");
    let a = dir
        .create_user(
            &json!({"userName": "a@example.com", "name": {"givenName": "A", "familyName": "B"}}),
        )
        .unwrap();
    let b = dir
        .create_user(&json!({"userName": "x@example.com"}))
        .unwrap();
    let (a, b) = (a.id.unwrap(), b.id.unwrap());
    let g = dir
        .create_group(&json!({"displayName": "x", "members": [{"value": a}, {"value": b}]}))
        .unwrap();
    (dir, a, g.id.unwrap())
}

fn all_users(dir: &Directory) -> Value {
    serde_json::to_value(dir.list_users(&ListQuery::default()).unwrap().resources).unwrap()
}

fn all_groups(dir: &Directory) -> Value {
    serde_json::to_value(dir.list_groups(&ListQuery::default()).unwrap().resources).unwrap()
}

proptest! {
    #[test]
    fn filter_parser_never_panics(text in sentence()) {
        match Filter::parse(&text) {
            Ok(_) => {}
            Err(e) => {
                prop_assert_eq!(e.status, 400);
                prop_assert_eq!(e.scim_type, Some(ScimType::InvalidFilter));
                prop_assert!(!e.detail.is_empty());
            }
        }
    }

    #[test]
    fn patch_paths_never_panic(text in sentence()) {
        if let Err(e) = PatchPath::parse(&text) {
            prop_assert_eq!(e.scim_type, Some(ScimType::InvalidPath));
        }
    }

    #[test]
    fn patch_op_decoding_never_panics(body in patch_body()) {
        if let Err(e) = PatchOp::from_json(&body) {
            prop_assert_eq!(e.status, 400);
        }
    }

    /// The PATCH applier on users and groups: never a panic, never a 5xx, and a refused
    /// request leaves the directory exactly as it was.
    #[test]
    fn patch_applier_never_panics_and_refusals_change_nothing(body in patch_body()) {
        let (dir, user, group) = directory();
        let (users, groups) = (all_users(&dir), all_groups(&dir));
        if let Err(e) = dir.patch_user(&user, &body) {
            prop_assert!((400..500).contains(&e.status), "{e}");
            prop_assert_eq!(&all_users(&dir), &users);
            prop_assert_eq!(&all_groups(&dir), &groups);
        }
        let (users, groups) = (all_users(&dir), all_groups(&dir));
        if let Err(e) = dir.patch_group(&group, &body) {
            prop_assert!((400..500).contains(&e.status), "{e}");
            prop_assert_eq!(&all_users(&dir), &users);
            prop_assert_eq!(&all_groups(&dir), &groups);
        }
    }

    /// POST/PUT decoding of users and groups from any JSON.
    #[test]
    fn request_decoding_never_panics(body in json_value(), query in sentence()) {
        let (dir, user, group) = directory();
        let before = (all_users(&dir), all_groups(&dir));
        for result in [
            dir.create_user(&body).map(|_| ()),
            dir.replace_user(&user, &body).map(|_| ()),
            dir.create_group(&body).map(|_| ()),
            dir.replace_group(&group, &body).map(|_| ()),
        ] {
            if let Err(e) = result {
                prop_assert!((400..500).contains(&e.status), "{e}");
            }
        }
        // Lists with random query strings.
        if let Ok(q) = ListQuery::from_query(Some(&query)) {
            let _ = dir.list_users(&q);
            let _ = dir.list_groups(&q);
        }
        let filter = ListQuery { filter: Some(query.clone()), ..ListQuery::default() };
        if let Err(e) = dir.list_users(&filter) {
            prop_assert_eq!(e.scim_type, Some(ScimType::InvalidFilter));
        }
        let _ = before;
    }
}

/// Random bytes and random JSON over HTTP: never a 5xx, never a dropped connection.
#[test]
fn the_http_shell_answers_every_body_with_a_4xx_or_success() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let zinc = rt.block_on(zinc_harness::zinc::MockZinc::start());
    let scim = super::Scim::new(&zinc);
    let (user, group) = rt.block_on(async {
        (
            scim.user("a@example.com", "A", "B").await,
            scim.group("G", &[]).await,
        )
    });
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(64u32);
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(cases));
    let strategy = (
        prop_oneof![
            proptest::collection::vec(any::<u8>(), 0..200),
            json_value().prop_map(|v| serde_json::to_vec(&v).unwrap()),
            patch_body().prop_map(|v| serde_json::to_vec(&v).unwrap()),
        ],
        0usize..6,
        sentence(),
    );
    runner
        .run(&strategy, |(body, target, query)| {
            let (method, path) = [
                ("POST", "/Users".to_owned()),
                ("PUT", format!("/Users/{user}")),
                ("PATCH", format!("/Users/{user}")),
                ("POST", "/Groups".to_owned()),
                ("PATCH", format!("/Groups/{group}")),
                (
                    "GET",
                    format!(
                        "/Users?filter={}",
                        url::form_urlencoded::byte_serialize(query.as_bytes()).collect::<String>()
                    ),
                ),
            ][target]
                .clone();
            let r = rt.block_on(super::read(
                scim.request(method, &path)
                    .header("Content-Type", "application/scim+json")
                    .body(body),
            ));
            prop_assert!(r.status < 500, "{method} {path}: {} {}", r.status, r.text);
            if r.status >= 400 {
                prop_assert_eq!(&r.body["status"], &json!(r.status.to_string()));
            }
            Ok(())
        })
        .unwrap();
    drop(zinc);
}

/// One comparison of a long chain, as the attacks and Okta write them.
fn term() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(r#"value eq "zz""#.to_owned()),
        Just("display pr".to_owned()),
        Just(r#"value sw "a""#.to_owned()),
        word().prop_map(|w| format!("value eq {w:?}")),
    ]
}

/// Long `and`/`or` chains (up to three times the term limit) and deep nesting (up to three
/// times the depth limit): the shapes the small sentences above never reached.
fn big_filter() -> impl Strategy<Value = String> {
    use zinc_harness::scim::filter::{MAX_DEPTH, MAX_TERMS};
    prop_oneof![
        (
            proptest::collection::vec(term(), 1..3 * MAX_TERMS),
            proptest::sample::select(&["or", "and", "OR"][..])
        )
            .prop_map(|(terms, op)| terms.join(&format!(" {op} "))),
        (
            1..3 * MAX_DEPTH,
            term(),
            proptest::sample::select(&["(", "not (", "members["][..])
        )
            .prop_map(|(depth, t, open)| {
                let close = if open == "members[" { "]" } else { ")" };
                format!("{}{t}{}", open.repeat(depth), close.repeat(depth))
            }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// However long or deep: a filter or an `invalidFilter` naming the limit, never a stack
    /// overflow (which would abort the whole test binary, not fail one case).
    #[test]
    fn long_chains_and_deep_filters_parse_or_name_the_limit(text in big_filter()) {
        use zinc_harness::scim::filter::{MAX_DEPTH, MAX_TERMS};
        match Filter::parse(&text) {
            Ok(_) => {}
            Err(e) => {
                prop_assert_eq!(e.scim_type, Some(ScimType::InvalidFilter));
                let named = e.detail.contains(&MAX_TERMS.to_string())
                    || e.detail.contains(&MAX_DEPTH.to_string());
                prop_assert!(named || !e.detail.contains("limit"), "{}", e.detail);
            }
        }
    }

    /// The same inputs as a group PATCH path on the applier: a 4xx or a success, the
    /// directory intact either way.
    #[test]
    fn long_member_paths_never_break_the_applier(text in big_filter()) {
        let (dir, _user, group) = directory();
        let body = json!({"schemas": [zinc_harness::scim::PATCH_OP_SCHEMA],
            "Operations": [{"op": "remove", "path": format!("members[{text}]")}]});
        if let Err(e) = dir.patch_group(&group, &body) {
            prop_assert!((400..500).contains(&e.status), "{e}");
        }
        prop_assert!(dir.get_group(&group).is_ok());
    }
}

//! Scenarios that read the whole directory, on a live server that holds other data too.
//!
//! A step **reads the directory** when what it expects depends on everything the server
//! holds, not only on what the scenario made: an unfiltered `GET /Users` or `GET /Groups`
//! whose expected body counts (`totalResults`, `itemsPerPage`, `startIndex`, `Resources`), or
//! an `import_users` / `refresh_app_groups` whose expectation counts or lists (`body` counters,
//! `listed`). This is derived from the steps, so a new scenario needs no declaration.
//!
//! Against a live server such a scenario
//! - **runs alone** ([`reads_directory`] tells the scheduler in [`super::run_all`]): no other
//!   scenario of the run creates or removes users while it counts or pages;
//! - **counts relative to a baseline** ([`Baseline`], taken at its start, one request per
//!   resource type it reads: `GET /Users?startIndex=1&count=1`): the server held `B` users
//!   before the scenario, other runs' and earlier scenarios' leftovers included (a server that
//!   keeps deactivated users keeps them all). Then ([`adjust`]) an expected `totalResults: N`
//!   means `N + B`; a paged list (`startIndex`/`count` in the request) is sent with
//!   `startIndex` moved on by `B`, so that its page is the one the scenario meant (a server
//!   lists in creation order, and what was there before comes first; the okta-profile
//!   scenarios assume no order and only count items there) and an expected `startIndex`
//!   moves with it; `itemsPerPage` and the page's length stay as written.
//! - Where neither is meaningful (an unpaged list, whose first page the server's page size
//!   decides; the first page of an import or refresh that checks which items it holds; a
//!   server that does not say how many it holds), **the step is skipped** with that reason.
//!
//! With `B = 0` (an empty server) nothing changes. The embedded mock is one fresh server per
//! scenario, so none of this applies there.

use serde_json::{Value, json};

use crate::okta::{Exchange, OktaClient};
use crate::report::{StepReport, StepStatus};
use crate::scenario::{Action, Expect, Scenario, Step};

// A directory-wide read counts one collection: a resource kind of the contract.
use crate::contract::ResourceKind;

/// How a step reads the directory, if it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Read {
    /// A raw `GET /Users` or `/Groups` without a filter, with or without paging parameters.
    List { of: ResourceKind, paged: bool },
    /// Okta's import (users) or Refresh App Groups: every page, from the first.
    Okta(ResourceKind),
}

/// Members of a ListResponse that count what the server holds.
const COUNTERS: &[&str] = &["totalResults", "itemsPerPage", "startIndex", "Resources"];

fn counts(body: Option<&Value>) -> bool {
    body.and_then(Value::as_object).is_some_and(|m| {
        m.keys()
            .any(|k| COUNTERS.iter().any(|c| c.eq_ignore_ascii_case(k)))
    })
}

fn read_of(step: &Step) -> Option<Read> {
    let e = step.expect.as_ref();
    let body = e.and_then(|e| e.body.as_ref());
    match &step.action {
        Action::Scim(req) if req.method.as_str() == "GET" && counts(body) => {
            let (path, query) = req.path.split_once('?').unwrap_or((&req.path, ""));
            let of = match path.trim_end_matches('/') {
                p if p.eq_ignore_ascii_case("/Users") => ResourceKind::Users,
                p if p.eq_ignore_ascii_case("/Groups") => ResourceKind::Groups,
                _ => return None,
            };
            let names: Vec<&str> = params(query).map(|(k, _)| k).collect();
            if names.iter().any(|k| k.eq_ignore_ascii_case("filter")) {
                return None;
            }
            let paged = names
                .iter()
                .any(|k| k.eq_ignore_ascii_case("startIndex") || k.eq_ignore_ascii_case("count"));
            Some(Read::List { of, paged })
        }
        Action::ImportUsers if counts(body) || e.is_some_and(|e| e.listed.is_some()) => {
            Some(Read::Okta(ResourceKind::Users))
        }
        Action::RefreshAppGroups if counts(body) => Some(Read::Okta(ResourceKind::Groups)),
        _ => None,
    }
}

fn params(query: &str) -> impl Iterator<Item = (&str, &str)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| p.split_once('=').unwrap_or((p, "")))
}

/// Why `s` must run alone on a live server (its first step that reads the directory), if it
/// must.
pub(crate) fn reads_directory(s: &Scenario) -> Option<String> {
    s.steps.iter().enumerate().find_map(|(i, st)| {
        read_of(st).map(|_| {
            format!(
                "step {} (line {}) reads the whole directory",
                i + 1,
                st.location.line
            )
        })
    })
}

/// How many users and groups the server held at the scenario's start (`None`: not asked, or
/// the server did not say).
#[derive(Debug, Clone, Default)]
pub(crate) struct Baseline {
    users: Option<u64>,
    groups: Option<u64>,
    /// Why a count is missing, per collection asked.
    why_not: Vec<(ResourceKind, String)>,
}

impl Baseline {
    fn of(&self, c: ResourceKind) -> Result<u64, String> {
        let n = match c {
            ResourceKind::Users => self.users,
            ResourceKind::Groups => self.groups,
        };
        n.ok_or_else(|| {
            let why = self
                .why_not
                .iter()
                .find(|(k, _)| *k == c)
                .map_or("it was not asked", |(_, w)| w.as_str());
            format!(
                "this step counts every {} on the server, and how many it held before the scenario is not known ({why})",
                c.as_str()
            )
        })
    }

    /// Asks the server how many users (and groups) it holds, for each collection `s` reads;
    /// the requests come back as the report's first step.
    pub(crate) async fn take(okta: &OktaClient, s: &Scenario) -> (Baseline, StepReport) {
        let mut wanted: Vec<ResourceKind> = Vec::new();
        for st in &s.steps {
            let c = match read_of(st) {
                Some(Read::List { of, .. } | Read::Okta(of)) => of,
                None => continue,
            };
            if !wanted.contains(&c) {
                wanted.push(c);
            }
        }
        let mut b = Baseline::default();
        let mut exchanges: Vec<Exchange> = Vec::new();
        for c in wanted {
            let got = match okta
                .raw("GET", &format!("{}?startIndex=1&count=1", c.path()), None)
                .await
            {
                Ok(o) => {
                    let total = o
                        .exchanges
                        .last()
                        .and_then(|x| x.response.as_ref())
                        .and_then(|r| match &r.body {
                            crate::okta::Body::Json(v) => {
                                v.get("totalResults").and_then(Value::as_u64)
                            }
                            _ => None,
                        });
                    let status = o.status();
                    exchanges.extend(o.exchanges);
                    total.ok_or_else(|| {
                        format!(
                            "GET {}?startIndex=1&count=1 answered {} without a numeric totalResults",
                            c.path(),
                            status.map_or_else(|| "nothing".to_owned(), |s| s.to_string())
                        )
                    })
                }
                Err(e) => Err(e.to_string()),
            };
            match (got, c) {
                (Ok(n), ResourceKind::Users) => b.users = Some(n),
                (Ok(n), ResourceKind::Groups) => b.groups = Some(n),
                (Err(why), c) => b.why_not.push((c, why)),
            }
        }
        let mut held = Vec::new();
        if let Some(n) = b.users {
            held.push(format!("{n} users"));
        }
        if let Some(n) = b.groups {
            held.push(format!("{n} groups"));
        }
        let label = if held.is_empty() {
            "baseline: the server did not say what it holds".to_owned()
        } else {
            format!(
                "baseline: the server holds {} before this scenario",
                held.join(" and ")
            )
        };
        let step = StepReport {
            index: 0,
            label,
            line: None,
            status: StepStatus::Passed,
            skip_reason: None,
            findings: Vec::new(),
            exchanges,
            okta_message: None,
        };
        (b, step)
    }
}

/// What a step becomes on a live server with baseline `b`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Adjusted {
    /// Runs as written.
    AsWritten,
    /// Runs as this step; findings say the counts are relative (`note`).
    Relative { step: Box<Step>, note: String },
    /// Not meaningful here.
    Skip(String),
}

/// `step` made relative to what the server held before the scenario.
pub(crate) fn adjust(step: &Step, b: &Baseline) -> Adjusted {
    let Some(read) = read_of(step) else {
        return Adjusted::AsWritten;
    };
    let of = match read {
        Read::List { of, .. } | Read::Okta(of) => of,
    };
    let held = match b.of(of) {
        Ok(0) => return Adjusted::AsWritten,
        Ok(n) => n,
        Err(why) => return Adjusted::Skip(why),
    };
    let note = format!(
        "relative: the server held {held} other {} before this scenario",
        of.as_str()
    );
    let mut out = step.clone();
    let expect: &mut Expect = out.expect.get_or_insert_with(Expect::default);
    let body = expect.body.as_mut().and_then(Value::as_object_mut);
    match read {
        Read::List { paged: false, .. } => {
            // No count in the reason: a rerun on the same server gives the same report (the
            // baseline step says how many).
            return Adjusted::Skip(format!(
                "an unpaged list's first page is the server's choice once it holds other {} (counted on an empty server, or on the embedded mock)",
                of.as_str()
            ));
        }
        Read::List { paged: true, .. } => {
            let Action::Scim(req) = &mut out.action else {
                return Adjusted::AsWritten;
            };
            let (path, query) = req.path.split_once('?').unwrap_or((&req.path, ""));
            let mut start = 1u64;
            let mut kept = Vec::new();
            for (k, v) in params(query) {
                if k.eq_ignore_ascii_case("startIndex") {
                    // A startIndex below 1 is read as 1 (RFC 7644 §3.4.2.4).
                    start = v.parse::<i64>().map_or(1, |n| n.max(1) as u64);
                } else {
                    kept.push(format!("{k}={v}"));
                }
            }
            kept.insert(0, format!("startIndex={}", start + held));
            req.path = format!("{path}?{}", kept.join("&"));
            if let Some(m) = body {
                shift(m, "startIndex", held);
                shift(m, "totalResults", held);
            }
        }
        Read::Okta(_) => {
            if let Some(m) = body {
                if m.keys().any(|k| {
                    ["itemsPerPage", "startIndex", "Resources"]
                        .iter()
                        .any(|c| c.eq_ignore_ascii_case(k))
                }) {
                    return Adjusted::Skip(format!(
                        "which {} the first page holds is the server's choice once it holds other {}",
                        of.as_str(),
                        of.as_str()
                    ));
                }
                shift(m, "totalResults", held);
            }
        }
    }
    Adjusted::Relative {
        step: Box::new(out),
        note,
    }
}

fn shift(m: &mut serde_json::Map<String, Value>, key: &str, by: u64) {
    if let Some((_, v)) = m.iter_mut().find(|(k, _)| k.eq_ignore_ascii_case(key))
        && let Some(n) = v.as_u64()
    {
        *v = json!(n + by);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scenario(steps: &str) -> Scenario {
        let text = format!(
            "case: okta-x\ntitle: t\nrules: [Z22]\nprofiles: [okta]\npeople:\n  alice: {{ first: A, last: B, email: a@example.com }}\nsteps:\n{steps}"
        );
        crate::scenario::parse("x.yaml", &text).unwrap_or_else(|d| panic!("{d}"))
    }

    fn baseline(users: Option<u64>) -> Baseline {
        Baseline {
            users,
            groups: None,
            why_not: vec![(ResourceKind::Groups, "not asked here".into())],
        }
    }

    #[test]
    fn reads_are_derived_from_what_the_steps_expect() {
        let s = scenario(
            "  - assign_user: alice\n  - scim: { method: GET, path: \"/Users?filter=userName eq \\\"a@example.com\\\"\" }\n    expect: { body: { totalResults: 1 } }\n  - scim: { method: GET, path: /Groups }\n    expect: { body: { schemas: [x] } }\n",
        );
        assert_eq!(reads_directory(&s), None, "filtered or not counting");
        let s = scenario(
            "  - assign_user: alice\n  - scim: { method: GET, path: \"/Users?startIndex=1&count=2\" }\n    expect: { body: { itemsPerPage: 1 } }\n",
        );
        assert!(reads_directory(&s).unwrap().starts_with("step 2 "));
        let s = scenario(
            "  - assign_user: alice\n  - import_users:\n    expect: { listed: [alice] }\n",
        );
        assert!(reads_directory(&s).is_some());
    }

    #[test]
    fn a_paged_list_moves_its_start_and_its_totals_by_the_baseline() {
        let s = scenario(
            "  - scim: { method: GET, path: \"/Users?startIndex=2&count=2\" }\n    expect: { status: 200, body: { totalResults: 3, startIndex: 2, itemsPerPage: 2 } }\n",
        );
        let Adjusted::Relative { step, note } = adjust(&s.steps[0], &baseline(Some(40))) else {
            panic!("not made relative")
        };
        let Action::Scim(req) = &step.action else {
            panic!()
        };
        assert_eq!(req.path, "/Users?startIndex=42&count=2");
        let body = step.expect.as_ref().unwrap().body.clone().unwrap();
        assert_eq!(
            body,
            json!({"totalResults": 43, "startIndex": 42, "itemsPerPage": 2})
        );
        assert!(note.contains("40 other users"), "{note}");
        // An empty server: as written.
        assert_eq!(adjust(&s.steps[0], &baseline(Some(0))), Adjusted::AsWritten);
        // Unknown: skipped, saying why.
        let Adjusted::Skip(why) = adjust(&s.steps[0], &baseline(None)) else {
            panic!()
        };
        assert!(why.contains("not known"), "{why}");
    }

    #[test]
    fn unpaged_lists_and_first_pages_of_an_import_are_skipped_with_a_reason() {
        let s = scenario(
            "  - scim: { method: GET, path: /Users }\n    expect: { body: { totalResults: 3 } }\n  - import_users:\n    expect: { body: { totalResults: 21 } }\n  - import_users:\n    expect: { body: { Resources: [{}] } }\n",
        );
        let b = baseline(Some(5));
        assert!(matches!(adjust(&s.steps[0], &b), Adjusted::Skip(w) if w.contains("unpaged")));
        let Adjusted::Relative { step, .. } = adjust(&s.steps[1], &b) else {
            panic!()
        };
        assert_eq!(
            step.expect.as_ref().unwrap().body,
            Some(json!({"totalResults": 26}))
        );
        assert!(matches!(adjust(&s.steps[2], &b), Adjusted::Skip(_)));
    }
}

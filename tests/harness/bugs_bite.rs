//! Mutation coverage: every realistic server mistake of `zinc::Bug` (issue 18's section) is
//! caught. With the bug switched on in every mock of the run, the named scenario fails, and it
//! fails on the check that shows the mistake (the finding's `what`: `same_id`, `body.members`,
//! `scimType`…); with the bug off the same scenario passes (so the failure is the bug's, not
//! the scenario's). Which rule a finding cites is the rule catalogue's business, not pinned
//! here.

use rstest::rstest;
use zinc_harness::contract::ExitCode;
use zinc_harness::report::{RunReport, ScenarioStatus};
use zinc_harness::run::{self, Embedded, RunOptions, TargetSpec};
use zinc_harness::scenario::Scenario;
use zinc_harness::zinc::Bug;

use crate::support::runs::builtin;

fn scenario(file: &str) -> Scenario {
    builtin(&format!("okta/{file}"))
}

async fn run_with(s: &Scenario, bug: Option<Bug>) -> RunReport {
    let mut embedded = Embedded::default();
    if let Some(bug) = bug {
        embedded = embedded.with_bug(bug);
    }
    let opts = RunOptions {
        target: TargetSpec::Embedded(embedded),
        ..RunOptions::default()
    };
    run::run_all(vec![s.clone()], &opts, None).await.report
}

/// Every finding of the run as `(what, rule)`.
fn findings(report: &RunReport) -> Vec<(String, String)> {
    report
        .scenarios
        .iter()
        .flat_map(|s| &s.steps)
        .flat_map(|st| &st.findings)
        .map(|f| (f.what.clone(), f.rule.clone().unwrap_or_default()))
        .collect()
}

#[rstest]
#[case::group_filter_ignored(Bug::GroupFilterIgnored, "group-lookup-finds-existing.yaml", "status")]
#[case::group_filter_case_sensitive(
    Bug::GroupFilterCaseSensitive,
    "group-lookup-case-zinc.yaml",
    "body.totalResults"
)]
#[case::group_lookup_finds_nothing(
    Bug::GroupLookupFindsNothing,
    "group-lookup-finds-existing.yaml",
    "same_id"
)]
#[case::zero_based_start_index(Bug::ZeroBasedStartIndex, "paging-import.yaml", "listed")]
#[case::total_results_of_page(Bug::TotalResultsOfPage, "paging-import.yaml", "listed")]
#[case::error_past_the_end(Bug::ErrorPastTheEnd, "list-counters.yaml", "body.startIndex")]
#[case::plus_in_filter_value(
    Bug::PlusInFilterValueIsSpace,
    "filter-plus-in-value.yaml",
    "body.totalResults"
)]
#[case::external_id_lookup(
    Bug::ExternalIdLookupFindsNothing,
    "externalid-lookup-zinc.yaml",
    "body.totalResults"
)]
#[case::member_add_replaces(Bug::MemberAddReplaces, "member-patch-semantics.yaml", "body.members")]
#[case::member_remove_removes_everyone(
    Bug::MemberRemoveRemovesEveryone,
    "member-remove-filter.yaml",
    "body.members"
)]
#[case::remove_absent_member_fails(
    Bug::RemoveAbsentMemberFails,
    "member-patch-semantics.yaml",
    "ok"
)]
#[case::empty_member_replace_ignored(
    Bug::EmptyMemberReplaceIgnored,
    "empty-member-replace.yaml",
    "body.members"
)]
#[case::group_put_ignores_members(
    Bug::GroupPutIgnoresMembers,
    "aiw-group-put-members.yaml",
    "body.members"
)]
#[case::duplicate_group_names(Bug::DuplicateGroupNames, "group-name-unique-zinc.yaml", "scimType")]
#[case::username_unique_case_sensitive(
    Bug::UserNameUniqueCaseSensitive,
    "username-unique-case-zinc.yaml",
    "status"
)]
#[case::conflict_without_scim_type(
    Bug::ConflictWithoutScimType,
    "username-unique-case-zinc.yaml",
    "scimType"
)]
#[case::not_found_without_detail(Bug::NotFoundWithoutDetail, "unknown-user-by-id.yaml", "detail")]
#[case::deleted_group_stays_readable(
    Bug::DeletedGroupStaysReadable,
    "group-delete-gone.yaml",
    "absent"
)]
#[case::put_without_active_deactivates(
    Bug::PutWithoutActiveDeactivates,
    "put-without-active-zinc.yaml",
    "body.active"
)]
#[case::recreated_user_gets_old_id(
    Bug::RecreatedUserGetsOldId,
    "recreated-user-zinc.yaml",
    "absent"
)]
#[case::recreated_user_gets_old_groups(
    Bug::RecreatedUserGetsOldGroups,
    "recreated-user-zinc.yaml",
    "body.members"
)]
#[case::op_case_sensitive(Bug::OpCaseSensitive, "patch-op-case-zinc.yaml", "body.name")]
#[case::credential_test_server_error(Bug::CredentialTestServerError, "credential-test.yaml", "ok")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_realistic_server_bug_fails_its_scenario(
    #[case] bug: Bug,
    #[case] file: &str,
    #[case] what: &str,
) {
    let s = scenario(file);
    let intact = run_with(&s, None).await;
    assert_eq!(
        intact.scenarios[0].status,
        ScenarioStatus::Passed,
        "{file} fails on the intact mock: {:?}",
        findings(&intact)
    );

    let broken = run_with(&s, Some(bug)).await;
    assert_eq!(
        broken.scenarios[0].status,
        ScenarioStatus::Failed,
        "with {bug} on, {file} still passes"
    );
    let found = findings(&broken);
    // A step acting on several people or groups names the one in brackets: `ok [alice]`.
    assert!(
        found
            .iter()
            .any(|(w, _)| w == what || w.starts_with(&format!("{what} ["))),
        "with {bug} on, {file} fails, but not on `{what}`: {found:#?}"
    );
    assert_eq!(broken.exit_code(), ExitCode::Failures);
}

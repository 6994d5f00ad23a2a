//! The simulated Okta client: Okta's own state (people, assignments, server ids, pushed
//! groups, the app-group cache) and every provisioning action of `okta-client.md`, sent the
//! way Okta sends it (headers, bodies, order, quirks) in either personality (`oin`, `aiw`).
//!
//! ```no_run
//! # async fn demo() -> Result<(), zinc_harness::okta::OktaError> {
//! use zinc_harness::okta::{Auth, OktaClient, OktaConfig, PersonProfile};
//! let okta = OktaClient::new(OktaConfig::new("http://127.0.0.1:8080/scim/v2", Auth::Bearer("t".into())))?;
//! okta.add_person("alice", PersonProfile::new("Alice", "Smith", "alice@example.com"))?;
//! let outcome = okta.assign_user("alice").await?;
//! assert!(outcome.ok, "{:?}", outcome.message);
//! # Ok(()) }
//! ```
//!
//! Two kinds of failure are kept apart: what the server did (a 4xx, a timeout, a non-JSON
//! body) is an [`ActionOutcome`] with `ok: false` and the message Okta would show; a misuse
//! of the client (an unknown person key, Group Push off) is an [`OktaError`].
//!
//! # Choices, with their evidence (S-numbers of okta-client-reference.md; §10 wins)
//!
//! The OIN, AIW and Entra differences live in one module each (`oin.rs`, `aiw.rs`, `entra/`)
//! behind the `Personality` trait (`personality.rs`); `actions.rs` sends what they plan.
//!
//! - **Link on a lookup hit**: `aiw` `GET` + `PUT` with every mapped attribute,
//!   `active:true`, and `externalId` = the Okta id, `groups: []` and `locale` (the profile's,
//!   else `en-US`) written over the server's (§10.5, S14). `oin` `GET` + `PUT` with the
//!   profile and `active:true`: UNCERTAIN, no OIN capture; Okta's doc says it "sends the
//!   user's application profile" (§10.6, S1). Several hits: the first. A lookup answered 404
//!   counts as "no match" (Okta's docs accept it), so a `POST` follows.
//! - **Create body**: `schemas`, `userName`, `name`, `emails[{primary,value,type:"work"}]`,
//!   `displayName` (`first last`), `locale`, `title`, the enterprise extension
//!   (`department`, `employeeNumber`, `costCenter`, `organization`, `division`, `manager:
//!   {value: <manager's server id>}`) under its URN, custom attributes under the app's URN
//!   (each URN added to `schemas`; §3.2, §10.1, S22), `externalId` (Okta id), `groups: []`,
//!   `password`, `active:true`. Empty attributes are left out. `oin` maps `locale` to
//!   `en-US` when the person has none (§10.10, S18). The manager is sent once Okta knows its
//!   server id (RFC 7643 §4.3), else left out (UNCERTAIN: Okta sends whatever it maps).
//! - **Placeholder password**: 8 characters, two of them symbols (`gl^m&qWZ`, §10.10, S18,
//!   S20), reproducible per Okta id and create.
//! - **Profile push diff**: the `PUT` is the `GET` body with the attributes that changed
//!   since Okta's last successful push written over it (Okta "diffs against its own copy");
//!   when Okta never pushed the profile, every mapped attribute is written. A cleared
//!   attribute (enterprise and custom ones too) is removed from the body.
//! - **Success** is any 2xx (Okta expects 201 for `POST`, 204 for `DELETE`, 200/204 for
//!   `PATCH`, and accepts 200 for all of them here).
//! - **`aiw` deprovisioning** `PUT`s the `GET` body with only `active:false` changed (pending
//!   profile edits wait for the next profile push, so they cannot block a deprovision). The
//!   run's clean-up deprovisions the same way, also users Okta has no person for: an `aiw`
//!   app never PATCHes (§10.13).
//! - **Deactivation** of an Okta user also removes its app assignment (as Okta logs it);
//!   `reactivate_user` and `reassign_user` both end with the person active and assigned and
//!   send the same requests. Deprovisioning never touches groups (reference §9.17).
//! - **Groups after provisioning**: when an assignment or reactivation makes a user an
//!   active app user, each pushed group they belong to gets them added (`oin`: add PATCH +
//!   rename PATCH; `aiw`: `GET` + `PUT`), after the user's own requests. The outcome's
//!   `primary` exchange stays the user's.
//! - **`oin` group create** (§10.2): `POST /Groups` with the members, then `PATCH add
//!   members` with the same members (S18, Okta's own capture: the best evidence). S20
//!   reports the rename PATCH right after the create, before the members: the setting
//!   `AfterCreate::RenameThenMembers` (`okta: { group_create: rename_then_members }`).
//!   `aiw` create is `POST` then `GET` + `PUT` (S12, S13).
//! - **Membership batches**: at most 256 member values per PATCH ("Group Patch Batch
//!   Size", §10.3, S21; `okta: { group_patch_batch_size: N }`), the rename PATCH once after
//!   the last batch. A full push ("Push now", a link) over the size sends the first part as
//!   the `replace` and the rest as `add`s: UNCERTAIN, not captured.
//! - **GET before the rename**: off; one 2020 capture shows it (§10.7, S20 go-scim#57):
//!   `okta: { get_before_rename: true }`.
//! - **`aiw` group PUT**: `GET`, then `{schemas, id, displayName, members}` (§10.4, S20), not
//!   an echo of the GET.
//! - **Group lookup** only when Okta does not know the group (§10.11, S1 2024): a group Okta
//!   pushed before is linked by its id; with Import Groups on (`okta: { import_groups: true
//!   }`) the imported list (`refresh_app_groups`) decides, with no lookup.
//! - **Group link** (`push_group` finding a same-named group): `oin` replace-members PATCH
//!   then the rename PATCH; `aiw` `GET` + `PUT`. `push_now` in `oin` is the replace PATCH
//!   alone.
//! - **Password sync** (`sync_password`): `oin` path-less `PATCH {"op":"replace","value":
//!   {"password": …}}` (documented, UNCERTAIN: not captured, §3.7); `aiw` `GET` + `PUT` with
//!   `password`. Redacted everywhere like the placeholder.
//! - **Unlink** drops Okta's link even when the `DELETE` fails (the delete is its own job).
//! - **429** (§10.8, S19): Okta's schedule is the model: `Retry-After` in integer seconds
//!   only; without one (or with an HTTP date, or anything else) 5 minutes, doubling on each
//!   further 429; 10 tries in all. Each 429 exchange records the sentence
//!   (`Exchange::okta_retry`: "Okta would retry in 300 s; this server sent no Retry-After");
//!   the client really waits Okta's wait cut to `RetryPolicy::max_wait` (`run --retry-wait`,
//!   `okta: { retry_wait_ms }`, default 100 ms). UNCERTAIN: whether Okta doubles a usable
//!   `Retry-After` too (taken as sent). The run's wire check warns of a 429 without a
//!   usable `Retry-After` (`okta:retry-after`). No other status is retried automatically
//!   (none observed).
//! - **Timeout** bounds each whole exchange (and the connect): 60 s as Okta's (§10.9, S4;
//!   `run --timeout`, `okta: { timeout_ms }`). Redirects are not followed:
//!   a 3xx fails the action with its status and where it pointed. A response body is read
//!   up to 4 MiB (`MAX_BODY`); a bigger one fails the request instead of filling memory.
//! - **Headers**: Okta's six, recorded in the order `User-Agent`, `Accept`,
//!   `Accept-Charset`, `Accept-Encoding`, `Content-Type` (with a body), `Authorization`.
//!   `Connection` is not set (samples disagree); `Host`/`Content-Length` come from the HTTP
//!   stack and are not recorded. gzip/deflate answers are decoded by `Content-Encoding`.
//! - **Messages**: `<context>: <reason phrase>. Errors reported by remote server: <detail>`,
//!   `detail` being SCIM 2.0 `detail` or SCIM 1.1 `Errors[].description`; a body that is
//!   not JSON gives Jackson's text (`Invalid JSON: Unrecognized token 'error': … column: 6`).
//!   List counters that are not JSON numbers fail the listing (reference §9.14).
//! - **Ids and passwords**: Okta ids are `00u`/`00g` + 17 alphanumerics and the placeholder
//!   password 8 characters, all from a stable hash of the key and the client's `id_seed` (and
//!   the create count), so snapshots are reproducible; the runner seeds with the run id and
//!   the scenario, so ids are unique per run, scenario and person, as Okta's are. Filters encode everything but RFC 3986 unreserved
//!   characters (`%20`, `%22`, `%40`), as Okta's current docs show.

mod actions;
mod aiw;
mod client;
mod config;
mod directory;
pub mod entra;
mod http;
mod oin;
mod outcome;
mod personality;
mod raw;

pub use crate::contract::{Body, Exchange, REDACTED, Response};
pub use client::OktaClient;
pub use config::{
    AfterCreate, App, Auth, AuthMode, DEFAULT_RETRY_WAIT, DEFAULT_TIMEOUT, EntraSettings,
    GROUP_PATCH_BATCH_SIZE, GroupPush, OktaConfig, Recording, RetryPolicy,
};
pub(crate) use directory::default_display_name;
pub use directory::{
    AppGroup, ImportedUser, OktaGroup, Person, PersonProfile, ProfileChanges, PushedGroup,
    okta_group_id, okta_group_id_in, okta_user_id, okta_user_id_in, placeholder_password,
    synced_password,
};
pub(crate) use http::delay_seconds;
pub use http::{
    ACCEPT, ACCEPT_CHARSET, ACCEPT_ENCODING, CONTENT_TYPE, OKTA_DEFAULT_RETRY, OKTA_MAX_TRIES,
    USER_AGENT,
};
pub use outcome::{ActionKind, ActionOutcome, ActionResult, OktaError};
pub use raw::RawRequest;

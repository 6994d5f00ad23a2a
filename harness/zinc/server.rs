//! [`MockZinc`]: the mock Zinc server on loopback, for tests and for `zinc-harness serve`.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use hyper_util::rt::TokioIo;
use tokio::sync::{Notify, Semaphore, oneshot, watch};

use super::admin_gate::AdminGate;
use super::config::ZincConfig;
use super::console::Admin;
use super::directory::Directory;
use super::faults::Faults;
use super::fixture::{self, FixtureError};
use super::http::{self, AppState, CONNECTION};
use super::received::{Expect, ReceivedRequest, RequestLog, Unmet};

/// Why a mock Zinc could not start.
#[derive(Debug, thiserror::Error)]
pub enum ZincError {
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot start the server runtime: {0}")]
    Runtime(#[source] std::io::Error),
    #[error("bad fixture: {0}")]
    Fixture(#[from] FixtureError),
}

/// A running mock Zinc SCIM server (rules Z1–Z25 of `zinc-contract.md`) on its own
/// multi-threaded tokio runtime, so it works from any test, async or not. Dropping it stops
/// the server.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// use zinc_harness::zinc::MockZinc;
///
/// let zinc = MockZinc::start().await;
/// let token = zinc.token().expect("provisioning is enabled by default");
/// let resp = reqwest::Client::new()
///     .post(format!("{}/Users", zinc.base_url()))
///     .bearer_auth(&token)
///     .json(&serde_json::json!({"userName": "alice@example.com",
///                               "name": {"givenName": "Alice", "familyName": "Smith"}}))
///     .send()
///     .await
///     .unwrap();
/// assert_eq!(resp.status(), 201);
/// // The Admin Console sees the user; Zinc made the displayName (Z8).
/// assert_eq!(zinc.admin().list_users()[0].display_name, "Alice Smith");
/// zinc.shutdown().await;
/// # }
/// ```
pub struct MockZinc {
    addr: SocketAddr,
    dir: Arc<Directory>,
    faults: Faults,
    log: RequestLog,
    shutdown: Option<watch::Sender<bool>>,
    done: Option<oneshot::Receiver<()>>,
    runtime: Option<tokio::runtime::Runtime>,
}

impl std::fmt::Debug for MockZinc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockZinc")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl MockZinc {
    /// Starts a mock Zinc with the defaults: provisioning enabled with a random token, scope
    /// users and groups, policy `retain`, on a free loopback port. Panics if it cannot start
    /// (use [`MockZinc::start_with`] to handle that).
    pub async fn start() -> MockZinc {
        match Self::start_with(ZincConfig::default()).await {
            Ok(z) => z,
            Err(e) => panic!("cannot start the mock Zinc: {e}"),
        }
    }

    /// Starts a mock Zinc with the given configuration.
    pub async fn start_with(config: ZincConfig) -> Result<MockZinc, ZincError> {
        let std_listener = std::net::TcpListener::bind(config.addr)
            .and_then(|l| l.set_nonblocking(true).map(|()| l))
            .map_err(|source| ZincError::Bind {
                addr: config.addr,
                source,
            })?;
        let mut addr = std_listener
            .local_addr()
            .map_err(|source| ZincError::Bind {
                addr: config.addr,
                source,
            })?;
        let bound = addr;
        if addr.ip().is_unspecified() {
            addr.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
        }
        let dir = Arc::new(Directory::new(
            &config,
            format!("http://{addr}{}", http::SCIM_PREFIX),
        ));
        if let Some(path) = &config.fixture {
            fixture::load(&dir, path)?;
        }
        let faults = Faults::default();
        let log = RequestLog::new(config.request_log_limit);
        let state = AppState::new(
            dir.clone(),
            faults.clone(),
            Admin::new(dir.clone()),
            log.clone(),
            AdminGate {
                enabled: config.admin_api,
                token: config.admin_token.clone(),
                addr: bound,
            },
            config.request_timeout,
        );
        let app = http::router(state.clone());
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("mock-zinc")
            .enable_all()
            .build()
            .map_err(ZincError::Runtime)?;
        let max_connections = config.max_connections.max(1);
        let (tx, rx) = watch::channel(false);
        let (done_tx, done_rx) = oneshot::channel();
        runtime.spawn(async move {
            match tokio::net::TcpListener::from_std(std_listener) {
                Ok(listener) => serve(listener, app, state, rx, max_connections).await,
                Err(e) => tracing::error!("mock Zinc cannot listen on {bound}: {e}"),
            }
            let _ = done_tx.send(());
        });
        Ok(MockZinc {
            addr,
            dir,
            faults,
            log,
            shutdown: Some(tx),
            done: Some(done_rx),
            runtime: Some(runtime),
        })
    }

    /// The listening address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The SCIM base URL, `http://127.0.0.1:PORT/scim/v2`.
    pub fn base_url(&self) -> String {
        self.dir.base_url().to_owned()
    }

    /// The admin API base URL, `http://127.0.0.1:PORT/admin/v1`.
    pub fn admin_url(&self) -> String {
        format!("http://{}{}", self.addr, http::ADMIN_PREFIX)
    }

    /// The current bearer token; `None` while provisioning is disabled (Z1).
    pub fn token(&self) -> Option<String> {
        self.dir.settings.read().token.clone()
    }

    /// The Admin Console and support actions, in process.
    pub fn admin(&self) -> Admin {
        Admin::new(self.dir.clone())
    }

    /// The fault layer.
    pub fn faults(&self) -> Faults {
        self.faults.clone()
    }

    /// Every SCIM request received so far, oldest first, with the status it got, redacted
    /// (bounded by [`ZincConfig::request_log_limit`]).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// use zinc_harness::zinc::{Expect, MockZinc};
    ///
    /// let zinc = MockZinc::start().await;
    /// // The client under test would do this:
    /// reqwest::Client::new()
    ///     .get(format!("{}/Users?startIndex=1&count=2", zinc.base_url()))
    ///     .bearer_auth(zinc.token().unwrap())
    ///     .send()
    ///     .await
    ///     .unwrap();
    /// let got = zinc.received_requests();
    /// assert_eq!(got[0].line(), "GET /Users?startIndex=1&count=2");
    /// assert_eq!(got[0].status, Some(200));
    /// // Credentials never reach the log.
    /// assert!(got[0].headers.iter().all(|(_, v)| !v.contains(&zinc.token().unwrap())));
    /// // Checked now with `verify`, and again when `zinc` is dropped.
    /// zinc.expect(Expect::request("DELETE", "/Users*").never());
    /// zinc.verify().unwrap();
    /// # }
    /// ```
    pub fn received_requests(&self) -> Vec<ReceivedRequest> {
        self.log.snapshot()
    }

    /// The requests received after the first `seen` (0: all still kept), and the number to
    /// pass next time; for following the log as requests arrive (`serve --log`).
    pub fn received_since(&self, seen: u64) -> (Vec<ReceivedRequest>, u64) {
        self.log.since(seen)
    }

    /// Forgets the requests received so far (the expectations stay).
    pub fn reset_requests(&self) {
        self.log.clear();
    }

    /// Registers an expectation on the requests this mock receives, checked by
    /// [`MockZinc::verify`] and when the mock is dropped (the test then panics with what did
    /// arrive, unless it is already panicking).
    pub fn expect(&self, expectation: Expect) {
        self.log.expect(expectation);
    }

    /// Checks the registered expectations against what was received.
    pub fn verify(&self) -> Result<(), Unmet> {
        self.log.verify()
    }

    /// The HTTP-agnostic core (for benchmarks and white-box tests).
    pub fn directory(&self) -> Arc<Directory> {
        self.dir.clone()
    }

    /// Stops the server and waits until the port is closed.
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(true);
        }
        if let Some(done) = self.done.take() {
            let _ = tokio::time::timeout(Duration::from_secs(5), done).await;
        }
        // Drop does the rest.
    }
}

impl Drop for MockZinc {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(true);
        }
        if let Some(rt) = self.runtime.take() {
            // Never blocks, so it is safe inside an async context.
            rt.shutdown_background();
        }
        // Like wiremock's `MockServer`: unmet expectations fail the test that made them.
        if self.log.has_expectations()
            && !std::thread::panicking()
            && let Err(unmet) = self.log.verify()
        {
            panic!("{unmet}");
        }
    }
}

/// Accepts connections until `shutdown` fires; HTTP/1.1 with keep-alive. Each connection
/// can be dropped by the fault layer through [`CONNECTION`].
async fn serve(
    listener: tokio::net::TcpListener,
    app: axum::Router,
    state: AppState,
    mut shutdown: watch::Receiver<bool>,
    max_connections: usize,
) {
    let open = Arc::new(Semaphore::new(max_connections));
    loop {
        let accepted = tokio::select! {
            _ = shutdown.changed() => break,
            accepted = listener.accept() => accepted,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            Err(_) => {
                // Out of file descriptors and the like: back off instead of spinning.
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        // Past the cap a connection is answered at once and closed, so descriptors stay
        // free for the server's own work and the client learns why.
        let Ok(permit) = open.clone().try_acquire_owned() else {
            tokio::spawn(refuse_connection(stream));
            continue;
        };
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        let state = state.clone();
        let mut shutdown = shutdown.clone();
        tokio::spawn(async move {
            let _permit = permit;
            let kill = Arc::new(Notify::new());
            let service = hyper::service::service_fn(
                move |req: hyper::Request<hyper::body::Incoming>| {
                    let (app, state) = (app.clone(), state.clone());
                    async move { Ok::<_, std::convert::Infallible>(http::front(app, state, req).await) }
                },
            );
            // A client that never finishes its headers is dropped after 30 s.
            let conn = hyper::server::conn::http1::Builder::new()
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(Duration::from_secs(30))
                .keep_alive(true)
                .serve_connection(TokioIo::new(stream), service);
            let conn = CONNECTION.scope(kill.clone(), conn);
            tokio::select! {
                _ = conn => {}
                _ = kill.notified() => {}
                _ = shutdown.changed() => {}
            }
        });
    }
}

/// The answer past [`ZincConfig::max_connections`]: a 503 SCIM Error, then the connection
/// is closed (within a second, whatever the client does).
async fn refuse_connection(mut stream: tokio::net::TcpStream) {
    use tokio::io::AsyncWriteExt;
    const BODY: &str = r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"503","detail":"too many open connections: the server's connection limit is reached"}"#;
    let answer = format!(
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/scim+json\r\nContent-Length: {}\r\nConnection: close\r\nRetry-After: 1\r\n\r\n{BODY}",
        BODY.len()
    );
    let _ = tokio::time::timeout(Duration::from_secs(1), stream.write_all(answer.as_bytes())).await;
}

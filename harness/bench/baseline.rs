//! The baseline: the smallest HTTP server that can stand in for a SCIM server, answering one
//! fixed body to every request. Driving it with the same client code and the same request mix
//! as the mock turns absolute times on a noisy machine into ratios
//! (`mock throughput / baseline throughput`).
//!
//! It runs like [`crate::zinc::MockZinc`]: raw hyper HTTP/1.1 with keep-alive on its own
//! 2-thread runtime on loopback, so the comparison is server logic against no logic at all.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::time::Duration;

use axum::body::Body;
use hyper::Response;
use hyper_util::rt::TokioIo;
use tokio::sync::watch;

/// One body that every Okta action accepts: a `ListResponse` with no match (so a lookup is
/// followed by a create) that also carries an `id` (so the create, and a group push, learn a
/// server id). A list read by paging stops after this one empty page.
pub(crate) const FIXED_BODY: &str = concat!(
    r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"#,
    r#""totalResults":0,"itemsPerPage":0,"startIndex":1,"Resources":[],"#,
    r#""id":"2819c223-7f76-453a-919d-413861904646","userName":"baseline@example.com","#,
    r#""displayName":"baseline","active":true}"#
);

/// The thread name of the baseline's runtime (the CPU accounting tells it apart by name).
pub(crate) const THREAD_NAME: &str = "bench-baseline";

/// A running fixed-body server. Dropping it stops it.
pub(crate) struct Baseline {
    addr: SocketAddr,
    shutdown: Option<watch::Sender<bool>>,
    runtime: Option<tokio::runtime::Runtime>,
}

impl Baseline {
    /// Listens on a free loopback port.
    pub(crate) fn start() -> std::io::Result<Baseline> {
        let std_listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        std_listener.set_nonblocking(true)?;
        let addr = std_listener.local_addr()?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name(THREAD_NAME)
            .enable_all()
            .build()?;
        let (tx, rx) = watch::channel(false);
        runtime.spawn(async move {
            if let Ok(listener) = tokio::net::TcpListener::from_std(std_listener) {
                serve(listener, rx).await;
            }
        });
        Ok(Baseline {
            addr,
            shutdown: Some(tx),
            runtime: Some(runtime),
        })
    }

    /// The base URL to point the simulated Okta at (any path gets the same answer).
    pub(crate) fn base_url(&self) -> String {
        format!("http://{}/scim/v2", self.addr)
    }
}

impl Drop for Baseline {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(true);
        }
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }
}

async fn serve(listener: tokio::net::TcpListener, mut shutdown: watch::Receiver<bool>) {
    loop {
        let stream = tokio::select! {
            _ = shutdown.changed() => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                }
            },
        };
        let _ = stream.set_nodelay(true);
        let mut shutdown = shutdown.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(
                |req: hyper::Request<hyper::body::Incoming>| async move {
                    // Read the request body as a real server must before answering.
                    let _ = axum::body::to_bytes(Body::new(req.into_body()), usize::MAX).await;
                    let resp = Response::builder()
                        .status(200)
                        .header("Content-Type", "application/scim+json")
                        .body(Body::from(FIXED_BODY))
                        .expect("a static response is valid");
                    Ok::<_, Infallible>(resp)
                },
            );
            let conn = hyper::server::conn::http1::Builder::new()
                .keep_alive(true)
                .serve_connection(TokioIo::new(stream), service);
            tokio::select! {
                _ = conn => {}
                _ = shutdown.changed() => {}
            }
        });
    }
}

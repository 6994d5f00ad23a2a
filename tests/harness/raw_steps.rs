//! Issue #13.2: raw `scim:` steps go through the Okta client's one send path, so a
//! misbehaving server cannot exhaust the runner: the decoded body is capped, the timeout
//! covers the body read and its decompression, and a failed read fails the step.

use std::io::Write as _;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use zinc_harness::report::{ScenarioReport, ScenarioStatus};
use zinc_harness::run::{self, RunOptions};

use crate::support::runs::{parsed, stand_in_target};

/// What the misbehaving server sends after its headers.
#[derive(Clone, Copy)]
enum Misbehaviour {
    /// gzip of endless zeros: a few KB on the wire per GB decoded.
    GzipBomb,
    /// `Transfer-Encoding: chunked` that never ends.
    EndlessChunks,
    /// A declared body sent one byte every 50 ms.
    Trickle,
}

/// A loopback server that answers every request with `how`, until the client goes away.
async fn misbehaving(how: Misbehaviour) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(answer(stream, how));
        }
    });
    format!("http://{addr}/scim/v2")
}

async fn answer(mut stream: TcpStream, how: Misbehaviour) {
    // The request's headers (raw steps send no body here).
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    while !seen.windows(4).any(|w| w == b"\r\n\r\n") && seen.len() < 65_536 {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => seen.extend_from_slice(&buf[..n]),
        }
    }
    let head = match how {
        Misbehaviour::GzipBomb => {
            "HTTP/1.1 200 OK\r\nContent-Type: application/scim+json\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n"
        }
        Misbehaviour::EndlessChunks => {
            "HTTP/1.1 200 OK\r\nContent-Type: application/scim+json\r\nTransfer-Encoding: chunked\r\n\r\n"
        }
        Misbehaviour::Trickle => {
            "HTTP/1.1 200 OK\r\nContent-Type: application/scim+json\r\nContent-Length: 1000000\r\n\r\n"
        }
    };
    if stream.write_all(head.as_bytes()).await.is_err() {
        return;
    }
    match how {
        Misbehaviour::GzipBomb => {
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
            let zeros = vec![b' '; 1 << 20];
            loop {
                gz.write_all(&zeros).expect("in memory");
                gz.flush().expect("in memory");
                let out = std::mem::take(gz.get_mut());
                if !out.is_empty() && chunk(&mut stream, &out).await.is_err() {
                    return;
                }
            }
        }
        Misbehaviour::EndlessChunks => {
            let data = vec![b'x'; 64 * 1024];
            if chunk(&mut stream, b"{\"a\": \"").await.is_err() {
                return;
            }
            while chunk(&mut stream, &data).await.is_ok() {}
        }
        Misbehaviour::Trickle => loop {
            tokio::time::sleep(Duration::from_millis(50)).await;
            if stream.write_all(b" ").await.is_err() {
                return;
            }
        },
    }
}

async fn chunk(stream: &mut TcpStream, data: &[u8]) -> std::io::Result<()> {
    stream
        .write_all(format!("{:x}\r\n", data.len()).as_bytes())
        .await?;
    stream.write_all(data).await?;
    stream.write_all(b"\r\n").await
}

/// One scenario of two raw steps against `base`: one with its own header (the path that had
/// its own HTTP client) and one plain.
async fn run_raw_steps(base: String, timeout: Duration) -> ScenarioReport {
    let s = parsed(
        "raw.yaml",
        "title: raw steps against a misbehaving server\nsteps:\n  - scim: { method: GET, path: /Users, headers: { X-Probe: \"1\" } }\n  - scim: { method: GET, path: /Users, auth: none }\n  - scim: { method: GET, path: /Users }\n",
    );
    let opts = RunOptions {
        target: stand_in_target(base, "raw-step-test-token"),
        timeout,
        deadline: Duration::from_secs(60),
        ..RunOptions::default()
    };
    let mut out = run::run_all(vec![s], &opts, None).await;
    out.report.scenarios.remove(0)
}

#[track_caller]
fn assert_every_raw_step_failed(r: &ScenarioReport, says: &str) {
    assert_eq!(r.status, ScenarioStatus::Failed, "{r:#?}");
    let raw: Vec<_> = r
        .steps
        .iter()
        .filter(|s| s.label.contains("scim"))
        .collect();
    assert_eq!(raw.len(), 3, "{:#?}", r.steps);
    for step in raw {
        let message = step.okta_message.as_deref().unwrap_or_default();
        assert!(message.contains(says), "{}: {message:?}", step.label);
        // The transcript says why too, and keeps nothing of the body.
        let ex = step.exchanges.last().expect("recorded");
        assert!(
            ex.error.as_deref().unwrap_or_default().contains(says),
            "{ex:#?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gzip_bomb_through_a_raw_step_stops_at_the_body_cap() {
    let base = misbehaving(Misbehaviour::GzipBomb).await;
    let r = run_raw_steps(base, Duration::from_secs(30)).await;
    assert_every_raw_step_failed(&r, "larger than 4 MiB");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_endless_chunked_body_through_a_raw_step_stops_at_the_body_cap() {
    let base = misbehaving(Misbehaviour::EndlessChunks).await;
    let r = run_raw_steps(base, Duration::from_secs(30)).await;
    assert_every_raw_step_failed(&r, "larger than 4 MiB");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trickled_body_through_a_raw_step_times_out() {
    let base = misbehaving(Misbehaviour::Trickle).await;
    let r = run_raw_steps(base, Duration::from_millis(500)).await;
    assert_every_raw_step_failed(&r, "Read timed out");
}

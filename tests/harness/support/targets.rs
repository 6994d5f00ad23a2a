//! Misbehaving SCIM targets made of raw TCP, for what wiremock cannot do: a body that drips
//! one byte at a time forever, a body of tens of MB, a port nobody listens on. Each server
//! answers every request the same way and lives until the test's runtime ends.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A loopback URL (with the SCIM base path) where nothing listens: connection refused.
pub fn refused_url() -> String {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port");
    format!("http://127.0.0.1:{port}/scim/v2")
}

/// Sends 200 headers promising a JSON body, then one byte every `every`, never finishing.
pub async fn slow_drip(every: Duration) -> String {
    serve(move |mut sock| async move {
        let head = "HTTP/1.1 200 OK\r\nContent-Type: application/scim+json\r\n\
                    Content-Length: 1000000\r\n\r\n{\"schemas\":";
        if sock.write_all(head.as_bytes()).await.is_err() {
            return;
        }
        loop {
            tokio::time::sleep(every).await;
            if sock.write_all(b" ").await.is_err() {
                return;
            }
        }
    })
    .await
}

/// Answers 200 with a JSON-looking body of `size` bytes, with a `Content-Length` when
/// `declare` is set and otherwise delimited by closing the connection.
pub async fn huge_body(size: usize, declare: bool) -> String {
    serve(move |mut sock| async move {
        let head = if declare {
            format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/scim+json\r\nContent-Length: {size}\r\n\r\n"
            )
        } else {
            "HTTP/1.1 200 OK\r\nContent-Type: application/scim+json\r\nConnection: close\r\n\r\n"
                .to_owned()
        };
        if sock.write_all(head.as_bytes()).await.is_err() {
            return;
        }
        let chunk = vec![b' '; 64 * 1024];
        let mut sent = 0;
        while sent < size {
            let n = chunk.len().min(size - sent);
            // The client stops reading at its cap and hangs up: a write error ends this.
            if sock.write_all(&chunk[..n]).await.is_err() {
                return;
            }
            sent += n;
        }
        let _ = sock.shutdown().await;
    })
    .await
}

/// Binds 127.0.0.1:0 and hands each connection, its request read, to `answer`. Returns the
/// SCIM base URL (`http://127.0.0.1:PORT/scim/v2`).
async fn serve<F, Fut>(answer: F) -> String
where
    F: Fn(TcpStream) -> Fut + Send + Sync + Clone + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let answer = answer.clone();
            tokio::spawn(async move {
                if read_request(&mut sock).await {
                    answer(sock).await;
                }
            });
        }
    });
    format!("http://127.0.0.1:{port}/scim/v2")
}

/// Reads one request (head and `Content-Length` body). False when the client went away.
async fn read_request(sock: &mut TcpStream) -> bool {
    let mut buf = Vec::new();
    let mut byte = [0u8; 1024];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        match sock.read(&mut byte).await {
            Ok(0) | Err(_) => return false,
            Ok(n) => buf.extend_from_slice(&byte[..n]),
        }
        if buf.len() > 64 * 1024 {
            return false;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
    let want: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    let mut have = buf.len() - head_end;
    while have < want {
        match sock.read(&mut byte).await {
            Ok(0) | Err(_) => return false,
            Ok(n) => have += n,
        }
    }
    true
}

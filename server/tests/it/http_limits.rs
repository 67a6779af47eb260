//! Issue 10: the HTTP server's bounds and the request guard, over raw TCP against the real binary: slow headers
//! and slow bodies are cut off, oversized heads answer 431, connections past the limit wait, and requests from
//! other hosts or sites are refused before any route runs.

use crate::support;

use std::time::Duration;

use support::Server;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Reads until the peer closes or `within` passes; the bytes, and whether the peer closed.
async fn read_until_closed(stream: &mut TcpStream, within: Duration) -> (Vec<u8>, bool) {
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    let deadline = tokio::time::Instant::now() + within;
    loop {
        match tokio::time::timeout_at(deadline, stream.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return (out, true),
            Ok(Ok(n)) => out.extend_from_slice(&buf[..n]),
            Err(_) => return (out, false),
        }
    }
}

/// The status code of the first response in `bytes`.
fn status(bytes: &[u8]) -> Option<u16> {
    let text = String::from_utf8_lossy(bytes);
    text.strip_prefix("HTTP/1.1 ")?.get(..3)?.parse().ok()
}

async fn exchange(server: &Server, request: &[u8]) -> (Option<u16>, String) {
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    stream.write_all(request).await.unwrap();
    let (bytes, _) = read_until_closed(&mut stream, Duration::from_secs(10)).await;
    (status(&bytes), String::from_utf8_lossy(&bytes).into_owned())
}

#[tokio::test]
async fn slow_headers_and_bodies_are_cut_off() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start_with(dir.path(), &["--header-timeout-secs", "1", "--body-timeout-secs", "1"]);
    // Slowloris: a head that never ends.
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: a").await.unwrap();
    let (_, closed) = read_until_closed(&mut stream, Duration::from_secs(6)).await;
    assert!(closed, "a connection that never finishes its headers is closed");
    // An idle keep-alive connection is closed too.
    let mut idle = TcpStream::connect(server.addr).await.unwrap();
    let (_, closed) = read_until_closed(&mut idle, Duration::from_secs(6)).await;
    assert!(closed, "an idle connection is closed");
    // A body that stops arriving.
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    let head = "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nAction=";
    stream.write_all(head.as_bytes()).await.unwrap();
    let (bytes, _) = read_until_closed(&mut stream, Duration::from_secs(6)).await;
    assert_eq!(status(&bytes), Some(408), "{}", String::from_utf8_lossy(&bytes));
    // A body that trickles a byte at a time: the deadline is for the whole body, not for each byte.
    let stream = TcpStream::connect(server.addr).await.unwrap();
    let (mut reader, mut writer) = stream.into_split();
    writer.write_all(head.as_bytes()).await.unwrap();
    let trickle = tokio::spawn(async move {
        for _ in 0..30 {
            tokio::time::sleep(Duration::from_millis(300)).await;
            if writer.write_all(b"a").await.is_err() {
                break;
            }
        }
    });
    let mut response = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(6), reader.read_to_end(&mut response)).await;
    trickle.abort();
    assert_eq!(status(&response), Some(408), "{}", String::from_utf8_lossy(&response));
}

#[tokio::test]
async fn oversized_heads_answer_431() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path());
    let many: String = (0..200).map(|i| format!("X-H{i}: v\r\n")).collect();
    let request = format!("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n{many}\r\n");
    assert_eq!(exchange(&server, request.as_bytes()).await.0, Some(431), "200 headers");
    let big = "v".repeat(80 * 1024);
    let request = format!("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: {big}\r\n\r\n");
    assert_eq!(exchange(&server, request.as_bytes()).await.0, Some(431), "an 80 KiB header");
    let fine = exchange(&server, b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").await;
    assert_eq!(fine.0, Some(200), "{}", fine.1);
}

#[tokio::test]
async fn connections_past_the_limit_wait_for_a_free_slot() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start_with(dir.path(), &["--max-connections", "2"]);
    let first = TcpStream::connect(server.addr).await.unwrap();
    let _second = TcpStream::connect(server.addr).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut third = TcpStream::connect(server.addr).await.unwrap();
    third.write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").await.unwrap();
    let (bytes, _) = read_until_closed(&mut third, Duration::from_millis(800)).await;
    assert!(bytes.is_empty(), "served past the limit: {}", String::from_utf8_lossy(&bytes));
    drop(first);
    let (bytes, _) = read_until_closed(&mut third, Duration::from_secs(10)).await;
    assert_eq!(status(&bytes), Some(200), "served once a slot is free: {}", String::from_utf8_lossy(&bytes));
}

#[tokio::test]
async fn foreign_hosts_cross_site_posts_and_wrong_content_types_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path());
    let form = "Action=DeleteDashboards&Version=2010-08-01&DashboardNames.member.1=d";
    let post = |host: &str, extra: &str, path: &str, content_type: &str, body: &str| {
        format!(
            "POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n{extra}\r\n{body}",
            body.len()
        )
    };
    // DNS rebinding: a page on evil.example resolved to 127.0.0.1.
    let (code, text) =
        exchange(&server, post("evil.example:4566", "", "/", "application/x-www-form-urlencoded", form).as_bytes())
            .await;
    assert_eq!(code, Some(421), "{text}");
    let (code, text) =
        exchange(&server, b"GET /cloudwatch/dashboards HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n")
            .await;
    assert_eq!(code, Some(421), "reads too: {text}");
    // A form posted by a page on another site, or another port of this machine.
    for origin in [
        "Origin: https://evil.example\r\n",
        "Origin: http://127.0.0.1:9\r\n",
        "Sec-Fetch-Site: cross-site\r\n",
        "Origin: null\r\n",
    ] {
        let (code, text) = exchange(
            &server,
            post("127.0.0.1:4566", origin, "/", "application/x-www-form-urlencoded", form).as_bytes(),
        )
        .await;
        assert_eq!(code, Some(403), "{origin}: {text}");
        assert!(text.contains("Cross-site request refused"), "{text}");
    }
    // JSON sent as text/plain to a server function, and a form to a JSON one.
    let (code, text) =
        exchange(&server, post("127.0.0.1", "", "/api/dashboard_delete", "text/plain", "{\"name\":\"d\"}").as_bytes())
            .await;
    assert_eq!(code, Some(415), "{text}");
    let (code, _) = exchange(&server, post("127.0.0.1", "", "/api/add_user", "text/plain", "name=x").as_bytes()).await;
    assert_eq!(code, Some(415));
    // The real thing: same-origin, right type, a loopback name.
    let (code, text) = exchange(
        &server,
        post(
            "localhost:4566",
            "Origin: http://localhost:4566\r\nSec-Fetch-Site: same-origin\r\n",
            "/api/whoami",
            "application/json",
            "{}",
        )
        .as_bytes(),
    )
    .await;
    assert_eq!(code, Some(200), "{text}");
}

/// Issue 10: the session cookie is `Secure` when the page is served over HTTPS (a proxy in front says so), and
/// only then.
#[tokio::test]
async fn the_session_cookie_is_secure_over_https() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("skywatch.toml");
    std::fs::write(&config, "[[users]]\nname = \"alice\"\nrole = \"admin\"\npassword = \"correct horse battery\"\n")
        .unwrap();
    let server = Server::start_with(dir.path(), &["--config", config.to_str().unwrap()]);
    let login = |proto: &str| {
        let body = "username=alice&password=correct+horse+battery&next=%2F";
        format!(
            "POST /api/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n{proto}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
    };
    let cookie_line = |response: &str| {
        response
            .lines()
            .find(|l| l.to_ascii_lowercase().starts_with("set-cookie: skywatch_session="))
            .map(str::to_owned)
    };
    let (_, plain) = exchange(&server, login("").as_bytes()).await;
    let plain = cookie_line(&plain).unwrap_or_else(|| panic!("a session cookie: {plain}"));
    assert!(plain.contains("HttpOnly") && plain.contains("SameSite=Strict") && !plain.contains("Secure"), "{plain}");
    let (_, https) = exchange(&server, login("X-Forwarded-Proto: https\r\n").as_bytes()).await;
    let https = cookie_line(&https).unwrap_or_else(|| panic!("a session cookie: {https}"));
    assert!(https.contains("; Secure"), "{https}");
}

//! Starting the real `skywatch` binary on a free loopback port, and a signed AWS JSON client for it.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};

use skywatch_awsapi::wire::{SignableRequest, SigningCredentials, format_amz_date, sign};

pub const KEY_ID: &str = "AKIDEXAMPLE";
pub const SECRET: &str = "secret";

pub struct Server {
    pub child: Child,
    pub addr: SocketAddr,
}

impl Server {
    /// Starts `skywatch serve` with SigV4 auth and the example key on a free port; waits until it listens.
    pub fn start(data_dir: &std::path::Path) -> Self {
        Self::start_with(data_dir, &[])
    }

    /// Like [`Server::start`], with extra `serve` arguments.
    pub fn start_with(data_dir: &std::path::Path, extra: &[&str]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_skywatch"))
            .args(["serve", "--listen", "127.0.0.1:0", "--auth", "sigv4", "--access-key", "AKIDEXAMPLE:secret"])
            .args(extra)
            .arg("--data-dir")
            .arg(data_dir)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start skywatch");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).expect("read the listening line");
        let addr = line
            .trim()
            .rsplit("http://")
            .next()
            .and_then(|a| a.parse().ok())
            .unwrap_or_else(|| panic!("unexpected first line: {line:?}"));
        Self { child, addr }
    }

    pub fn sigkill(&mut self) {
        self.child.kill().expect("kill -9");
        self.child.wait().expect("reap");
    }

    /// Sends a signal by name (`TERM`, `INT`) and waits for the process to exit.
    pub fn signal(&mut self, name: &str) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        Command::new("kill").args([&format!("-{name}"), &pid]).status().expect("send the signal");
        self.child.wait().expect("wait for exit")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// POSTs one signed JSON-protocol call; returns the status and body.
pub async fn call(
    http: &reqwest::Client,
    addr: SocketAddr,
    scope: &str,
    target: &str,
    body: &serde_json::Value,
) -> reqwest::Result<(u16, String)> {
    let body = serde_json::to_vec(body).expect("json");
    let content_type = if scope == "monitoring" { "application/x-amz-json-1.0" } else { "application/x-amz-json-1.1" };
    let now = chrono::Utc::now();
    let host = addr.to_string();
    let headers = [("content-type", content_type), ("x-amz-target", target)];
    let authorization = sign(
        &SignableRequest { method: "POST", host: &host, path: "/", query: "", headers: &headers, body: &body },
        &SigningCredentials { access_key_id: KEY_ID, secret: SECRET, region: "us-east-1", service: scope },
        now,
    );
    let response = http
        .post(format!("http://{host}/"))
        .header("content-type", content_type)
        .header("x-amz-target", target)
        .header("x-amz-date", format_amz_date(now))
        .header("authorization", authorization)
        .body(body)
        .send()
        .await?;
    let status = response.status().as_u16();
    Ok((status, response.text().await?))
}

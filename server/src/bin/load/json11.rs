//! JSON 1.1 calls (CloudWatch Logs, EventBridge) as the load modes make them: one kept-alive connection, SigV4
//! computed per request.

use anyhow::{Context as _, bail};
use bytes::Bytes;
use serde_json::Value;
use skywatch_awsapi::wire::{SignableRequest, SigningCredentials, format_amz_date, sign};

const CONTENT_TYPE: &str = "application/x-amz-json-1.1";

/// Signs and sends JSON 1.1 calls (`X-Amz-Target: <prefix><Op>`) to one service's front door.
pub struct Caller {
    http: reqwest::Client,
    url: String,
    host: String,
    credentials: Option<(String, String)>,
    prefix: &'static str,
    service: &'static str,
}

impl Caller {
    /// A caller of CloudWatch Logs.
    pub fn logs(host: &str, credentials: Option<(String, String)>) -> anyhow::Result<Self> {
        Self::new(host, credentials, "Logs_20140328.", "logs")
    }

    /// A caller of EventBridge.
    pub fn events(host: &str, credentials: Option<(String, String)>) -> anyhow::Result<Self> {
        Self::new(host, credentials, "AWSEvents.", "events")
    }

    fn new(
        host: &str,
        credentials: Option<(String, String)>,
        prefix: &'static str,
        service: &'static str,
    ) -> anyhow::Result<Self> {
        let http = reqwest::Client::builder()
            .no_proxy()
            .tcp_nodelay(true)
            .pool_max_idle_per_host(1)
            .pool_idle_timeout(None)
            .build()
            .context("building the HTTP client")?;
        Ok(Self { http, url: format!("http://{host}/"), host: host.to_owned(), credentials, prefix, service })
    }

    /// Sends `body` as operation `op`; (status, answer).
    pub async fn send(&self, op: &str, body: Bytes) -> Result<(reqwest::StatusCode, Bytes), String> {
        let target = format!("{}{op}", self.prefix);
        let headers = [("content-type", CONTENT_TYPE), ("x-amz-target", target.as_str())];
        let mut request =
            self.http.post(&self.url).header("content-type", CONTENT_TYPE).header("x-amz-target", &target);
        if let Some((key_id, secret)) = &self.credentials {
            let now = chrono::Utc::now();
            let authorization = sign(
                &SignableRequest {
                    method: "POST",
                    host: &self.host,
                    path: "/",
                    query: "",
                    headers: &headers,
                    body: &body,
                },
                &SigningCredentials { access_key_id: key_id, secret, region: "us-east-1", service: self.service },
                now,
            );
            request = request.header("x-amz-date", format_amz_date(now)).header("authorization", authorization);
        }
        let response = request.body(body).send().await.map_err(|e| format!("sending: {e}"))?;
        let status = response.status();
        let answer = response.bytes().await.map_err(|e| format!("reading the answer: {e}"))?;
        Ok((status, answer))
    }

    /// Calls `op`; what already exists is fine.
    pub async fn ensure(&self, op: &str, body: &Value) -> anyhow::Result<()> {
        let (status, answer) =
            self.send(op, Bytes::from(serde_json::to_vec(body)?)).await.map_err(anyhow::Error::msg)?;
        let text = String::from_utf8_lossy(&answer);
        if status.is_success() || text.contains("ResourceAlreadyExistsException") {
            return Ok(());
        }
        bail!("{op}: HTTP {status}: {text}")
    }
}

//! A minimal AWS JSON-protocol client that signs its requests with SigV4, as an SDK would.

use std::net::SocketAddr;

use anyhow::{Context, bail};
use skywatch_awsapi::wire::{SignableRequest, SigningCredentials, format_amz_date, sign};
use skywatch_core::auth::AccessKey;

pub struct SignedClient {
    http: reqwest::Client,
    host: String,
    key: AccessKey,
    region: String,
}

impl SignedClient {
    pub fn new(server: SocketAddr, key: AccessKey, region: &str) -> Self {
        Self { http: reqwest::Client::new(), host: server.to_string(), key, region: region.to_owned() }
    }

    /// The region the client signs for.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// Calls one operation of a JSON-protocol service (`scope` is the SigV4 service name) and returns the reply.
    pub async fn call(&self, scope: &str, target: &str, body: &serde_json::Value) -> anyhow::Result<serde_json::Value> {
        let body = serde_json::to_vec(body)?;
        let content_type =
            if scope == "monitoring" { "application/x-amz-json-1.0" } else { "application/x-amz-json-1.1" };
        let now = chrono::Utc::now();
        let amz_date = format_amz_date(now);
        let headers = [("content-type", content_type), ("x-amz-target", target)];
        let authorization = sign(
            &SignableRequest { method: "POST", host: &self.host, path: "/", query: "", headers: &headers, body: &body },
            &SigningCredentials {
                access_key_id: &self.key.id,
                secret: &self.key.secret,
                region: &self.region,
                service: scope,
            },
            now,
        );
        let response = self
            .http
            .post(format!("http://{}/", self.host))
            .header("content-type", content_type)
            .header("x-amz-target", target)
            .header("x-amz-date", amz_date)
            .header("authorization", authorization)
            .header("user-agent", "skywatch-demo/0.1")
            .body(body)
            .send()
            .await
            .with_context(|| format!("{target}: request failed"))?;
        let status = response.status();
        let text = response.text().await?;
        if !status.is_success() {
            bail!("{target}: {status}: {text}");
        }
        Ok(if text.is_empty() { serde_json::json!({}) } else { serde_json::from_str(&text)? })
    }

    /// Calls one operation of an awsQuery service (SNS) with form `params` (`Action` and `Version` included) and
    /// returns the XML reply.
    pub async fn call_query(&self, scope: &str, params: &[(&str, &str)]) -> anyhow::Result<String> {
        let body: String = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(params).finish();
        let body = body.into_bytes();
        let content_type = "application/x-www-form-urlencoded; charset=utf-8";
        let now = chrono::Utc::now();
        let headers = [("content-type", content_type)];
        let authorization = sign(
            &SignableRequest { method: "POST", host: &self.host, path: "/", query: "", headers: &headers, body: &body },
            &SigningCredentials {
                access_key_id: &self.key.id,
                secret: &self.key.secret,
                region: &self.region,
                service: scope,
            },
            now,
        );
        let action = params.iter().find(|(k, _)| *k == "Action").map_or("", |(_, v)| *v).to_owned();
        let response = self
            .http
            .post(format!("http://{}/", self.host))
            .header("content-type", content_type)
            .header("x-amz-date", format_amz_date(now))
            .header("authorization", authorization)
            .header("user-agent", "skywatch-demo/0.1")
            .body(body)
            .send()
            .await
            .with_context(|| format!("{action}: request failed"))?;
        let status = response.status();
        let text = response.text().await?;
        if !status.is_success() {
            bail!("{action}: {status}: {text}");
        }
        Ok(text)
    }

    /// POSTs `body` to `path` signed for `scope` (rest-json X-Ray calls, OTLP exports) and returns the reply's
    /// body, or an error naming the status.
    pub async fn post(&self, scope: &str, path: &str, content_type: &str, body: Vec<u8>) -> anyhow::Result<Vec<u8>> {
        let now = chrono::Utc::now();
        let headers = [("content-type", content_type)];
        let authorization = sign(
            &SignableRequest { method: "POST", host: &self.host, path, query: "", headers: &headers, body: &body },
            &SigningCredentials {
                access_key_id: &self.key.id,
                secret: &self.key.secret,
                region: &self.region,
                service: scope,
            },
            now,
        );
        let response = self
            .http
            .post(format!("http://{}{path}", self.host))
            .header("content-type", content_type)
            .header("x-amz-date", format_amz_date(now))
            .header("authorization", authorization)
            .header("user-agent", "skywatch-demo/0.1")
            .body(body)
            .send()
            .await
            .with_context(|| format!("{path}: request failed"))?;
        let status = response.status();
        let bytes = response.bytes().await?.to_vec();
        if !status.is_success() {
            bail!("{path}: {status}: {}", String::from_utf8_lossy(&bytes));
        }
        Ok(bytes)
    }

    /// The server this client calls, `host:port`.
    pub fn host(&self) -> &str {
        &self.host
    }
}

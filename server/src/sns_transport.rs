//! How SNS deliveries reach their endpoints: HTTP and HTTPS posts with reqwest (rustls; the web's root
//! certificates plus any given with `--sns-ca-file`, for endpoints behind a private CA), a 15-second timeout as
//! SNS's, and no redirects followed.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use anyhow::Context;
use skywatch_core::sns::{Outcome, Request, Transport};

/// Posts with one shared client.
pub struct HttpTransport {
    client: reqwest::Client,
}

/// How long an endpoint has to answer.
pub const TIMEOUT: Duration = Duration::from_secs(15);

impl HttpTransport {
    pub fn new(ca_file: Option<&std::path::Path>) -> anyhow::Result<Self> {
        let mut builder = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .connect_timeout(Duration::from_secs(5))
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy();
        if let Some(path) = ca_file {
            let pem = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
            for certificate in reqwest::Certificate::from_pem_bundle(&pem).context("bad --sns-ca-file")? {
                builder = builder.add_root_certificate(certificate);
            }
        }
        Ok(Self { client: builder.build().context("cannot build the SNS delivery client")? })
    }
}

impl HttpTransport {
    /// The shared client (AWS Config's webhooks post through it too).
    pub fn client(&self) -> &reqwest::Client {
        &self.client
    }
}

impl Transport for HttpTransport {
    fn post(&self, request: Request) -> Pin<Box<dyn Future<Output = Outcome> + Send>> {
        let mut call = self.client.post(&request.url).body(request.body);
        for (name, value) in &request.headers {
            call = call.header(name, value);
        }
        Box::pin(async move {
            match call.send().await {
                Ok(response) => Ok(response.status().as_u16()),
                Err(error) => Err(describe(&error)),
            }
        })
    }
}

/// A short reason for a failed post (the error and its causes).
pub fn describe(error: &reqwest::Error) -> String {
    let mut text = if error.is_timeout() { "timed out".to_owned() } else { error.to_string() };
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// CloudWatch Logs subscription payloads: gzip-compressed JSON, posted as such.
impl skywatch_core::logs::subscription::deliver::Poster for HttpTransport {
    fn post(&self, url: &str, body: Vec<u8>) -> Pin<Box<dyn Future<Output = Result<u16, String>> + Send>> {
        let call = self
            .client
            .post(url)
            .header("Content-Type", "application/json")
            .header("Content-Encoding", "gzip")
            .header("User-Agent", "Skywatch-CloudWatchLogs-Subscription")
            .body(body);
        Box::pin(async move {
            match call.send().await {
                Ok(response) => Ok(response.status().as_u16()),
                Err(error) => Err(describe(&error)),
            }
        })
    }
}

/// EventBridge's webhooks, API destinations and OAuth token endpoints: any method, the answer's body read up to a
/// bound.
impl skywatch_core::events::delivery::HttpClient for HttpTransport {
    fn send(
        &self,
        request: skywatch_core::events::delivery::HttpRequest,
    ) -> Pin<Box<dyn Future<Output = skywatch_core::events::delivery::SendOutcome> + Send>> {
        let method = reqwest::Method::from_bytes(request.method.as_bytes()).unwrap_or(reqwest::Method::POST);
        let mut call = self.client.request(method, &request.url).header("User-Agent", "Skywatch-EventBridge");
        for (name, value) in &request.headers {
            call = call.header(name, value);
        }
        if let Some(body) = request.body {
            call = call.body(body);
        }
        Box::pin(async move {
            let mut response = call.send().await.map_err(|error| describe(&error))?;
            let status = response.status().as_u16();
            let limit = skywatch_core::events::connection::http::MAX_RESPONSE_BYTES;
            let mut body = Vec::new();
            while body.len() < limit {
                match response.chunk().await {
                    Ok(Some(chunk)) => body.extend_from_slice(&chunk[..chunk.len().min(limit - body.len())]),
                    Ok(None) => break,
                    Err(error) => return Err(describe(&error)),
                }
            }
            Ok(skywatch_core::events::delivery::HttpResponse { status, body })
        })
    }
}

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

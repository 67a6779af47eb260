//! The X-Ray daemon's address (`--xray-udp`, 127.0.0.1:2000 by default, where the SDKs send). On UDP each datagram
//! is a JSON header line (`{"format":"json","version":1}`) and one segment document; documents are batched into
//! PutTraceSegments calls in the daemon's account and region, as the real daemon forwards them, so they are
//! checked, stored and audited by the same operation as the API's. On TCP the SDKs' centralized sampling calls
//! (`POST /GetSamplingRules`, `POST /SamplingTargets`) are served unsigned, as the daemon proxies them. Neither
//! side has authentication (neither has the daemon): keep it on loopback.

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use skywatch_core::Services;
use skywatch_core::model::Caller;
use skywatch_core::ops::{Context, Origin};
use skywatch_core::traces::{PutTraceSegments, PutTraceSegmentsInput};
use tokio::net::UdpSocket;

/// The largest datagram read (a 64 KB document and its header).
const MAX_DATAGRAM: usize = 65_536 + 64;
/// Documents one call carries at most.
const BATCH_DOCUMENTS: usize = 1_000;
/// Document bytes one call carries at most.
const BATCH_BYTES: usize = 768 * 1024;
/// How long a document waits for its batch to fill.
const FLUSH_EVERY: Duration = Duration::from_millis(50);
/// The receive buffer asked for the daemon's socket.
const RECEIVE_BUFFER: usize = 4 << 20;
/// Calls in flight at once.
const IN_FLIGHT: usize = 4;
/// Full batches waiting for a call (at most 768 KiB each); past it, reading waits (the kernel buffers, then
/// drops, as for the real daemon).
const QUEUED_BATCHES: usize = 32;

/// The daemon's settings.
#[derive(Debug, Clone)]
pub struct Daemon {
    pub account: String,
    pub region: String,
}

/// The document of a datagram: the text after a header line that says JSON, version 1.
pub fn document(datagram: &[u8]) -> Option<&str> {
    /// The header every SDK writes; anything else is read as JSON.
    const CANONICAL: &[u8] = br#"{"format":"json","version":1}"#;
    let newline = datagram.iter().position(|b| *b == b'\n')?;
    let head = &datagram[..newline];
    if head != CANONICAL {
        let header: serde_json::Value = serde_json::from_slice(head).ok()?;
        if header.get("format").and_then(serde_json::Value::as_str) != Some("json")
            || header.get("version").and_then(serde_json::Value::as_u64) != Some(1)
        {
            return None;
        }
    }
    let body = std::str::from_utf8(&datagram[newline + 1..]).ok()?.trim();
    (!body.is_empty()).then_some(body)
}

/// The largest sampling request body read on the daemon's TCP side.
const MAX_SAMPLING_BODY: usize = 64 * 1024;

/// Binds the daemon's socket. An address given explicitly must bind; the default one may be taken (by another
/// daemon or server), and then the server runs without it.
pub async fn bind(addr: SocketAddr, explicit: bool) -> anyhow::Result<Option<UdpSocket>> {
    match UdpSocket::bind(addr).await {
        Ok(socket) => {
            // Room for bursts while a batch is handed over (the kernel caps it at net.core.rmem_max).
            if let Err(error) = socket2::SockRef::from(&socket).set_recv_buffer_size(RECEIVE_BUFFER) {
                tracing::debug!(%error, "the daemon socket's receive buffer stays at the system default");
            }
            Ok(Some(socket))
        }
        Err(error) if !explicit => {
            tracing::warn!(%addr, %error, "the X-Ray daemon port is taken: UDP segments are not received");
            Ok(None)
        }
        Err(error) => Err(anyhow::Error::new(error).context(format!("cannot bind the X-Ray daemon port {addr}"))),
    }
}

/// Binds the daemon's TCP side, on the same terms as [`bind`].
pub async fn bind_tcp(addr: SocketAddr, explicit: bool) -> anyhow::Result<Option<tokio::net::TcpListener>> {
    match tokio::net::TcpListener::bind(addr).await {
        Ok(listener) => Ok(Some(listener)),
        Err(error) if !explicit => {
            tracing::warn!(%addr, %error, "the X-Ray daemon port is taken on TCP: centralized sampling is not served");
            Ok(None)
        }
        Err(error) => Err(anyhow::Error::new(error).context(format!("cannot listen on the X-Ray daemon port {addr}"))),
    }
}

impl Daemon {
    /// Serves the SDKs' sampling calls until `stop` resolves.
    pub async fn serve_sampling(
        self,
        listener: tokio::net::TcpListener,
        services: Services,
        stop: impl Future<Output = ()> + Send + 'static,
    ) {
        use axum::body::Body;
        use axum::extract::{ConnectInfo, Request};
        use axum::http::StatusCode;
        use axum::response::IntoResponse;
        let daemon = std::sync::Arc::new(self);
        let app =
            axum::Router::new().fallback(move |ConnectInfo(peer): ConnectInfo<SocketAddr>, request: Request<Body>| {
                let (services, daemon) = (services.clone(), std::sync::Arc::clone(&daemon));
                async move {
                    if request.uri().path() == skywatch_awsapi::OTLP_TRACES_PATH {
                        return daemon.otlp(&services, peer, request).await;
                    }
                    if request.method() != axum::http::Method::POST {
                        return StatusCode::METHOD_NOT_ALLOWED.into_response();
                    }
                    let path = request.uri().path().to_owned();
                    let Ok(body) = axum::body::to_bytes(request.into_body(), MAX_SAMPLING_BODY).await else {
                        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
                    };
                    let at = (daemon.account.as_str(), daemon.region.as_str());
                    let answer =
                        skywatch_awsapi::handle_daemon(&services, at, &path, &body, &peer.ip().to_string()).await;
                    reply(answer)
                }
            });
        let served = axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(stop)
            .await;
        if let Err(error) = served {
            tracing::warn!(%error, "the X-Ray daemon's TCP side stopped");
        }
    }

    /// OTLP/HTTP traces sent to the daemon's port, as to a local collector: unsigned, in the daemon's account.
    async fn otlp(
        &self,
        services: &Services,
        peer: SocketAddr,
        request: axum::extract::Request<axum::body::Body>,
    ) -> axum::response::Response {
        use axum::response::IntoResponse;
        let (parts, body) = request.into_parts();
        let Ok(body) = axum::body::to_bytes(body, skywatch_awsapi::MAX_REQUEST_BYTES).await else {
            return axum::http::StatusCode::PAYLOAD_TOO_LARGE.into_response();
        };
        let request = skywatch_awsapi::ApiRequest {
            method: parts.method.as_str().to_owned(),
            path: parts.uri.path().to_owned(),
            query: String::new(),
            headers: parts.headers,
            body,
            source_ip: peer.ip().to_string(),
        };
        let sender = skywatch_awsapi::OtlpSender::Daemon { account: &self.account, region: &self.region };
        reply(skywatch_awsapi::handle_otlp(services, request, sender).await)
    }

    fn context(&self) -> Context {
        Context::new(
            Caller::Anonymous { account: self.account.clone() },
            &self.region,
            uuid::Uuid::new_v4().to_string(),
            chrono::Utc::now().timestamp_millis(),
        )
        .from_origin(Origin { source_ip: "127.0.0.1".into(), user_agent: "skywatch-xray-daemon".into() })
    }

    /// Receives until `stop` resolves, then sends what is batched and waits for the calls in flight.
    pub async fn run(self, socket: UdpSocket, services: Services, stop: impl Future<Output = ()>) {
        tokio::pin!(stop);
        // Reading never waits for the store while the queue has room: full batches queue here (bounded), and a
        // sender keeps at most IN_FLIGHT calls running, so a slow commit is absorbed before the kernel drops.
        let (queue, mut queued) = tokio::sync::mpsc::channel::<Vec<String>>(QUEUED_BATCHES);
        let sender = {
            let daemon = self.clone();
            let services = services.clone();
            tokio::spawn(async move {
                let mut calls = tokio::task::JoinSet::new();
                while let Some(documents) = queued.recv().await {
                    while calls.len() >= IN_FLIGHT {
                        calls.join_next().await;
                    }
                    calls.spawn(daemon.send(services.clone(), documents));
                }
                while calls.join_next().await.is_some() {}
            })
        };
        let mut buffer = vec![0u8; MAX_DATAGRAM];
        let mut batch: Vec<String> = Vec::new();
        let mut bytes = 0usize;
        let mut dropped = 0u64;
        let mut tick = tokio::time::interval(FLUSH_EVERY);
        loop {
            tokio::select! {
                () = &mut stop => break,
                received = socket.recv_from(&mut buffer) => {
                    let Ok((length, _)) = received else { continue };
                    match document(&buffer[..length]) {
                        Some(text) => {
                            bytes += text.len();
                            batch.push(text.to_owned());
                        }
                        None => {
                            dropped += 1;
                            if dropped.is_power_of_two() {
                                tracing::warn!(dropped, "datagrams without the daemon's header were dropped");
                            }
                        }
                    }
                    if batch.len() < BATCH_DOCUMENTS && bytes < BATCH_BYTES {
                        continue;
                    }
                }
                _ = tick.tick() => {
                    if batch.is_empty() {
                        continue;
                    }
                }
            }
            bytes = 0;
            if queue.send(std::mem::take(&mut batch)).await.is_err() {
                break;
            }
        }
        if !batch.is_empty() {
            let _ = queue.send(batch).await;
        }
        drop(queue);
        let _ = sender.await;
    }

    fn send(&self, services: Services, documents: Vec<String>) -> impl Future<Output = ()> + Send + 'static {
        let ctx = self.context();
        async move {
            let input = PutTraceSegmentsInput { trace_segment_documents: documents };
            match services.invoke::<PutTraceSegments>(&ctx, input).await {
                Ok(unprocessed) if !unprocessed.is_empty() => {
                    tracing::debug!(count = unprocessed.len(), first = ?unprocessed.first(), "unprocessed segments");
                }
                Ok(_) => {}
                Err(failure) => tracing::warn!(?failure, "storing daemon segments failed"),
            }
        }
    }
}

/// A wire reply as an axum response.
fn reply(reply: skywatch_awsapi::wire::encode::WireResponse) -> axum::response::Response {
    let mut out = axum::response::Response::new(axum::body::Body::from(reply.body));
    *out.status_mut() = axum::http::StatusCode::from_u16(reply.status).unwrap_or(axum::http::StatusCode::BAD_GATEWAY);
    for (name, value) in reply.headers {
        if let (Ok(name), Ok(value)) =
            (axum::http::HeaderName::try_from(name), axum::http::HeaderValue::try_from(value))
        {
            out.headers_mut().append(name, value);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_datagram_is_the_daemons_header_then_one_document() {
        assert_eq!(document(b"{\"format\":\"json\",\"version\":1}\n{\"id\":\"x\"}"), Some("{\"id\":\"x\"}"));
        assert_eq!(document(b"{\"format\": \"json\", \"version\": 1}\n{}\n"), Some("{}"), "spacing varies by SDK");
        assert_eq!(document(b"{\"id\":\"x\"}"), None, "no header line");
        assert_eq!(document(b"{\"format\":\"json\",\"version\":2}\n{}"), None);
        assert_eq!(document(b"{\"format\":\"xml\",\"version\":1}\n{}"), None);
        assert_eq!(document(b"{\"format\":\"json\",\"version\":1}\n"), None, "no document");
        assert_eq!(document(b"{\"format\":\"json\",\"version\":1}\n\xff\xfe"), None, "not UTF-8");
    }
}

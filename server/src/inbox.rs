//! The built-in SNS endpoint, `POST /_skywatch/inbox/<name>`: it checks each message's signature and confirms
//! subscriptions by their SubscribeURL when the confirmation verifies (as a careful subscriber does; the link is
//! served here without leaving the process), and keeps what it receives, with what the check found, for the
//! console.

use axum::body::Body;
use axum::extract::{ConnectInfo, Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use skywatch_core::Services;
use skywatch_core::inbox::InboxMessage;

/// The largest body taken (an SNS message is at most 256 KiB, plus its envelope).
const MAX_BODY: usize = 320 * 1024;

pub async fn receive(
    State(services): State<Services>,
    Path(name): Path<String>,
    ConnectInfo(peer): ConnectInfo<std::net::SocketAddr>,
    request: Request<Body>,
) -> Response {
    let Ok(bytes) = axum::body::to_bytes(request.into_body(), MAX_BODY).await else {
        return (StatusCode::PAYLOAD_TOO_LARGE, "too large").into_response();
    };
    let Ok(document) = serde_json::from_slice::<serde_json::Value>(&bytes) else {
        return (StatusCode::BAD_REQUEST, "not an SNS message").into_response();
    };
    let text = |key: &str| document.get(key).and_then(serde_json::Value::as_str).map(str::to_owned);
    let message_type = text("Type").unwrap_or_default();
    let signature = signature_check(&services, document.clone()).await;
    if message_type == "SubscriptionConfirmation"
        && signature.ends_with("withRSA")
        && let Some(url) = text("SubscribeURL")
        && let Ok(url) = url::Url::parse(&url)
    {
        let link = skywatch_awsapi::ApiRequest {
            method: "GET".into(),
            path: "/".into(),
            query: url.query().unwrap_or_default().to_owned(),
            headers: axum::http::HeaderMap::new(),
            body: bytes::Bytes::new(),
            source_ip: peer.ip().to_string(),
        };
        let reply = skywatch_awsapi::handle_link(&services, link).await;
        if reply.status != 200 {
            tracing::warn!(status = reply.status, "the built-in endpoint could not confirm its subscription");
        }
    }
    let message = InboxMessage {
        received_ms: chrono::Utc::now().timestamp_millis(),
        message_type,
        topic_arn: text("TopicArn").unwrap_or_default(),
        subject: text("Subject"),
        message: text("Message").unwrap_or_default(),
        signature,
    };
    if services.inboxes.push(&name, message) {
        StatusCode::OK.into_response()
    } else {
        (StatusCode::NOT_FOUND, "no such inbox").into_response()
    }
}

/// What checking a message's signature with the server's own key finds (the key its SigningCertURL names):
/// the algorithm when it verifies, else `invalid` or `unsigned`.
async fn signature_check(services: &Services, document: serde_json::Value) -> String {
    use skywatch_core::sns::message::Document;
    use skywatch_core::sns::signing::SignatureVersion;
    let Ok(document) = serde_json::from_value::<Document>(document) else { return "unsigned".into() };
    if document.signature.is_none() {
        return "unsigned".into();
    }
    let sns = services.sns.clone();
    let verified = tokio::task::spawn_blocking(move || {
        let signer = sns.signer().ok()?;
        signer.verifies(&document).then_some(document.signature_version)
    })
    .await
    .ok()
    .flatten()
    .flatten();
    match verified.as_deref().and_then(SignatureVersion::parse) {
        Some(SignatureVersion::Sha1) => "SHA1withRSA".into(),
        Some(SignatureVersion::Sha256) => "SHA256withRSA".into(),
        None => "invalid".into(),
    }
}

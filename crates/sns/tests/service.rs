//! Issue 11: topics on a real redb file: the confirmation handshake, Publish's fan-out, SNS's message JSON,
//! retries by the delivery policy, the per-subscription log, and no delivery lost across a restart. Posts go
//! through a recording transport whose answers the test scripts.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use serde_json::Value;
use skywatch_ops::{AwsError, Context, Operation};
use skywatch_sns::signing::Keys;
use skywatch_sns::storage::{delivery_log, waiting};
use skywatch_sns::{
    ConfirmSubscription, ConfirmSubscriptionInput, CreateTopic, CreateTopicInput, ListSubscriptionsByTopic,
    ListSubscriptionsByTopicInput, Outcome, Publish, PublishInput, Request, SetTopicAttributes,
    SetTopicAttributesInput, Sns, Subscribe, SubscribeInput, Transport,
};
use skywatch_store::Store;

const ACCOUNT: &str = "000000000000";
const REGION: &str = "us-east-1";

#[derive(Default)]
struct Recorder {
    posts: Mutex<Vec<Request>>,
    answers: Mutex<VecDeque<Outcome>>,
}

impl Transport for Recorder {
    fn post(&self, request: Request) -> Pin<Box<dyn Future<Output = Outcome> + Send>> {
        self.posts.lock().unwrap().push(request);
        let answer = self.answers.lock().unwrap().pop_front().unwrap_or(Ok(200));
        Box::pin(async move { answer })
    }
}

struct Fixture {
    sns: Sns,
    dir: tempfile::TempDir,
}

impl Fixture {
    fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        Self { sns: Self::open(dir.path()), dir }
    }

    fn open(dir: &std::path::Path) -> Sns {
        Sns::new(Store::open(dir).unwrap()).with_keys(Keys::in_dir(dir))
    }

    fn restart(self) -> Self {
        let Fixture { sns, dir } = self;
        drop(sns);
        Self { sns: Self::open(dir.path()), dir }
    }

    async fn call<Op: Operation<Engine = Sns>>(&self, input: Op::Input) -> Result<Op::Output, Op::Error> {
        let ctx = Context::new(skywatch_model::Caller::Anonymous { account: ACCOUNT.into() }, REGION, "r", now());
        let effect = Op::run(&self.sns, &ctx, input).await?;
        self.sns.store().apply(effect.changes).await.unwrap();
        Ok(effect.reply)
    }

    async fn topic(&self, name: &str) -> String {
        self.call::<CreateTopic>(CreateTopicInput { name: name.into(), ..Default::default() }).await.unwrap()
    }

    /// Subscribes an endpoint and confirms it with the token the confirmation message carried.
    async fn confirmed(&self, transport: &Arc<Recorder>, topic: &str, endpoint: &str) -> String {
        let input = SubscribeInput {
            topic_arn: topic.into(),
            protocol: "http".into(),
            endpoint: Some(endpoint.into()),
            ..Default::default()
        };
        assert_eq!(self.call::<Subscribe>(input).await.unwrap(), "pending confirmation");
        let dyn_transport: Arc<dyn Transport> = transport.clone();
        self.sns.deliver_due(&dyn_transport, now()).await.unwrap();
        let confirmation = transport.posts.lock().unwrap().last().cloned().unwrap();
        let body: Value = serde_json::from_str(&confirmation.body).unwrap();
        assert_eq!(body["Type"], "SubscriptionConfirmation");
        assert!(body["SubscribeURL"].as_str().unwrap().contains("Action=ConfirmSubscription"));
        let token = body["Token"].as_str().unwrap().to_owned();
        self.call::<ConfirmSubscription>(ConfirmSubscriptionInput {
            topic_arn: topic.into(),
            token,
            ..Default::default()
        })
        .await
        .unwrap()
    }
}

fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64
}

#[tokio::test]
async fn the_handshake_then_a_notification_in_snss_format() {
    let fx = Fixture::start();
    let recorder = Arc::new(Recorder::default());
    let topic = fx.topic("alerts").await;
    assert_eq!(topic, "arn:aws:sns:us-east-1:000000000000:alerts");
    assert_eq!(fx.topic("alerts").await, topic, "CreateTopic is idempotent");
    let subscription = fx.confirmed(&recorder, &topic, "http://127.0.0.1:9/hook").await;
    assert!(subscription.starts_with(&format!("{topic}:")));
    let listed = fx
        .call::<ListSubscriptionsByTopic>(ListSubscriptionsByTopicInput { topic_arn: topic.clone(), next_token: None })
        .await
        .unwrap();
    assert_eq!(listed.subscriptions[0].subscription_arn, subscription);

    let input = PublishInput {
        topic_arn: topic.clone(),
        message: "disk full".into(),
        subject: Some("ALARM: disk".into()),
        ..Default::default()
    };
    let message_id = fx.call::<Publish>(input).await.unwrap();
    let transport: Arc<dyn Transport> = recorder.clone();
    let round = fx.sns.deliver_due(&transport, now()).await.unwrap();
    assert_eq!(round.delivered, 1);
    let post = recorder.posts.lock().unwrap().last().cloned().unwrap();
    assert_eq!(post.url, "http://127.0.0.1:9/hook");
    let header = |name: &str| post.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
    assert_eq!(header("x-amz-sns-message-type").as_deref(), Some("Notification"));
    assert_eq!(header("x-amz-sns-subscription-arn"), Some(subscription.clone()));
    let body: Value = serde_json::from_str(&post.body).unwrap();
    assert_eq!(body["MessageId"], message_id.as_str());
    assert_eq!((body["Message"].as_str(), body["Subject"].as_str()), (Some("disk full"), Some("ALARM: disk")));
    let log = fx.sns.store().read_blocking(|r| delivery_log(r, subscription.rsplit(':').next().unwrap(), 10)).unwrap();
    assert_eq!(log.iter().map(|e| e.outcome.as_str()).collect::<Vec<_>>(), ["delivered", "delivered"]);
    assert_eq!(log[0].status, Some(200));
}

/// Issue 11: an endpoint that fails is tried again by the delivery policy, and a permanent refusal is not.
#[tokio::test]
async fn failures_are_retried_by_the_delivery_policy() {
    let fx = Fixture::start();
    let recorder = Arc::new(Recorder::default());
    let topic = fx.topic("flaky").await;
    let subscription = fx.confirmed(&recorder, &topic, "http://127.0.0.1:9/flaky").await;
    let id = subscription.rsplit(':').next().unwrap().to_owned();
    recorder.answers.lock().unwrap().extend([Err("connection refused".to_owned()), Ok(503), Ok(200)]);
    fx.call::<Publish>(PublishInput { topic_arn: topic.clone(), message: "m".into(), ..Default::default() })
        .await
        .unwrap();
    let transport: Arc<dyn Transport> = recorder.clone();
    let first = fx.sns.deliver_due(&transport, now()).await.unwrap();
    assert_eq!(first.retrying, 1);
    assert_eq!(fx.sns.deliver_due(&transport, now()).await.unwrap().retrying, 0, "not due for 20 seconds");
    let second = fx.sns.deliver_due(&transport, now() + 21_000).await.unwrap();
    assert_eq!(second.retrying, 1);
    let third = fx.sns.deliver_due(&transport, now() + 42_000).await.unwrap();
    assert_eq!(third.delivered, 1);
    let log = fx.sns.store().read_blocking(|r| delivery_log(r, &id, 10)).unwrap();
    let outcomes: Vec<(&str, u32)> = log.iter().map(|e| (e.outcome.as_str(), e.attempt)).collect();
    assert_eq!(outcomes[..3], [("delivered", 3), ("retrying", 2), ("retrying", 1)]);
    assert_eq!(log[2].error.as_deref(), Some("connection refused"));

    recorder.answers.lock().unwrap().push_back(Ok(404));
    fx.call::<Publish>(PublishInput { topic_arn: topic, message: "m2".into(), ..Default::default() }).await.unwrap();
    assert_eq!(fx.sns.deliver_due(&transport, now()).await.unwrap().failed, 1, "a 404 is not retried");
    assert_eq!(fx.sns.store().read_blocking(waiting).unwrap(), 0);
}

/// Issue 11: a published message survives a restart before its delivery and is delivered after it.
#[tokio::test]
async fn no_delivery_is_lost_across_a_restart() {
    let fx = Fixture::start();
    let recorder = Arc::new(Recorder::default());
    let topic = fx.topic("durable").await;
    fx.confirmed(&recorder, &topic, "http://127.0.0.1:9/durable").await;
    fx.call::<Publish>(PublishInput { topic_arn: topic, message: "kept".into(), ..Default::default() }).await.unwrap();
    let fx = fx.restart();
    assert_eq!(fx.sns.store().read_blocking(waiting).unwrap(), 1);
    let transport: Arc<dyn Transport> = recorder.clone();
    assert_eq!(fx.sns.deliver_due(&transport, now()).await.unwrap().delivered, 1);
    let body: Value = serde_json::from_str(&recorder.posts.lock().unwrap().last().unwrap().body).unwrap();
    assert_eq!(body["Message"], "kept");
}

#[tokio::test]
async fn refusals_carry_snss_codes() {
    let fx = Fixture::start();
    let topic = fx.topic("t").await;
    let missing = fx
        .call::<Publish>(PublishInput { topic_arn: format!("{topic}x"), message: "m".into(), ..Default::default() })
        .await
        .unwrap_err();
    assert_eq!((missing.code().audit_code(), missing.to_string().as_str()), ("NotFound", "Topic does not exist"));
    let email = SubscribeInput {
        topic_arn: topic.clone(),
        protocol: "email".into(),
        endpoint: Some("a@b.c".into()),
        ..Default::default()
    };
    assert_eq!(fx.call::<Subscribe>(email).await.unwrap_err().code().audit_code(), "InvalidParameter");
    let mismatch = SubscribeInput {
        topic_arn: topic.clone(),
        protocol: "https".into(),
        endpoint: Some("http://x".into()),
        ..Default::default()
    };
    assert!(fx.call::<Subscribe>(mismatch).await.unwrap_err().to_string().contains("Endpoint must match"));
    let empty = PublishInput { topic_arn: topic.clone(), message: String::new(), ..Default::default() };
    assert_eq!(fx.call::<Publish>(empty).await.unwrap_err().code().audit_code(), "InvalidParameter");
    let bad_name = fx.call::<CreateTopic>(CreateTopicInput { name: "no spaces".into(), ..Default::default() }).await;
    assert_eq!(bad_name.unwrap_err().code().audit_code(), "InvalidParameter");
    let bad_token = ConfirmSubscriptionInput { topic_arn: topic, token: "nope".into(), ..Default::default() };
    assert_eq!(
        fx.call::<ConfirmSubscription>(bad_token).await.unwrap_err().to_string(),
        "Invalid parameter: Invalid token"
    );
}

/// Whether `body` carries a signature the server's key made over SNS's string to sign, by its version.
fn verifies(sns: &Sns, body: &Value) -> bool {
    use base64::Engine;
    use rsa::pkcs1v15::Pkcs1v15Sign;
    use rsa::sha2::{Digest, Sha256};
    let document: skywatch_sns::message::Document = serde_json::from_value(body.clone()).unwrap();
    let text = document.string_to_sign();
    let signature = base64::engine::general_purpose::STANDARD.decode(body["Signature"].as_str().unwrap()).unwrap();
    let key = sns.signer().unwrap().public_key();
    match body["SignatureVersion"].as_str() {
        Some("1") => key.verify(Pkcs1v15Sign::new::<sha1::Sha1>(), &sha1::Sha1::digest(text), &signature).is_ok(),
        Some("2") => key.verify(Pkcs1v15Sign::new::<Sha256>(), &Sha256::digest(text), &signature).is_ok(),
        other => panic!("SignatureVersion {other:?}"),
    }
}

/// Issue 11: every message is signed as SNS signs it, by its topic's SignatureVersion (1 unless set to 2), with
/// a key kept in the data dir whose certificate the SigningCertURL names; the key is the same after a restart.
#[tokio::test]
async fn messages_are_signed_by_the_topics_signature_version() {
    let fx = Fixture::start();
    let recorder = Arc::new(Recorder::default());
    let topic = fx.topic("signed").await;
    fx.confirmed(&recorder, &topic, "http://127.0.0.1:9/signed").await;
    fx.call::<Publish>(PublishInput { topic_arn: topic.clone(), message: "v1".into(), ..Default::default() })
        .await
        .unwrap();
    let set = |value: &str| SetTopicAttributesInput {
        topic_arn: topic.clone(),
        attribute_name: "SignatureVersion".into(),
        attribute_value: Some(value.into()),
    };
    fx.call::<SetTopicAttributes>(set("2")).await.unwrap();
    let refused = fx.call::<SetTopicAttributes>(set("3")).await.unwrap_err();
    assert_eq!(refused.code().audit_code(), "InvalidParameter");
    let fx = fx.restart();
    fx.call::<Publish>(PublishInput {
        topic_arn: topic.clone(),
        message: "v2".into(),
        subject: Some("s".into()),
        ..Default::default()
    })
    .await
    .unwrap();
    let transport: Arc<dyn Transport> = recorder.clone();
    assert_eq!(fx.sns.deliver_due(&transport, now()).await.unwrap().delivered, 2);

    let certificate = fx.sns.signer().unwrap().certificate_name().to_owned();
    let posts = recorder.posts.lock().unwrap().clone();
    let bodies: Vec<Value> = posts.iter().map(|p| serde_json::from_str(&p.body).unwrap()).collect();
    let versions: Vec<(&str, &str)> =
        bodies.iter().map(|b| (b["Type"].as_str().unwrap(), b["SignatureVersion"].as_str().unwrap())).collect();
    assert_eq!(versions, [("SubscriptionConfirmation", "1"), ("Notification", "1"), ("Notification", "2")]);
    for body in &bodies {
        assert!(verifies(&fx.sns, body), "{body}");
        assert_eq!(body["SigningCertURL"], format!("http://127.0.0.1:4566/{certificate}"));
        let mut tampered = body.clone();
        tampered["Message"] = Value::from("changed");
        assert!(!verifies(&fx.sns, &tampered));
    }
    let pem = fx.sns.signing_certificate(&certificate).await.unwrap();
    assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"));
    assert_eq!(fx.sns.signing_certificate("SimpleNotificationService-0.pem").await, None);
}

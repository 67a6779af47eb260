//! Connections and API destinations (issue 16, point 1's second half and point 3's API destination target): their
//! answers, secrets never answered back, each authorization type's header, OAuth's token fetched once, and the rate.

use std::sync::Arc;

use skywatch_events::connection::{Auth, ConnectionState, OAuth};
use skywatch_events::delivery::Sinks;
use skywatch_events::model::Target;
use skywatch_events::{
    ApiDestinationInput, ApiDestinationNameInput, ConnectionInput, ConnectionNameInput, CreateApiDestination,
    CreateConnection, DeleteConnection, DescribeApiDestination, DescribeConnection, PutEvents, PutEventsEntry,
    PutEventsInput, PutTargets, PutTargetsInput,
};
use skywatch_ops::AwsError;

use crate::delivery::Recorder;
use crate::fixture::{Fixture, NOW};

fn basic(name: &str) -> ConnectionInput {
    ConnectionInput {
        name: name.into(),
        authorization_type: Some("BASIC".into()),
        auth: Some(Auth { basic: Some(("shop".into(), "s3cret".into())), ..Auth::default() }),
        ..ConnectionInput::default()
    }
}

fn oauth(name: &str) -> ConnectionInput {
    ConnectionInput {
        name: name.into(),
        authorization_type: Some("OAUTH_CLIENT_CREDENTIALS".into()),
        auth: Some(Auth {
            oauth: Some(OAuth {
                client_id: "client".into(),
                client_secret: "secret".into(),
                authorization_endpoint: "http://127.0.0.1:9/token".into(),
                http_method: "POST".into(),
                ..OAuth::default()
            }),
            ..Auth::default()
        }),
        ..ConnectionInput::default()
    }
}

fn destination(name: &str, connection_arn: &str, rate: Option<i64>) -> ApiDestinationInput {
    ApiDestinationInput {
        name: name.into(),
        connection_arn: Some(connection_arn.into()),
        invocation_endpoint: Some(format!("http://127.0.0.1:9/{name}")),
        http_method: Some("POST".into()),
        invocation_rate_limit_per_second: rate,
        ..ApiDestinationInput::default()
    }
}

#[tokio::test]
async fn connections_keep_their_secrets_and_refuse_as_aws_does() {
    let f = Fixture::start();
    let created = f.call::<CreateConnection>(basic("shop-api")).await.unwrap();
    assert_eq!(created.state, ConnectionState::Authorized);
    assert!(created.arn.starts_with("arn:aws:events:us-east-1:111122223333:connection/shop-api/"));
    let described = f.call::<DescribeConnection>(ConnectionNameInput { name: "shop-api".into() }).await.unwrap();
    assert!(
        described
            .secret_arn
            .starts_with("arn:aws:secretsmanager:us-east-1:111122223333:secret:events!connection/shop-api/")
    );
    let pending = f.call::<CreateConnection>(oauth("partner")).await.unwrap();
    assert_eq!(pending.state, ConnectionState::Authorizing);

    let bad = ConnectionInput {
        name: format!("{} spaces!", "n".repeat(60)),
        authorization_type: Some("INVALID_AUTH_TYPE".into()),
        ..ConnectionInput::default()
    };
    let error = f.call::<CreateConnection>(bad).await.unwrap_err();
    assert_eq!(error.code().code, "ValidationException");
    assert!(error.to_string().starts_with("3 validation errors detected: "), "{error}");
    assert!(
        error.to_string().contains("Member must satisfy enum value set: [BASIC, OAUTH_CLIENT_CREDENTIALS, API_KEY]")
    );
    assert_eq!(
        f.call::<CreateConnection>(basic("shop-api")).await.unwrap_err().to_string(),
        "Connection shop-api already exists."
    );
    f.call::<DeleteConnection>(ConnectionNameInput { name: "shop-api".into() }).await.unwrap();
    assert_eq!(
        f.call::<DescribeConnection>(ConnectionNameInput { name: "shop-api".into() }).await.unwrap_err().to_string(),
        "Failed to describe the connection(s). Connection 'shop-api' does not exist."
    );
    let error = f
        .call::<CreateApiDestination>(ApiDestinationInput {
            http_method: Some("INVALID_METHOD".into()),
            ..destination("d", "invalid-connection-arn", None)
        })
        .await
        .unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("2 validation errors detected: Value 'invalid-connection-arn' at 'connectionArn'"),
        "{error}"
    );
    let missing = f.call::<DescribeApiDestination>(ApiDestinationNameInput { name: "nope".into() }).await.unwrap_err();
    assert_eq!(
        missing.to_string(),
        "Failed to describe the api-destination(s). An api-destination 'nope' does not exist."
    );
}

async fn route_to(f: &Fixture, destination_arn: &str) {
    f.rule("orders", None, r#"{"source": ["shop.orders"]}"#).await.unwrap();
    let target = Target { id: "api".into(), arn: destination_arn.into(), ..Target::default() };
    f.call::<PutTargets>(PutTargetsInput { rule: "orders".into(), event_bus_name: None, targets: vec![target] })
        .await
        .unwrap();
}

async fn put(f: &Fixture, n: usize) {
    let entry = PutEventsEntry {
        source: Some("shop.orders".into()),
        detail_type: Some("Order".into()),
        detail: Some("{}".into()),
        ..PutEventsEntry::default()
    };
    f.call::<PutEvents>(PutEventsInput { entries: vec![entry; n], endpoint_id: None }).await.unwrap();
}

#[tokio::test]
async fn an_api_destination_gets_the_event_with_its_connections_authorization_at_its_rate() {
    let f = Fixture::start();
    let connection = f.call::<CreateConnection>(basic("shop-api")).await.unwrap();
    let created = f.call::<CreateApiDestination>(destination("orders", &connection.arn, Some(2))).await.unwrap();
    assert!(created.active);
    let described = f.call::<DescribeApiDestination>(ApiDestinationNameInput { name: "orders".into() }).await.unwrap();
    assert_eq!(described.destination.rate_limit, 2);
    route_to(&f, &created.arn).await;
    put(&f, 3).await;
    let recorder = Arc::new(Recorder::default());
    let sinks: Arc<dyn Sinks> = recorder.clone();
    let first = f.events.deliver_due(&sinks, NOW).await.unwrap();
    assert_eq!((first.delivered, first.retrying), (2, 1), "two a second; the third waits");
    let posts = recorder.posts.lock().unwrap().clone();
    assert!(posts[0].0.ends_with("/orders"));
    assert!(posts[0].1.contains(&("authorization".into(), "Basic c2hvcDpzM2NyZXQ=".into())));
    assert!(posts[0].1.contains(&(":method".into(), "POST".into())));
    assert_eq!(f.events.deliver_due(&sinks, NOW + 100).await.unwrap().attempted(), 0, "not due yet");
    let later = f.events.deliver_due(&sinks, NOW + 600).await.unwrap();
    assert_eq!(later.delivered, 1);
}

#[tokio::test]
async fn an_oauth_connection_is_authorized_by_its_first_token() {
    let f = Fixture::start();
    let connection = f.call::<CreateConnection>(oauth("partner")).await.unwrap();
    let created = f.call::<CreateApiDestination>(destination("partner-orders", &connection.arn, None)).await.unwrap();
    assert!(!created.active, "INACTIVE while the connection authorizes");
    route_to(&f, &created.arn).await;
    put(&f, 2).await;
    let recorder = Arc::new(Recorder::default());
    let sinks: Arc<dyn Sinks> = recorder.clone();
    // One at a time, so the second delivery finds the token the first fetched.
    assert_eq!(f.events.deliver_due(&sinks, NOW).await.unwrap().delivered, 2);
    let posts = recorder.posts.lock().unwrap().clone();
    let tokens = posts.iter().filter(|p| p.0.ends_with("/token")).count();
    assert!((1..=2).contains(&tokens), "{tokens}");
    let calls: Vec<_> = posts.iter().filter(|p| p.0.ends_with("/partner-orders")).collect();
    assert_eq!(calls.len(), 2);
    assert!(calls.iter().all(|c| c.1.contains(&("authorization".into(), "Bearer tok-1".into()))));
    let described = f.call::<DescribeConnection>(ConnectionNameInput { name: "partner".into() }).await.unwrap();
    assert_eq!(described.connection.state, ConnectionState::Authorized);
    assert!(
        f.call::<DescribeApiDestination>(ApiDestinationNameInput { name: "partner-orders".into() })
            .await
            .unwrap()
            .active
    );
}

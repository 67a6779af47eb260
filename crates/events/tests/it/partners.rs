//! Partner event sources, simulated (issue 16, point 1): a partner makes a source for a customer, the source is
//! PENDING until the customer makes the partner bus of its name, and the partner's events reach the customer's
//! rules on that bus only while it is ACTIVE.

use std::sync::Arc;

use serde_json::Value;
use skywatch_events::delivery::Sinks;
use skywatch_events::model::Target;
use skywatch_events::partner::SourceState;
use skywatch_events::{
    CreateEventBus, CreateEventBusInput, CreatePartnerEventSource, DeactivateEventSource, DescribeEventSource,
    EntryResult, ListEventSources, ListPartnerEventSourceAccounts, ListSourcesInput, PartnerSourceInput,
    PutEventsEntry, PutPartnerEvents, PutPartnerEventsInput, PutRule, PutRuleInput, PutTargets, PutTargetsInput,
    SourceAccountsInput, SourceNameInput,
};
use skywatch_ops::AwsError;

use crate::delivery::Recorder;
use crate::fixture::{ACCOUNT, Fixture, NOW, REGION};

const PARTNER: &str = "999988887777";
const SOURCE: &str = "aws.partner/payments.example/111122223333/charges";

fn charge(status: &str) -> PutPartnerEventsInput {
    let entry = PutEventsEntry {
        source: Some(SOURCE.into()),
        detail_type: Some("Charge".into()),
        detail: Some(format!(r#"{{"status": "{status}"}}"#)),
        ..PutEventsEntry::default()
    };
    PutPartnerEventsInput { entries: vec![entry] }
}

#[tokio::test]
async fn a_partner_source_feeds_its_customers_partner_bus_while_active() {
    let f = Fixture::start();
    let created = f
        .call_as::<CreatePartnerEventSource>(
            PARTNER,
            REGION,
            PartnerSourceInput { name: SOURCE.into(), account: ACCOUNT.into() },
        )
        .await
        .unwrap();
    assert_eq!(created, format!("arn:aws:events:us-east-1::event-source/{SOURCE}"));
    let seen = f.call::<ListEventSources>(ListSourcesInput::default()).await.unwrap();
    assert_eq!(seen.len(), 1);
    assert_eq!((seen[0].source.state, seen[0].source.created_by.as_str()), (SourceState::Pending, PARTNER));
    assert!(seen[0].expires_ms.is_some(), "a pending source shows when it expires");

    // Pending: the partner's events are taken but go nowhere.
    let answer = f.call_as::<PutPartnerEvents>(PARTNER, REGION, charge("failed")).await.unwrap();
    assert!(matches!(answer.entries[0], EntryResult::Accepted { .. }));

    let bus = CreateEventBusInput { name: SOURCE.into(), event_source_name: Some(SOURCE.into()), ..Default::default() };
    f.call::<CreateEventBus>(bus).await.unwrap();
    let active = f.call::<DescribeEventSource>(SourceNameInput { name: SOURCE.into() }).await.unwrap();
    assert_eq!(active.source.state, SourceState::Active);
    let rule = PutRuleInput {
        name: "charges".into(),
        event_bus_name: Some(SOURCE.into()),
        event_pattern: Some(r#"{"detail": {"status": ["failed"]}}"#.into()),
        ..PutRuleInput::default()
    };
    f.call::<PutRule>(rule).await.unwrap();
    let target = Target { id: "hook".into(), arn: "http://127.0.0.1:9/charges".into(), ..Target::default() };
    let targets =
        PutTargetsInput { rule: "charges".into(), event_bus_name: Some(SOURCE.into()), targets: vec![target] };
    f.call::<PutTargets>(targets).await.unwrap();
    f.call_as::<PutPartnerEvents>(PARTNER, REGION, charge("failed")).await.unwrap();
    let recorder = Arc::new(Recorder::default());
    let sinks: Arc<dyn Sinks> = recorder.clone();
    assert_eq!(f.events.deliver_due(&sinks, NOW).await.unwrap().delivered, 1);
    let event: Value = serde_json::from_str(&recorder.posts.lock().unwrap()[0].2).unwrap();
    assert_eq!((event["source"].as_str(), event["account"].as_str()), (Some(SOURCE), Some(ACCOUNT)));

    f.call::<DeactivateEventSource>(SourceNameInput { name: SOURCE.into() }).await.unwrap();
    f.call_as::<PutPartnerEvents>(PARTNER, REGION, charge("failed")).await.unwrap();
    assert_eq!(f.events.deliver_due(&sinks, NOW).await.unwrap().attempted(), 0, "deactivated: nothing arrives");

    let accounts = f
        .call_as::<ListPartnerEventSourceAccounts>(
            PARTNER,
            REGION,
            SourceAccountsInput { event_source_name: SOURCE.into(), limit: None },
        )
        .await
        .unwrap();
    assert_eq!(accounts.len(), 1);
    assert_eq!(accounts[0].source.account, ACCOUNT);
}

#[tokio::test]
async fn a_partner_bus_needs_its_source() {
    let f = Fixture::start();
    let bus = CreateEventBusInput { name: SOURCE.into(), event_source_name: Some(SOURCE.into()), ..Default::default() };
    let error = f.call::<CreateEventBus>(bus).await.unwrap_err();
    assert_eq!(
        (error.code().code, error.to_string()),
        ("ResourceNotFoundException", format!("Event source {SOURCE} does not exist."))
    );
    let unknown = f.call_as::<PutPartnerEvents>(PARTNER, REGION, charge("paid")).await.unwrap();
    assert!(matches!(&unknown.entries[0], EntryResult::Failed { code, .. } if code == "InvalidArgument"));
}

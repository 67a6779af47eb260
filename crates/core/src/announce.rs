//! Skywatch's services announcing on EventBridge's default buses: alarms' state changes ("CloudWatch Alarm
//! State Change", routed in the commit of the change) and AWS Config's item and compliance changes (routed by
//! Config's announcing pass). CloudTrail's "AWS API Call via CloudTrail" events are routed in `invoke`.

use skywatch_alarms::service::state_event::{StateChangeEvent, StateChangeEvents};
use skywatch_config::announce::{Announce, ConfigEvent};
use skywatch_events::Events;
use skywatch_events::aws_events::AwsEvent;
use skywatch_events::delivery::metrics::Tally;
use skywatch_store::{Mutation, Reader};

/// Alarm state changes onto the default bus of the alarm's account and region.
pub struct AlarmEvents(pub Events);

/// Config's changes onto the default bus of their account and region.
pub struct ConfigEvents(pub Events);

/// The deliveries of `event` (the metrics of these routings are not counted: their commits are the engines').
fn route(events: &Events, reader: &Reader, event: &AwsEvent) -> Vec<Mutation> {
    let mut tally = Tally::default();
    match events.route_aws_event(reader, event, event.time_ms, &mut tally) {
        Ok(changes) => changes,
        Err(error) => {
            tracing::warn!(%error, source = %event.source, "an event could not be routed to EventBridge");
            Vec::new()
        }
    }
}

impl StateChangeEvents for AlarmEvents {
    fn plan(&self, reader: &Reader, change: &StateChangeEvent) -> Vec<Mutation> {
        let event = AwsEvent {
            source: "aws.cloudwatch".into(),
            detail_type: "CloudWatch Alarm State Change".into(),
            account: change.account.clone(),
            region: change.region.clone(),
            time_ms: change.time_ms,
            resources: vec![change.alarm_arn.clone()],
            detail: change.detail.to_string(),
            read_only_trail: false,
        };
        route(&self.0, reader, &event)
    }

    fn committed(&self) {
        self.0.wake();
    }
}

impl Announce for ConfigEvents {
    fn plan(&self, reader: &Reader, change: &ConfigEvent) -> Vec<Mutation> {
        let event = AwsEvent {
            source: "aws.config".into(),
            detail_type: change.detail_type.into(),
            account: change.account.clone(),
            region: change.region.clone(),
            time_ms: change.time_ms,
            resources: change.resources.clone(),
            detail: change.detail.to_string(),
            read_only_trail: false,
        };
        route(&self.0, reader, &event)
    }

    fn committed(&self) {
        self.0.wake();
    }
}

//! Events Skywatch's own services put on an account's default bus, in AWS's shapes: "AWS API Call via
//! CloudTrail" for every audited management call (read-only ones only reach rules in the state
//! ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS; data events such as PutMetricData or PutEvents never, as in AWS),
//! "AWS Console Sign In via CloudTrail", "CloudWatch Alarm State Change", and AWS Config's changes. The caller
//! commits what [`Events::plan_aws_event`] plans with the record or change the event describes.

use skywatch_store::{Mutation, ReadError, Reader};

use crate::delivery::metrics::Tally;
use crate::delivery::plan::RouteOptions;
use crate::envelope::{EventParts, envelope};
use crate::model::DEFAULT_BUS;
use crate::{Events, EventsError};

/// CloudTrail's data events among Skywatch's operations (event source, name): AWS does not deliver them to
/// EventBridge.
pub const DATA_EVENTS: &[(&str, &str)] = &[
    ("monitoring.amazonaws.com", "PutMetricData"),
    ("logs.amazonaws.com", "PutLogEvents"),
    ("logs.amazonaws.com", "GetLogEvents"),
    ("logs.amazonaws.com", "FilterLogEvents"),
    ("logs.amazonaws.com", "StartLiveTail"),
    ("xray.amazonaws.com", "PutTraceSegments"),
    ("xray.amazonaws.com", "PutTelemetryRecords"),
    ("xray.amazonaws.com", "GetSamplingTargets"),
    ("events.amazonaws.com", "PutEvents"),
];

/// Whether a call is a CloudTrail data event.
pub fn is_data_event(event_source: &str, name: &str) -> bool {
    DATA_EVENTS.iter().any(|(source, op)| *source == event_source && *op == name)
}

/// The `source` of an event about a call to `event_source` (`monitoring.amazonaws.com` is `aws.cloudwatch`).
pub fn source_of(event_source: &str) -> String {
    let service = event_source.strip_suffix(".amazonaws.com").unwrap_or(event_source);
    match service {
        "monitoring" => "aws.cloudwatch".to_owned(),
        other => format!("aws.{other}"),
    }
}

/// An event of an AWS service, before routing.
#[derive(Debug, Clone)]
pub struct AwsEvent {
    pub source: String,
    pub detail_type: String,
    pub account: String,
    pub region: String,
    pub time_ms: i64,
    pub resources: Vec<String>,
    /// The detail, a compact JSON object.
    pub detail: String,
    /// A read-only CloudTrail call (only rules that ask for all management events get it).
    pub read_only_trail: bool,
}

impl AwsEvent {
    /// "AWS API Call via CloudTrail" (or "AWS Console Sign In via CloudTrail", `source` `aws.signin`) for a
    /// CloudTrail record; none for a data event.
    pub fn from_trail(record: &skywatch_model::CloudTrailEvent, time_ms: i64) -> Option<AwsEvent> {
        if is_data_event(&record.event_source, &record.event_name) {
            return None;
        }
        let sign_in = record.event_type == "AwsConsoleSignIn";
        Some(AwsEvent {
            source: if sign_in { "aws.signin".to_owned() } else { source_of(&record.event_source) },
            detail_type: if sign_in { "AWS Console Sign In via CloudTrail" } else { "AWS API Call via CloudTrail" }
                .to_owned(),
            account: record.recipient_account_id.clone(),
            region: record.aws_region.clone(),
            time_ms,
            resources: Vec::new(),
            detail: serde_json::to_string(record).ok()?,
            read_only_trail: record.read_only,
        })
    }
}

/// What routing an AWS event plans: the changes to commit with what it describes, and the work after the
/// commit (metrics made visible, the deliverer woken).
pub struct Planned {
    pub changes: Vec<Mutation>,
    pub after: Option<Box<dyn FnOnce() + Send>>,
}

impl Events {
    /// Routes `event` on its account's default bus as the store holds it in `reader`.
    pub fn route_aws_event(
        &self,
        reader: &Reader,
        event: &AwsEvent,
        now_ms: i64,
        tally: &mut Tally,
    ) -> Result<Vec<Mutation>, ReadError> {
        let id = uuid::Uuid::new_v4().to_string();
        let text = envelope(&EventParts {
            id: &id,
            detail_type: &event.detail_type,
            source: &event.source,
            account: &event.account,
            time_ms: event.time_ms,
            region: &event.region,
            replay_name: None,
            resources: &event.resources,
            detail: &event.detail,
        });
        let bus = (event.account.as_str(), event.region.as_str(), DEFAULT_BUS);
        let options =
            RouteOptions { ingested_ms: now_ms, read_only_trail: event.read_only_trail, ..RouteOptions::default() };
        Ok(self.route_with(reader, bus, text, options, tally)?.changes)
    }

    /// Plans `event`'s deliveries (nothing when no rule of the default bus matches it).
    pub async fn plan_aws_event(&self, event: AwsEvent, now_ms: i64) -> Result<Planned, EventsError> {
        let events = self.clone();
        let (changes, tally) = self
            .store
            .read(move |reader| {
                let mut tally = Tally::default();
                let changes = events.route_aws_event(reader, &event, now_ms, &mut tally)?;
                Ok((changes, tally))
            })
            .await?;
        Ok(self.with_metrics(changes, tally, now_ms))
    }

    /// `changes` with the metrics `tally` counted, and the work after their commit.
    pub fn with_metrics(&self, mut changes: Vec<Mutation>, tally: Tally, now_ms: i64) -> Planned {
        let prepared = match &self.metrics {
            Some(tsdb) if !tally.is_empty() => tally.prepare(tsdb, now_ms),
            _ => None,
        };
        if let Some(prepared) = &prepared {
            changes.extend(prepared.mutations.iter().cloned());
        }
        if changes.is_empty() {
            return Planned { changes, after: None };
        }
        let (tsdb, woken) = (self.metrics.clone(), self.clone());
        Planned {
            changes,
            after: Some(Box::new(move || {
                if let (Some(mut prepared), Some(tsdb)) = (prepared, tsdb) {
                    prepared.mutations.clear();
                    tsdb.apply(prepared, now_ms);
                }
                woken.wake();
            })),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_and_data_events() {
        assert_eq!(source_of("monitoring.amazonaws.com"), "aws.cloudwatch");
        assert_eq!(source_of("logs.amazonaws.com"), "aws.logs");
        assert_eq!(source_of("events.amazonaws.com"), "aws.events");
        assert!(is_data_event("monitoring.amazonaws.com", "PutMetricData"));
        assert!(is_data_event("events.amazonaws.com", "PutEvents"));
        assert!(!is_data_event("monitoring.amazonaws.com", "PutMetricAlarm"));
    }
}

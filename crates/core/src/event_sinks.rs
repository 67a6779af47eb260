//! Where EventBridge's deliveries go outside EventBridge: Skywatch's SNS-compatible topics (a publish whose
//! deliveries commit with the delivery's outcome), its log groups (the event stored in a stream named after the
//! event's id, as EventBridge's CloudWatch Logs target does), and webhooks through the server's HTTP client.

use std::sync::Arc;

use skywatch_events::delivery::{HttpClient, HttpRequest, SendOutcome, SinkError, SinkFuture, Sinks};
use skywatch_logs::Logs;
use skywatch_logs::ingest::InputEvent;
use skywatch_sns::Sns;
use skywatch_sns::arn::parse_topic_arn;
use skywatch_sns::publish::{Message, PublishError, plan_publish};
use skywatch_store::{Mutation, Reader};

/// The sinks of one server: its topics and log groups, and `http` for webhooks.
pub struct EventSinks {
    pub sns: Sns,
    pub logs: Logs,
    pub http: Arc<dyn HttpClient>,
}

impl Sinks for EventSinks {
    fn send(&self, request: HttpRequest) -> SinkFuture<SendOutcome> {
        self.http.send(request)
    }

    fn publish(&self, reader: &Reader, arn: &str, message: &str, now_ms: i64) -> Result<Vec<Mutation>, SinkError> {
        let Some((region, account, _)) = parse_topic_arn(arn) else {
            return Err(SinkError::permanent("RESOURCE_NOT_FOUND", format!("{arn} is not a topic ARN")));
        };
        let message = Message { subject: None, body: message.to_owned(), attributes: Default::default() };
        match plan_publish(reader, &self.sns.base_url(), (account, region), arn, &message, now_ms) {
            Ok((_, changes)) => Ok(changes),
            Err(PublishError::NoTopic | PublishError::BadArn) => {
                Err(SinkError::permanent("RESOURCE_NOT_FOUND", format!("Topic {arn} does not exist")))
            }
            Err(PublishError::Storage(error)) => Err(SinkError::retry("SDK_CLIENT_ERROR", error)),
        }
    }

    fn put_log_event(
        &self,
        (account, region, name): (&str, &str, &str),
        stream: &str,
        (timestamp_ms, message): (i64, String),
        now_ms: i64,
    ) -> SinkFuture<Result<Vec<Mutation>, SinkError>> {
        let logs = self.logs.clone();
        let (account, region, name, stream) =
            (account.to_owned(), region.to_owned(), name.to_owned(), stream.to_owned());
        Box::pin(async move {
            let input = vec![InputEvent { timestamp_ms, message }];
            logs.plan_append((&account, &region, &name), &stream, input, now_ms).await.map_err(|failure| {
                let code = if failure.missing_group { "RESOURCE_NOT_FOUND" } else { "SDK_CLIENT_ERROR" };
                match failure.retry && !failure.missing_group {
                    true => SinkError::retry(code, failure.message),
                    false => SinkError::permanent(code, failure.message),
                }
            })
        })
    }
}

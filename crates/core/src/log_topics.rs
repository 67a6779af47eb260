//! Skywatch's SNS-compatible topics as destinations of CloudWatch Logs subscription filters: the logs engine
//! asks whether a topic exists, and plans a publish whose deliveries commit with the subscription delivery.

use skywatch_logs::subscription::Topics;
use skywatch_sns::Sns;
use skywatch_sns::arn::parse_topic_arn;
use skywatch_sns::publish::{Message, plan_publish};
use skywatch_store::{Mutation, ReadError, Reader};

/// The topics of `Sns`.
pub struct SnsTopics(pub Sns);

impl Topics for SnsTopics {
    fn exists(&self, reader: &Reader, arn: &str) -> Result<bool, ReadError> {
        let Some((region, account, name)) = parse_topic_arn(arn) else { return Ok(false) };
        Ok(skywatch_sns::storage::topic(reader, account, region, name)?.is_some())
    }

    fn publish(&self, reader: &Reader, arn: &str, message: &str, now_ms: i64) -> Result<Vec<Mutation>, String> {
        let (region, account, _) = parse_topic_arn(arn).ok_or_else(|| format!("{arn} is not a topic ARN"))?;
        let message = Message { subject: None, body: message.to_owned(), attributes: Default::default() };
        plan_publish(reader, &self.0.base_url(), (account, region), arn, &message, now_ms)
            .map(|(_, changes)| changes)
            .map_err(|error| error.to_string())
    }
}

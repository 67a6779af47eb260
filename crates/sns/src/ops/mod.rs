//! The topic operations, over the awsQuery protocol at the edge: topics (CreateTopic, DeleteTopic, ListTopics,
//! Get/SetTopicAttributes), subscriptions (Subscribe, ConfirmSubscription, Unsubscribe, ListSubscriptionsByTopic,
//! GetSubscriptionAttributes) and Publish.

mod publish;
mod subscriptions;
mod topics;

pub use publish::{Publish, PublishInput};
pub use subscriptions::{
    ConfirmSubscription, ConfirmSubscriptionInput, GetSubscriptionAttributes, ListSubscriptionsByTopic,
    ListSubscriptionsByTopicInput, Subscribe, SubscribeInput, SubscriptionArnInput, SubscriptionPage, SubscriptionRow,
    Unsubscribe,
};
pub use topics::{
    CreateTopic, CreateTopicInput, DeleteTopic, GetTopicAttributes, ListTopics, ListTopicsInput, SetTopicAttributes,
    SetTopicAttributesInput, TopicArnInput, TopicPage,
};

use skywatch_ops::{Access, AwsError, Context, ErrorCode, EventResource, Spec, codes};
use skywatch_store::ReadError;

use crate::arn::parse_topic_arn;

const fn spec(name: &'static str, access: Access) -> Spec {
    Spec { service: "sns", event_source: "sns.amazonaws.com", name, access, limits: &[] }
}

/// Why a topic operation refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SnsError {
    #[error("Invalid parameter: {0}")]
    InvalidParameter(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    TopicLimit(String),
    #[error("{0}")]
    SubscriptionLimit(String),
    #[error("storage failed: {0}")]
    Storage(String),
}

impl From<ReadError> for SnsError {
    fn from(error: ReadError) -> Self {
        SnsError::Storage(error.to_string())
    }
}

impl From<crate::publish::PublishError> for SnsError {
    fn from(error: crate::publish::PublishError) -> Self {
        use crate::publish::PublishError;
        match error {
            PublishError::NoTopic => SnsError::NotFound("Topic does not exist".into()),
            PublishError::BadArn => SnsError::InvalidParameter("TopicArn".into()),
            PublishError::Storage(message) => SnsError::Storage(message),
        }
    }
}

impl AwsError for SnsError {
    fn code(&self) -> ErrorCode {
        match self {
            SnsError::InvalidParameter(_) => codes::sns::INVALID_PARAMETER,
            SnsError::NotFound(_) => codes::sns::NOT_FOUND,
            SnsError::TopicLimit(_) => codes::sns::TOPIC_LIMIT_EXCEEDED,
            SnsError::SubscriptionLimit(_) => codes::sns::SUBSCRIPTION_LIMIT_EXCEEDED,
            SnsError::Storage(_) => codes::INTERNAL,
        }
    }
}

/// The topic name of `arn` when it is a topic of the call's account and region (in the region's partition);
/// `NotFound` for another's.
fn own_topic<'a>(ctx: &Context, arn: &'a str) -> Result<&'a str, SnsError> {
    let (region, account, name) = parse_topic_arn(arn).ok_or_else(|| SnsError::InvalidParameter("TopicArn".into()))?;
    let partition = skywatch_model::Arn::parse(arn).map(|parsed| parsed.partition);
    if region != ctx.region || account != ctx.account || partition != Some(skywatch_model::partition(&ctx.region)) {
        return Err(SnsError::NotFound("Topic does not exist".into()));
    }
    Ok(name)
}

/// A subscription in a CloudTrail record (and so in AWS Config's inventory).
fn subscription_resource(arn: &str) -> EventResource {
    EventResource { resource_type: "AWS::SNS::Subscription".into(), arn: arn.to_owned() }
}

fn resource(arn: &str) -> EventResource {
    EventResource { resource_type: "AWS::SNS::Topic".into(), arn: arn.to_owned() }
}

fn storage(error: impl std::fmt::Display) -> SnsError {
    SnsError::Storage(error.to_string())
}

//! SNS (`sns`, awsQuery): the topic, subscription and Publish operations in their wire shapes.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};
use skywatch_core::ops::Context;
use skywatch_core::sns::message::Attribute;
use skywatch_core::sns::{
    ConfirmSubscription, ConfirmSubscriptionInput, CreateTopic, CreateTopicInput, DeleteTopic,
    GetSubscriptionAttributes, GetTopicAttributes, ListSubscriptionsByTopic, ListSubscriptionsByTopicInput, ListTopics,
    ListTopicsInput, Publish, PublishInput, SetTopicAttributes, SetTopicAttributesInput, Subscribe, SubscribeInput,
    SubscriptionArnInput, SubscriptionPage, TopicArnInput, TopicPage, Unsubscribe,
};

use crate::errors::ApiError;
use crate::params::{list_opt, str_opt, str_required};
use crate::registry::Wire;
use crate::wire::map;

/// A string-to-string map member (`Attributes`), as the form decoder leaves it: an object.
fn string_map(params: &Value, name: &str) -> Result<BTreeMap<String, String>, ApiError> {
    match params.get(name) {
        None | Some(Value::Null) => Ok(BTreeMap::new()),
        Some(Value::Object(fields)) => fields
            .iter()
            .map(|(k, v)| match v {
                Value::String(s) => Ok((k.clone(), s.clone())),
                _ => Err(ApiError::InvalidParameterValue(format!("Invalid parameter: {name}.{k}"))),
            })
            .collect(),
        Some(_) => Err(ApiError::InvalidParameterValue(format!("Invalid parameter: {name}"))),
    }
}

fn flag(params: &Value, name: &str) -> Result<bool, ApiError> {
    match params.get(name) {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => Ok(true),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => Ok(false),
        Some(_) => Err(ApiError::InvalidParameterValue(format!("Invalid parameter: {name}"))),
    }
}

fn string_map_reply(attributes: BTreeMap<String, String>) -> Value {
    json!({ "Attributes": map(attributes.into_iter().map(|(k, v)| (k, Value::String(v))).collect::<Map<_, _>>()) })
}

impl Wire for CreateTopic {
    fn decode(_ctx: &Context, params: &Value) -> Result<CreateTopicInput, ApiError> {
        let tags = list_opt(params, "Tags")?
            .iter()
            .map(|t| Ok((str_required(t, "Key")?.to_owned(), str_opt(t, "Value")?.unwrap_or_default().to_owned())))
            .collect::<Result<Vec<_>, ApiError>>()?;
        Ok(CreateTopicInput {
            name: str_required(params, "Name")?.to_owned(),
            attributes: string_map(params, "Attributes")?,
            tags,
        })
    }

    fn encode(arn: String) -> Value {
        json!({ "TopicArn": arn })
    }
}

fn topic_arn(params: &Value) -> Result<TopicArnInput, ApiError> {
    Ok(TopicArnInput { topic_arn: str_required(params, "TopicArn")?.to_owned() })
}

impl Wire for DeleteTopic {
    fn decode(_ctx: &Context, params: &Value) -> Result<TopicArnInput, ApiError> {
        topic_arn(params)
    }

    fn encode(_: ()) -> Value {
        json!({})
    }
}

impl Wire for ListTopics {
    fn decode(_ctx: &Context, params: &Value) -> Result<ListTopicsInput, ApiError> {
        Ok(ListTopicsInput { next_token: str_opt(params, "NextToken")?.map(str::to_owned) })
    }

    fn encode(page: TopicPage) -> Value {
        let topics: Vec<Value> = page.topic_arns.iter().map(|arn| json!({ "TopicArn": arn })).collect();
        let mut out = json!({ "Topics": topics });
        if let Some(token) = page.next_token {
            out["NextToken"] = json!(token);
        }
        out
    }
}

impl Wire for GetTopicAttributes {
    fn decode(_ctx: &Context, params: &Value) -> Result<TopicArnInput, ApiError> {
        topic_arn(params)
    }

    fn encode(attributes: BTreeMap<String, String>) -> Value {
        string_map_reply(attributes)
    }
}

impl Wire for SetTopicAttributes {
    fn decode(_ctx: &Context, params: &Value) -> Result<SetTopicAttributesInput, ApiError> {
        Ok(SetTopicAttributesInput {
            topic_arn: str_required(params, "TopicArn")?.to_owned(),
            attribute_name: str_required(params, "AttributeName")?.to_owned(),
            attribute_value: str_opt(params, "AttributeValue")?.map(str::to_owned),
        })
    }

    fn encode(_: ()) -> Value {
        json!({})
    }
}

impl Wire for Subscribe {
    fn decode(_ctx: &Context, params: &Value) -> Result<SubscribeInput, ApiError> {
        Ok(SubscribeInput {
            topic_arn: str_required(params, "TopicArn")?.to_owned(),
            protocol: str_required(params, "Protocol")?.to_owned(),
            endpoint: str_opt(params, "Endpoint")?.map(str::to_owned),
            attributes: string_map(params, "Attributes")?,
            return_subscription_arn: flag(params, "ReturnSubscriptionArn")?,
        })
    }

    fn encode(arn: String) -> Value {
        json!({ "SubscriptionArn": arn })
    }
}

impl Wire for ConfirmSubscription {
    fn decode(_ctx: &Context, params: &Value) -> Result<ConfirmSubscriptionInput, ApiError> {
        Ok(ConfirmSubscriptionInput {
            topic_arn: str_required(params, "TopicArn")?.to_owned(),
            token: str_required(params, "Token")?.to_owned(),
            authenticate_on_unsubscribe: str_opt(params, "AuthenticateOnUnsubscribe")?.map(str::to_owned),
        })
    }

    fn encode(arn: String) -> Value {
        json!({ "SubscriptionArn": arn })
    }
}

fn subscription_arn(params: &Value) -> Result<SubscriptionArnInput, ApiError> {
    Ok(SubscriptionArnInput { subscription_arn: str_required(params, "SubscriptionArn")?.to_owned() })
}

impl Wire for Unsubscribe {
    fn decode(_ctx: &Context, params: &Value) -> Result<SubscriptionArnInput, ApiError> {
        subscription_arn(params)
    }

    fn encode(_: ()) -> Value {
        json!({})
    }
}

impl Wire for GetSubscriptionAttributes {
    fn decode(_ctx: &Context, params: &Value) -> Result<SubscriptionArnInput, ApiError> {
        subscription_arn(params)
    }

    fn encode(attributes: BTreeMap<String, String>) -> Value {
        string_map_reply(attributes)
    }
}

impl Wire for ListSubscriptionsByTopic {
    fn decode(_ctx: &Context, params: &Value) -> Result<ListSubscriptionsByTopicInput, ApiError> {
        Ok(ListSubscriptionsByTopicInput {
            topic_arn: str_required(params, "TopicArn")?.to_owned(),
            next_token: str_opt(params, "NextToken")?.map(str::to_owned),
        })
    }

    fn encode(page: SubscriptionPage) -> Value {
        let subscriptions: Vec<Value> = page
            .subscriptions
            .iter()
            .map(|s| {
                json!({
                    "SubscriptionArn": s.subscription_arn,
                    "Owner": s.owner,
                    "Protocol": s.protocol,
                    "Endpoint": s.endpoint,
                    "TopicArn": s.topic_arn,
                })
            })
            .collect();
        let mut out = json!({ "Subscriptions": subscriptions });
        if let Some(token) = page.next_token {
            out["NextToken"] = json!(token);
        }
        out
    }
}

/// `MessageAttributes`: `{name: {DataType, StringValue | BinaryValue}}` as the form decoder leaves it.
fn message_attributes(params: &Value) -> Result<BTreeMap<String, Attribute>, ApiError> {
    let Some(Value::Object(fields)) = params.get("MessageAttributes") else {
        return Ok(BTreeMap::new());
    };
    fields
        .iter()
        .map(|(name, value)| {
            let data_type = str_opt(value, "DataType")?.unwrap_or_default().to_owned();
            let text = str_opt(value, "StringValue")?.or(str_opt(value, "BinaryValue")?).unwrap_or_default();
            Ok((name.clone(), Attribute { data_type, value: text.to_owned() }))
        })
        .collect()
}

impl Wire for Publish {
    fn decode(_ctx: &Context, params: &Value) -> Result<PublishInput, ApiError> {
        let topic_arn = str_opt(params, "TopicArn")?.or(str_opt(params, "TargetArn")?).ok_or_else(|| {
            ApiError::InvalidParameterValue(
                "Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter".into(),
            )
        })?;
        Ok(PublishInput {
            topic_arn: topic_arn.to_owned(),
            message: str_required(params, "Message")?.to_owned(),
            subject: str_opt(params, "Subject")?.map(str::to_owned),
            message_structure: str_opt(params, "MessageStructure")?.map(str::to_owned),
            attributes: message_attributes(params)?,
        })
    }

    fn encode(message_id: String) -> Value {
        json!({ "MessageId": message_id })
    }
}

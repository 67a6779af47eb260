//! `LookupEvents`: event history of one account and region, newest first, with one lookup attribute, a time
//! range, MaxResults and an opaque NextToken. An operation: the API and the console's Event history both run it.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use skywatch_model::{CloudTrailEvent, LookupAttributeKey};
use skywatch_ops::{Access, AwsError, Context, Effect, ErrorCode, Limit, Operation, Spec, codes};
use skywatch_store::{ReadError, Store};

/// The most events one page returns, as in AWS.
pub const MAX_LOOKUP_RESULTS: usize = 50;
/// Event history covers the last 90 days.
const HISTORY_DAYS: i64 = 90;

/// One lookup attribute as sent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LookupAttribute {
    pub attribute_key: String,
    pub attribute_value: String,
}

/// A validated-on-use LookupEvents request.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LookupQuery {
    /// The attributes as sent; AWS accepts at most one.
    #[serde(rename = "lookupAttributes", skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<LookupAttribute>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_time: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_time: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_results: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// One page of results.
#[derive(Debug, Clone)]
pub struct LookupPage {
    pub events: Vec<CloudTrailEvent>,
    pub next_token: Option<String>,
}

/// Why a lookup was refused; each maps to the CloudTrail exception of the same name.
#[derive(Debug, thiserror::Error)]
pub enum LookupError {
    #[error("{0}")]
    InvalidLookupAttributes(String),
    #[error("Value {0} for MaxResults is invalid: it must be between 1 and 50.")]
    InvalidMaxResults(i64),
    #[error("Start time must be earlier than end time.")]
    InvalidTimeRange,
    #[error("Invalid NextToken.")]
    InvalidNextToken,
    #[error(transparent)]
    Storage(#[from] ReadError),
}

impl AwsError for LookupError {
    fn code(&self) -> ErrorCode {
        match self {
            LookupError::InvalidLookupAttributes(_) => codes::cloudtrail::INVALID_LOOKUP_ATTRIBUTES,
            LookupError::InvalidMaxResults(_) => codes::cloudtrail::INVALID_MAX_RESULTS,
            LookupError::InvalidTimeRange => codes::cloudtrail::INVALID_TIME_RANGE,
            LookupError::InvalidNextToken => codes::cloudtrail::INVALID_NEXT_TOKEN,
            LookupError::Storage(_) => codes::INTERNAL,
        }
    }
}

/// The `LookupEvents` operation.
pub struct LookupEvents;

impl Operation for LookupEvents {
    const SPEC: Spec = Spec {
        service: "cloudtrail",
        event_source: "cloudtrail.amazonaws.com",
        name: "LookupEvents",
        access: Access::Read,
        limits: &[
            Limit::aws("MaxResults", MAX_LOOKUP_RESULTS as u64),
            Limit::aws("LookupAttributes", 1),
            Limit::aws("history days", HISTORY_DAYS as u64),
        ],
    };
    type Engine = Store;
    type Input = LookupQuery;
    type Output = LookupPage;
    type Error = LookupError;

    async fn run(
        store: &Store,
        ctx: &Context,
        query: LookupQuery,
    ) -> Result<Effect<LookupPage, LookupError>, LookupError> {
        lookup(store, &ctx.account, &ctx.region, query, ctx.now_ms).await.map(Effect::reply)
    }
}

/// Runs one lookup against the store as of `now_ms`.
pub async fn lookup(
    store: &Store,
    account: &str,
    region: &str,
    query: LookupQuery,
    now_ms: i64,
) -> Result<LookupPage, LookupError> {
    let filter = match query.attributes.as_slice() {
        [] => None,
        [LookupAttribute { attribute_key: key, attribute_value: value }] => {
            let key = LookupAttributeKey::parse(key).ok_or_else(|| {
                LookupError::InvalidLookupAttributes(format!("Lookup attribute key {key} is not supported."))
            })?;
            if value.is_empty() {
                return Err(LookupError::InvalidLookupAttributes("Lookup attribute value must not be empty.".into()));
            }
            Some((key, value.clone()))
        }
        _ => {
            return Err(LookupError::InvalidLookupAttributes("You can only specify one lookup attribute.".into()));
        }
    };
    let limit = match query.max_results {
        None => MAX_LOOKUP_RESULTS,
        Some(n) if (1..=MAX_LOOKUP_RESULTS as i64).contains(&n) => n as usize,
        Some(n) => return Err(LookupError::InvalidMaxResults(n)),
    };
    let now = DateTime::<Utc>::from_timestamp_millis(now_ms).unwrap_or_default();
    let end = query.end_time.unwrap_or(now);
    let start = query.start_time.unwrap_or(now - Duration::days(HISTORY_DAYS));
    if start > end {
        return Err(LookupError::InvalidTimeRange);
    }
    let cursor = query.next_token.as_deref().map(decode_token).transpose()?;
    let (account, region) = (account.to_owned(), region.to_owned());
    // CloudTrail reports event times in whole seconds and both bounds are inclusive, so an event reported at
    // second T matches EndTime=T even when it happened at T.999 (regression: issue 2, compat suite).
    let end_exclusive = match query.end_time {
        Some(end) => end.timestamp().saturating_add(1).saturating_mul(1000),
        None => end.timestamp_millis().saturating_add(1),
    };
    let bounds = (start.timestamp().saturating_mul(1000), end_exclusive);
    let rows = store
        .read(move |reader| {
            crate::storage::newest_first(
                reader,
                (&account, &region),
                bounds,
                cursor.as_ref().map(|(t, id)| (*t, id.as_str())),
                limit + 1,
                |json| match &filter {
                    None => true,
                    Some((key, value)) => {
                        serde_json::from_slice::<CloudTrailEvent>(json).is_ok_and(|event| event.matches(*key, value))
                    }
                },
            )
        })
        .await?;
    let next_token = (rows.len() > limit).then(|| encode_token(rows[limit - 1].time_ms, &rows[limit - 1].event_id));
    // A record that cannot be read back is skipped, not allowed to fail every page after it (issue 10).
    let events = rows
        .into_iter()
        .take(limit)
        .filter_map(|row| match serde_json::from_slice(&row.record_json) {
            Ok(event) => Some(event),
            Err(error) => {
                tracing::warn!(event_id = %row.event_id, %error, "an unreadable CloudTrail record is skipped");
                None
            }
        })
        .collect();
    Ok(LookupPage { events, next_token })
}

const TOKEN_KIND: &str = "events";

fn encode_token(time_ms: i64, event_id: &str) -> String {
    skywatch_ops::token::encode(TOKEN_KIND, &format!("{time_ms}/{event_id}"))
}

fn decode_token(token: &str) -> Result<(i64, String), LookupError> {
    let text = skywatch_ops::token::decode(TOKEN_KIND, token).ok_or(LookupError::InvalidNextToken)?;
    let (time, id) = text.split_once('/').ok_or(LookupError::InvalidNextToken)?;
    let time = time.parse().map_err(|_| LookupError::InvalidNextToken)?;
    Ok((time, id.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_and_garbage_is_refused() {
        let token = encode_token(1234, "0190-abc");
        assert_eq!(decode_token(&token).unwrap(), (1234, "0190-abc".to_owned()));
        for garbage in ["", "!!!", "bm90LWEtdG9rZW4", "eA"] {
            assert!(matches!(decode_token(garbage), Err(LookupError::InvalidNextToken)), "{garbage}");
        }
    }
}

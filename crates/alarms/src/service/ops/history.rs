//! DescribeAlarmHistory: one alarm's history or every alarm's in the account and region, by item type, alarm
//! type and date range, newest first unless `ScanBy` asks otherwise, in pages. History outlives its alarm.

use std::ops::ControlFlow;

use serde::Serialize;
use skywatch_ops::{Access, AwsError, Context, Effect, ErrorCode, Limit, Operation, Spec, codes, token};

use super::{spec, storage};
use crate::definition::AlarmType;
use crate::service::Alarms;
use crate::service::storage::{HistoryItem, each_history};

pub const MAX_HISTORY_RECORDS: usize = 100;
const TOKEN_KIND: &str = "alarm-history";
const ITEM_TYPES: [&str; 5] =
    ["ConfigurationUpdate", "StateUpdate", "Action", "AlarmContributorStateUpdate", "AlarmContributorAction"];

/// Why DescribeAlarmHistory refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HistoryError {
    #[error("The NextToken is invalid or has expired.")]
    InvalidNextToken,
    #[error("{0}")]
    InvalidValue(String),
    #[error("storage failed: {0}")]
    Storage(String),
}

impl AwsError for HistoryError {
    fn code(&self) -> ErrorCode {
        match self {
            HistoryError::InvalidNextToken => codes::cloudwatch::INVALID_NEXT_TOKEN,
            HistoryError::InvalidValue(_) => codes::cloudwatch::INVALID_PARAMETER_VALUE,
            HistoryError::Storage(_) => codes::INTERNAL,
        }
    }
}

/// DescribeAlarmHistory's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DescribeAlarmHistoryInput {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alarm_name: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub alarm_types: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub history_item_type: Option<String>,
    /// Epoch milliseconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_date_ms: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_date_ms: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_records: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scan_by: Option<String>,
}

/// A page of history.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HistoryPage {
    pub items: Vec<HistoryItem>,
    pub next_token: Option<String>,
}

/// DescribeAlarmHistory.
pub struct DescribeAlarmHistory;

impl Operation for DescribeAlarmHistory {
    const SPEC: Spec =
        spec("DescribeAlarmHistory", Access::Read).with_limits(&[Limit::aws("MaxRecords", MAX_HISTORY_RECORDS as u64)]);
    type Engine = Alarms;
    type Input = DescribeAlarmHistoryInput;
    type Output = HistoryPage;
    type Error = HistoryError;

    async fn run(
        engine: &Alarms,
        ctx: &Context,
        input: DescribeAlarmHistoryInput,
    ) -> Result<Effect<HistoryPage, HistoryError>, HistoryError> {
        let invalid = |message: String| HistoryError::InvalidValue(message);
        let limit = match input.max_records {
            None => MAX_HISTORY_RECORDS,
            Some(n) if (1..=MAX_HISTORY_RECORDS as i64).contains(&n) => n as usize,
            Some(n) => {
                return Err(invalid(format!(
                    "The value {n} for parameter MaxRecords is not valid; it must be between 1 and {MAX_HISTORY_RECORDS}."
                )));
            }
        };
        if let Some(item_type) = &input.history_item_type
            && !ITEM_TYPES.contains(&item_type.as_str())
        {
            return Err(invalid(format!("The value {item_type} for parameter HistoryItemType is not valid.")));
        }
        let ascending = match input.scan_by.as_deref() {
            None | Some("TimestampDescending") => false,
            Some("TimestampAscending") => true,
            Some(other) => return Err(invalid(format!("The value {other} for parameter ScanBy is not valid."))),
        };
        let mut types = Vec::new();
        for text in &input.alarm_types {
            types.push(
                AlarmType::parse(text)
                    .ok_or_else(|| invalid(format!("The value {text} for parameter AlarmTypes is not valid.")))?,
            );
        }
        if types.is_empty() && input.alarm_name.is_none() {
            // Without a name or types, the history of metric alarms (CloudWatch's default).
            types.push(AlarmType::Metric);
        }
        let range = (input.start_date_ms.unwrap_or(i64::MIN), input.end_date_ms.unwrap_or(i64::MAX - 1));
        if range.0 > range.1 {
            return Err(invalid("The parameter StartDate must not be after EndDate.".into()));
        }
        let after = match &input.next_token {
            None => None,
            Some(t) => {
                let cursor = token::decode(TOKEN_KIND, t).ok_or(HistoryError::InvalidNextToken)?;
                let (time, sequence) = cursor.split_once(':').ok_or(HistoryError::InvalidNextToken)?;
                Some((
                    time.parse().map_err(|_| HistoryError::InvalidNextToken)?,
                    sequence.parse().map_err(|_| HistoryError::InvalidNextToken)?,
                ))
            }
        };
        let (account, region) = (ctx.account.clone(), ctx.region.clone());
        let page = engine
            .store
            .read(move |reader| {
                let mut items = Vec::new();
                let mut last = None;
                let mut more = false;
                each_history(
                    reader,
                    &account,
                    &region,
                    input.alarm_name.as_deref(),
                    range,
                    ascending,
                    after,
                    |cursor, item| {
                        let type_ok =
                            types.is_empty() || AlarmType::parse(&item.alarm_type).is_some_and(|t| types.contains(&t));
                        let kind_ok = input.history_item_type.as_ref().is_none_or(|k| &item.item_type == k);
                        if !(type_ok && kind_ok) {
                            return ControlFlow::Continue(());
                        }
                        if items.len() == limit {
                            more = true;
                            return ControlFlow::Break(());
                        }
                        last = Some(cursor);
                        items.push(item);
                        ControlFlow::Continue(())
                    },
                )?;
                let next_token = if more {
                    last.map(|(time, sequence)| token::encode(TOKEN_KIND, &format!("{time}:{sequence}")))
                } else {
                    None
                };
                Ok(HistoryPage { items, next_token })
            })
            .await
            .map_err(|error| HistoryError::Storage(storage(error)))?;
        Ok(Effect::reply(page))
    }
}

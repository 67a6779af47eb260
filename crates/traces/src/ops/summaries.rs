//! GetTraceSummaries: the summaries of the traces in a time range (by start, or for `Event` any trace active in
//! it) that match a filter expression, a page at a time. An expression that requires an annotation value reads
//! only the traces the annotation index lists for it. The expression is checked before any scan; one call
//! looks at a bounded number of traces and says how many (`TracesProcessedCount`), with a token to go on.

use serde::Serialize;
use skywatch_ops::{Access, Context, Effect, Limit, Operation, Spec, token};
use std::ops::ControlFlow;

use super::{TracesError, spec};
use crate::Traces;
use crate::annotation_index;
use crate::filter;
use crate::groups::Parsed;
use crate::id::TraceId;
use crate::storage::{groups, start_ms, summaries, summary_at};
use crate::summary::Summary;

/// Summaries a page.
pub const PAGE: usize = 100;
/// Traces one call looks at.
pub const MAX_SCANNED: u64 = 50_000;
/// The longest time range.
pub const MAX_RANGE_MS: i64 = 24 * 3_600_000;
/// How far before the range an `Event` query looks for traces still running in it.
const EVENT_LOOKBACK_MS: i64 = 3_600_000;
const TOKEN_KIND: &str = "xray-summaries";

/// GetTraceSummaries's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GetTraceSummariesInput {
    pub start_time_ms: i64,
    pub end_time_ms: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_range_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filter_expression: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// One page of summaries.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SummaryPage {
    pub summaries: Vec<Summary>,
    /// The account the summaries belong to (their services' `AccountId`).
    pub account: String,
    pub approximate_time_ms: i64,
    pub processed: u64,
    pub next_token: Option<String>,
}

fn invalid(message: impl Into<String>) -> TracesError {
    TracesError::InvalidRequest(message.into())
}

/// GetTraceSummaries.
pub struct GetTraceSummaries;

impl Operation for GetTraceSummaries {
    const SPEC: Spec = spec("GetTraceSummaries", Access::Read).with_limits(&[
        Limit::own("FilterExpression characters", filter::MAX_LENGTH as u64),
        Limit::own("FilterExpression nesting", filter::MAX_DEPTH as u64),
        Limit::own("time range hours", 24),
        Limit::own("traces looked at a call", MAX_SCANNED),
    ]);
    type Engine = Traces;
    type Input = GetTraceSummariesInput;
    type Output = SummaryPage;
    type Error = TracesError;

    async fn run(
        traces: &Traces,
        ctx: &Context,
        input: GetTraceSummariesInput,
    ) -> Result<Effect<SummaryPage, TracesError>, TracesError> {
        let (from, to) = (input.start_time_ms, input.end_time_ms);
        if to < from {
            return Err(invalid("EndTime must not be earlier than StartTime"));
        }
        if to - from > MAX_RANGE_MS {
            return Err(invalid("The time range between StartTime and EndTime must be 24 hours or less"));
        }
        let event = match input.time_range_type.as_deref() {
            None | Some("TraceId" | "Service") => false,
            Some("Event") => true,
            Some(other) => return Err(invalid(format!("TimeRangeType: '{other}' is not TraceId, Event or Service"))),
        };
        let expression = match input.filter_expression.as_deref() {
            None => None,
            Some(text) => filter::parse(text).map_err(|e| invalid(e.to_string()))?,
        };
        let after = match &input.next_token {
            None => None,
            Some(t) => {
                let cursor = token::decode(TOKEN_KIND, t).ok_or_else(|| invalid("Invalid NextToken"))?;
                let (start, id) = cursor.split_once(' ').ok_or_else(|| invalid("Invalid NextToken"))?;
                Some((
                    start.parse::<i64>().map_err(|_| invalid("Invalid NextToken"))?,
                    TraceId::parse(id).ok_or_else(|| invalid("Invalid NextToken"))?,
                ))
            }
        };
        let scan_from = if event { from.saturating_sub(EVENT_LOOKBACK_MS) } else { from };
        let (account, region) = (ctx.account.clone(), ctx.region.clone());
        let page = traces
            .store
            .read(move |reader| {
                let mut page = SummaryPage { account: account.clone(), ..SummaryPage::default() };
                let known = Parsed::new(&account, &region, groups(reader, &account, &region)?);
                let mut last = None;
                let mut more = false;
                let mut consider = |summary: Summary| {
                    if page.summaries.len() >= PAGE || page.processed >= MAX_SCANNED {
                        more = true;
                        return ControlFlow::Break(());
                    }
                    page.processed += 1;
                    last = Some((start_ms(&summary), summary.id));
                    let active = !event || summary.end * 1000.0 >= from as f64;
                    let wanted = expression.as_ref().is_none_or(|e| filter::matches(e, &summary, &account, &known));
                    if active && wanted {
                        page.summaries.push(summary);
                    }
                    ControlFlow::Continue(())
                };
                match expression.as_ref().and_then(annotation_index::required) {
                    // Only the traces with the annotation value the expression requires.
                    Some(required) => {
                        let mut failure = None;
                        annotation_index::lookup(
                            reader,
                            (&account, &region),
                            required,
                            (scan_from, to),
                            after,
                            |start, trace| match summary_at(reader, &account, &region, start, trace) {
                                Ok(Some(summary)) => consider(summary),
                                Ok(None) => ControlFlow::Continue(()),
                                Err(error) => {
                                    failure = Some(error);
                                    ControlFlow::Break(())
                                }
                            },
                        )?;
                        if let Some(error) = failure {
                            return Err(error);
                        }
                    }
                    None => summaries(reader, &account, &region, (scan_from, to), after, consider)?,
                }
                if more && let Some((start, id)) = last {
                    page.next_token = Some(token::encode(TOKEN_KIND, &format!("{start} {id}")));
                }
                Ok(page)
            })
            .await?;
        Ok(Effect::reply(SummaryPage { approximate_time_ms: ctx.now_ms, ..page }))
    }
}

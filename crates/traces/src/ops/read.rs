//! BatchGetTraces: whole traces by id, a page of [`PAGE`] traces at a time; ids that match no stored trace are
//! answered in `UnprocessedTraceIds`.

use serde::Serialize;
use skywatch_ops::{Access, Context, Effect, Limit, Operation, Spec, token};

use super::{TracesError, spec};
use crate::Traces;
use crate::assemble::{Trace, assemble};
use crate::id::TraceId;
use crate::storage::documents;

/// Traces a page.
pub const PAGE: usize = 5;
/// Ids one call may name.
pub const MAX_IDS: usize = 1000;
const TOKEN_KIND: &str = "xray-traces";

/// BatchGetTraces's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BatchGetTracesInput {
    pub trace_ids: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// One page of traces.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TracePage {
    pub traces: Vec<Trace>,
    pub unprocessed: Vec<String>,
    pub next_token: Option<String>,
}

/// BatchGetTraces.
pub struct BatchGetTraces;

impl Operation for BatchGetTraces {
    const SPEC: Spec =
        spec("BatchGetTraces", Access::Read).with_limits(&[Limit::own("trace ids a call", MAX_IDS as u64)]);
    type Engine = Traces;
    type Input = BatchGetTracesInput;
    type Output = TracePage;
    type Error = TracesError;

    async fn run(
        traces: &Traces,
        ctx: &Context,
        input: BatchGetTracesInput,
    ) -> Result<Effect<TracePage, TracesError>, TracesError> {
        if input.trace_ids.len() > MAX_IDS {
            return Err(TracesError::InvalidRequest(format!("TraceIds: at most {MAX_IDS}")));
        }
        let skip = match &input.next_token {
            None => 0,
            Some(t) => token::decode(TOKEN_KIND, t)
                .and_then(|position| position.parse::<usize>().ok())
                .ok_or_else(|| TracesError::InvalidRequest("Invalid NextToken".into()))?,
        };
        let wanted: Vec<String> = input.trace_ids.iter().skip(skip).take(PAGE).cloned().collect();
        let next_token =
            (skip + PAGE < input.trace_ids.len()).then(|| token::encode(TOKEN_KIND, &(skip + PAGE).to_string()));
        let (account, region) = (ctx.account.clone(), ctx.region.clone());
        let found = traces
            .store
            .read(move |reader| {
                let mut out = Vec::new();
                for text in wanted {
                    let stored = match TraceId::parse(&text) {
                        Some(id) => Some((id, documents(reader, &account, &region, id)?)),
                        None => None,
                    };
                    out.push((text, stored));
                }
                Ok(out)
            })
            .await?;
        let mut page = TracePage { next_token, ..TracePage::default() };
        for (text, stored) in found {
            match stored {
                Some((id, stored)) if !stored.is_empty() => page.traces.push(assemble(id, stored)),
                _ => page.unprocessed.push(text),
            }
        }
        Ok(Effect::reply(page))
    }
}

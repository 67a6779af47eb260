//! PutTraceSegments: each document checked on its own; the good ones are stored in the call's commit and their
//! traces marked for a summary, the bad ones answered in `UnprocessedTraceSegments` with X-Ray's code. The UDP
//! daemon listener batches datagrams into this same operation.

use serde::Serialize;
use skywatch_ops::{Access, Context, Effect, Limit, Operation, Spec};

use super::{TracesError, spec};
use crate::Traces;
use crate::document::{MAX_DOCUMENT_BYTES, parse};
use crate::storage::PutDocuments;

/// Documents one call may carry (Skywatch's bound; the request's size bounds it first).
pub const MAX_DOCUMENTS: usize = 10_000;

/// PutTraceSegments's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PutTraceSegmentsInput {
    pub trace_segment_documents: Vec<String>,
}

/// A document that was not stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unprocessed {
    pub id: Option<String>,
    pub error_code: String,
    pub message: String,
}

/// PutTraceSegments.
pub struct PutTraceSegments;

impl Operation for PutTraceSegments {
    const SPEC: Spec = spec("PutTraceSegments", Access::Write).with_limits(&[
        Limit::aws("segment document bytes", MAX_DOCUMENT_BYTES as u64),
        Limit::own("documents a call", MAX_DOCUMENTS as u64),
    ]);
    type Engine = Traces;
    type Input = PutTraceSegmentsInput;
    type Output = Vec<Unprocessed>;
    type Error = TracesError;

    async fn run(
        traces: &Traces,
        ctx: &Context,
        input: PutTraceSegmentsInput,
    ) -> Result<Effect<Vec<Unprocessed>, TracesError>, TracesError> {
        if input.trace_segment_documents.len() > MAX_DOCUMENTS {
            return Err(TracesError::InvalidRequest(format!(
                "TraceSegmentDocuments: at most {MAX_DOCUMENTS} documents a call"
            )));
        }
        let mut documents = Vec::new();
        let mut unprocessed = Vec::new();
        for text in &input.trace_segment_documents {
            match parse(text) {
                Ok(parsed) => documents.extend(parsed),
                Err(refusal) => unprocessed.push(Unprocessed {
                    id: refusal.id.clone(),
                    error_code: refusal.code.to_owned(),
                    message: refusal.to_string(),
                }),
            }
        }
        if documents.is_empty() {
            return Ok(Effect::reply(unprocessed));
        }
        let change = PutDocuments::new(&ctx.account, &ctx.region, ctx.now_ms, documents)
            .map_err(|e| TracesError::Storage(e.to_string()))?;
        let waker = traces.clone();
        Ok(Effect::commit(unprocessed, vec![change.mutation()]).then(move || waker.wake()))
    }
}

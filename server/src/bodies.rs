//! Reading request bodies within bounds: a size limit per request, one deadline for the whole body (not per
//! chunk, so a trickle of bytes cannot keep it open), and a budget of bytes buffered across all requests at once,
//! taken before reading, so that many large bodies at once wait instead of exhausting memory.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderMap, header};
use bytes::Bytes;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Bytes of request bodies (and their inflated forms) buffered at once, across every request.
pub const BUFFERED_BODY_BUDGET: usize = 256 * 1024 * 1024;
const UNIT: usize = 1024;

/// Why a body was not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyError {
    /// Over the request's limit (declared or as read).
    TooLarge,
    /// Not received whole within the deadline (or the budget stayed taken that long).
    TimedOut,
    /// The connection broke.
    Broken,
}

/// The body bounds of one server.
#[derive(Debug, Clone)]
pub struct BodyReader {
    timeout: Duration,
    budget: Arc<Semaphore>,
}

/// A body read, and its share of the budget (returned when dropped: keep it while the body is in use).
pub struct ReadBody {
    pub bytes: Bytes,
    pub _budget: OwnedSemaphorePermit,
}

impl BodyReader {
    pub fn new(timeout: Duration) -> Self {
        Self { timeout, budget: Arc::new(Semaphore::new(BUFFERED_BODY_BUDGET / UNIT)) }
    }

    /// Reads a body of at most `limit` bytes; `extra` more bytes of budget are taken for what the caller will
    /// build from it (an inflated copy).
    pub async fn read(
        &self,
        headers: &HeaderMap,
        body: Body,
        limit: usize,
        extra: usize,
    ) -> Result<ReadBody, BodyError> {
        let declared = headers
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok());
        if declared.is_some_and(|length| length > limit as u64) {
            return Err(BodyError::TooLarge);
        }
        let expected = declared.map_or(limit, |length| usize::try_from(length).unwrap_or(limit));
        let units = u32::try_from(expected.saturating_add(extra).div_ceil(UNIT).max(1)).unwrap_or(u32::MAX);
        let work = async {
            let permit = self
                .budget
                .clone()
                .acquire_many_owned(units.min(self.capacity()))
                .await
                .map_err(|_| BodyError::Broken)?;
            match axum::body::to_bytes(body, limit).await {
                Ok(bytes) => Ok(ReadBody { bytes, _budget: permit }),
                Err(error) if is_length_limit(&error) => Err(BodyError::TooLarge),
                Err(_) => Err(BodyError::Broken),
            }
        };
        tokio::time::timeout(self.timeout, work).await.unwrap_or(Err(BodyError::TimedOut))
    }

    fn capacity(&self) -> u32 {
        u32::try_from(BUFFERED_BODY_BUDGET / UNIT).unwrap_or(u32::MAX)
    }
}

/// Whether reading the body failed because it is over the limit (not because it stalled or broke).
fn is_length_limit(error: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(error) = source {
        if error.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = error.source();
    }
    false
}

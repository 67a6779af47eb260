//! Replies whose body is sent as it is made (StartLiveTail's event stream): a [`ReplyStream`] yields chunks until
//! its producer ends. It is polled by the HTTP layer; nothing runs on its own, so when the client goes and the body
//! is dropped, the producer (and the session it holds) is dropped with it.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use bytes::Bytes;

use crate::wire::{REQUEST_ID_HEADER, WireResponse};

type Step = Pin<Box<dyn Future<Output = Option<(Bytes, ReplyStream)>> + Send>>;

/// A streamed reply body and its content type.
pub struct ReplyStream {
    content_type: &'static str,
    pending: Option<Step>,
}

impl std::fmt::Debug for ReplyStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReplyStream").field("content_type", &self.content_type).finish_non_exhaustive()
    }
}

impl ReplyStream {
    /// The body `step` makes from `state`: each call yields a chunk and the next state, or None at the end.
    pub fn unfold<S, F, Fut>(content_type: &'static str, state: S, step: F) -> Self
    where
        S: Send + 'static,
        F: Fn(S) -> Fut + Copy + Send + 'static,
        Fut: Future<Output = Option<(Bytes, S)>> + Send + 'static,
    {
        let pending: Step = Box::pin(async move {
            let (chunk, next) = step(state).await?;
            Some((chunk, ReplyStream::unfold(content_type, next, step)))
        });
        Self { content_type, pending: Some(pending) }
    }

    pub fn content_type(&self) -> &'static str {
        self.content_type
    }

    /// The reply's status and headers (200, the request id, the content type); the body is this stream.
    pub fn head(&self, request_id: &str) -> WireResponse {
        WireResponse {
            status: 200,
            headers: vec![
                (REQUEST_ID_HEADER.to_owned(), request_id.to_owned()),
                ("Content-Type".to_owned(), self.content_type.to_owned()),
            ],
            body: Vec::new(),
        }
    }

    /// The next chunk, or None once the body has ended.
    pub fn poll_chunk(&mut self, cx: &mut Context<'_>) -> Poll<Option<Bytes>> {
        let Some(pending) = self.pending.as_mut() else {
            return Poll::Ready(None);
        };
        match ready!(pending.as_mut().poll(cx)) {
            Some((chunk, rest)) => {
                *self = rest;
                Poll::Ready(Some(chunk))
            }
            None => {
                self.pending = None;
                Poll::Ready(None)
            }
        }
    }

    /// The next chunk, or None once the body has ended.
    pub async fn next_chunk(&mut self) -> Option<Bytes> {
        std::future::poll_fn(|cx| self.poll_chunk(cx)).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn chunks_come_in_order_then_the_end() {
        let mut body =
            ReplyStream::unfold(
                "text/plain",
                0u8,
                |n| async move { (n < 3).then(|| (Bytes::from(vec![b'a' + n]), n + 1)) },
            );
        assert_eq!(body.head("id").header("content-type"), Some("text/plain"));
        let mut got = Vec::new();
        while let Some(chunk) = body.next_chunk().await {
            got.extend_from_slice(&chunk);
        }
        assert_eq!(got, b"abc");
        assert_eq!(body.next_chunk().await, None, "an ended body stays ended");
    }

    #[tokio::test]
    async fn dropping_the_body_drops_its_state() {
        let state = std::sync::Arc::new(());
        let mut body = ReplyStream::unfold("x", state.clone(), |s| async move { Some((Bytes::from_static(b"."), s)) });
        assert!(body.next_chunk().await.is_some());
        assert_eq!(std::sync::Arc::strong_count(&state), 2);
        drop(body);
        assert_eq!(std::sync::Arc::strong_count(&state), 1);
    }
}

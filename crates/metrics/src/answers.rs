//! GetMetricData answers kept for their next pages (issue 15). An answer with metric math that spans several
//! pages is computed once (one made only of MetricStat queries is paged without one: `stat_pages.rs`); its NextTokens name the kept answer, so each later page is cut from it instead of computing the whole
//! answer again, and all pages of one answer show the same data. Kept answers are bounded by bytes and by age; a
//! token whose answer is gone (evicted, expired, or from before a restart) is served by computing the answer again.

use std::collections::VecDeque;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use crate::data::{DataRequest, DataResult};

/// Most bytes of datapoints kept over all answers.
pub const MAX_KEPT_BYTES: usize = 64 * 1024 * 1024;
/// How long an answer is kept for its next pages.
pub const KEPT_FOR_MS: i64 = 5 * 60 * 1000;

/// A whole answer: every result, all of its datapoints, and the request's messages.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub results: Vec<DataResult>,
    pub messages: Vec<(String, String)>,
}

impl Answer {
    /// Datapoints in all results.
    pub fn datapoints(&self) -> usize {
        self.results.iter().map(|r| r.values.len()).sum()
    }

    fn bytes(&self) -> usize {
        self.results.iter().map(|r| r.values.len() * 16 + r.id.len() + r.label.len() + 64).sum::<usize>() + 64
    }
}

/// Which request an answer is for: its account and region, and a hash of the request without its NextToken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerKey {
    account: String,
    region: String,
    request: u64,
}

impl AnswerKey {
    pub fn of(request: &DataRequest) -> Self {
        let mut hasher = DefaultHasher::new();
        // Every member but the token, through its Debug form (the request types hold floats nowhere, but derive
        // no Hash); a few bytes a query.
        let DataRequest { account, region, queries, start_ms, end_ms, ascending, max_datapoints, next_token: _ } =
            request;
        format!("{queries:?}").hash(&mut hasher);
        (start_ms, end_ms, ascending, max_datapoints).hash(&mut hasher);
        Self { account: account.clone(), region: region.clone(), request: hasher.finish() }
    }
}

struct Kept {
    id: u64,
    key: AnswerKey,
    answer: Arc<Answer>,
    bytes: usize,
    kept_at_ms: i64,
}

/// The kept answers, oldest first. Ids are a counter: a token reaches an answer only for the same request in the
/// same account and region, which would compute the same answer anyway.
#[derive(Default)]
pub struct AnswerCache {
    kept: Mutex<VecDeque<Kept>>,
    next_id: AtomicU64,
}

impl AnswerCache {
    /// Keeps `answer` for the request `key`, dropping the oldest answers past the byte bound; returns the id its
    /// tokens carry. An answer larger than the whole bound is not kept (`None`).
    pub fn keep(&self, key: AnswerKey, answer: Arc<Answer>, now_ms: i64) -> Option<u64> {
        let bytes = answer.bytes();
        if bytes > MAX_KEPT_BYTES {
            return None;
        }
        let id = self.next_id.fetch_add(1, Ordering::Relaxed) + 1;
        let mut kept = self.lock();
        expire(&mut kept, now_ms);
        let mut total: usize = kept.iter().map(|k| k.bytes).sum::<usize>() + bytes;
        while total > MAX_KEPT_BYTES {
            let Some(oldest) = kept.pop_front() else { break };
            total -= oldest.bytes;
        }
        kept.push_back(Kept { id, key, answer, bytes, kept_at_ms: now_ms });
        Some(id)
    }

    /// The answer kept under `id`, if it is still kept and is for the same request.
    pub fn find(&self, id: u64, key: &AnswerKey, now_ms: i64) -> Option<Arc<Answer>> {
        let mut kept = self.lock();
        expire(&mut kept, now_ms);
        kept.iter().find(|k| k.id == id && k.key == *key).map(|k| Arc::clone(&k.answer))
    }

    /// How many answers are kept.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<Kept>> {
        self.kept.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

fn expire(kept: &mut VecDeque<Kept>, now_ms: i64) {
    while kept.front().is_some_and(|k| now_ms.saturating_sub(k.kept_at_ms) > KEPT_FOR_MS) {
        kept.pop_front();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::StatusCode;

    fn answer(points: usize) -> Arc<Answer> {
        let result = DataResult {
            id: "m1".into(),
            label: "m1".into(),
            timestamps_ms: (0..points as i64).collect(),
            values: vec![1.0; points],
            status: StatusCode::Complete,
            messages: Vec::new(),
            unit: None,
        };
        Arc::new(Answer { results: vec![result], messages: Vec::new() })
    }

    fn key(account: &str, start_ms: i64) -> AnswerKey {
        AnswerKey::of(&DataRequest {
            account: account.into(),
            region: "us-east-1".into(),
            queries: Vec::new(),
            start_ms,
            end_ms: start_ms + 60_000,
            ascending: false,
            max_datapoints: None,
            next_token: None,
        })
    }

    #[test]
    fn an_answer_is_found_only_for_its_own_request_and_account() {
        let cache = AnswerCache::default();
        let id = cache.keep(key("1", 0), answer(10), 0).unwrap();
        assert!(cache.find(id, &key("1", 0), 1).is_some());
        assert!(cache.find(id, &key("2", 0), 1).is_none(), "another account");
        assert!(cache.find(id, &key("1", 60_000), 1).is_none(), "another request");
        assert!(cache.find(id.wrapping_add(1), &key("1", 0), 1).is_none(), "another id");
    }

    #[test]
    fn answers_expire_and_the_oldest_go_first_past_the_byte_bound() {
        let cache = AnswerCache::default();
        let first = cache.keep(key("1", 0), answer(10), 0).unwrap();
        assert!(cache.find(first, &key("1", 0), KEPT_FOR_MS + 1).is_none(), "expired");
        assert!(cache.is_empty());
        // Each about a third of the bound: the fourth pushes the first out.
        let third = MAX_KEPT_BYTES / 3 / 16 - 100;
        let ids: Vec<u64> = (0..4).map(|i| cache.keep(key("1", i * 60_000), answer(third), 0).unwrap()).collect();
        assert_eq!(cache.len(), 3);
        assert!(cache.find(ids[0], &key("1", 0), 0).is_none());
        assert!(cache.find(ids[3], &key("1", 3 * 60_000), 0).is_some());
        assert_eq!(cache.keep(key("1", 0), answer(MAX_KEPT_BYTES / 16 + 1), 0), None, "larger than the bound");
    }
}

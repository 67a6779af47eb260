//! The handle GetMetricData runs on: the time-series engine and the answers kept for their next pages.

use std::sync::Arc;

use skywatch_tsdb::Tsdb;

use crate::answers::AnswerCache;

/// Cheap to clone; every clone shares the kept answers.
#[derive(Clone)]
pub struct Metrics {
    pub tsdb: Tsdb,
    pub answers: Arc<AnswerCache>,
}

impl Metrics {
    pub fn new(tsdb: Tsdb) -> Self {
        Self { tsdb, answers: Arc::default() }
    }
}

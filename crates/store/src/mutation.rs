//! The writes callers may ask for. Callers never see a redb transaction: they describe what to store and the
//! writer applies it.

/// A metric datapoint summary: SampleCount, Sum, Minimum, Maximum.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StatisticSet {
    pub sample_count: f64,
    pub sum: f64,
    pub minimum: f64,
    pub maximum: f64,
}

impl StatisticSet {
    pub(crate) fn encode(&self) -> [u8; 32] {
        let mut out = [0u8; 32];
        for (slot, value) in out.chunks_exact_mut(8).zip([self.sample_count, self.sum, self.minimum, self.maximum]) {
            slot.copy_from_slice(&value.to_le_bytes());
        }
        out
    }

    pub(crate) fn decode(bytes: &[u8; 32]) -> Self {
        let field = |i: usize| {
            let mut array = [0u8; 8];
            array.copy_from_slice(&bytes[i * 8..i * 8 + 8]);
            f64::from_le_bytes(array)
        };
        Self { sample_count: field(0), sum: field(1), minimum: field(2), maximum: field(3) }
    }
}

/// One write.
#[derive(Debug, Clone)]
pub enum Mutation {
    PutAuditEvent { account: String, region: String, time_ms: i64, event_id: String, record_json: Vec<u8> },
    PutUser { name: String, record_json: Vec<u8> },
    PutSession { token_hash: String, record_json: Vec<u8> },
    DeleteSession { token_hash: String },
    PutMetricPoint { account: String, region: String, series: String, timestamp_ms: i64, stats: StatisticSet },
}

//! The writes callers may ask for. Callers never see a redb transaction: they describe what to store and the
//! writer applies it.

/// A schema-1 metric datapoint: SampleCount, Sum, Minimum, Maximum.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StatisticSet {
    pub sample_count: f64,
    pub sum: f64,
    pub minimum: f64,
    pub maximum: f64,
}

impl StatisticSet {
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
    PutAuditEvent {
        account: String,
        region: String,
        time_ms: i64,
        event_id: String,
        record_json: Vec<u8>,
    },
    PutUser {
        name: String,
        record_json: Vec<u8>,
    },
    PutSession {
        token_hash: String,
        record_json: Vec<u8>,
    },
    DeleteSession {
        token_hash: String,
    },
    /// A metric series' catalogue entry (insert or replace).
    PutSeries {
        id: u64,
        record: Vec<u8>,
    },
    /// One acknowledged metric write batch, kept until a checkpoint holds its points in chunks.
    AppendWal {
        sequence: u64,
        record: Vec<u8>,
    },
    DeleteWal {
        sequence: u64,
    },
    /// A series' open chunk as of a checkpoint (replaces the previous one).
    PutOpenChunk {
        series: u64,
        chunk: Vec<u8>,
    },
    DeleteOpenChunk {
        series: u64,
    },
    PutChunk {
        series: u64,
        max_timestamp_ms: i64,
        number: u64,
        chunk: Vec<u8>,
    },
    DeleteChunk {
        series: u64,
        max_timestamp_ms: i64,
        number: u64,
    },
    PutRollup {
        series: u64,
        period_seconds: u32,
        day_start_ms: i64,
        summaries: Vec<u8>,
    },
    DeleteRollup {
        series: u64,
        period_seconds: u32,
        day_start_ms: i64,
    },
    /// A database-wide fact under `key` in the meta table (engines' progress markers).
    PutMeta {
        key: String,
        value: Vec<u8>,
    },
    /// Removes every schema-1 raw metric datapoint (after the engine imported them).
    DropLegacyMetricPoints,
    /// A dashboard (insert or replace); the body is kept byte for byte.
    PutDashboard {
        account: String,
        name: String,
        last_modified_ms: i64,
        body: String,
    },
    /// Removes a dashboard (nothing happens when there is none).
    DeleteDashboard {
        account: String,
        name: String,
    },
}

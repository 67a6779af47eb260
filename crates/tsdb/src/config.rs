//! Engine settings: CloudWatch's retention per resolution, chunk cutting and checkpoint cadence.

use std::time::Duration;

const HOUR: Duration = Duration::from_secs(3600);
const DAY: Duration = Duration::from_secs(86_400);

/// How long data of each resolution stays queryable. Defaults are CloudWatch's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    /// Sub-minute (high-resolution) periods are answered for data this recent: 3 hours.
    pub high_resolution: Duration,
    /// Raw points (60-second and finer periods): 15 days. Raw data is deleted only once its day is rolled up, which
    /// happens [`LATEST_ARRIVAL`] after the day: a shorter raw retention keeps raw data that long.
    pub raw: Duration,
    /// 5-minute roll-ups: 63 days.
    pub five_minute: Duration,
    /// 1-hour roll-ups: 455 days.
    pub one_hour: Duration,
}

impl Default for Retention {
    fn default() -> Self {
        Self { high_resolution: 3 * HOUR, raw: 15 * DAY, five_minute: 63 * DAY, one_hour: 455 * DAY }
    }
}

/// Points may arrive this late (CloudWatch accepts timestamps up to two weeks old); a day is rolled up once no
/// more points can arrive for it.
pub const LATEST_ARRIVAL: Duration = Duration::from_secs(14 * 86_400 + 2 * 3600);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Config {
    pub retention: Retention,
    /// A chunk is sealed once it holds this many points...
    pub chunk_max_points: usize,
    /// ...or holds this many bytes (so a sealed chunk fits one page of the store; checked at each checkpoint)...
    pub chunk_max_bytes: usize,
    /// ...or spans this much time, or crosses a multiple of it shifted by a phase drawn from the series id (so that
    /// series written together seal at different checkpoints)...
    pub chunk_max_span: Duration,
    /// ...or its series has been idle this long (and up to as long again, spread by series so that series that stop
    /// together do not all seal at one checkpoint).
    pub chunk_idle: Duration,
    /// The write-ahead log is folded into chunks once it holds this many bytes (or on the timer).
    pub checkpoint_wal_bytes: usize,
    /// Metrics not written for this long are no longer listed (CloudWatch's two weeks).
    pub listed_for: Duration,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            retention: Retention::default(),
            chunk_max_points: 2048,
            chunk_max_bytes: 3_800,
            chunk_max_span: 6 * HOUR,
            chunk_idle: HOUR,
            checkpoint_wal_bytes: 64 << 20,
            listed_for: 14 * DAY,
        }
    }
}

/// Milliseconds in a duration, saturating.
pub fn millis(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}

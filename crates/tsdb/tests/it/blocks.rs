//! Issue 15, point 3: sealed chunks in page-sized blocks. Four days of a minute series, sealed every six hours,
//! make blocks and a tail; queries over them and over a chunk row of schema 2 (written one a row, as before blocks)
//! count every point once, before and after a restart; retention deletes whole blocks, the row and the tail's old
//! chunks, and keeps every point at or after its cut.

use skywatch_store::{Change, Key, Store, Tx, WriteError};
use skywatch_tsdb::codec::ChunkEncoder;
use skywatch_tsdb::storage::{self, BLOCKS, CHUNKS, TAILS};
use skywatch_tsdb::{BucketQuery, Config, Sample, SeriesKey, Source, Tsdb, WritePoint};

const MINUTE: i64 = 60_000;
const HOUR: i64 = 3_600_000;
const DAY: i64 = 86_400_000;
const T0: i64 = 1_800_000_000_000 / DAY * DAY;

fn key() -> SeriesKey {
    SeriesKey::new("000000000000", "us-east-1", "App", "Requests", vec![("Host".into(), "a".into())])
}

fn value(minute: i64) -> f64 {
    (minute * 7919 % 1000) as f64 / 10.0
}

/// A chunk row as schema 2 wrote it.
#[derive(Debug)]
struct ChunkRow {
    series: u64,
    max_timestamp_ms: i64,
    chunk: Vec<u8>,
}

impl Change for ChunkRow {
    fn apply(&self, tx: &mut Tx<'_>) -> Result<(), WriteError> {
        let key = Key::new().u64(self.series).i64(self.max_timestamp_ms).u64(1);
        tx.put(CHUNKS, key.as_bytes(), &self.chunk)
    }
}

/// (count, sum) of each hour from `start` to the end of day four.
async fn hours(tsdb: &Tsdb, id: u64, start: i64) -> Vec<(f64, f64)> {
    let query = BucketQuery { start_ms: start, end_ms: T0 + 4 * DAY, period_ms: HOUR, with_distribution: false };
    let result = tsdb.query(vec![id], query, Source::Raw).await.unwrap();
    result[0].iter().map(|b| b.as_ref().map_or((0.0, 0.0), |s| (s.sample_count, s.sum))).collect()
}

fn expected(start: i64) -> Vec<(f64, f64)> {
    (start / HOUR..(T0 + 4 * DAY) / HOUR)
        .map(|hour| {
            let minutes = (hour * 60..hour * 60 + 60).filter(|m| *m * MINUTE >= T0 - DAY);
            minutes.fold((0.0, 0.0), |(count, sum), m| (count + 1.0, sum + value(m)))
        })
        .collect()
}

fn sealed(tsdb: &Tsdb) -> u64 {
    tsdb.store().read_blocking(storage::counts).unwrap()[3]
}

#[tokio::test(flavor = "multi_thread")]
async fn blocks_answer_every_point_once_and_expire_whole() {
    let dir = tempfile::tempdir().unwrap();
    let tsdb = Tsdb::open(Store::open(dir.path()).unwrap(), Config::default()).unwrap();
    for hour in 0..4 * 24 {
        let points: Vec<WritePoint> = (0..60)
            .map(|m| {
                let at = T0 + hour * HOUR + m * MINUTE;
                WritePoint { series: key(), unit: None, timestamp_ms: at, sample: Sample::Value(value(at / MINUTE)) }
            })
            .collect();
        let mut prepared = tsdb.prepare(&points);
        tsdb.store().apply(std::mem::take(&mut prepared.mutations)).await.unwrap();
        tsdb.apply(prepared, T0 + hour * HOUR);
        tsdb.checkpoint(T0 + (hour + 1) * HOUR).await.unwrap();
    }
    let id = tsdb.series_of(&key())[0].id;
    // The day before, as schema 2 stored it.
    let mut encoder = ChunkEncoder::new();
    for m in 0..24 * 60 {
        let at = T0 - DAY + m * MINUTE;
        encoder.push(at, value(at / MINUTE), None);
    }
    let row = ChunkRow { series: id, max_timestamp_ms: T0 - MINUTE, chunk: encoder.snapshot() };
    tsdb.store().apply(vec![row.into()]).await.unwrap();

    let [blocks, tails, rows] =
        [BLOCKS, TAILS, CHUNKS].map(|table| tsdb.store().read_blocking(|r| r.len(table)).unwrap());
    assert!(blocks >= 2 && tails == 1 && rows == 1, "blocks {blocks}, tails {tails}, rows {rows}");
    assert_eq!(hours(&tsdb, id, T0 - DAY).await, expected(T0 - DAY));
    let before = sealed(&tsdb);
    drop(tsdb);
    let tsdb = Tsdb::open(Store::open(dir.path()).unwrap(), Config::default()).unwrap();
    assert_eq!(hours(&tsdb, id, T0 - DAY).await, expected(T0 - DAY), "after a restart");

    // Seventeen days on, raw data is kept from fifteen days back: T0 + 2 days + 3 hours.
    let report = tsdb.maintain(T0 + 17 * DAY + 3 * HOUR).await.unwrap();
    let cut = T0 + 2 * DAY + 3 * HOUR;
    assert!(report.chunks_deleted > 1, "{report:?}");
    assert_eq!(sealed(&tsdb), before - report.chunks_deleted as u64);
    let left = tsdb.store().read_blocking(|r| storage::blocks_older_than(r, cut)).unwrap();
    assert_eq!(left, storage::ExpiredBlocks::default(), "nothing older than the cut is left");
    assert_eq!(tsdb.store().read_blocking(|r| storage::chunks_older_than(r, cut)).unwrap(), vec![]);
    let from = cut.div_euclid(HOUR) * HOUR + HOUR;
    assert_eq!(hours(&tsdb, id, from).await, expected(from), "every point after the cut is kept");
}

/// A week written at once (a backfill, or a test suite seeding data) is sealed as page-sized chunks: no block or
/// tail is larger than one page, and the week reads back whole.
#[tokio::test(flavor = "multi_thread")]
async fn a_backfilled_week_is_stored_in_rows_of_one_page() {
    let dir = tempfile::tempdir().unwrap();
    let tsdb = Tsdb::open(Store::open(dir.path()).unwrap(), Config::default()).unwrap();
    let points: Vec<WritePoint> = (0..7 * 1440)
        .map(|m| {
            let at = T0 - 3 * DAY + m * MINUTE;
            WritePoint { series: key(), unit: None, timestamp_ms: at, sample: Sample::Value(value(at / MINUTE)) }
        })
        .collect();
    let mut prepared = tsdb.prepare(&points);
    tsdb.store().apply(std::mem::take(&mut prepared.mutations)).await.unwrap();
    tsdb.apply(prepared, T0);
    tsdb.checkpoint(T0 + 4 * DAY).await.unwrap();
    let rows: Vec<usize> = [BLOCKS, TAILS]
        .iter()
        .flat_map(|table| tsdb.store().read_blocking(|r| r.all(*table)).unwrap())
        .map(|(_, value)| value.len())
        .collect();
    assert!(rows.len() >= 3, "{rows:?}");
    assert!(rows.iter().all(|len| *len <= skywatch_tsdb::blocks::BLOCK_BYTES), "{rows:?}");
    let id = tsdb.series_of(&key())[0].id;
    let query = BucketQuery { start_ms: T0 - 3 * DAY, end_ms: T0 + 4 * DAY, period_ms: DAY, with_distribution: false };
    let days = tsdb.query(vec![id], query, Source::Raw).await.unwrap();
    let got: Vec<(f64, f64)> =
        days[0].iter().map(|b| b.as_ref().map_or((0.0, 0.0), |s| (s.sample_count, s.sum))).collect();
    let expected: Vec<(f64, f64)> = (0..7)
        .map(|d| {
            let first = (T0 - 3 * DAY + d * DAY) / MINUTE;
            (first..first + 1440).fold((0.0, 0.0), |(count, sum), m| (count + 1.0, sum + value(m)))
        })
        .collect();
    assert_eq!(got, expected);
}

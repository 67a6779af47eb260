//! Issue 15: the file stops growing once retention is reached. Series written every minute for 64 days with
//! shortened roll-up retentions (raw 15 days as CloudWatch keeps it, 5-minute roll-ups 17, 1-hour roll-ups 19; a day
//! is rolled up once final, two weeks and two hours on, and raw data goes only once rolled up) and a maintenance
//! pass a day: once deletions match insertions (about day 20), the database file must level off, because the pages
//! retention frees are reused. (Without deletions the file grows 50% over the last quarter: checked.)

use skywatch_store::{DATABASE_FILE, Store};
use skywatch_tsdb::{Config, Retention, Sample, SeriesKey, Tsdb, WritePoint};

const MINUTE: i64 = 60_000;
const DAY: i64 = 86_400_000;
const T0: i64 = 1_800_000_000_000 / DAY * DAY;
const SERIES: usize = 10;
const DAYS: i64 = 64;

fn key(i: usize) -> SeriesKey {
    SeriesKey::new("000000000000", "us-east-1", "Retention", "Load", vec![("Host".into(), format!("h{i:03}"))])
}

#[tokio::test(flavor = "multi_thread")]
async fn the_file_levels_off_once_retention_is_reached() {
    let dir = tempfile::tempdir().unwrap();
    let day = std::time::Duration::from_secs(86_400);
    let retention = Retention { high_resolution: day / 8, raw: 15 * day, five_minute: 17 * day, one_hour: 19 * day };
    let tsdb = Tsdb::open(Store::open(dir.path()).unwrap(), Config { retention, ..Config::default() }).unwrap();
    let keys: Vec<SeriesKey> = (0..SERIES).map(key).collect();
    let mut sizes = Vec::new();
    let mut spaces = Vec::new();
    for d in 0..DAYS {
        // A day of minutes, 50 minutes of every series a commit, checkpointed every hour of data.
        for hour in 0..24 {
            for half in 0..2 {
                let points: Vec<WritePoint> = (0..30)
                    .flat_map(|m| {
                        let at = T0 + d * DAY + hour * 3_600_000 + (half * 30 + m) * MINUTE;
                        keys.iter().enumerate().map(move |(i, k)| WritePoint {
                            series: k.clone(),
                            unit: None,
                            timestamp_ms: at,
                            sample: Sample::Value(((at / MINUTE) as usize * 7 + i) as f64 % 100.0),
                        })
                    })
                    .collect();
                let mut prepared = tsdb.prepare(&points);
                tsdb.store().apply(std::mem::take(&mut prepared.mutations)).await.unwrap();
                tsdb.apply(prepared, T0 + d * DAY + hour * 3_600_000);
            }
            tsdb.checkpoint(T0 + d * DAY + (hour + 1) * 3_600_000).await.unwrap();
        }
        tsdb.maintain(T0 + (d + 1) * DAY).await.unwrap();
        sizes.push(std::fs::metadata(dir.path().join(DATABASE_FILE)).unwrap().len());
        if d + 1 == DAYS * 3 / 4 || d + 1 == DAYS {
            spaces.push(space(&tsdb));
        }
    }
    // Steady state: raw data is deleted from day 17 (rolled up after two weeks and two hours, kept two days), the
    // last roll-ups from day 25. The last quarter of the days must not grow the file by 2%.
    let quarter = sizes.len() * 3 / 4;
    let (settled, last) = (sizes[quarter], sizes[sizes.len() - 1]);
    let mib = |b: u64| b as f64 / 1_048_576.0;
    let growth = last as f64 / settled as f64 - 1.0;
    assert!(
        growth < 0.02,
        "the file grew {:.1}% over the last quarter ({:.2} MiB on day {quarter}, {:.2} MiB on day {DAYS}); by day: {:?}; \
         tables then and at the end: {spaces:#?}",
        growth * 100.0,
        mib(settled),
        mib(last),
        sizes.iter().map(|b| format!("{:.2}", mib(*b))).collect::<Vec<_>>()
    );
}

/// Where the file's bytes are: allocated and file bytes, and each non-empty table's entries, stored bytes and pages.
fn space(tsdb: &Tsdb) -> Vec<String> {
    let space = tsdb.store().space_blocking().unwrap();
    let mut out = vec![format!("file {} allocated {}", space.file_bytes, space.allocated_bytes)];
    for table in space.tables.iter().filter(|t| t.entries > 0) {
        out.push(format!(
            "{} entries {} stored {} leaf pages {} branch pages {}",
            table.name, table.entries, table.stored_bytes, table.leaf_pages, table.branch_pages
        ));
    }
    out
}

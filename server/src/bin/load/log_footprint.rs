//! `--mode log-footprint`: what a stopped server's data dir holds of CloudWatch Logs, read through the store and
//! the logs engine's own tables: for each log group its events, the message bytes sent, `storedBytes` as
//! DescribeLogGroups reports it (messages plus 26 bytes an event, as CloudWatch Logs counts), the plain block
//! encoding, and the compressed (maybe sealed) block payloads actually stored; the ratio of message bytes to
//! stored payload bytes, also for small blocks (a few seconds of a live tail) and large ones (batches of
//! thousands) apart; and the whole file's size. The server must be stopped (the file is opened, not shared).

use std::ops::ControlFlow;
use std::path::Path;

use anyhow::{Context as _, bail};
use skywatch_core::logs::ingest::EVENT_OVERHEAD;
use skywatch_core::logs::storage::{self, BlockMeta};
use skywatch_core::store::{DATABASE_FILE, Direction, ReadError, Reader, Store};

/// Blocks of fewer events than this count as small.
const SMALL_BLOCK_EVENTS: u32 = 500;
const GROUPS_A_PAGE: usize = 100;

/// Sums over some blocks.
#[derive(Default, Clone, Copy)]
struct Tally {
    blocks: u64,
    events: u64,
    message_bytes: u64,
    plain_bytes: u64,
    payload_bytes: u64,
}

impl Tally {
    fn add(&mut self, meta: &BlockMeta, payload: u64) {
        self.blocks += 1;
        self.events += u64::from(meta.count);
        self.message_bytes += meta.event_bytes.saturating_sub(u64::from(meta.count) * EVENT_OVERHEAD as u64);
        self.plain_bytes += u64::from(meta.plain_len);
        self.payload_bytes += payload;
    }

    fn merge(&mut self, other: &Tally) {
        self.blocks += other.blocks;
        self.events += other.events;
        self.message_bytes += other.message_bytes;
        self.plain_bytes += other.plain_bytes;
        self.payload_bytes += other.payload_bytes;
    }

    fn ratio(&self) -> f64 {
        self.message_bytes as f64 / self.payload_bytes.max(1) as f64
    }

    fn line(&self) -> String {
        format!(
            "blocks={} events={} message_bytes={} line_bytes_avg={:.1} plain_bytes={} stored_payload_bytes={} \
             ratio={:.2}",
            self.blocks,
            self.events,
            self.message_bytes,
            self.message_bytes as f64 / self.events.max(1) as f64,
            self.plain_bytes,
            self.payload_bytes,
            self.ratio(),
        )
    }
}

/// One group's blocks: (all, small, large).
fn group_tally(reader: &Reader, group_id: u64) -> Result<[Tally; 3], ReadError> {
    let mut metas = Vec::new();
    storage::group_blocks(reader, group_id, ((i64::MIN, 0), (i64::MAX, u64::MAX)), Direction::Forward, |meta| {
        metas.push(meta);
        ControlFlow::Continue(())
    })?;
    let mut tallies = [Tally::default(); 3];
    for meta in metas {
        let payload = storage::block(reader, group_id, meta.block_id)?.map_or(0, |b| b.payload.len() as u64);
        tallies[0].add(&meta, payload);
        tallies[if meta.count < SMALL_BLOCK_EVENTS { 1 } else { 2 }].add(&meta, payload);
    }
    Ok(tallies)
}

/// Prints the footprint of the logs in `data_dir`.
pub fn run(data_dir: &Path) -> anyhow::Result<()> {
    let file = data_dir.join(DATABASE_FILE);
    let file_bytes = std::fs::metadata(&file).with_context(|| format!("reading {}", file.display()))?.len();
    let store =
        Store::open(data_dir).with_context(|| format!("opening {} (is the server stopped?)", file.display()))?;
    let mut totals = [Tally::default(); 3];
    let mut stored_bytes = 0u64;
    let mut after: Option<Vec<u8>> = None;
    loop {
        let page = store.read_blocking(|r| storage::all_groups(r, after.as_deref(), GROUPS_A_PAGE))?;
        let Some((last, _)) = page.last() else {
            break;
        };
        after = Some(last.clone());
        for (_, group) in &page {
            let tallies = store.read_blocking(|r| group_tally(r, group.id))?;
            println!("group {} stored_bytes={} {}", group.name, group.stored_bytes, tallies[0].line());
            stored_bytes += group.stored_bytes;
            for (total, tally) in totals.iter_mut().zip(&tallies) {
                total.merge(tally);
            }
        }
    }
    if totals[0].events == 0 {
        bail!("no log events in {}", file.display());
    }
    println!("small blocks (< {SMALL_BLOCK_EVENTS} events) {}", totals[1].line());
    println!("large blocks (>= {SMALL_BLOCK_EVENTS} events) {}", totals[2].line());
    println!(
        "summary mode=log-footprint {} described_stored_bytes={stored_bytes} file_bytes={file_bytes} \
         message_to_file_ratio={:.2}",
        totals[0].line(),
        totals[0].message_bytes as f64 / file_bytes.max(1) as f64,
    );
    Ok(())
}

//! Writes 200-byte rows in 1,000-row commits and prints resident memory as the volume grows, to check that
//! memory follows the working set rather than the volume stored. `cargo run --release --example rss_probe`.

use skywatch_store::{Change, Key, Mutation, Store, Table, Tx, WriteError};

const LOG: Table = Table::new("probe_log_v1");

#[derive(Debug)]
struct Append {
    sequence: u64,
    record: Vec<u8>,
}

impl Change for Append {
    fn apply(&self, tx: &mut Tx<'_>) -> Result<(), WriteError> {
        tx.put(LOG, Key::new().u64(self.sequence).as_bytes(), &self.record)
    }
}

fn status_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix(field))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let rounds: usize = std::env::var("ROUNDS").ok().and_then(|r| r.parse().ok()).unwrap_or(20);
    for round in 0..rounds {
        for batch in 0..100 {
            let points = (0..1000)
                .map(|i| {
                    Mutation::new(Append {
                        sequence: ((round * 100 + batch) * 1000 + i) as u64,
                        record: vec![(i % 251) as u8; 200],
                    })
                })
                .collect();
            store.apply(points).await.unwrap();
        }
        println!(
            "points={} rss_kib={} anon_kib={} file_kib={}",
            (round + 1) * 100_000,
            status_kib("VmRSS:"),
            status_kib("RssAnon:"),
            status_kib("RssFile:")
        );
    }
}

//! Raw redb, no Skywatch code: 1,000-row durable commits, printing anonymous resident memory as rows grow.
//! Separates redb's own memory behaviour from the store's. `cargo run --release --example redb_probe`.

use redb::{Database, TableDefinition};

const A: TableDefinition<(&str, &str, i64, &str), &[u8]> = TableDefinition::new("a");
const U: TableDefinition<&str, &[u8]> = TableDefinition::new("u");
const T: TableDefinition<(&str, &str, &str, i64, u64), [u8; 32]> = TableDefinition::new("t");

fn anon_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("RssAnon:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let db = Database::builder().set_cache_size(8 << 20).create(dir.path().join("p.redb")).unwrap();
    let mut seq = 0u64;
    for round in 0..10 {
        for _ in 0..100 {
            let txn = db.begin_write().unwrap();
            {
                let _a = txn.open_table(A).unwrap();
                let _u = txn.open_table(U).unwrap();
                let mut t = txn.open_table(T).unwrap();
                for i in 0..1000 {
                    seq += 1;
                    let series = format!("Load\u{1f}Latency\u{1f}Series={}", i % 100);
                    t.insert(("000000000000", "us-east-1", series.as_str(), seq as i64, seq), [0u8; 32]).unwrap();
                }
            }
            txn.commit().unwrap();
        }
        println!("rows={} anon_kib={}", (round + 1) * 100_000, anon_kib());
    }
}

//! Writer throughput: single-mutation jobs from many concurrent callers, grouped into shared commits.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use skywatch_store::{Change, Key, Mutation, Store, Table, Tx, WriteError};

const LOG: Table = Table::new("bench_log_v1");

/// A small write-ahead-log record under its sequence, the shape of a metric write.
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

fn point(task: usize, i: i64) -> Mutation {
    Mutation::new(Append { sequence: ((task as u64) << 32) | i as u64, record: vec![0u8; 32] })
}

fn concurrent_single_writes(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let mut group = c.benchmark_group("store_writer");
    group.sample_size(10);
    const CALLERS: usize = 64;
    const PER_CALLER: i64 = 16;
    group.throughput(Throughput::Elements(CALLERS as u64 * PER_CALLER as u64));
    group.bench_function("64_callers_x16_single_point_jobs", |b| {
        b.iter(|| {
            runtime.block_on(async {
                let tasks: Vec<_> = (0..CALLERS)
                    .map(|task| {
                        let store = store.clone();
                        tokio::spawn(async move {
                            for i in 0..PER_CALLER {
                                store.apply(vec![point(task, i)]).await.unwrap();
                            }
                        })
                    })
                    .collect();
                for task in tasks {
                    task.await.unwrap();
                }
            })
        })
    });
    // The baseline the batching is measured against: one caller, so every job is its own durable commit.
    group.throughput(Throughput::Elements(PER_CALLER as u64));
    group.bench_function("1_caller_x16_single_point_jobs", |b| {
        b.iter(|| {
            runtime.block_on(async {
                for i in 0..PER_CALLER {
                    store.apply(vec![point(0, i)]).await.unwrap();
                }
            })
        })
    });
    group.throughput(Throughput::Elements(1000));
    group.bench_function("one_job_of_1000_points", |b| {
        b.iter(|| runtime.block_on(store.apply((0..1000).map(|i| point(0, i)).collect())).unwrap())
    });
    group.finish();
}

criterion_group!(benches, concurrent_single_writes);
criterion_main!(benches);

//! Event-rule checks a second: one event (about 600 bytes, an EventBridge envelope and a detail) read and matched
//! against 1,000 rules of the shapes rules have (a source, detail types, a condition on the detail; one in ten
//! with no source, so checked for every event). Throughput is in rules checked, so `elem/s` is checks a second.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use skywatch_eventpattern::{Event, RuleSet, parse};

#[path = "../tests/it/workload.rs"]
mod workload;
use workload::{event, pattern};

fn benches(c: &mut Criterion) {
    let mut set = RuleSet::new();
    for i in 0..1000 {
        set.insert(i, parse(&pattern(i)).expect("valid pattern"));
    }
    let events: Vec<String> = (0..64).map(event).collect();
    let mut group = c.benchmark_group("rule_set");
    group.throughput(Throughput::Elements(1000));
    let mut next = 0;
    group.bench_function("read_and_match_one_event_against_1000_rules", |b| {
        b.iter(|| {
            next = (next + 1) % events.len();
            let event = set.parse_event(&events[next]).expect("valid event");
            set.matching(&event).len()
        })
    });
    let parsed: Vec<Event> = events.iter().map(|e| set.parse_event(e).expect("valid event")).collect();
    group.bench_function("match_one_read_event_against_1000_rules", |b| {
        b.iter(|| {
            next = (next + 1) % parsed.len();
            set.matching(&parsed[next]).len()
        })
    });
    group.finish();
}

criterion_group!(rule_set, benches);
criterion_main!(rule_set);

//! Fuzzes statistic names (`p99.9`, `TM(10%:90%)`, `PR(:300)`, ...): any text parses or fails cleanly, and what
//! parses prints to a name that parses back to the same statistic.

#![no_main]

use libfuzzer_sys::fuzz_target;
use skywatch_tsdb::statistic::Statistic;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(statistic) = text.parse::<Statistic>() {
        let printed = statistic.to_string();
        assert_eq!(printed.parse::<Statistic>().ok(), Some(statistic), "{text:?} printed as {printed:?}");
    }
});

//! Fuzzes the SEARCH expression parser of metric math: any text parses or fails cleanly, and a parsed search
//! can be matched against a series without panicking.

#![no_main]

use libfuzzer_sys::fuzz_target;
use skywatch_metrics::search;
use skywatch_tsdb::SeriesKey;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(parsed) = search::parse(text) {
        let key = SeriesKey::new("1", "r", "Demo/EC2", "CPUUtilization", vec![("InstanceId".into(), "i-1".into())]);
        let _ = parsed.matches(&key);
    }
});

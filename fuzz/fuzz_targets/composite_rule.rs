//! Fuzzes the composite alarm rule parser: any text parses or fails with a reason; what parses names at most 100
//! alarms, prints to a text that parses back to the same rule, and evaluates over any child states.

#![no_main]

use libfuzzer_sys::fuzz_target;
use skywatch_alarms::AlarmState;
use skywatch_alarms::rule::{MAX_ALARMS, parse};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match parse(text) {
        Ok(rule) => {
            assert!(rule.alarms().len() <= MAX_ALARMS);
            let printed = rule.to_string();
            if printed.chars().count() <= skywatch_alarms::rule::MAX_RULE_LENGTH {
                assert_eq!(parse(&printed).as_ref(), Ok(&rule), "{text:?} printed as {printed:?}");
            }
            let state_of = |name: &str| AlarmState::ALL.get(name.len() % 4).copied();
            let _ = rule.holds(&state_of);
        }
        Err(error) => assert!(!error.to_string().is_empty()),
    }
});

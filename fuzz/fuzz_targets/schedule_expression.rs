//! Fuzzes EventBridge schedule expressions: any text is read as `rate()` or six-field `cron()` or refused, within
//! the model's 256 characters, without panicking; what is read keeps its fields within their ranges.

#![no_main]

use libfuzzer_sys::fuzz_target;
use skywatch_events::schedule::{DayOfMonth, DayOfWeek, Schedule, parse};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match parse(text) {
        None => {}
        Some(Schedule::Rate { minutes }) => assert!(minutes > 0, "{text:?}"),
        Some(Schedule::Cron(cron)) => {
            assert!(cron.minutes >> 60 == 0 && cron.hours >> 24 == 0, "{text:?}");
            assert!(cron.months & 1 == 0 && cron.months >> 13 == 0, "{text:?}");
            assert!(cron.years[3] >> (230 - 192) == 0, "{text:?}");
            let month_days = matches!(cron.day_of_month, DayOfMonth::Any);
            let week_days = matches!(cron.day_of_week, DayOfWeek::Any);
            assert!(month_days != week_days, "exactly one day field is `?`: {text:?}");
            if let DayOfMonth::Days(days) = cron.day_of_month {
                assert!(days & 1 == 0, "{text:?}");
            }
            if let DayOfWeek::Days(days) = cron.day_of_week {
                assert!(days & 1 == 0, "{text:?}");
            }
        }
    }
});

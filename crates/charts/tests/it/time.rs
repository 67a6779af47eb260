//! Relative (ISO 8601 duration) and absolute times and time zone offsets of widgets.

use skywatch_charts::widget::time::{
    TimeSpec, format_iso_duration, format_timezone, parse_iso_duration, parse_iso_time, parse_timezone,
};

const MINUTE: i64 = 60_000;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;

#[test]
fn durations_parse_to_signed_milliseconds() {
    let table: &[(&str, i64)] = &[
        ("-PT3H", -3 * HOUR),
        ("-P7D", -7 * DAY),
        ("-PT15M", -15 * MINUTE),
        ("PT0H", 0),
        ("-PT0H", 0),
        ("+PT1H", HOUR),
        ("-P1W", -7 * DAY),
        ("-P2W", -14 * DAY),
        ("-P1DT12H", -36 * HOUR),
        ("-PT1H30M", -90 * MINUTE),
        ("-PT30S", -30_000),
        ("-PT1.5H", -90 * MINUTE),
        ("-PT0,5M", -30_000),
        ("-P1M", -30 * DAY),
        ("-P1Y", -365 * DAY),
        ("-P1Y2M3DT4H5M6S", -(365 * DAY + 60 * DAY + 3 * DAY + 4 * HOUR + 5 * MINUTE + 6_000)),
    ];
    for (text, expected) in table {
        assert_eq!(parse_iso_duration(text), Ok(*expected), "{text}");
    }
}

#[test]
fn malformed_durations_are_refused() {
    for text in ["", "P", "PT", "-", "-3H", "PT3X", "P3H", "PT3M2H", "P1DT", "-PT-3H", "PT3", "P1D2D", "PTH", "-P1e9Y"]
    {
        assert!(parse_iso_duration(text).is_err(), "{text}");
    }
}

#[test]
fn durations_format_in_whole_units() {
    for (ms, text) in
        [(-3 * HOUR, "-PT3H"), (-7 * DAY, "-P7D"), (-90 * MINUTE, "-PT1H30M"), (0, "PT0H"), (DAY + 1_500, "P1DT1.500S")]
    {
        assert_eq!(format_iso_duration(ms), text);
        assert_eq!(parse_iso_duration(text), Ok(ms), "{text}");
    }
}

#[test]
fn time_specs_are_relative_or_absolute() {
    assert_eq!(TimeSpec::parse("-PT3H"), Ok(TimeSpec::Relative { offset_ms: -3 * HOUR }));
    let absolute = TimeSpec::parse("2018-04-25T12:00:00.000Z").unwrap();
    assert_eq!(absolute, TimeSpec::Absolute { epoch_ms: 1_524_657_600_000 });
    assert_eq!(absolute.to_json_string(), "2018-04-25T12:00:00.000Z");
    assert_eq!(TimeSpec::parse("-PT3H").unwrap().resolve(10 * HOUR), 7 * HOUR);
    assert_eq!(absolute.resolve(0), 1_524_657_600_000);
    assert!(TimeSpec::parse("yesterday").is_err());
}

#[test]
fn absolute_times_accept_offsets_and_default_to_utc() {
    let noon = 1_524_657_600_000;
    for text in [
        "2018-04-25T12:00:00Z",
        "2018-04-25T21:00:00+09:00",
        "2018-04-25T12:00:00",
        "2018-04-25T12:00:00.000",
        "2018-04-25T12:00Z",
        "2018-04-25T12:00",
    ] {
        assert_eq!(parse_iso_time(text), Ok(noon), "{text}");
    }
    assert_eq!(parse_iso_time("2018-04-25"), Ok(noon - 12 * HOUR));
    assert!(parse_iso_time("2018-13-01T00:00:00Z").is_err());
}

#[test]
fn time_zones_are_offsets_in_minutes() {
    for (text, minutes) in [("+0900", 540), ("-0130", -90), ("+09:00", 540), ("+0000", 0), ("UTC", 0), ("Z", 0)] {
        assert_eq!(parse_timezone(text), Ok(minutes), "{text}");
    }
    for text in ["0900", "+09", "+2500", "+0960", "JST", "+09000", ""] {
        assert!(parse_timezone(text).is_err(), "{text}");
    }
    assert_eq!(format_timezone(540), "+0900");
    assert_eq!(format_timezone(-90), "-0130");
}

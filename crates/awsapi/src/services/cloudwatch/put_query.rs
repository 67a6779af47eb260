//! PutMetricData's awsQuery body read straight into [`WireData`]: the form's pairs (decoded by `form_urlencoded`,
//! as the generic path decodes them) become entries keyed by (datum, member, index), sorted, then laid out datum by
//! datum. Lists close their gaps in index order, as `wire::form` does. Only the keys botocore sends for
//! PutMetricData are read, each once; any other key, a repeated one, an index past the limits or a value the
//! generic path would refuse gives None.

use skywatch_core::metrics::{Datums, PutMetricDataInput, StatisticValues, Text, WireDataBuilder, WireDatum};

use super::put_fast::{MAX_DATUMS, MAX_DIMENSIONS, MAX_VALUES, integer_text, number_text, timestamp_text};

/// The input of a form body, or the body back.
pub(super) fn decode(body: Vec<u8>) -> Result<PutMetricDataInput, Vec<u8>> {
    let text = String::from_utf8(body).map_err(|e| e.into_bytes())?;
    let mut builder = WireDataBuilder::new(&text);
    let Some(namespace) = read(&text, &mut builder) else {
        return Err(text.into_bytes());
    };
    let data = builder.finish(text).map_err(String::into_bytes)?;
    Ok(PutMetricDataInput { namespace, metric_data: Datums::Wire(data) })
}

/// A datum's member, in the order entries sort.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Member {
    MetricName,
    /// Part 0 is the Name, 1 the Value.
    Dimension,
    Timestamp,
    Value,
    /// Part 0..=3: SampleCount, Sum, Minimum, Maximum.
    Statistic,
    Values,
    Counts,
    Unit,
    StorageResolution,
}

const MEMBERS: [Member; 9] = [
    Member::MetricName,
    Member::Dimension,
    Member::Timestamp,
    Member::Value,
    Member::Statistic,
    Member::Values,
    Member::Counts,
    Member::Unit,
    Member::StorageResolution,
];

/// Where a pair goes: datum index, member, list index, part.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Place {
    datum: u16,
    member: Member,
    index: u16,
    part: u8,
}

impl Place {
    /// One integer that sorts as the place.
    fn key(self) -> u64 {
        (u64::from(self.datum) << 40)
            | ((self.member as u64) << 32)
            | (u64::from(self.index) << 8)
            | u64::from(self.part)
    }

    fn from_key(key: u64) -> Option<Place> {
        Some(Place {
            datum: u16::try_from(key >> 40).ok()?,
            member: *MEMBERS.get(usize::try_from((key >> 32) & 0xff).ok()?)?,
            index: u16::try_from((key >> 8) & 0xffff).ok()?,
            part: (key & 0xff) as u8,
        })
    }
}

/// A list index as `wire::form` reads one (digits, leading zeros allowed), within 1..=`max`.
fn index(segment: &str, max: usize) -> Option<u16> {
    if segment.is_empty() || !segment.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    segment.parse::<usize>().ok().filter(|i| (1..=max).contains(i)).and_then(|i| u16::try_from(i).ok())
}

/// The place of a `MetricData.member.N...` key.
fn place(key: &str) -> Option<Place> {
    let rest = key.strip_prefix("MetricData.member.")?;
    let (datum, rest) = rest.split_once('.')?;
    let datum = index(datum, MAX_DATUMS)?;
    let at = |member, index, part| Some(Place { datum, member, index, part });
    match rest {
        "MetricName" => at(Member::MetricName, 0, 0),
        "Timestamp" => at(Member::Timestamp, 0, 0),
        "Value" => at(Member::Value, 0, 0),
        "Unit" => at(Member::Unit, 0, 0),
        "StorageResolution" => at(Member::StorageResolution, 0, 0),
        "StatisticValues.SampleCount" => at(Member::Statistic, 0, 0),
        "StatisticValues.Sum" => at(Member::Statistic, 0, 1),
        "StatisticValues.Minimum" => at(Member::Statistic, 0, 2),
        "StatisticValues.Maximum" => at(Member::Statistic, 0, 3),
        _ => {
            if let Some(dimension) = rest.strip_prefix("Dimensions.member.") {
                let (i, part) = dimension.split_once('.')?;
                let part = match part {
                    "Name" => 0,
                    "Value" => 1,
                    _ => return None,
                };
                at(Member::Dimension, index(i, MAX_DIMENSIONS)?, part)
            } else if let Some(i) = rest.strip_prefix("Values.member.") {
                at(Member::Values, index(i, MAX_VALUES)?, 0)
            } else if let Some(i) = rest.strip_prefix("Counts.member.") {
                at(Member::Counts, index(i, MAX_VALUES)?, 0)
            } else {
                None
            }
        }
    }
}

/// Reads the pairs into `builder`; the namespace.
fn read(body: &str, builder: &mut WireDataBuilder) -> Option<String> {
    let mut namespace = None;
    // Room for the pairs the body seems to hold, within what a request of 1,000 full datums could hold.
    let pairs = memchr::memchr_iter(b'&', body.as_bytes()).count() + 1;
    let mut entries: Vec<(u64, Text)> = Vec::with_capacity(pairs.min(MAX_DATUMS * 16));
    for (key, value) in crate::wire::form_pairs::pairs(body.as_bytes()) {
        match &*key {
            "Action" | "Version" => {}
            "Namespace" if namespace.is_none() => namespace = Some(value.into_owned()),
            _ => {
                let place = place(&key)?;
                entries.push((place.key(), builder.text(&value)?));
            }
        }
    }
    let namespace = namespace?;
    entries.sort_unstable_by_key(|(key, _)| *key);
    if entries.is_empty() || entries.windows(2).any(|pair| pair[0].0 == pair[1].0) {
        return None;
    }
    builder.reserve(usize::from(Place::from_key(entries.last()?.0)?.datum));
    let mut rest = entries.as_slice();
    while let Some(((first, _), _)) = rest.split_first() {
        let datum = first >> 40;
        let end = rest.iter().position(|(key, _)| key >> 40 != datum).unwrap_or(rest.len());
        let (own, after) = rest.split_at(end);
        lay_out(body, builder, own)?;
        rest = after;
    }
    Some(namespace)
}

/// One datum's entries (sorted, none repeated) into the builder.
fn lay_out(body: &str, builder: &mut WireDataBuilder, entries: &[(u64, Text)]) -> Option<()> {
    let mut datum = WireDatum::default();
    let dims_start = builder.dims_len();
    let numbers_start = builder.numbers_len();
    let mut counts_start = None;
    let mut name: Option<(u16, Text)> = None;
    let mut statistics: [Option<f64>; 4] = [None; 4];
    for &(key, text) in entries {
        let place = Place::from_key(key)?;
        let value = builder.get(body, text);
        match place.member {
            Member::MetricName => datum.metric_name = text,
            Member::Dimension if place.part == 0 => {
                if name.replace((place.index, text)).is_some() {
                    return None;
                }
            }
            Member::Dimension => match name.take() {
                Some((index, name)) if index == place.index => builder.push_dimension(name, text),
                _ => return None,
            },
            Member::Timestamp => datum.timestamp_ms = Some(timestamp_text(value)?),
            Member::Value => datum.value = Some(number_text(value)?),
            Member::Statistic => *statistics.get_mut(usize::from(place.part))? = Some(number_text(value)?),
            Member::Values => {
                let number = number_text(value)?;
                builder.push_number(number);
            }
            Member::Counts => {
                let number = number_text(value)?;
                counts_start.get_or_insert(builder.numbers_len());
                builder.push_number(number);
            }
            Member::Unit => datum.unit = Some(text),
            Member::StorageResolution => datum.storage_resolution = Some(integer_text(value)?),
        }
        // A dimension's Name is followed by its Value, or the dimension lacks one.
        if name.is_some() && place.member != Member::Dimension {
            return None;
        }
    }
    if name.is_some() {
        return None;
    }
    datum.statistic_values = match statistics {
        [None, None, None, None] => None,
        [Some(sample_count), Some(sum), Some(minimum), Some(maximum)] => {
            Some(StatisticValues { sample_count, sum, minimum, maximum })
        }
        _ => return None,
    };
    let numbers_end = builder.numbers_len();
    let counts_start = counts_start.unwrap_or(numbers_end);
    datum.dims = dims_start..builder.dims_len();
    datum.values = numbers_start..counts_start;
    datum.counts = counts_start..numbers_end;
    builder.push_datum(datum);
    Some(())
}

//! PutMetricData's RPCv2 CBOR body read by a small cursor straight into [`WireData`] (text copied into its arena,
//! the body not being text). Only definite-length maps, arrays and text, integers, half/single/double floats and
//! tag 1 on a Timestamp are read, converted as `wire::decode::cbor_to_json` and `crate::params` convert them; any
//! other item (indefinite lengths, byte strings, other tags, null, non-finite floats), an unknown or repeated
//! member, trailing bytes or a limit exceeded gives None.

use skywatch_core::metrics::{Datums, PutMetricDataInput, StatisticValues, Text, WireDataBuilder, WireDatum};

use super::put_fast::{MAX_DATUMS, MAX_DIMENSIONS, MAX_VALUES, seconds_to_ms};

/// The input of a CBOR body, or the body back.
pub(super) fn decode(body: Vec<u8>) -> Result<PutMetricDataInput, Vec<u8>> {
    let mut builder = WireDataBuilder::without_body();
    let mut cursor = Cursor { bytes: &body, at: 0 };
    let read = request(&mut cursor, &mut builder).filter(|_| cursor.at == body.len());
    let Some(namespace) = read else {
        return Err(body);
    };
    let Ok(data) = builder.finish(String::new()) else {
        return Err(body);
    };
    Ok(PutMetricDataInput { namespace, metric_data: Datums::Wire(data) })
}

/// One item's head.
enum Item {
    Unsigned(u64),
    /// `-1 - n`.
    Negative(u64),
    Text(u64),
    Array(u64),
    Map(u64),
    Tag(u64),
    Float(f64),
    /// Byte strings, simple values (null, booleans, undefined).
    Other,
}

struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let taken = self.bytes.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(taken)
    }

    /// The next item's head; None for an indefinite length or a reserved width.
    fn head(&mut self) -> Option<Item> {
        let first = *self.take(1)?.first()?;
        let (major, info) = (first >> 5, first & 0x1f);
        let argument = match info {
            0..=23 => u64::from(info),
            24 => u64::from(*self.take(1)?.first()?),
            25 => u64::from(u16::from_be_bytes(self.take(2)?.try_into().ok()?)),
            26 => u64::from(u32::from_be_bytes(self.take(4)?.try_into().ok()?)),
            27 => u64::from_be_bytes(self.take(8)?.try_into().ok()?),
            _ => return None,
        };
        Some(match (major, info) {
            (0, _) => Item::Unsigned(argument),
            (1, _) => Item::Negative(argument),
            (3, _) => Item::Text(argument),
            (4, _) => Item::Array(argument),
            (5, _) => Item::Map(argument),
            (6, _) => Item::Tag(argument),
            (7, 25) => Item::Float(half(u16::try_from(argument).ok()?)),
            (7, 26) => Item::Float(f64::from(f32::from_bits(u32::try_from(argument).ok()?))),
            (7, 27) => Item::Float(f64::from_bits(argument)),
            _ => Item::Other,
        })
    }

    /// A definite-length text string.
    fn text(&mut self) -> Option<&'a str> {
        match self.head()? {
            Item::Text(len) => std::str::from_utf8(self.take(usize::try_from(len).ok()?)?).ok(),
            _ => None,
        }
    }

    /// A definite-length array of at most `max` items.
    fn array(&mut self, max: usize) -> Option<usize> {
        match self.head()? {
            Item::Array(len) => usize::try_from(len).ok().filter(|len| *len <= max),
            _ => None,
        }
    }

    /// A definite-length map of at most `max` pairs.
    fn map(&mut self, max: usize) -> Option<usize> {
        match self.head()? {
            Item::Map(len) => usize::try_from(len).ok().filter(|len| *len <= max),
            _ => None,
        }
    }

    /// A number as `serde_json::Number::as_f64` reads the JSON `cbor_to_json` makes: integers that fit i64 or
    /// u64, finite floats.
    fn number(&mut self) -> Option<f64> {
        number(self.head()?)
    }

    /// An integer as `params::i64_opt` reads one.
    fn integer(&mut self) -> Option<i64> {
        match self.head()? {
            Item::Unsigned(n) => i64::try_from(n).ok(),
            Item::Negative(n) => i64::try_from(n).ok().map(|n| -1 - n),
            _ => None,
        }
    }

    /// A timestamp: epoch seconds, bare or under tag 1.
    fn timestamp(&mut self) -> Option<i64> {
        let seconds = match self.head()? {
            Item::Tag(1) => self.number()?,
            item => number(item)?,
        };
        seconds_to_ms(seconds)
    }
}

fn number(item: Item) -> Option<f64> {
    match item {
        Item::Unsigned(n) => Some(n as f64),
        Item::Negative(n) => i64::try_from(n).ok().map(|n| (-1 - n) as f64),
        Item::Float(f) => Some(f).filter(|f| f.is_finite()),
        _ => None,
    }
}

/// An IEEE half as f64 (exact, as the `half` crate converts it); non-finite values as such.
fn half(bits: u16) -> f64 {
    let sign = if bits & 0x8000 != 0 { -1.0 } else { 1.0 };
    let exponent = i32::from((bits >> 10) & 0x1f);
    let mantissa = f64::from(bits & 0x3ff);
    match exponent {
        0 => sign * mantissa * 2f64.powi(-24),
        31 if mantissa == 0.0 => sign * f64::INFINITY,
        31 => f64::NAN,
        _ => sign * (mantissa + 1024.0) * 2f64.powi(exponent - 25),
    }
}

/// Marks a member as read, refusing a second one.
fn once(seen: &mut u16, bit: u16) -> Option<()> {
    if *seen & bit != 0 {
        return None;
    }
    *seen |= bit;
    Some(())
}

fn request(cursor: &mut Cursor<'_>, builder: &mut WireDataBuilder) -> Option<String> {
    let mut namespace = None;
    let mut data = false;
    for _ in 0..cursor.map(2)? {
        match cursor.text()? {
            "Namespace" if namespace.is_none() => namespace = Some(cursor.text()?.to_owned()),
            "MetricData" if !data => {
                let count = cursor.array(MAX_DATUMS)?;
                builder.reserve(count);
                for _ in 0..count {
                    datum(cursor, builder)?;
                }
                data = true;
            }
            _ => return None,
        }
    }
    namespace.filter(|_| data)
}

fn datum(cursor: &mut Cursor<'_>, builder: &mut WireDataBuilder) -> Option<()> {
    let mut datum = WireDatum::default();
    let mut seen = 0u16;
    for _ in 0..cursor.map(9)? {
        match cursor.text()? {
            "MetricName" => {
                once(&mut seen, 1)?;
                datum.metric_name = builder.text(cursor.text()?)?;
            }
            "Dimensions" => {
                once(&mut seen, 2)?;
                let start = builder.dims_len();
                for _ in 0..cursor.array(MAX_DIMENSIONS)? {
                    let (name, value) = dimension(cursor, builder)?;
                    builder.push_dimension(name, value);
                }
                datum.dims = start..builder.dims_len();
            }
            "Timestamp" => {
                once(&mut seen, 4)?;
                datum.timestamp_ms = Some(cursor.timestamp()?);
            }
            "Value" => {
                once(&mut seen, 8)?;
                datum.value = Some(cursor.number()?);
            }
            "StatisticValues" => {
                once(&mut seen, 16)?;
                datum.statistic_values = Some(statistics(cursor)?);
            }
            "Values" => {
                once(&mut seen, 32)?;
                datum.values = numbers(cursor, builder)?;
            }
            "Counts" => {
                once(&mut seen, 64)?;
                datum.counts = numbers(cursor, builder)?;
            }
            "Unit" => {
                once(&mut seen, 128)?;
                datum.unit = Some(builder.text(cursor.text()?)?);
            }
            "StorageResolution" => {
                once(&mut seen, 256)?;
                datum.storage_resolution = Some(cursor.integer()?);
            }
            _ => return None,
        }
    }
    builder.push_datum(datum);
    Some(())
}

fn dimension(cursor: &mut Cursor<'_>, builder: &mut WireDataBuilder) -> Option<(Text, Text)> {
    let (mut name, mut value) = (None, None);
    for _ in 0..cursor.map(2)? {
        match cursor.text()? {
            "Name" if name.is_none() => name = Some(builder.text(cursor.text()?)?),
            "Value" if value.is_none() => value = Some(builder.text(cursor.text()?)?),
            _ => return None,
        }
    }
    Some((name?, value?))
}

fn numbers(cursor: &mut Cursor<'_>, builder: &mut WireDataBuilder) -> Option<std::ops::Range<u32>> {
    let start = builder.numbers_len();
    for _ in 0..cursor.array(MAX_VALUES)? {
        let number = cursor.number()?;
        builder.push_number(number);
    }
    Some(start..builder.numbers_len())
}

fn statistics(cursor: &mut Cursor<'_>) -> Option<StatisticValues> {
    let mut fields: [Option<f64>; 4] = [None; 4];
    for _ in 0..cursor.map(4)? {
        let slot = match cursor.text()? {
            "SampleCount" => &mut fields[0],
            "Sum" => &mut fields[1],
            "Minimum" => &mut fields[2],
            "Maximum" => &mut fields[3],
            _ => return None,
        };
        if slot.is_some() {
            return None;
        }
        *slot = Some(cursor.number()?);
    }
    let [Some(sample_count), Some(sum), Some(minimum), Some(maximum)] = fields else {
        return None;
    };
    Some(StatisticValues { sample_count, sum, minimum, maximum })
}

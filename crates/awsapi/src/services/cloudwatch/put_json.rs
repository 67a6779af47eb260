//! PutMetricData's JSON body (1.0 and 1.1) read by serde straight into [`WireData`]: a string the body holds as
//! is becomes a span of it, an escaped one goes to the arena. Objects are read only as maps (never from arrays, as
//! a derived struct would be), every member is known and read once, numbers are read as `serde_json::Value`
//! reads them (an integer token as `as f64`); any other body is an error, which makes the caller go the generic
//! way.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use skywatch_core::metrics::{Datums, PutMetricDataInput, StatisticValues, Text, WireDataBuilder, WireDatum};

use super::put_fast::{MAX_DATUMS, MAX_DIMENSIONS, MAX_VALUES, seconds_to_ms, timestamp_text};

/// The input of a JSON body, or the body back.
pub(super) fn decode(body: Vec<u8>) -> Result<PutMetricDataInput, Vec<u8>> {
    let text = String::from_utf8(body).map_err(|e| e.into_bytes())?;
    let mut builder = WireDataBuilder::new(&text);
    let namespace = {
        let mut de = serde_json::Deserializer::from_str(&text);
        match Request(&mut builder).deserialize(&mut de).and_then(|namespace| de.end().map(|()| namespace)) {
            Ok(namespace) => namespace,
            Err(_) => return Err(text.into_bytes()),
        }
    };
    let data = builder.finish(text).map_err(String::into_bytes)?;
    Ok(PutMetricDataInput { namespace, metric_data: Datums::Wire(data) })
}

fn refused<E: serde::de::Error>() -> E {
    E::custom("not for the fast path")
}

/// A string, borrowed from the body when it holds no escape.
struct Str<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Str<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct StrVisitor;
        impl<'de> Visitor<'de> for StrVisitor {
            type Value = Str<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Str(Cow::Borrowed(v)))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Str(Cow::Owned(v.to_owned())))
            }
        }
        deserializer.deserialize_str(StrVisitor)
    }
}

/// A string member as text of the data; null is absent.
fn text<'de, A: MapAccess<'de>>(map: &mut A, builder: &mut WireDataBuilder) -> Result<Option<Text>, A::Error> {
    match map.next_value::<Option<Str<'de>>>()? {
        None => Ok(None),
        Some(Str(s)) => builder.text(&s).map(Some).ok_or_else(refused),
    }
}

/// Marks a member as read, refusing a second one.
fn once<E: serde::de::Error>(seen: &mut u16, bit: u16) -> Result<(), E> {
    if *seen & bit != 0 {
        return Err(refused());
    }
    *seen |= bit;
    Ok(())
}

#[derive(Deserialize)]
#[serde(field_identifier)]
enum RequestKey {
    Namespace,
    MetricData,
    #[serde(other)]
    Other,
}

/// The top-level object: its namespace; the datums go to the builder.
struct Request<'b>(&'b mut WireDataBuilder);

impl<'de> DeserializeSeed<'de> for Request<'_> {
    type Value = String;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<String, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Request<'_> {
    type Value = String;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a PutMetricData request")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<String, A::Error> {
        let (mut namespace, mut data) = (None, false);
        while let Some(key) = map.next_key::<RequestKey>()? {
            match key {
                RequestKey::Namespace if namespace.is_none() => namespace = Some(map.next_value::<String>()?),
                RequestKey::MetricData if !data => {
                    map.next_value_seed(Data(&mut *self.0))?;
                    data = true;
                }
                _ => return Err(refused()),
            }
        }
        match namespace {
            Some(namespace) if data => Ok(namespace),
            _ => Err(refused()),
        }
    }
}

/// The `MetricData` list.
struct Data<'b>(&'b mut WireDataBuilder);

impl<'de> DeserializeSeed<'de> for Data<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Data<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of datums")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.0.reserve(seq.size_hint().unwrap_or(0).min(MAX_DATUMS));
        while seq.next_element_seed(Datum(&mut *self.0))?.is_some() {
            if self.0.datums_len() > MAX_DATUMS {
                return Err(refused());
            }
        }
        Ok(())
    }
}

#[derive(Deserialize)]
#[serde(field_identifier)]
enum DatumKey {
    MetricName,
    Dimensions,
    Timestamp,
    Value,
    StatisticValues,
    Values,
    Counts,
    Unit,
    StorageResolution,
    #[serde(other)]
    Other,
}

/// One datum, pushed to the builder.
struct Datum<'b>(&'b mut WireDataBuilder);

impl<'de> DeserializeSeed<'de> for Datum<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Datum<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a datum")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let builder = self.0;
        let mut datum = WireDatum::default();
        let mut seen = 0u16;
        while let Some(key) = map.next_key::<DatumKey>()? {
            match key {
                DatumKey::MetricName => {
                    once(&mut seen, 1)?;
                    datum.metric_name = text(&mut map, builder)?.unwrap_or(Text::EMPTY);
                }
                DatumKey::Dimensions => {
                    once(&mut seen, 2)?;
                    let start = builder.dims_len();
                    map.next_value_seed(Nullable(Dimensions(&mut *builder)))?;
                    datum.dims = start..builder.dims_len();
                }
                DatumKey::Timestamp => {
                    once(&mut seen, 4)?;
                    datum.timestamp_ms = map.next_value::<Option<Timestamp>>()?.map(|t| t.0);
                }
                DatumKey::Value => {
                    once(&mut seen, 8)?;
                    datum.value = map.next_value::<Option<f64>>()?;
                }
                DatumKey::StatisticValues => {
                    once(&mut seen, 16)?;
                    datum.statistic_values = map.next_value::<Option<Statistics>>()?.map(|s| s.0);
                }
                DatumKey::Values => {
                    once(&mut seen, 32)?;
                    let start = builder.numbers_len();
                    map.next_value_seed(Nullable(Numbers(&mut *builder)))?;
                    datum.values = start..builder.numbers_len();
                }
                DatumKey::Counts => {
                    once(&mut seen, 64)?;
                    let start = builder.numbers_len();
                    map.next_value_seed(Nullable(Numbers(&mut *builder)))?;
                    datum.counts = start..builder.numbers_len();
                }
                DatumKey::Unit => {
                    once(&mut seen, 128)?;
                    datum.unit = text(&mut map, builder)?;
                }
                DatumKey::StorageResolution => {
                    once(&mut seen, 256)?;
                    datum.storage_resolution = map.next_value::<Option<i64>>()?;
                }
                DatumKey::Other => return Err(refused()),
            }
        }
        builder.push_datum(datum);
        Ok(())
    }
}

/// A list member whose null reads as absent (as `params::list_opt` reads it).
struct Nullable<S>(S);

impl<'de, S: DeserializeSeed<'de, Value = ()>> DeserializeSeed<'de> for Nullable<S> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_option(self)
    }
}

impl<'de, S: DeserializeSeed<'de, Value = ()>> Visitor<'de> for Nullable<S> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list or null")
    }
    fn visit_none<E: serde::de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        self.0.deserialize(deserializer)
    }
}

/// A `Dimensions` list.
struct Dimensions<'b>(&'b mut WireDataBuilder);

impl<'de> DeserializeSeed<'de> for Dimensions<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Dimensions<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of dimensions")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut count = 0;
        while let Some(Dimension(name, value)) = seq.next_element::<Dimension<'de>>()? {
            count += 1;
            if count > MAX_DIMENSIONS {
                return Err(refused());
            }
            let name = self.0.text(&name).ok_or_else(refused)?;
            let value = self.0.text(&value).ok_or_else(refused)?;
            self.0.push_dimension(name, value);
        }
        Ok(())
    }
}

#[derive(Deserialize)]
#[serde(field_identifier)]
enum DimensionKey {
    Name,
    Value,
    #[serde(other)]
    Other,
}

/// One dimension: both members present, as strings.
struct Dimension<'de>(Cow<'de, str>, Cow<'de, str>);

impl<'de> Deserialize<'de> for Dimension<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DimensionVisitor;
        impl<'de> Visitor<'de> for DimensionVisitor {
            type Value = Dimension<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a dimension")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let (mut name, mut value) = (None, None);
                while let Some(key) = map.next_key::<DimensionKey>()? {
                    match key {
                        DimensionKey::Name if name.is_none() => name = Some(map.next_value::<Str<'de>>()?.0),
                        DimensionKey::Value if value.is_none() => value = Some(map.next_value::<Str<'de>>()?.0),
                        _ => return Err(refused()),
                    }
                }
                match (name, value) {
                    (Some(name), Some(value)) => Ok(Dimension(name, value)),
                    _ => Err(refused()),
                }
            }
        }
        deserializer.deserialize_map(DimensionVisitor)
    }
}

/// A `Values` or `Counts` list, pushed to the builder's numbers.
struct Numbers<'b>(&'b mut WireDataBuilder);

impl<'de> DeserializeSeed<'de> for Numbers<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Numbers<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of numbers")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut count = 0;
        while let Some(number) = seq.next_element::<f64>()? {
            count += 1;
            if count > MAX_VALUES {
                return Err(refused());
            }
            self.0.push_number(number);
        }
        Ok(())
    }
}

/// A timestamp: epoch seconds, or text.
struct Timestamp(i64);

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TimestampVisitor;
        impl Visitor<'_> for TimestampVisitor {
            type Value = Timestamp;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a timestamp")
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Timestamp, E> {
                self.visit_f64(v as f64)
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Timestamp, E> {
                self.visit_f64(v as f64)
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Timestamp, E> {
                seconds_to_ms(v).map(Timestamp).ok_or_else(refused)
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Timestamp, E> {
                timestamp_text(v).map(Timestamp).ok_or_else(refused)
            }
        }
        deserializer.deserialize_any(TimestampVisitor)
    }
}

#[derive(Deserialize)]
#[serde(field_identifier)]
enum StatisticKey {
    SampleCount,
    Sum,
    Minimum,
    Maximum,
    #[serde(other)]
    Other,
}

/// A `StatisticValues` structure, its four members present as numbers.
struct Statistics(StatisticValues);

impl<'de> Deserialize<'de> for Statistics {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct StatisticsVisitor;
        impl<'de> Visitor<'de> for StatisticsVisitor {
            type Value = Statistics;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("statistic values")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Statistics, A::Error> {
                let mut fields: [Option<f64>; 4] = [None; 4];
                while let Some(key) = map.next_key::<StatisticKey>()? {
                    let slot = match key {
                        StatisticKey::SampleCount => &mut fields[0],
                        StatisticKey::Sum => &mut fields[1],
                        StatisticKey::Minimum => &mut fields[2],
                        StatisticKey::Maximum => &mut fields[3],
                        StatisticKey::Other => return Err(refused()),
                    };
                    if slot.is_some() {
                        return Err(refused());
                    }
                    *slot = Some(map.next_value::<f64>()?);
                }
                match fields {
                    [Some(sample_count), Some(sum), Some(minimum), Some(maximum)] => {
                        Ok(Statistics(StatisticValues { sample_count, sum, minimum, maximum }))
                    }
                    _ => Err(refused()),
                }
            }
        }
        deserializer.deserialize_map(StatisticsVisitor)
    }
}

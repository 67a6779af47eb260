//! Series identity: account, region, namespace, metric name and dimensions sorted by name, and its compact
//! encoding in the series catalogue table.

pub use skywatch_model::MetricId;

use crate::varint::{Cursor, put_bytes};

/// Which series a point belongs to: a metric in an account and region. Dimension order does not matter:
/// [`SeriesKey::new`] sorts them. A key reads as its metric (`key.namespace`, `key.metric_name`, ...).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SeriesKey {
    pub account: String,
    pub region: String,
    pub metric: MetricId,
}

impl std::ops::Deref for SeriesKey {
    type Target = MetricId;

    fn deref(&self) -> &MetricId {
        &self.metric
    }
}

impl SeriesKey {
    pub fn new(
        account: impl Into<String>,
        region: impl Into<String>,
        namespace: impl Into<String>,
        metric_name: impl Into<String>,
        mut dimensions: Vec<(String, String)>,
    ) -> Self {
        dimensions.sort();
        Self {
            account: account.into(),
            region: region.into(),
            metric: MetricId::new(namespace, metric_name, dimensions),
        }
    }

    /// `metric` in `account` and `region` (its dimensions sorted).
    pub fn of(account: impl Into<String>, region: impl Into<String>, metric: MetricId) -> Self {
        Self::new(account, region, metric.namespace, metric.metric_name, metric.dimensions)
    }

    /// Approximate heap bytes, for memory accounting.
    pub fn heap_bytes(&self) -> usize {
        self.account.len()
            + self.region.len()
            + self.namespace.len()
            + self.metric_name.len()
            + self.dimensions.iter().map(|(n, v)| n.len() + v.len() + 48).sum::<usize>()
            + 4 * 24
    }
}

/// A series key borrowed from a request: no string is copied to find an existing series. `dimensions` must be
/// sorted by (name, value), as [`SeriesKey::new`] sorts them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeriesRef<'a> {
    pub account: &'a str,
    pub region: &'a str,
    pub namespace: &'a str,
    pub metric_name: &'a str,
    pub dimensions: &'a [(&'a str, &'a str)],
}

impl SeriesRef<'_> {
    /// The owned key (for a new series).
    pub fn to_key(&self) -> SeriesKey {
        let dimensions = self.dimensions.iter().map(|(n, v)| ((*n).to_owned(), (*v).to_owned())).collect();
        SeriesKey {
            account: self.account.to_owned(),
            region: self.region.to_owned(),
            metric: MetricId::new(self.namespace, self.metric_name, dimensions),
        }
    }
}

/// A key as the head looks it up: hashed once, compared with a stored key without copying.
pub(crate) trait KeyLike {
    /// The same value for a [`SeriesKey`] and a [`SeriesRef`] of one series.
    fn stable_hash(&self) -> u64;
    fn matches(&self, key: &SeriesKey) -> bool;
    fn to_owned_key(&self) -> SeriesKey;
    /// Cheaply known to be the same key as `other` (may say no for equal keys).
    fn same(&self, other: &Self) -> bool;
}

/// Hashes the fields in order, each closed by a byte no UTF-8 text holds, so that field boundaries count.
struct KeyHasher(rustc_hash::FxHasher);

impl KeyHasher {
    fn new() -> Self {
        Self(rustc_hash::FxHasher::default())
    }

    #[inline]
    fn field(&mut self, text: &str) {
        use std::hash::Hasher;
        self.0.write(text.as_bytes());
        self.0.write_u8(0xff);
    }

    fn finish(self) -> u64 {
        use std::hash::Hasher;
        self.0.finish()
    }
}

impl KeyLike for SeriesRef<'_> {
    fn stable_hash(&self) -> u64 {
        let mut hasher = KeyHasher::new();
        for text in [self.account, self.region, self.namespace, self.metric_name] {
            hasher.field(text);
        }
        for (name, value) in self.dimensions {
            hasher.field(name);
            hasher.field(value);
        }
        hasher.finish()
    }

    fn matches(&self, key: &SeriesKey) -> bool {
        self.metric_name == key.metric_name
            && self.dimensions.len() == key.dimensions.len()
            && self.dimensions.iter().zip(&key.dimensions).all(|((n, v), (kn, kv))| n == kn && v == kv)
            && self.namespace == key.namespace
            && self.account == key.account
            && self.region == key.region
    }

    fn to_owned_key(&self) -> SeriesKey {
        self.to_key()
    }

    /// The same text in the same place: a datum's points share its one borrowed key.
    fn same(&self, other: &Self) -> bool {
        let at = |a: &str, b: &str| std::ptr::eq(a, b);
        at(self.metric_name, other.metric_name)
            && std::ptr::eq(self.dimensions, other.dimensions)
            && at(self.namespace, other.namespace)
            && at(self.account, other.account)
            && at(self.region, other.region)
    }
}

impl KeyLike for SeriesKey {
    fn stable_hash(&self) -> u64 {
        let mut hasher = KeyHasher::new();
        for text in [&self.account, &self.region, &self.namespace, &self.metric_name] {
            hasher.field(text);
        }
        for (name, value) in &self.dimensions {
            hasher.field(name);
            hasher.field(value);
        }
        hasher.finish()
    }

    fn matches(&self, key: &SeriesKey) -> bool {
        self == key
    }

    fn to_owned_key(&self) -> SeriesKey {
        self.clone()
    }

    fn same(&self, other: &Self) -> bool {
        self == other
    }
}

/// The unit a series is stored under: a point without a unit and a point with CloudWatch's unit `None` (or an
/// empty one) belong to the same, unitless series.
pub fn normalise_unit(unit: Option<&str>) -> Option<&str> {
    unit.filter(|unit| !unit.is_empty() && *unit != "None")
}

/// A catalogue entry as stored: the key and the unit of the series (`None`, stored as an empty string, for the
/// unitless series). A metric has one entry per unit it was written with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesRecord {
    pub key: SeriesKey,
    pub unit: Option<String>,
}

const RECORD_VERSION: u8 = 1;

impl SeriesRecord {
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(64);
        out.push(RECORD_VERSION);
        for text in [&self.key.account, &self.key.region, &self.key.namespace, &self.key.metric_name] {
            put_bytes(&mut out, text.as_bytes());
        }
        crate::varint::put_u64(&mut out, self.key.dimensions.len() as u64);
        for (name, value) in &self.key.dimensions {
            put_bytes(&mut out, name.as_bytes());
            put_bytes(&mut out, value.as_bytes());
        }
        put_bytes(&mut out, self.unit.as_deref().unwrap_or("").as_bytes());
        out
    }

    pub fn decode(bytes: &[u8]) -> Option<Self> {
        let mut cursor = Cursor::new(bytes);
        if cursor.byte()? != RECORD_VERSION {
            return None;
        }
        let account = cursor.string()?;
        let region = cursor.string()?;
        let namespace = cursor.string()?;
        let metric_name = cursor.string()?;
        let count = usize::try_from(cursor.u64()?).ok()?;
        let mut dimensions = Vec::with_capacity(count.min(64));
        for _ in 0..count {
            dimensions.push((cursor.string()?, cursor.string()?));
        }
        let unit = cursor.string()?;
        Some(Self {
            key: SeriesKey { account, region, metric: MetricId { namespace, metric_name, dimensions } },
            unit: (!unit.is_empty()).then_some(unit),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_round_trip_and_dimension_order_does_not_matter() {
        let a = SeriesKey::new("1", "r", "App", "Latency", vec![("B".into(), "2".into()), ("A".into(), "1".into())]);
        let b = SeriesKey::new("1", "r", "App", "Latency", vec![("A".into(), "1".into()), ("B".into(), "2".into())]);
        assert_eq!(a, b);
        let record = SeriesRecord { key: a, unit: Some("Seconds".into()) };
        assert_eq!(SeriesRecord::decode(&record.encode()), Some(record.clone()));
        let encoded = record.encode();
        for cut in 0..encoded.len() {
            assert_eq!(SeriesRecord::decode(&encoded[..cut]), None, "truncated at {cut}");
        }
    }
}

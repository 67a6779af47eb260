//! The datums of a PutMetricData request, whichever form holds them: owned [`MetricDatum`]s (the console, logs,
//! EMF and the generic wire path) or spans of the request body ([`WireData`], the front door's fast path). Both are
//! read through [`DatumRef`], so validation, planning and the CloudTrail record see one shape.

use super::wire_data::{Text, WireData};
use super::{MetricDatum, StatisticValues};

/// One datum, borrowed from whichever form holds it.
#[derive(Debug, Clone, Copy)]
pub struct DatumRef<'a> {
    pub metric_name: &'a str,
    pub dimensions: Dims<'a>,
    pub timestamp_ms: Option<i64>,
    pub value: Option<f64>,
    pub statistic_values: Option<StatisticValues>,
    pub values: &'a [f64],
    pub counts: &'a [f64],
    pub unit: Option<&'a str>,
    pub storage_resolution: Option<i64>,
}

impl DatumRef<'_> {
    /// The owned datum.
    pub fn to_owned_datum(&self) -> MetricDatum {
        MetricDatum {
            metric_name: self.metric_name.to_owned(),
            dimensions: self.dimensions.iter().map(|(n, v)| (n.to_owned(), v.to_owned())).collect(),
            timestamp_ms: self.timestamp_ms,
            value: self.value,
            statistic_values: self.statistic_values,
            values: self.values.to_vec(),
            counts: self.counts.to_vec(),
            unit: self.unit.map(str::to_owned),
            storage_resolution: self.storage_resolution,
        }
    }
}

impl PartialEq for DatumRef<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.metric_name == other.metric_name
            && self.dimensions.len() == other.dimensions.len()
            && self.dimensions.iter().eq(other.dimensions.iter())
            && self.timestamp_ms == other.timestamp_ms
            && self.value == other.value
            && self.statistic_values == other.statistic_values
            && self.values == other.values
            && self.counts == other.counts
            && self.unit == other.unit
            && self.storage_resolution == other.storage_resolution
    }
}

/// A datum's dimensions in request order, as (name, value) pairs.
#[derive(Debug, Clone, Copy)]
pub enum Dims<'a> {
    Owned(&'a [(String, String)]),
    Wire(&'a WireData, &'a [(Text, Text)]),
}

impl<'a> Dims<'a> {
    pub fn len(&self) -> usize {
        match self {
            Dims::Owned(dims) => dims.len(),
            Dims::Wire(_, dims) => dims.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The `i`th pair (`("", "")` past the end).
    pub fn get(&self, i: usize) -> (&'a str, &'a str) {
        match self {
            Dims::Owned(dims) => dims.get(i).map_or(("", ""), |(n, v)| (n.as_str(), v.as_str())),
            Dims::Wire(data, dims) => dims.get(i).map_or(("", ""), |(n, v)| (data.text(*n), data.text(*v))),
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = (&'a str, &'a str)> + use<'a> {
        let dims = *self;
        (0..dims.len()).map(move |i| dims.get(i))
    }
}

/// Datums to validate, plan and record, in request order.
pub trait DatumSource {
    fn len(&self) -> usize;
    /// The `index`th datum (`index < len()`).
    fn get(&self, index: usize) -> DatumRef<'_>;

    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl DatumSource for [MetricDatum] {
    fn len(&self) -> usize {
        <[MetricDatum]>::len(self)
    }

    fn get(&self, index: usize) -> DatumRef<'_> {
        const EMPTY: &MetricDatum = &MetricDatum {
            metric_name: String::new(),
            dimensions: Vec::new(),
            timestamp_ms: None,
            value: None,
            statistic_values: None,
            values: Vec::new(),
            counts: Vec::new(),
            unit: None,
            storage_resolution: None,
        };
        let d = <[MetricDatum]>::get(self, index).unwrap_or(EMPTY);
        DatumRef {
            metric_name: &d.metric_name,
            dimensions: Dims::Owned(&d.dimensions),
            timestamp_ms: d.timestamp_ms,
            value: d.value,
            statistic_values: d.statistic_values,
            values: &d.values,
            counts: &d.counts,
            unit: d.unit.as_deref(),
            storage_resolution: d.storage_resolution,
        }
    }
}

impl DatumSource for Vec<MetricDatum> {
    fn len(&self) -> usize {
        self.as_slice().len()
    }

    fn get(&self, index: usize) -> DatumRef<'_> {
        DatumSource::get(self.as_slice(), index)
    }
}

/// The datums of a [`crate::PutMetricDataInput`]: owned, or spans of the request body.
#[derive(Debug, Clone)]
pub enum Datums {
    Owned(Vec<MetricDatum>),
    Wire(WireData),
}

impl From<Vec<MetricDatum>> for Datums {
    fn from(data: Vec<MetricDatum>) -> Self {
        Datums::Owned(data)
    }
}

impl Datums {
    /// Every datum, owned.
    pub fn to_owned_datums(&self) -> Vec<MetricDatum> {
        (0..self.len()).map(|i| self.get(i).to_owned_datum()).collect()
    }
}

impl DatumSource for Datums {
    fn len(&self) -> usize {
        match self {
            Datums::Owned(data) => data.len(),
            Datums::Wire(data) => data.len(),
        }
    }

    fn get(&self, index: usize) -> DatumRef<'_> {
        match self {
            Datums::Owned(data) => DatumSource::get(data.as_slice(), index),
            Datums::Wire(data) => data.get(index),
        }
    }
}

/// Equal when every datum is (whatever the forms).
impl PartialEq for Datums {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && (0..self.len()).all(|i| self.get(i) == other.get(i))
    }
}

//! PutMetricData's datums as the wire carried them: the request body kept whole and each datum's text a span of
//! it (or of an arena, for text that needed unescaping or decoding), numbers in one list. A request costs a few
//! allocations, whatever its number of datums; the front door builds it through [`WireDataBuilder`].

use std::ops::Range;

use super::StatisticValues;
use super::source::{DatumRef, Dims};

/// Text of a [`WireData`]: a span of its body or of its arena.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Text {
    start: u32,
    len: u32,
    in_arena: bool,
}

impl Text {
    /// The empty text.
    pub const EMPTY: Text = Text { start: 0, len: 0, in_arena: false };
}

/// One datum of a [`WireData`].
#[derive(Debug, Clone, PartialEq)]
pub struct WireDatum {
    pub metric_name: Text,
    pub dims: Range<u32>,
    pub values: Range<u32>,
    pub counts: Range<u32>,
    pub timestamp_ms: Option<i64>,
    pub value: Option<f64>,
    pub statistic_values: Option<StatisticValues>,
    pub unit: Option<Text>,
    pub storage_resolution: Option<i64>,
}

impl Default for WireDatum {
    fn default() -> Self {
        WireDatum {
            metric_name: Text::EMPTY,
            dims: 0..0,
            values: 0..0,
            counts: 0..0,
            timestamp_ms: None,
            value: None,
            statistic_values: None,
            unit: None,
            storage_resolution: None,
        }
    }
}

/// A request's datums over its body.
#[derive(Debug, Clone)]
pub struct WireData {
    body: String,
    arena: String,
    datums: Vec<WireDatum>,
    dims: Vec<(Text, Text)>,
    numbers: Vec<f64>,
}

impl WireData {
    pub fn len(&self) -> usize {
        self.datums.len()
    }

    pub fn is_empty(&self) -> bool {
        self.datums.is_empty()
    }

    /// The text of `text` (empty for a span outside the data, which the builder never makes).
    pub fn text(&self, text: Text) -> &str {
        let source = if text.in_arena { &self.arena } else { &self.body };
        let start = text.start as usize;
        source.get(start..start + text.len as usize).unwrap_or_default()
    }

    fn numbers(&self, range: &Range<u32>) -> &[f64] {
        self.numbers.get(range.start as usize..range.end as usize).unwrap_or_default()
    }

    /// The `index`th datum (an empty one past the end).
    pub fn get(&self, index: usize) -> DatumRef<'_> {
        const EMPTY: &WireDatum = &WireDatum {
            metric_name: Text::EMPTY,
            dims: 0..0,
            values: 0..0,
            counts: 0..0,
            timestamp_ms: None,
            value: None,
            statistic_values: None,
            unit: None,
            storage_resolution: None,
        };
        let d = self.datums.get(index).unwrap_or(EMPTY);
        DatumRef {
            metric_name: self.text(d.metric_name),
            dimensions: Dims::Wire(self, self.dims.get(d.dims.start as usize..d.dims.end as usize).unwrap_or_default()),
            timestamp_ms: d.timestamp_ms,
            value: d.value,
            statistic_values: d.statistic_values,
            values: self.numbers(&d.values),
            counts: self.numbers(&d.counts),
            unit: d.unit.map(|unit| self.text(unit)),
            storage_resolution: d.storage_resolution,
        }
    }
}

/// Builds a [`WireData`] while a decoder reads the body: text borrowed from the body becomes a span, any other
/// text is copied into the arena. The body is handed over at the end ([`WireDataBuilder::finish`]).
#[derive(Debug)]
pub struct WireDataBuilder {
    base: usize,
    body_len: usize,
    arena: String,
    datums: Vec<WireDatum>,
    dims: Vec<(Text, Text)>,
    numbers: Vec<f64>,
}

impl WireDataBuilder {
    /// A builder for datums read from `body` (`body` itself is given to [`WireDataBuilder::finish`]).
    pub fn new(body: &str) -> Self {
        Self::over(body.as_ptr() as usize, body.len())
    }

    /// A builder whose every text goes to the arena (a body that is not text: CBOR).
    pub fn without_body() -> Self {
        Self::over(0, 0)
    }

    fn over(base: usize, body_len: usize) -> Self {
        WireDataBuilder {
            base,
            body_len,
            arena: String::new(),
            datums: Vec::new(),
            dims: Vec::new(),
            numbers: Vec::new(),
        }
    }

    /// `text` as a span of the body when it lies in it, else copied into the arena. None past 4 GiB.
    pub fn text(&mut self, text: &str) -> Option<Text> {
        let len = u32::try_from(text.len()).ok()?;
        let offset = (text.as_ptr() as usize).wrapping_sub(self.base);
        if self.body_len > 0 && offset <= self.body_len && text.len() <= self.body_len - offset {
            return Some(Text { start: u32::try_from(offset).ok()?, len, in_arena: false });
        }
        let start = u32::try_from(self.arena.len()).ok()?;
        self.arena.push_str(text);
        Some(Text { start, len, in_arena: true })
    }

    /// Appends a dimension of the datum being read; the datum's range is from [`WireDataBuilder::dims_len`]
    /// before its first to after its last.
    pub fn push_dimension(&mut self, name: Text, value: Text) {
        self.dims.push((name, value));
    }

    pub fn dims_len(&self) -> u32 {
        u32::try_from(self.dims.len()).unwrap_or(u32::MAX)
    }

    /// Appends a number of the datum being read (its Values or Counts, each a contiguous range).
    pub fn push_number(&mut self, number: f64) {
        self.numbers.push(number);
    }

    pub fn numbers_len(&self) -> u32 {
        u32::try_from(self.numbers.len()).unwrap_or(u32::MAX)
    }

    /// Reserves room for about `datums` datums.
    pub fn reserve(&mut self, datums: usize) {
        self.datums.reserve(datums);
        self.dims.reserve(datums);
    }

    pub fn push_datum(&mut self, datum: WireDatum) {
        self.datums.push(datum);
    }

    pub fn datums_len(&self) -> usize {
        self.datums.len()
    }

    /// Text made by [`WireDataBuilder::text`] while `body` (the text given to [`WireDataBuilder::new`]) is still
    /// borrowed.
    pub fn get<'s>(&'s self, body: &'s str, text: Text) -> &'s str {
        let source = if text.in_arena { self.arena.as_str() } else { body };
        let start = text.start as usize;
        source.get(start..start + text.len as usize).unwrap_or_default()
    }

    /// The data over `body`, which must be the text given to [`WireDataBuilder::new`] (else it is given back: the
    /// spans would point elsewhere); any body for [`WireDataBuilder::without_body`].
    pub fn finish(self, body: String) -> Result<WireData, String> {
        let body = if self.body_len == 0 {
            String::new()
        } else if body.as_ptr() as usize == self.base && body.len() == self.body_len {
            body
        } else {
            return Err(body);
        };
        Ok(WireData { body, arena: self.arena, datums: self.datums, dims: self.dims, numbers: self.numbers })
    }
}

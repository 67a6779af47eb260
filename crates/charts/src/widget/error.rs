//! Where in the widget JSON a problem is ([`JsonPath`]) and what it is ([`WidgetError`]).

use std::fmt;

/// One step into a JSON document: an object key or an array index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSegment {
    /// A key of an object.
    Key(String),
    /// A position in an array.
    Index(usize),
}

/// A location in the widget JSON, shown as `metrics[1][2]` or `yAxis.left.min`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct JsonPath(Vec<PathSegment>);

impl JsonPath {
    /// The document itself.
    pub fn root() -> Self {
        Self::default()
    }

    /// The path of `key` inside this object.
    pub fn key(&self, key: &str) -> Self {
        let mut segments = self.0.clone();
        segments.push(PathSegment::Key(key.to_string()));
        Self(segments)
    }

    /// The path of item `index` inside this array.
    pub fn index(&self, index: usize) -> Self {
        let mut segments = self.0.clone();
        segments.push(PathSegment::Index(index));
        Self(segments)
    }

    /// The steps from the root.
    pub fn segments(&self) -> &[PathSegment] {
        &self.0
    }

    /// The RFC 6901 JSON pointer (`/metrics/1/2`), the form dashboard validation messages use as `DataPath`.
    pub fn json_pointer(&self) -> String {
        let mut out = String::new();
        for segment in &self.0 {
            out.push('/');
            match segment {
                PathSegment::Key(key) => out.push_str(&key.replace('~', "~0").replace('/', "~1")),
                PathSegment::Index(index) => out.push_str(&index.to_string()),
            }
        }
        out
    }
}

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("MetricWidget");
        }
        for (position, segment) in self.0.iter().enumerate() {
            match segment {
                PathSegment::Key(key) if position == 0 => f.write_str(key)?,
                PathSegment::Key(key) => write!(f, ".{key}")?,
                PathSegment::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

/// Why a metric widget JSON was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WidgetError {
    /// The text is not JSON at all.
    #[error("MetricWidget is not valid JSON: {0}")]
    Json(String),
    /// The JSON is well formed but a value is wrong.
    #[error("{path}: {message}")]
    Invalid {
        /// Where the wrong value is.
        path: JsonPath,
        /// What is wrong with it, in the style of CloudWatch's validation messages ("Should be string").
        message: String,
    },
}

impl WidgetError {
    /// A wrong value at `path`.
    pub fn invalid(path: JsonPath, message: impl Into<String>) -> Self {
        Self::Invalid { path, message: message.into() }
    }

    /// The location of the problem, if it is not a JSON syntax error.
    pub fn path(&self) -> Option<&JsonPath> {
        match self {
            Self::Json(_) => None,
            Self::Invalid { path, .. } => Some(path),
        }
    }

    /// The message without the location.
    pub fn message(&self) -> String {
        match self {
            Self::Json(message) => message.clone(),
            Self::Invalid { message, .. } => message.clone(),
        }
    }
}

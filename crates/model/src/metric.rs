//! A metric's identity: namespace, metric name and dimensions. One type for the metrics engine (a series is a
//! metric in an account and region), the widget model (a metric row is a metric with rendering options) and the
//! console (what the metrics browser lists and graphs).

use serde::{Deserialize, Serialize};

/// A metric: namespace, name, and dimension name/value pairs (the engine keeps them sorted by name; a widget row
/// keeps them in the order written).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct MetricId {
    /// The namespace, such as `AWS/EC2`.
    pub namespace: String,
    /// The metric name, such as `CPUUtilization`.
    pub metric_name: String,
    /// Dimension name/value pairs.
    pub dimensions: Vec<(String, String)>,
}

impl MetricId {
    pub fn new(
        namespace: impl Into<String>,
        metric_name: impl Into<String>,
        dimensions: Vec<(String, String)>,
    ) -> Self {
        Self { namespace: namespace.into(), metric_name: metric_name.into(), dimensions }
    }

    /// The label CloudWatch gives a metric in graphs and SEARCH results: its dimension values, then its name.
    pub fn label(&self) -> String {
        let mut parts: Vec<&str> = self.dimensions.iter().map(|(_, value)| value.as_str()).collect();
        parts.push(&self.metric_name);
        parts.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_dimension_values_then_the_name() {
        let metric = MetricId::new("AWS/EC2", "CPUUtilization", vec![("InstanceId".into(), "i-1".into())]);
        assert_eq!(metric.label(), "i-1 CPUUtilization");
        assert_eq!(MetricId::new("App", "Latency", vec![]).label(), "Latency");
    }
}

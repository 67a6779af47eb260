//! Series identity: namespace, metric name and dimensions sorted by name, in one stable key.

/// The stable key of a series. Dimension order in the request does not matter.
pub fn series_key(namespace: &str, metric_name: &str, dimensions: &[(String, String)]) -> String {
    let mut sorted: Vec<&(String, String)> = dimensions.iter().collect();
    sorted.sort();
    let mut key = String::with_capacity(namespace.len() + metric_name.len() + 16 * sorted.len());
    key.push_str(namespace);
    key.push('\u{1f}');
    key.push_str(metric_name);
    for (name, value) in sorted {
        key.push('\u{1f}');
        key.push_str(name);
        key.push('=');
        key.push_str(value);
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dimension_order_does_not_matter() {
        let a = [("B".to_owned(), "2".to_owned()), ("A".to_owned(), "1".to_owned())];
        let b = [("A".to_owned(), "1".to_owned()), ("B".to_owned(), "2".to_owned())];
        assert_eq!(series_key("App", "Latency", &a), series_key("App", "Latency", &b));
        assert_ne!(series_key("App", "Latency", &a), series_key("App", "Errors", &a));
    }
}

//! A rule's input parameters: the specification of each parameter a managed rule takes (name,
//! kind, whether required, default) and the checking of `InputParameters` text into typed values
//! with AWS Config's refusals.
//!
//! AWS Config's checks, in the order it applies them (wording as AWS answers `PutConfigRule`):
//! the text must be a JSON object ("Invalid json {text} passed in the InputParameters field"); every
//! name must be one the rule takes ("Unknown parameters provided in the inputParameters: {text}");
//! every value must be a non-blank string (an unquoted number is refused the same way: "Blank
//! spaces are not acceptable for input parameter: {name}."); every required parameter must be
//! present, also one with a documented default ("The required parameter [a, b] is not present in
//! the inputParameters"). Then each value must be of its parameter's type.

mod values;

use crate::error::RuleError;
use serde_json::{Map, Value};

pub use values::ParamValue;

/// `InputParameters` is at most 1,024 characters (StringWithCharLimit1024).
pub const MAX_INPUT_PARAMETERS_CHARS: usize = 1024;

/// What a parameter's value must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamKind {
    /// Any text, kept as given.
    String,
    /// Comma-separated values, each trimmed, empty ones dropped.
    Csv,
    /// "true" or "false", any case.
    Bool,
    /// A whole number within the bounds.
    Int { min: i64, max: i64 },
    /// One of the listed whole numbers.
    IntOneOf(&'static [i64]),
    /// Comma-separated port numbers, 0 to 65535.
    PortCsv,
    /// Comma-separated ports and dash ranges, e.g. "443,1020-1025".
    PortRanges,
}

impl ParamKind {
    /// The type AWS documents for the parameter: "String", "CSV" or "int".
    pub fn aws_type(&self) -> &'static str {
        match self {
            ParamKind::String | ParamKind::Bool | ParamKind::PortRanges => "String",
            ParamKind::Csv | ParamKind::PortCsv => "CSV",
            ParamKind::Int { .. } | ParamKind::IntOneOf(_) => "int",
        }
    }
}

/// One parameter a managed rule takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParamSpec {
    pub name: &'static str,
    pub kind: ParamKind,
    /// Required parameters must be present in `InputParameters` even when they have a default
    /// (the default is what the console fills in).
    pub required: bool,
    pub default: Option<&'static str>,
}

impl ParamSpec {
    pub(crate) const fn optional(name: &'static str, kind: ParamKind) -> ParamSpec {
        ParamSpec { name, kind, required: false, default: None }
    }

    pub(crate) const fn required(name: &'static str, kind: ParamKind, default: Option<&'static str>) -> ParamSpec {
        ParamSpec { name, kind, required: true, default }
    }

    pub(crate) const fn defaulted(name: &'static str, kind: ParamKind, default: &'static str) -> ParamSpec {
        ParamSpec { name, kind, required: false, default: Some(default) }
    }
}

/// A rule's checked parameters (given ones, plus defaults for the absent ones that have one).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Parameters {
    values: Vec<(&'static str, ParamValue)>,
}

impl Parameters {
    /// The value of `name`, if given or defaulted.
    pub fn get(&self, name: &str) -> Option<&ParamValue> {
        self.values.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    /// Every (name, value), in the rule's parameter order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &ParamValue)> {
        self.values.iter().map(|(n, v)| (*n, v))
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    pub fn text(&self, name: &str) -> Option<&str> {
        match self.get(name)? {
            ParamValue::Text(t) => Some(t),
            _ => None,
        }
    }

    pub fn list(&self, name: &str) -> Option<&[String]> {
        match self.get(name)? {
            ParamValue::List(l) => Some(l),
            _ => None,
        }
    }

    pub fn bool(&self, name: &str) -> Option<bool> {
        match self.get(name)? {
            ParamValue::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn int(&self, name: &str) -> Option<i64> {
        match self.get(name)? {
            ParamValue::Int(i) => Some(*i),
            _ => None,
        }
    }

    /// Inclusive port ranges.
    pub fn ports(&self, name: &str) -> Option<&[(u16, u16)]> {
        match self.get(name)? {
            ParamValue::Ports(p) => Some(p),
            _ => None,
        }
    }

    /// These parameters with the defaults of `specs` filled in where a value is absent (so that
    /// parameters built by hand, or `Parameters::default()`, evaluate as AWS's defaults do).
    pub(crate) fn with_defaults(&self, specs: &[ParamSpec]) -> Parameters {
        let mut values = Vec::with_capacity(specs.len());
        for spec in specs {
            if let Some(v) = self.get(spec.name) {
                values.push((spec.name, v.clone()));
            } else if let Some(Ok(v)) = spec.default.map(|d| values::parse(spec, d)) {
                values.push((spec.name, v));
            }
        }
        Parameters { values }
    }
}

/// Checks `InputParameters` text as a JSON object (absent or blank text is the empty object), as
/// AWS Config does for every rule, custom policy rules included.
pub fn input_parameters_object(input: Option<&str>) -> Result<Map<String, Value>, RuleError> {
    let Some(text) = input else { return Ok(Map::new()) };
    if text.chars().count() > MAX_INPUT_PARAMETERS_CHARS {
        return Err(RuleError::Validation(format!(
            "1 validation error detected: Value at 'configRule.inputParameters' failed to satisfy constraint: \
             Member must have length less than or equal to {MAX_INPUT_PARAMETERS_CHARS}"
        )));
    }
    if text.trim().is_empty() {
        return Ok(Map::new());
    }
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(RuleError::InvalidParameterValue(format!("Invalid json {text} passed in the InputParameters field"))),
    }
}

/// Checks `InputParameters` against a rule's parameter specifications.
pub(crate) fn parse(specs: &[ParamSpec], input: Option<&str>) -> Result<Parameters, RuleError> {
    let object = input_parameters_object(input)?;
    let text = input.unwrap_or("");
    if object.keys().any(|name| !specs.iter().any(|s| s.name == name)) {
        return Err(RuleError::InvalidParameterValue(format!(
            "Unknown parameters provided in the inputParameters: {text}"
        )));
    }
    for (name, value) in &object {
        if value.as_str().is_none_or(|s| s.trim().is_empty()) {
            return Err(RuleError::InvalidParameterValue(format!(
                "Blank spaces are not acceptable for input parameter: {name}. InputParameters: {text}"
            )));
        }
    }
    let mut missing: Vec<&str> =
        specs.iter().filter(|s| s.required && !object.contains_key(s.name)).map(|s| s.name).collect();
    if !missing.is_empty() {
        missing.sort_unstable();
        return Err(RuleError::InvalidParameterValue(format!(
            "The required parameter [{}] is not present in the inputParameters",
            missing.join(", ")
        )));
    }
    let mut values = Vec::with_capacity(specs.len());
    for spec in specs {
        let raw = object.get(spec.name).and_then(Value::as_str).or(spec.default);
        if let Some(raw) = raw {
            values.push((spec.name, values::parse(spec, raw)?));
        }
    }
    Ok(Parameters { values })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPECS: &[ParamSpec] = &[
        ParamSpec::required("key", ParamKind::String, Some("CostCenter")),
        ParamSpec::defaulted("port", ParamKind::Int { min: 0, max: 65535 }, "20"),
        ParamSpec::optional("values", ParamKind::Csv),
        ParamSpec::optional("flag", ParamKind::Bool),
    ];

    fn err(input: &str) -> String {
        match parse(SPECS, Some(input)) {
            Err(e) => e.message().to_string(),
            Ok(p) => format!("accepted {p:?}"),
        }
    }

    #[test]
    fn aws_refusals_in_aws_order() {
        assert_eq!(err("not json"), "Invalid json not json passed in the InputParameters field");
        assert_eq!(err("[1]"), "Invalid json [1] passed in the InputParameters field");
        assert_eq!(
            err(r#"{"key":"a","Key":"b"}"#),
            r#"Unknown parameters provided in the inputParameters: {"key":"a","Key":"b"}"#
        );
        assert_eq!(
            err(r#"{"key":"a","port":22}"#),
            r#"Blank spaces are not acceptable for input parameter: port. InputParameters: {"key":"a","port":22}"#
        );
        assert!(err(r#"{"key":"  "}"#).starts_with("Blank spaces are not acceptable for input parameter: key."));
        assert_eq!(err(r#"{"port":"22"}"#), "The required parameter [key] is not present in the inputParameters");
        assert_eq!(
            parse(SPECS, None).map_err(|e| e.message().to_string()),
            Err("The required parameter [key] is not present in the inputParameters".to_string())
        );
        assert!(err(r#"{"key":"a","port":"x"}"#).contains("port"));
        assert!(err(r#"{"key":"a","flag":"yes"}"#).contains("true, false"));
    }

    #[test]
    fn values_and_defaults() {
        let p = parse(SPECS, Some(r#"{"key":"Owner","values":" a, b ,,c ","flag":"TRUE"}"#)).unwrap_or_default();
        assert_eq!(p.text("key"), Some("Owner"));
        assert_eq!(p.int("port"), Some(20));
        assert_eq!(p.list("values"), Some(&["a".to_string(), "b".to_string(), "c".to_string()][..]));
        assert_eq!(p.bool("flag"), Some(true));
        let d = Parameters::default().with_defaults(SPECS);
        assert_eq!(d.text("key"), Some("CostCenter"));
        assert_eq!(d.int("port"), Some(20));
        assert_eq!(d.list("values"), None);
    }

    #[test]
    fn length_bound() {
        let long = format!("{{\"key\":\"{}\"}}", "x".repeat(1100));
        let e = parse(SPECS, Some(&long)).err();
        assert_eq!(e.map(|e| e.code()), Some("ValidationException"));
        assert_eq!(input_parameters_object(Some("  ")).map(|m| m.len()), Ok(0));
    }
}

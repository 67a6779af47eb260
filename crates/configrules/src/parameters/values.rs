//! Parsing one parameter value by its kind, with the refusal naming the parameter.

use super::{ParamKind, ParamSpec};
use crate::error::RuleError;

/// A checked parameter value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamValue {
    Text(String),
    List(Vec<String>),
    Bool(bool),
    Int(i64),
    /// Inclusive port ranges (a single port is a range of one).
    Ports(Vec<(u16, u16)>),
}

pub(crate) fn parse(spec: &ParamSpec, raw: &str) -> Result<ParamValue, RuleError> {
    let name = spec.name;
    let invalid = |expected: String| {
        RuleError::InvalidParameterValue(format!("The value '{raw}' is not valid for the parameter {name}. {expected}"))
    };
    match spec.kind {
        ParamKind::String => Ok(ParamValue::Text(raw.to_string())),
        ParamKind::Csv => {
            let list = csv(raw);
            if list.is_empty() {
                return Err(invalid(format!("{name} must list at least one value.")));
            }
            Ok(ParamValue::List(list.into_iter().map(str::to_string).collect()))
        }
        ParamKind::Bool => match raw.trim() {
            t if t.eq_ignore_ascii_case("true") => Ok(ParamValue::Bool(true)),
            t if t.eq_ignore_ascii_case("false") => Ok(ParamValue::Bool(false)),
            _ => Err(invalid("Valid values are: true, false.".to_string())),
        },
        ParamKind::Int { min, max } => match raw.trim().parse::<i64>() {
            Ok(i) if (min..=max).contains(&i) => Ok(ParamValue::Int(i)),
            _ => Err(invalid(format!("{name} must be an integer from {min} to {max}."))),
        },
        ParamKind::IntOneOf(allowed) => match raw.trim().parse::<i64>() {
            Ok(i) if allowed.contains(&i) => Ok(ParamValue::Int(i)),
            _ => {
                let list: Vec<String> = allowed.iter().map(i64::to_string).collect();
                Err(invalid(format!("Valid values are: {}.", list.join(", "))))
            }
        },
        ParamKind::PortCsv => {
            let ports: Option<Vec<(u16, u16)>> = csv(raw).into_iter().map(|p| port(p).map(|p| (p, p))).collect();
            match ports {
                Some(p) if !p.is_empty() => Ok(ParamValue::Ports(p)),
                _ => Err(invalid(format!("{name} must list port numbers from 0 to 65535, separated by commas."))),
            }
        }
        ParamKind::PortRanges => {
            let ranges: Option<Vec<(u16, u16)>> = csv(raw).into_iter().map(port_range).collect();
            match ranges {
                Some(r) if !r.is_empty() => Ok(ParamValue::Ports(r)),
                _ => Err(invalid(format!(
                    "{name} must list ports from 0 to 65535 and port ranges separated by commas, for example 443,1020-1025."
                ))),
            }
        }
    }
}

/// The trimmed, non-empty items of comma-separated text.
fn csv(raw: &str) -> Vec<&str> {
    raw.split(',').map(str::trim).filter(|s| !s.is_empty()).collect()
}

fn port(text: &str) -> Option<u16> {
    let text = text.trim();
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// "443" or "1020-1025" (low to high).
fn port_range(text: &str) -> Option<(u16, u16)> {
    match text.split_once('-') {
        None => port(text).map(|p| (p, p)),
        Some((lo, hi)) => {
            let (lo, hi) = (port(lo)?, port(hi)?);
            (lo <= hi).then_some((lo, hi))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(kind: ParamKind) -> ParamSpec {
        ParamSpec::optional("p", kind)
    }

    #[test]
    fn kinds() {
        assert_eq!(
            parse(&spec(ParamKind::PortRanges), "443, 1020-1025"),
            Ok(ParamValue::Ports(vec![(443, 443), (1020, 1025)]))
        );
        assert!(parse(&spec(ParamKind::PortRanges), "1025-1020").is_err());
        assert!(parse(&spec(ParamKind::PortRanges), "70000").is_err());
        assert!(parse(&spec(ParamKind::PortRanges), "-5").is_err());
        assert!(parse(&spec(ParamKind::PortRanges), "a-b").is_err());
        assert_eq!(parse(&spec(ParamKind::PortCsv), "20,21"), Ok(ParamValue::Ports(vec![(20, 20), (21, 21)])));
        assert!(parse(&spec(ParamKind::PortCsv), "20-21").is_err());
        assert_eq!(parse(&spec(ParamKind::IntOneOf(&[1, 3])), "3"), Ok(ParamValue::Int(3)));
        let e = parse(&spec(ParamKind::IntOneOf(&[1, 3])), "2").err().map(|e| e.message().to_string());
        assert_eq!(e.as_deref(), Some("The value '2' is not valid for the parameter p. Valid values are: 1, 3."));
        assert!(parse(&spec(ParamKind::Int { min: 0, max: 10 }), "11").is_err());
        assert!(parse(&spec(ParamKind::Csv), " , ").is_err());
    }
}

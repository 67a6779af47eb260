//! Compliance values and the verdict one evaluation returns (AWS Config's `ComplianceType` and the
//! evaluation's annotation, at most 256 characters).

use serde::{Deserialize, Serialize};
use std::fmt;

/// The most characters an evaluation's annotation holds (`Evaluation.Annotation`,
/// StringWithCharLimit256 in the model).
pub const MAX_ANNOTATION_CHARS: usize = 256;

/// AWS Config's `ComplianceType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Compliance {
    Compliant,
    NonCompliant,
    NotApplicable,
    InsufficientData,
}

impl Compliance {
    /// The wire spelling: `COMPLIANT`, `NON_COMPLIANT`, `NOT_APPLICABLE`, `INSUFFICIENT_DATA`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Compliance::Compliant => "COMPLIANT",
            Compliance::NonCompliant => "NON_COMPLIANT",
            Compliance::NotApplicable => "NOT_APPLICABLE",
            Compliance::InsufficientData => "INSUFFICIENT_DATA",
        }
    }

    /// The value of a wire spelling, if it is one.
    pub fn parse(text: &str) -> Option<Compliance> {
        [Compliance::Compliant, Compliance::NonCompliant, Compliance::NotApplicable, Compliance::InsufficientData]
            .into_iter()
            .find(|c| c.as_str() == text)
    }
}

impl fmt::Display for Compliance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The outcome of evaluating one configuration item against one rule.
///
/// `InsufficientData` is never an evaluation AWS Config records (`PutEvaluations` refuses it): a
/// verdict with it means the rule could not be evaluated, and the annotation says why; the caller
/// records that as the rule's evaluation error rather than as an evaluation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    pub compliance: Compliance,
    /// At most [`MAX_ANNOTATION_CHARS`] characters.
    pub annotation: Option<String>,
}

impl Verdict {
    pub fn compliant() -> Verdict {
        Verdict { compliance: Compliance::Compliant, annotation: None }
    }

    pub fn not_applicable() -> Verdict {
        Verdict { compliance: Compliance::NotApplicable, annotation: None }
    }

    pub fn non_compliant(annotation: impl Into<String>) -> Verdict {
        Verdict::annotated(Compliance::NonCompliant, annotation)
    }

    pub fn insufficient_data(annotation: impl Into<String>) -> Verdict {
        Verdict::annotated(Compliance::InsufficientData, annotation)
    }

    /// A verdict whose annotation is cut to [`MAX_ANNOTATION_CHARS`] characters (an empty one is
    /// dropped).
    pub fn annotated(compliance: Compliance, annotation: impl Into<String>) -> Verdict {
        let annotation = truncate_annotation(annotation.into());
        Verdict { compliance, annotation: (!annotation.is_empty()).then_some(annotation) }
    }
}

/// Cuts `text` to [`MAX_ANNOTATION_CHARS`] characters, ending in "..." when it was longer.
fn truncate_annotation(text: String) -> String {
    if text.chars().count() <= MAX_ANNOTATION_CHARS {
        return text;
    }
    let mut cut: String = text.chars().take(MAX_ANNOTATION_CHARS - 3).collect();
    cut.push_str("...");
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_spellings_round_trip() {
        for c in
            [Compliance::Compliant, Compliance::NonCompliant, Compliance::NotApplicable, Compliance::InsufficientData]
        {
            assert_eq!(Compliance::parse(c.as_str()), Some(c));
            let json = serde_json::to_string(&c).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", c.as_str()));
        }
        assert_eq!(Compliance::parse("compliant"), None);
    }

    #[test]
    fn annotations_are_cut_to_256_characters() {
        let long = "é".repeat(300);
        let v = Verdict::non_compliant(long);
        let a = v.annotation.unwrap_or_default();
        assert_eq!(a.chars().count(), MAX_ANNOTATION_CHARS);
        assert!(a.ends_with("..."));
        assert_eq!(Verdict::non_compliant("").annotation, None);
        let exact = "x".repeat(256);
        assert_eq!(Verdict::non_compliant(exact.clone()).annotation, Some(exact));
    }
}

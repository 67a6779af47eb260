//! The crate's errors: [`PatternError`], why a filter pattern was refused, worded as CloudWatch Logs words its
//! `InvalidParameterException`s, and [`SelectorError`], why a metric value or dimension selector was refused.

use crate::MAX_LENGTH;

/// Why a filter pattern was refused. Every refusal is an `InvalidParameterException` (HTTP 400) on the wire, except
/// [`PatternError::TooLong`], which is the model's length constraint. `Display` is the message `FilterLogEvents`,
/// `StartLiveTail` and `PutSubscriptionFilter` send; [`PatternError::metric_filter_message`] is the one
/// `PutMetricFilter` and `TestMetricFilter` send; [`PatternError::detail`] says more, for logs and the console.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PatternError {
    /// Longer than [`MAX_LENGTH`] characters (the model's `FilterPattern` constraint).
    #[error(
        "1 validation error detected: Value at 'filterPattern' failed to satisfy constraint: Member must have length \
         less than or equal to {max}",
        max = MAX_LENGTH
    )]
    TooLong {
        /// The pattern's length in characters.
        length: usize,
    },
    /// A term (an unquoted word, a selector, a value, a regular expression) with characters the grammar does not
    /// take there; the text is the offending character(s), as AWS quotes them.
    #[error("Invalid character(s) in term '{0}'")]
    InvalidCharacters(String),
    /// The pattern starts with `{` (a JSON pattern) but does not end with `}`.
    #[error("If a filter pattern starts with '{{' it must end with '}}'")]
    UnclosedJson,
    /// The pattern starts with `[` (a space-delimited pattern) but does not end with `]`.
    #[error("If a filter pattern starts with '[' it must end with ']'")]
    UnclosedDelimited,
    /// Well formed, but over one of the documented quotas or using a documented unsupported construct (`IS NOT`,
    /// `EXISTS`, a third regular expression, a fourth wildcard selector, parentheses nested too deep, ...).
    #[error("{0}")]
    Unsupported(String),
    /// Text the grammar does not take; AWS says only that the pattern is invalid, `detail` says what was wrong.
    #[error("Invalid filter pattern")]
    Syntax {
        /// What was wrong, and where (a character offset from 0).
        detail: String,
    },
}

impl PatternError {
    pub(crate) fn syntax(detail: impl Into<String>) -> Self {
        PatternError::Syntax { detail: detail.into() }
    }

    pub(crate) fn unsupported(message: impl Into<String>) -> Self {
        PatternError::Unsupported(message.into())
    }

    pub(crate) fn invalid_characters(term: impl Into<String>) -> Self {
        PatternError::InvalidCharacters(term.into())
    }

    /// The message `PutMetricFilter` and `TestMetricFilter` send: theirs says "metric filter pattern" where the
    /// others say "filter pattern".
    pub fn metric_filter_message(&self) -> String {
        match self {
            PatternError::Syntax { .. } => "Invalid metric filter pattern".to_owned(),
            other => other.to_string(),
        }
    }

    /// What was wrong, in more words than the wire message (which, for a syntax error, says nothing more).
    pub fn detail(&self) -> String {
        match self {
            PatternError::Syntax { detail } => detail.clone(),
            PatternError::TooLong { length } => {
                format!("the pattern has {length} characters; at most {MAX_LENGTH} are allowed")
            }
            other => other.to_string(),
        }
    }
}

/// Why a metric value or dimension selector (`$.latency`, `$bytes`, `1`) was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Invalid selector '{text}': {reason}")]
pub struct SelectorError {
    /// The selector as given.
    pub text: String,
    /// What is wrong with it.
    pub reason: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_aws_wording() {
        assert_eq!(PatternError::invalid_characters(":").to_string(), "Invalid character(s) in term ':'");
        assert_eq!(PatternError::UnclosedJson.to_string(), "If a filter pattern starts with '{' it must end with '}'");
        let syntax = PatternError::syntax("unexpected ')' at 3");
        assert_eq!(syntax.to_string(), "Invalid filter pattern");
        assert_eq!(syntax.metric_filter_message(), "Invalid metric filter pattern");
        assert_eq!(syntax.detail(), "unexpected ')' at 3");
        assert!(PatternError::TooLong { length: 2000 }.to_string().ends_with("less than or equal to 1024"));
    }
}

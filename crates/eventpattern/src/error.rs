//! Why a pattern or an event was refused: [`PatternError`] worded as EventBridge words its
//! `InvalidEventPatternException`, and [`EventError`] for events that cannot be matched at all.

use crate::{MAX_COMBINATIONS, MAX_DEPTH, MAX_EVENT_BYTES, MAX_PATTERN_LENGTH};

/// Why a pattern was refused. `Display` is the exception's message: `Event pattern is not valid. Reason: ` and the
/// reason EventBridge gives, in the order its streaming parser meets the problems (the first one wins).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PatternError {
    /// The pattern breaks one of the language's rules; the reason is EventBridge's (`Empty arrays are not
    /// allowed`, `"state" must be an object or an array`, `Unrecognized match type regex`, ...).
    #[error("Event pattern is not valid. Reason: {0}")]
    Invalid(String),
    /// Longer than [`MAX_PATTERN_LENGTH`] characters (the model's `EventPattern` bound, a validation error on the
    /// wire rather than an invalid pattern).
    #[error("Event pattern is not valid. Reason: the pattern is {length} characters, over the {max} allowed", max = MAX_PATTERN_LENGTH)]
    TooLong {
        /// The pattern's length in characters.
        length: usize,
    },
    /// Objects and arrays nested deeper than [`MAX_DEPTH`].
    #[error("Event pattern is not valid. Reason: nested deeper than {max} levels", max = MAX_DEPTH)]
    TooDeep,
    /// Its `$or`s expand to more than [`MAX_COMBINATIONS`] clauses.
    #[error(
        "Event pattern is not valid. Reason: The event pattern expands to more than {max} combinations; use fewer \
         $or branches",
        max = MAX_COMBINATIONS
    )]
    TooManyCombinations,
}

impl PatternError {
    pub(crate) fn invalid(reason: impl Into<String>) -> Self {
        PatternError::Invalid(reason.into())
    }

    /// The reason alone, without the exception's preamble (what the console shows beside the editor).
    pub fn reason(&self) -> String {
        let text = self.to_string();
        text.strip_prefix("Event pattern is not valid. Reason: ").unwrap_or(&text).to_owned()
    }
}

/// Why an event could not be read. `TestEventPattern` answers each with `ValidationException`, `Parameter Event
/// is not valid.`
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EventError {
    /// Not JSON, or JSON with something after the value.
    #[error("the event is not JSON: {0}")]
    NotJson(String),
    /// JSON, but not an object.
    #[error("the event is not a JSON object")]
    NotObject,
    /// Over [`MAX_EVENT_BYTES`].
    #[error("the event is over {max} bytes", max = MAX_EVENT_BYTES)]
    TooLarge,
    /// Objects and arrays nested deeper than [`MAX_DEPTH`].
    #[error("the event is nested deeper than {max} levels", max = MAX_DEPTH)]
    TooDeep,
}

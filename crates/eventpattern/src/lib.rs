//! EventBridge event patterns: the language rules, archives and `TestEventPattern` share. [`parse`] a pattern
//! (bounded before any work) into a [`Pattern`], flatten an event once into an [`Event`], and ask
//! [`Pattern::matches`]; a [`RuleSet`] matches one event against many patterns at once.
//!
//! The semantics are EventBridge's, as AWS's own matcher (aws/event-ruler's `JsonRuleCompiler` and its
//! array-consistent `rulesForJSONEvent`) implements them and as AWS answers `TestEventPattern`:
//! * A pattern is an object; nested objects extend the path (`{"a":{"b":[..]}}` is `{"a.b":[..]}`), every leaf is
//!   a non-empty array of match values, keys combine with AND and the values of an array with OR. `$or` at any
//!   level is a list of at least two objects, each AND-ed with its siblings (a branch setting a key its siblings
//!   set replaces it); the expansion is bounded at [`MAX_COMBINATIONS`].
//! * Match values: a string, number, `true`, `false` or `null` (exact; numbers compare by value, a string that is
//!   an IP address matches every spelling of that address), `prefix`, `suffix` (each also with
//!   `equals-ignore-case` inside), `equals-ignore-case`, `wildcard` (`*`, with `\*` and `\\`), `anything-but` (a
//!   value, a list of strings or of numbers, `prefix`, `suffix`, `equals-ignore-case`, `wildcard`), `numeric`
//!   (one comparison or a range), `exists`, `cidr` and the undocumented `exactly`.
//! * An event is its leaves: every string, number, boolean and `null`, under the dotted path of its keys; arrays
//!   are transparent (any element may match), empty arrays and objects are no leaf at all. Two fields of a
//!   pattern never match leaves from different elements of the same array (array consistency).
//! * `anything-but` needs a leaf (a missing field never matches it) and matches `null` and values of another
//!   type; `exists` looks only at leaves (`null` exists; an object does not).
//!
//! Refusals are [`PatternError`]s whose `Display` is `InvalidEventPatternException`'s message, with the reason
//! EventBridge gives (`Event pattern is not valid. Reason: Empty arrays are not allowed`). AWS also appends its
//! JSON parser's position (`at [Source: ...; line: 1, column: 19]`); this crate does not.

mod case;
mod error;
mod event;
mod ip;
mod matcher;
mod number;
mod parse;
mod pattern;
mod rule_set;
mod wildcard;

#[cfg(test)]
mod proptests;

pub use error::{EventError, PatternError};
pub use event::{Event, Leaf, Scalar};
pub use matcher::{AnythingBut, Matcher, NumericRange};
pub use parse::parse;
pub use pattern::{Clause, FieldTest, Pattern};
pub use rule_set::RuleSet;

/// The longest pattern taken, in characters (EventBridge's quota is 2,048, raised on request up to 4,096, the
/// model's bound for `EventPattern`).
pub const MAX_PATTERN_LENGTH: usize = 4096;
/// The deepest nesting of objects and arrays in a pattern or an event.
pub const MAX_DEPTH: usize = 128;
/// The most AND-clauses a pattern's `$or`s may expand to (EventBridge refuses more than 1,000 combinations).
pub const MAX_COMBINATIONS: usize = 1000;
/// The largest event flattened, in bytes (PutEvents' entry limit is 256 KiB; this leaves room for the envelope).
pub const MAX_EVENT_BYTES: usize = 1 << 20;

//! One match value of a pattern and whether an event's leaf satisfies it. `exists` is decided per field (it
//! looks at whether there is a leaf, not at one), everything else per leaf.

use crate::case::{Anchor, equal_ignoring_case};
use crate::event::Scalar;
use crate::ip::IpRange;
use crate::wildcard::Wildcard;

/// A match value.
#[derive(Debug, Clone, PartialEq)]
pub enum Matcher {
    /// A string, exactly; one that is an IP address also matches the address's other spellings.
    Str {
        /// The string.
        text: String,
        /// The address, when the string is one.
        ip: Option<IpRange>,
    },
    /// A number: equal by value when both are exactly doubles, else by text.
    Num {
        /// The number as the pattern wrote it.
        text: String,
        /// Its value, when it is exactly a double.
        value: Option<f64>,
    },
    /// `true` or `false`.
    Bool(bool),
    /// `null`.
    Null,
    /// A string starting with the text (`{"prefix": ..}`, or with `equals-ignore-case` inside).
    Prefix {
        /// The prefix.
        text: String,
        /// Whether case is ignored.
        ignore_case: bool,
    },
    /// A string ending with the text.
    Suffix {
        /// The suffix.
        text: String,
        /// Whether case is ignored.
        ignore_case: bool,
    },
    /// A string equal to the text but for case.
    EqualsIgnoreCase(String),
    /// A string the wildcard matches whole.
    Wildcard(Wildcard),
    /// A number in the range.
    Numeric(NumericRange),
    /// A field with (`true`) or without (`false`) a leaf.
    Exists(bool),
    /// A string that is an address in the block.
    Cidr(IpRange),
    /// A leaf that is none of the values.
    AnythingBut(AnythingBut),
}

/// `numeric`'s range: each bound with whether it is included.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NumericRange {
    /// The lower bound and whether it is included.
    pub low: Option<(f64, bool)>,
    /// The upper bound and whether it is included.
    pub high: Option<(f64, bool)>,
}

impl NumericRange {
    fn contains(&self, value: f64) -> bool {
        let above = self.low.is_none_or(|(low, inclusive)| if inclusive { value >= low } else { value > low });
        let below = self.high.is_none_or(|(high, inclusive)| if inclusive { value <= high } else { value < high });
        above && below
    }
}

/// What `anything-but` excludes.
#[derive(Debug, Clone, PartialEq)]
pub enum AnythingBut {
    /// These strings.
    Strings(Vec<String>),
    /// These numbers (by value).
    Numbers(Vec<f64>),
    /// Strings with one of these prefixes.
    Prefixes(Vec<String>),
    /// Strings with one of these suffixes.
    Suffixes(Vec<String>),
    /// These strings, ignoring case.
    IgnoringCase(Vec<String>),
    /// Strings one of these wildcards matches.
    Wildcards(Vec<Wildcard>),
}

impl AnythingBut {
    /// Whether the leaf is excluded; a leaf of another type never is.
    fn excludes(&self, value: &Scalar) -> bool {
        match (self, value) {
            (AnythingBut::Numbers(numbers), Scalar::Num { value: Some(v), .. }) => numbers.contains(v),
            (AnythingBut::Strings(strings), Scalar::Str(s)) => strings.iter().any(|x| x == s),
            (AnythingBut::Prefixes(prefixes), Scalar::Str(s)) => prefixes.iter().any(|p| s.starts_with(p.as_str())),
            (AnythingBut::Suffixes(suffixes), Scalar::Str(s)) => suffixes.iter().any(|p| s.ends_with(p.as_str())),
            (AnythingBut::IgnoringCase(strings), Scalar::Str(s)) => {
                strings.iter().any(|x| equal_ignoring_case(x, s, Anchor::Whole))
            }
            (AnythingBut::Wildcards(wildcards), Scalar::Str(s)) => wildcards.iter().any(|w| w.matches(s)),
            _ => false,
        }
    }
}

impl Matcher {
    /// Whether one leaf satisfies the value (`exists` is the field's business: here it takes any leaf when true).
    pub fn matches(&self, leaf: &Scalar) -> bool {
        match (self, leaf) {
            (Matcher::Str { text, ip }, Scalar::Str(s)) => text == s || ip.is_some_and(|ip| ip.contains(s)),
            (Matcher::Num { text, value }, Scalar::Num { text: t, value: v }) => {
                text == t || value.is_some() && value == v
            }
            (Matcher::Bool(b), Scalar::Bool(v)) => b == v,
            (Matcher::Null, Scalar::Null) => true,
            (Matcher::Prefix { text, ignore_case }, Scalar::Str(s)) => {
                if *ignore_case {
                    equal_ignoring_case(text, s, Anchor::Prefix)
                } else {
                    s.starts_with(text.as_str())
                }
            }
            (Matcher::Suffix { text, ignore_case }, Scalar::Str(s)) => {
                if *ignore_case {
                    equal_ignoring_case(text, s, Anchor::Suffix)
                } else {
                    s.ends_with(text.as_str())
                }
            }
            (Matcher::EqualsIgnoreCase(text), Scalar::Str(s)) => equal_ignoring_case(text, s, Anchor::Whole),
            (Matcher::Wildcard(wildcard), Scalar::Str(s)) => wildcard.matches(s),
            (Matcher::Numeric(range), Scalar::Num { value: Some(v), .. }) => range.contains(*v),
            (Matcher::Cidr(block), Scalar::Str(s)) => block.contains(s),
            (Matcher::Exists(exists), _) => *exists,
            (Matcher::AnythingBut(but), value) => !but.excludes(value),
            _ => false,
        }
    }
}

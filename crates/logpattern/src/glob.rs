//! String values with `*` wildcards, as JSON and space-delimited conditions compare them: `*` stands for a run of
//! characters (none included) wherever it appears (`*Event`, `Event*`, `4*`, `*.html*`, `1*3`), and the rest must
//! match exactly, case included. A value without `*` is an exact comparison.
//!
//! AWS matches the literal runs between the stars greedily, without backtracking: each run at its first
//! occurrence after the previous one, and the last run (unless a `*` ends the value) must then end the text. So
//! `*111.111.111` does not match `111.111.111.111` (its first occurrence ends early) while `*.111.111.111` does,
//! and `111*111` does not match it either: what TestMetricFilter answers for those patterns, which a textbook
//! wildcard match would not. This module does the same.

/// A wildcard string, split at its `*`s once, when the pattern is parsed.
#[derive(Debug, Clone)]
pub struct Glob {
    text: String,
    /// The literal runs between `*`s: one run for a value without `*`, n + 1 for n stars.
    parts: Vec<String>,
}

impl PartialEq for Glob {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl Glob {
    pub(crate) fn new(text: String) -> Self {
        let parts = text.split('*').map(str::to_owned).collect();
        Glob { text, parts }
    }

    /// The value as written, without quotes or escapes.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Whether the value is `*` alone, which any value matches.
    pub(crate) fn is_any(&self) -> bool {
        self.parts.len() == 2 && self.parts.iter().all(String::is_empty)
    }

    /// Whether `candidate` matches, the way AWS matches (see the module's documentation): the first run is a
    /// prefix, each later run is found at its first occurrence after the one before, and without a final `*` the
    /// last run must end the text.
    pub(crate) fn matches(&self, candidate: &str) -> bool {
        let [first, rest @ ..] = self.parts.as_slice() else { return candidate.is_empty() };
        if rest.is_empty() {
            return candidate == first;
        }
        let bytes = candidate.as_bytes();
        if !bytes.starts_with(first.as_bytes()) {
            return false;
        }
        let mut at = first.len();
        for run in rest {
            match memchr::memmem::find(&bytes[at..], run.as_bytes()) {
                Some(found) => at += found + run.len(),
                None => return false,
            }
        }
        rest.last().is_some_and(String::is_empty) || at == bytes.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glob(text: &str) -> Glob {
        Glob::new(text.to_owned())
    }

    #[test]
    fn wildcards_anywhere() {
        let cases = [
            ("*Event", "PutEvent", true),
            ("*Event", "EventId", false),
            ("Event*", "EventName", true),
            ("Ev*ent", "Event", true),
            ("Ev*ent", "Ev-some-ent", true),
            ("4*", "404", true),
            ("4*", "504", false),
            ("*.html*", "GET /index.html HTTP/1.0", true),
            ("*.html*", "GET /a.gif HTTP/1.0", false),
            ("*", "", true),
            ("*", "anything", true),
            ("", "", true),
            ("", "x", false),
            ("abc", "abc", true),
            ("abc", "abcd", false),
            // AWS's greedy matching (what TestMetricFilter answers).
            ("*111.111.111", "111.111.111.111", false),
            ("*.111.111.111", "111.111.111.111", true),
            ("111*111", "111.111.111.111", false),
            ("11*1", "111.111.111.111", false),
            ("1*3", "123", true),
            ("1*4", "12.34", true),
            ("*Event", "EventEvent", false),
            ("a*a", "a", false),
            ("a*a", "aa", true),
            ("a*a", "aaa", false),
            ("**", "x", true),
            ("a*b*c", "abc", true),
            ("a*b*c", "acb", false),
        ];
        for (pattern, candidate, expected) in cases {
            assert_eq!(glob(pattern).matches(candidate), expected, "{pattern:?} against {candidate:?}");
        }
        assert!(glob("*").is_any());
        assert!(!glob("**").is_any());
    }
}

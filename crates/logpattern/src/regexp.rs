//! Regular expressions in filter patterns (`%...%`): the subset AWS documents, checked character by character,
//! translated to the `regex` crate's syntax and compiled with small size limits, so that a hostile expression costs
//! a bounded amount of memory and linear matching time.
//!
//! What AWS takes: ASCII letters and digits; the symbols `:` `_` `#` `=` `@` `/` `;` `,` `-` and the space; the
//! operators `^` `$` `?` `[` `]` `{` `}` `|` `\` `*` `+` `.`; the escapes `\d` `\D` `\s` `\S` `\w` `\W`, `\xhh` and a
//! backslash before an operator or symbol. Parentheses and multi-byte characters are refused; `{,n}` omits the
//! minimum. The classes are ASCII ones (`\d` is `[0-9]`, `\w` is `[a-zA-Z_0-9]`), so they are translated to
//! explicit classes rather than left to the `regex` crate's Unicode classes.

use regex::{Regex, RegexBuilder};

use crate::PatternError;

/// The most memory a compiled expression may take (the `regex` crate's `size_limit`).
const SIZE_LIMIT: usize = 1 << 18;
/// The most memory each lazy DFA cache may grow to while matching.
const DFA_SIZE_LIMIT: usize = 1 << 19;
/// The deepest nesting (of classes and repetitions) the `regex` crate's parser accepts.
const NEST_LIMIT: u32 = 64;

/// A regular expression as written between the `%`s, with its compiled form.
#[derive(Debug, Clone)]
pub struct RegexLiteral {
    source: String,
    regex: Regex,
}

impl PartialEq for RegexLiteral {
    fn eq(&self, other: &Self) -> bool {
        self.source == other.source
    }
}

impl RegexLiteral {
    /// Checks `source` (the text between the `%`s) against AWS's subset and compiles it.
    pub(crate) fn compile(source: &str) -> Result<Self, PatternError> {
        let translated = translate(source)?;
        let regex = RegexBuilder::new(&translated)
            .size_limit(SIZE_LIMIT)
            .dfa_size_limit(DFA_SIZE_LIMIT)
            .nest_limit(NEST_LIMIT)
            .build()
            .map_err(|error| match error {
                regex::Error::CompiledTooBig(_) => {
                    PatternError::unsupported("Regular expression evaluation time exceeded allowed limit")
                }
                other => PatternError::syntax(format!("regular expression %{source}%: {other}")),
            })?;
        Ok(RegexLiteral { source: source.to_owned(), regex })
    }

    /// The expression as written, without the `%`s.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Whether the expression matches somewhere in `text` (it is not anchored unless it says `^` or `$`).
    pub(crate) fn is_match(&self, text: &str) -> bool {
        self.regex.is_match(text)
    }
}

/// Whether `c` may appear as itself in an expression.
fn is_plain(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, ':' | '_' | '#' | '=' | '@' | '/' | ';' | ',' | '-' | ' ')
}

/// Whether `c` is one of the documented operators.
fn is_operator(c: char) -> bool {
    matches!(c, '^' | '$' | '?' | '[' | ']' | '{' | '}' | '|' | '\\' | '*' | '+' | '.')
}

/// The `regex` crate's spelling of an AWS expression, or the refusal of a character or escape AWS does not take.
fn translate(source: &str) -> Result<String, PatternError> {
    if source.is_empty() {
        return Err(PatternError::syntax("a regular expression between % and % is empty"));
    }
    let mut out = String::with_capacity(source.len() + 8);
    let mut chars = source.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let Some(escaped) = chars.next() else {
                    return Err(PatternError::syntax(format!("regular expression %{source}% ends with a backslash")));
                };
                match escaped {
                    'd' => out.push_str("[0-9]"),
                    'D' => out.push_str("[^0-9]"),
                    'w' => out.push_str("[a-zA-Z_0-9]"),
                    'W' => out.push_str("[^a-zA-Z_0-9]"),
                    's' => out.push_str(r"[\t\n\x0B\x0C\r ]"),
                    'S' => out.push_str(r"[^\t\n\x0B\x0C\r ]"),
                    'x' => {
                        let high = chars.next().filter(char::is_ascii_hexdigit);
                        let low = chars.next().filter(char::is_ascii_hexdigit);
                        let (Some(high), Some(low)) = (high, low) else {
                            return Err(PatternError::syntax(format!(
                                "regular expression %{source}%: \\x takes two hexadecimal digits"
                            )));
                        };
                        out.push_str("\\x");
                        out.push(high);
                        out.push(low);
                    }
                    other if is_operator(other) || (is_plain(other) && !other.is_ascii_alphanumeric()) => {
                        // Always a literal: spelled as a hexadecimal escape, which the `regex` crate takes for
                        // every character (it refuses some escaped symbols, and `\ ` means nothing there).
                        out.push_str(&format!("\\x{:02X}", u32::from(other)));
                    }
                    other => return Err(PatternError::invalid_characters(format!("\\{other}"))),
                }
            }
            '{' if chars.peek() == Some(&',') => out.push_str("{0"),
            c if is_plain(c) || is_operator(c) => out.push(c),
            c => return Err(PatternError::invalid_characters(c.to_string())),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(source: &str, text: &str) -> bool {
        match RegexLiteral::compile(source) {
            Ok(regex) => regex.is_match(text),
            Err(error) => panic!("{source}: {error:?}"),
        }
    }

    #[test]
    fn the_documented_examples() {
        assert!(matches("AUTHORIZED", "[SUCCESS 200] AUTHORIZED REQUEST"));
        assert!(matches("AUTHORIZED", "[ERROR 401] UNAUTHORIZED REQUEST"));
        assert!(matches("^[hc]at", "hat trick") && !matches("^[hc]at", "a hat"));
        assert!(matches("[hc]at$", "a cat") && !matches("[hc]at$", "cats"));
        assert!(matches("colou?r", "color") && matches("colou?r", "colour"));
        assert!(matches("a{3,5}", "aaa") && !matches("a{3,5}", "aa"));
        assert!(matches("a{,2}b", "b") && matches("a{3,}", "aaaa"));
        assert!(matches("gra|ey", "grey"));
        assert!(matches("^starting|^initializing|^shutting down", "shutting down now"));
        assert!(!matches("^starting|^initializing|^shutting down", "skipping initializing"));
        assert!(matches(r"\[.\]", "[a]") && matches(r"\[.\]", "[ ]") && !matches(r"\[.\]", "[ab]"));
        assert!(matches(r"10\.10\.0\.1", "10.10.0.1") && !matches(r"10\.10\.0\.1", "10010,051"));
        assert!(matches("10.10.0.1", "10010,051"));
        assert!(matches("ab*c", "ac") && matches("ab+c", "abbc") && !matches("ab+c", "ac"));
        assert!(matches(r"\d", "a1") && !matches(r"\d", "abc") && matches(r"\D", "1a2"));
        assert!(matches(r"\w", "_") && !matches(r"^\w+$", "é") && matches(r"\W", "a-b"));
        assert!(matches(r"a\sb", "a\tb") && matches(r"\S", " x "));
        assert!(matches(r"\x3A", "a:b") && matches(r"\x28", "f(x)"));
        assert!(matches(r"\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}", "from 192.168.0.1"));
        assert!(matches("[Ee]rror|[Ff]ail", "Failed") && !matches("[Ee]rror|[Ff]ail", "ERROR"));
        assert!(matches(r"[\d]x", "1x") && matches(r"[^\d]x", "ax") && !matches(r"[^\d]x", "1x"));
        assert!(matches(r"a\-b\:c\ d", "a-b:c d"));
    }

    #[test]
    fn refusals() {
        let refused = |source: &str| RegexLiteral::compile(source).err();
        assert_eq!(refused("something!"), Some(PatternError::invalid_characters("!")));
        assert_eq!(refused("(a|b)"), Some(PatternError::invalid_characters("(")));
        assert_eq!(refused("caf\u{e9}"), Some(PatternError::invalid_characters("\u{e9}")));
        assert_eq!(refused(r"\p{L}"), Some(PatternError::invalid_characters(r"\p")));
        assert_eq!(refused(r"\b"), Some(PatternError::invalid_characters(r"\b")));
        assert!(matches!(refused(""), Some(PatternError::Syntax { .. })));
        assert!(matches!(refused("abc\\"), Some(PatternError::Syntax { .. })));
        assert!(matches!(refused(r"\x4"), Some(PatternError::Syntax { .. })));
        assert!(matches!(refused("[a-"), Some(PatternError::Syntax { .. })));
        assert_eq!(
            refused("a{1000}{1000}"),
            Some(PatternError::unsupported("Regular expression evaluation time exceeded allowed limit"))
        );
        assert!(refused("[a-z]{1,100}").is_none());
    }
}

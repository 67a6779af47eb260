//! A lexical pass over Guard policy text before cfn-guard's parser sees it, bounding how deeply it
//! nests brackets (`{`, `[`, `(`) so the recursive-descent parser and the evaluator that follows the
//! parse tree cannot run out of stack, and how deeply it nests square brackets (filters, indexes,
//! lists): cfn-guard's parser backtracks over a nested filter, so its time doubles with each level
//! (a dozen levels took seconds).
//!
//! Brackets are counted where cfn-guard reads code: not in strings ('…' or "…", where a quote after
//! a backslash does not end the string), regular expressions (/…/, likewise), comments (# to the end
//! of the line) or custom messages (<< … >>). Those are the only places cfn-guard reads a quote, a
//! slash, a hash or "<<" other than as these delimiters, except one: a range literal's bound may be
//! any single character (`r[a,z]`), so a range whose bound is punctuation could make this pass and
//! cfn-guard disagree about what is a string; such ranges are refused.

/// The deepest bracket nesting a policy may have.
pub const MAX_NESTING: usize = 20;

/// The deepest nesting of square brackets a policy may have.
pub const MAX_SQUARE_NESTING: usize = 6;

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Code,
    Text(char),
    Regex,
    Comment,
    Message,
}

/// Checks the nesting of `text`; the error is the refusal message.
pub(super) fn check(text: &str) -> Result<(), String> {
    let chars: Vec<char> = text.chars().collect();
    let mut state = State::Code;
    // The open brackets, innermost last; a closer closes the innermost whatever its kind (a
    // mismatched closer is a parse error at that point, so nothing after it is parsed anyway).
    let mut open: Vec<char> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let escaped = i > 0 && chars[i - 1] == '\\';
        match state {
            State::Code => match c {
                '#' => state = State::Comment,
                '"' | '\'' => state = State::Text(c),
                '/' => state = State::Regex,
                '<' if next == Some('<') => {
                    state = State::Message;
                    i += 1;
                }
                'r' if matches!(next, Some('(' | '[')) => check_range(&chars, i)?,
                '{' | '[' | '(' => {
                    open.push(c);
                    if open.len() > MAX_NESTING {
                        return Err(format!("The policy text nests brackets more than {MAX_NESTING} levels deep."));
                    }
                    if c == '[' && open.iter().filter(|b| **b == '[').count() > MAX_SQUARE_NESTING {
                        return Err(format!(
                            "The policy text nests square brackets (filters, indexes, lists) more than {MAX_SQUARE_NESTING} levels deep."
                        ));
                    }
                }
                '}' | ']' | ')' => {
                    open.pop();
                }
                _ => {}
            },
            State::Text(quote) if c == quote && !escaped => state = State::Code,
            State::Regex if c == '/' && !escaped => state = State::Code,
            State::Comment if c == '\n' => state = State::Code,
            State::Message if c == '>' && next == Some('>') => {
                state = State::Code;
                i += 1;
            }
            _ => {}
        }
        i += 1;
    }
    Ok(())
}

/// Refuses a range literal (`r[lo,hi]` or with parentheses) whose bound is a punctuation character,
/// as cfn-guard's parser would read it at `chars[at]`.
fn check_range(chars: &[char], at: usize) -> Result<(), String> {
    let mut i = at + 2;
    let mut bounds = Vec::with_capacity(2);
    for separator in [',', ')'] {
        skip_spaces(chars, &mut i);
        match range_bound(chars, &mut i) {
            Some(bound) => bounds.push(bound),
            None => return Ok(()),
        }
        skip_spaces(chars, &mut i);
        let ok = match separator {
            ',' => chars.get(i) == Some(&','),
            _ => matches!(chars.get(i), Some(')' | ']')),
        };
        if !ok {
            return Ok(());
        }
        i += 1;
    }
    if bounds.iter().flatten().any(|c| !c.is_alphanumeric()) {
        let literal: String = chars[at..i].iter().collect();
        return Err(format!(
            "The policy text has a range literal bounded by punctuation, which is not supported: {literal}"
        ));
    }
    Ok(())
}

fn skip_spaces(chars: &[char], i: &mut usize) {
    while matches!(chars.get(*i), Some(' ' | '\t')) {
        *i += 1;
    }
}

/// One range bound: a number (`None`) or a single character (`Some`).
fn range_bound(chars: &[char], i: &mut usize) -> Option<Option<char>> {
    let start = *i;
    let mut j = start;
    if chars.get(j) == Some(&'-') {
        j += 1;
    }
    let digits = |j: &mut usize| {
        let from = *j;
        while chars.get(*j).is_some_and(char::is_ascii_digit) {
            *j += 1;
        }
        *j > from
    };
    if digits(&mut j) {
        if chars.get(j) == Some(&'.') {
            let mut k = j + 1;
            if digits(&mut k) {
                j = k;
            }
        }
        if matches!(chars.get(j), Some('e' | 'E')) {
            let mut k = j + 1;
            if matches!(chars.get(k), Some('+' | '-')) {
                k += 1;
            }
            if digits(&mut k) {
                j = k;
            }
        }
        *i = j;
        return Some(None);
    }
    let c = *chars.get(start)?;
    *i = start + 1;
    Some(Some(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nest(n: usize) -> String {
        format!("rule r {{ {}a == 1{} }}", "when a == 1 { ".repeat(n - 1), " }".repeat(n - 1))
    }

    #[test]
    fn counts_code_brackets_only() {
        assert!(check(&nest(MAX_NESTING)).is_ok());
        assert!(check(&nest(MAX_NESTING + 1)).is_err());
        let literals = "rule r { a == \"{{{{{{{{{{{{{{{{{{{{{{\" a == /[[[[[[[[[[[[[[[[[[[[[[[[[[/ # ((((((((((((((((((((((((\n\
                        a == 1 << {{{{{{{{{{{{{{{{{{{{{{{{{ >> }";
        assert!(check(literals).is_ok());
        assert!(check("a == 'it\\'s {{{{{{{{{{{{{{{{{{{{{{{{{{{{{'").is_ok());
        // A quote after a backslash does not end the string, so the brackets after it are text.
        assert!(check("a == \"\\\" {{{{{{{{{{{{{{{{{{{{{{{{{{\"").is_ok());
        // Closers in literals do not lower the count.
        let hidden = format!("x == \"}}}}}}}}}}}}}}}}}}}}}}}}}}\" {}", "{".repeat(MAX_NESTING + 1));
        assert!(check(&hidden).is_err());
    }

    #[test]
    fn square_brackets_have_their_own_bound() {
        let filters = |n: usize| format!("rule r {{ {}b == 1{} }}", "a[ ".repeat(n), " ] !empty".repeat(n));
        assert!(check(&filters(MAX_SQUARE_NESTING)).is_ok());
        assert!(check(&filters(MAX_SQUARE_NESTING + 1)).is_err());
        // Siblings do not nest.
        assert!(check(&format!("rule r {{ {} }}", "a[ b == 1 ] !empty ".repeat(50))).is_ok());
        // A closer of another kind still closes.
        assert!(check(&format!("let x = {}", "[ )".repeat(50))).is_ok());
    }

    #[test]
    fn refuses_punctuation_ranges_only() {
        assert!(check("a in r[1,5]").is_ok());
        assert!(check("a in r(-1.5, 2e3]").is_ok());
        assert!(check("a in r[a,z]").is_ok());
        assert!(check("a in r[\",1]").is_err());
        assert!(check("a in r( # , 1)").is_err());
        assert!(check("bar[0] == 1").is_ok());
        assert!(check("r[0] == 1").is_ok());
    }
}

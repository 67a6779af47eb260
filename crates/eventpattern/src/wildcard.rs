//! `wildcard` values: `*` matches any run of characters (none too), `\*` is a star and `\\` a backslash; any
//! other escape, and two stars in a row, are refused at the byte position EventBridge names (1-based, in bytes).

/// A parsed wildcard value: the literal pieces between its stars.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wildcard {
    pieces: Vec<String>,
    leading_star: bool,
    trailing_star: bool,
}

impl Wildcard {
    /// Parses `text`, refusing it with EventBridge's reason.
    pub(crate) fn parse(text: &str) -> Result<Wildcard, String> {
        let bytes = text.as_bytes();
        let mut pieces = vec![String::new()];
        let (mut leading_star, mut trailing_star) = (false, false);
        let mut at = 0;
        while at < bytes.len() {
            match bytes[at] {
                b'*' => {
                    if bytes.get(at + 1) == Some(&b'*') {
                        return Err(format!("Consecutive wildcard characters at pos {}", at + 1));
                    }
                    if at == 0 {
                        leading_star = true;
                    } else {
                        pieces.push(String::new());
                    }
                    trailing_star = at + 1 == bytes.len();
                    at += 1;
                }
                b'\\' => match bytes.get(at + 1) {
                    Some(&escaped @ (b'*' | b'\\')) => {
                        if let Some(piece) = pieces.last_mut() {
                            piece.push(char::from(escaped));
                        }
                        at += 2;
                    }
                    _ => return Err(format!("Invalid escape character at pos {}", at + 1)),
                },
                _ => {
                    // Copy the run of ordinary characters up to the next star or backslash.
                    let end = memchr_either(&bytes[at..]).map_or(bytes.len(), |n| at + n);
                    if let Some(piece) = pieces.last_mut() {
                        piece.push_str(&text[at..end]);
                    }
                    at = end;
                }
            }
        }
        if trailing_star && pieces.last().is_some_and(String::is_empty) && pieces.len() > 1 {
            pieces.pop();
        }
        Ok(Wildcard { pieces, leading_star, trailing_star })
    }

    /// Whether the whole of `value` matches.
    pub(crate) fn matches(&self, value: &str) -> bool {
        let stars = usize::from(self.leading_star) + self.pieces.len() - 1 + usize::from(self.trailing_star);
        if stars == 0 {
            return self.pieces[0] == value;
        }
        let mut pieces = self.pieces.as_slice();
        let mut rest = value;
        if !self.leading_star {
            let Some(after) = rest.strip_prefix(pieces[0].as_str()) else { return false };
            rest = after;
            pieces = &pieces[1..];
        }
        if !self.trailing_star {
            let Some((last, middle)) = pieces.split_last() else { return true };
            let Some(before) = rest.strip_suffix(last.as_str()) else { return false };
            rest = before;
            pieces = middle;
        }
        for piece in pieces {
            match rest.find(piece.as_str()) {
                Some(at) => rest = &rest[at + piece.len()..],
                None => return false,
            }
        }
        true
    }
}

fn memchr_either(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b'*' || b == b'\\')
}

#[cfg(test)]
mod tests {
    use super::Wildcard;

    fn matches(pattern: &str, value: &str) -> bool {
        Wildcard::parse(pattern).unwrap().matches(value)
    }

    #[test]
    fn stars_match_any_run_and_escapes_are_literal() {
        assert!(matches("/Users/*/doc.txt", "/Users/ls_user/dir/doc.txt"));
        assert!(!matches("/Users/*/doc.txt", "/Users/ls_user/notmatchingdoc.txt1"));
        assert!(matches("arn:aws:events:us-east-1:*:event-bus/*", "arn:aws:events:us-east-1:123456789012:event-bus/b"));
        assert!(matches("*", "") && matches("*", "anything") && matches("a*", "a") && matches("*a", "a"));
        assert!(!matches("a*a", "a") && matches("a*a", "aa") && matches("*a*b*", "xaxbx") && !matches("*b*a*", "ab"));
        assert!(matches("", "") && !matches("", "x") && matches("exact", "exact") && !matches("exact", "exactly"));
        assert!(matches(r"a\*b", "a*b") && !matches(r"a\*b", "axb") && matches(r"a\\*", r"a\tail"));
    }

    #[test]
    fn bad_values_name_eventbridges_byte_position() {
        assert_eq!(Wildcard::parse("**"), Err("Consecutive wildcard characters at pos 1".into()));
        assert_eq!(
            Wildcard::parse("arn:aws:events:us-east-1:**:event-bus/*"),
            Err("Consecutive wildcard characters at pos 26".into())
        );
        assert_eq!(Wildcard::parse("é**"), Err("Consecutive wildcard characters at pos 3".into()));
        assert_eq!(Wildcard::parse(r"a\b"), Err("Invalid escape character at pos 2".into()));
        assert_eq!(Wildcard::parse(r"a\"), Err("Invalid escape character at pos 2".into()));
    }
}

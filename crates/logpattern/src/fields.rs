//! The fields of a space-delimited event: runs of characters between white space, where a field that starts with
//! `"` runs to the next unescaped `"` and one that starts with `[` to the next `]` (white space included), and is
//! taken without them (`"GET /index.html HTTP/1.0"` is the field `GET /index.html HTTP/1.0`). An unclosed quote or
//! bracket runs to the end of the message. Splitting borrows from the message and allocates nothing.

/// The fields of a message, left to right.
#[derive(Debug, Clone)]
pub(crate) struct Fields<'a> {
    rest: &'a str,
}

impl<'a> Fields<'a> {
    pub(crate) fn new(message: &'a str) -> Self {
        Fields { rest: message }
    }
}

impl<'a> Iterator for Fields<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let rest = self.rest.trim_start_matches(|c: char| c.is_ascii_whitespace());
        let bytes = rest.as_bytes();
        // Every boundary below is at an ASCII byte (white space, `"`, `[`, `]`), so always a character boundary.
        let (field, next) = match bytes.first()? {
            b'"' => {
                let mut at = 1;
                let mut close = None;
                while let Some(&byte) = bytes.get(at) {
                    match byte {
                        b'\\' => at += 2,
                        b'"' => {
                            close = Some(at);
                            break;
                        }
                        _ => at += 1,
                    }
                }
                match close {
                    Some(close) => (&rest[1..close], close + 1),
                    None => (&rest[1..], rest.len()),
                }
            }
            b'[' => match memchr::memchr(b']', bytes) {
                Some(close) => (&rest[1..close], close + 1),
                None => (&rest[1..], rest.len()),
            },
            _ => {
                let end = bytes.iter().position(u8::is_ascii_whitespace).unwrap_or(rest.len());
                (&rest[..end], end)
            }
        };
        self.rest = &rest[next..];
        Some(field)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(message: &str) -> Vec<&str> {
        Fields::new(message).collect()
    }

    #[test]
    fn splits_as_documented() {
        assert_eq!(
            fields(r#"127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 200 1534"#),
            ["127.0.0.1", "-", "frank", "10/Oct/2000:13:25:15 -0700", "GET /apache_pb.gif HTTP/1.0", "200", "1534"]
        );
        assert_eq!(fields("  a\tb  c \n"), ["a", "b", "c"]);
        assert_eq!(fields(""), Vec::<&str>::new());
        assert_eq!(fields("   "), Vec::<&str>::new());
        assert_eq!(fields(r#"a "b \" c" d"#), ["a", r#"b \" c"#, "d"]);
        assert_eq!(fields(r#"a "unclosed b"#), ["a", "unclosed b"]);
        assert_eq!(fields("a [unclosed b"), ["a", "unclosed b"]);
        assert_eq!(fields(r#""x"y z"#), ["x", "y", "z"]);
        assert_eq!(fields(r#""" [] x"#), ["", "", "x"]);
        assert_eq!(fields("é [ü] \"ö\\"), ["é", "ü", "ö\\"]);
        assert_eq!(fields(r#""\"#), ["\\"]);
    }
}

//! The one error of the crate, [`QueryError`]: what `SelectResourceConfig` answers as `InvalidExpressionException`
//! (HTTP 400). Syntax errors carry AWS's wording, `syntax error at line L, column C`; the other refusals say what
//! AWS's documented limitation is.

/// Why an expression was refused (or could not be evaluated). `message` is the text AWS puts in the
/// `InvalidExpressionException`; `detail` says more, for logs and the console, and is not sent on the wire.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct QueryError {
    pub message: String,
    pub detail: Option<String>,
}

impl QueryError {
    /// A refusal worded by its message alone.
    pub fn new(message: impl Into<String>) -> Self {
        Self { message: message.into(), detail: None }
    }

    /// AWS's `syntax error at line L, column C` for the character at byte `offset` of `text`, with what was wrong.
    pub fn syntax(text: &str, offset: usize, detail: impl Into<String>) -> Self {
        let (line, column) = line_and_column(text, offset);
        Self { message: format!("syntax error at line {line}, column {column}"), detail: Some(detail.into()) }
    }
}

/// The 1-based line and column (in characters) of byte `offset` of `text`.
fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let mut line = 1;
    let mut column = 1;
    for (at, c) in text.char_indices() {
        if at >= offset {
            break;
        }
        if c == '\n' {
            line += 1;
            column = 1;
        } else {
            column += 1;
        }
    }
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_lines_and_characters_from_one() {
        assert_eq!(QueryError::syntax("SELECT x y", 9, "").message, "syntax error at line 1, column 10");
        assert_eq!(QueryError::syntax("SELECT\n  x y", 11, "").message, "syntax error at line 2, column 5");
        assert_eq!(QueryError::syntax("SELECT 'é' y", 11, "").message, "syntax error at line 1, column 11");
        assert_eq!(QueryError::syntax("SELECT", 6, "").message, "syntax error at line 1, column 7");
    }
}

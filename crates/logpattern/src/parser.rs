//! The grammar the JSON and space-delimited forms share: boolean expressions over conditions (`||` below `&&` below
//! parentheses, nested at most [`MAX_DEPTH`] deep), and the value side of a comparison (numbers, strings with
//! wildcards, `%regex%`), with the quotas on regular expressions and wildcard selectors counted across the pattern.
//! Each form brings its own condition reader.

use crate::ast::{CompareOp, Comparison, Expr, Number, Operand};
use crate::glob::Glob;
use crate::lexer::{Spanned, Token};
use crate::number::parse_number;
use crate::regexp::RegexLiteral;
use crate::{MAX_DEPTH, MAX_REGEXES, PatternError};

/// A cursor over a pattern's tokens.
pub(crate) struct Parser<'t> {
    tokens: &'t [Spanned],
    position: usize,
    /// The character offset just past the last token, for messages about a missing token.
    end: usize,
    regexes: usize,
}

impl<'t> Parser<'t> {
    pub(crate) fn new(tokens: &'t [Spanned], end: usize) -> Self {
        Parser { tokens, position: 0, end, regexes: 0 }
    }

    pub(crate) fn peek(&self) -> Option<&'t Token> {
        self.tokens.get(self.position).map(|spanned| &spanned.token)
    }

    /// The token after the next one.
    pub(crate) fn peek_second(&self) -> Option<&'t Token> {
        self.tokens.get(self.position + 1).map(|spanned| &spanned.token)
    }

    pub(crate) fn next(&mut self) -> Option<&'t Token> {
        let token = self.peek();
        if token.is_some() {
            self.position += 1;
        }
        token
    }

    /// The character offset of the next token (or of the end).
    pub(crate) fn at(&self) -> usize {
        self.tokens.get(self.position).map_or(self.end, |spanned| spanned.at)
    }

    /// A syntax error at the next token: `expected` says what should have been there.
    pub(crate) fn expected(&self, expected: &str) -> PatternError {
        let found = match self.peek() {
            None => "the end of the pattern".to_owned(),
            Some(token) => describe(token),
        };
        PatternError::syntax(format!("expected {expected} at character {}, found {found}", self.at()))
    }

    /// `||`-joined `&&`-joined conditions, read by `condition`; stops before any token that cannot continue it.
    pub(crate) fn expr<C>(
        &mut self,
        depth: usize,
        condition: &mut impl FnMut(&mut Self) -> Result<C, PatternError>,
    ) -> Result<Expr<C>, PatternError> {
        let mut items = vec![self.conjunction(depth, condition)?];
        while self.peek() == Some(&Token::Or) {
            self.position += 1;
            items.push(self.conjunction(depth, condition)?);
        }
        Ok(if items.len() == 1 { items.remove(0) } else { Expr::Or(items) })
    }

    fn conjunction<C>(
        &mut self,
        depth: usize,
        condition: &mut impl FnMut(&mut Self) -> Result<C, PatternError>,
    ) -> Result<Expr<C>, PatternError> {
        let mut items = vec![self.primary(depth, condition)?];
        while self.peek() == Some(&Token::And) {
            self.position += 1;
            items.push(self.primary(depth, condition)?);
        }
        Ok(if items.len() == 1 { items.remove(0) } else { Expr::And(items) })
    }

    fn primary<C>(
        &mut self,
        depth: usize,
        condition: &mut impl FnMut(&mut Self) -> Result<C, PatternError>,
    ) -> Result<Expr<C>, PatternError> {
        if self.peek() != Some(&Token::LParen) {
            return condition(self).map(Expr::Condition);
        }
        if depth >= MAX_DEPTH {
            return Err(PatternError::unsupported(format!(
                "A filter pattern can nest parentheses at most {MAX_DEPTH} deep"
            )));
        }
        self.position += 1;
        let inner = self.expr(depth + 1, condition)?;
        if self.peek() != Some(&Token::RParen) {
            return Err(self.expected("'&&', '||' or ')'"));
        }
        self.position += 1;
        Ok(Expr::Group(Box::new(inner)))
    }

    /// The comparison that starts at the next token, an operator, and its value.
    pub(crate) fn comparison(&mut self) -> Result<Comparison, PatternError> {
        let Some(&Token::Op(op)) = self.peek() else {
            return Err(self.expected("a comparison operator"));
        };
        self.position += 1;
        let operand = self.operand(op)?;
        Ok(Comparison { op, operand })
    }

    /// The value after `op`. The ordering operators take numbers only; anything else is refused, naming it.
    fn operand(&mut self, op: CompareOp) -> Result<Operand, PatternError> {
        let operand = match self.peek() {
            Some(Token::Word(word)) => match parse_number(word) {
                Some(value) => Operand::Number(Number { text: word.clone(), value }),
                None if op.is_ordering() => return Err(PatternError::invalid_characters(word.clone())),
                None => Operand::Text(Glob::new(word.clone())),
            },
            Some(Token::Quoted(text)) if op.is_ordering() => {
                return Err(PatternError::invalid_characters(format!("\"{text}\"")));
            }
            Some(Token::Quoted(text)) => Operand::Text(Glob::new(text.clone())),
            Some(Token::Regex(source)) if op.is_ordering() => {
                return Err(PatternError::invalid_characters(format!("%{source}%")));
            }
            Some(Token::Regex(source)) => {
                self.regexes += 1;
                if self.regexes > MAX_REGEXES {
                    return Err(PatternError::unsupported(format!(
                        "A filter pattern can contain at most {MAX_REGEXES} regular expressions"
                    )));
                }
                Operand::Regex(RegexLiteral::compile(source)?)
            }
            _ => return Err(self.expected(&format!("a value after '{}'", op.symbol()))),
        };
        self.position += 1;
        Ok(operand)
    }
}

/// A token as a message names it.
fn describe(token: &Token) -> String {
    match token {
        Token::LParen => "'('".to_owned(),
        Token::RParen => "')'".to_owned(),
        Token::And => "'&&'".to_owned(),
        Token::Or => "'||'".to_owned(),
        Token::Comma => "','".to_owned(),
        Token::Op(op) => format!("'{}'", op.symbol()),
        Token::Word(word) => format!("'{word}'"),
        Token::Quoted(text) => format!("\"{text}\""),
        Token::Regex(source) => format!("%{source}%"),
        Token::Selector(path) => format!("'{path}'"),
    }
}

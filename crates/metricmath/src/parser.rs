//! Builds the syntax tree from tokens by recursive descent, checks function names and arities, and bounds nesting
//! and tree height so that neither parsing nor any later walk of the tree can exhaust the stack.
//!
//! Grammar, loosest first:
//! ```text
//! or      := and (("OR" | "||") and)*
//! and     := not (("AND" | "&&") not)*
//! not     := ("NOT" | "!") not | cmp
//! cmp     := add (("==" | "!=" | "<" | "<=" | ">" | ">=") add)*
//! add     := mul (("+" | "-") mul)*
//! mul     := unary (("*" | "/") unary)*
//! unary   := "-" unary | pow
//! pow     := primary ("^" unary)?                      (right-associative: 2^3^2 = 2^(3^2))
//! primary := number | string | id | WORD | FUNC "(" [or ("," or)*] ")" | "(" or ")" | "[" [or ("," or)*] "]"
//! ```

use crate::ast::{BinaryOp, Expr, ExprKind, Func, Span, UnaryOp};
use crate::error::{ParseError, ParseErrorKind};
use crate::lexer::{Token, lex};

/// Longest expression accepted, in bytes: GetMetricData's `Expression` (AWS: 1 to 2,048 characters).
pub const MAX_LENGTH: usize = 2048;
/// Deepest nesting of parentheses, brackets, calls and prefix operators accepted.
pub const MAX_NESTING: usize = 64;
/// Tallest syntax tree accepted (a chain `m1 + m2 + ... + m300` is 300 high).
pub const MAX_HEIGHT: usize = 512;

/// Parses one metric math expression.
pub fn parse(text: &str) -> Result<Expr, ParseError> {
    if text.len() > MAX_LENGTH {
        return Err(ParseError::new(ParseErrorKind::TooLong(MAX_LENGTH), Span::new(MAX_LENGTH, text.len())));
    }
    let tokens = lex(text)?;
    if tokens.is_empty() {
        return Err(ParseError::new(ParseErrorKind::Empty, Span::new(0, text.len())));
    }
    let mut parser = Parser { tokens, pos: 0, nesting: 0, end: text.len() };
    let node = parser.or()?;
    if let Some((token, span)) = parser.tokens.get(parser.pos) {
        return Err(ParseError::new(ParseErrorKind::UnexpectedToken(token.describe()), *span));
    }
    Ok(node.expr)
}

/// A subtree and its height, so that long operator chains cannot build a tree taller than [`MAX_HEIGHT`].
struct Node {
    expr: Expr,
    height: usize,
}

struct Parser {
    tokens: Vec<(Token, Span)>,
    pos: usize,
    nesting: usize,
    end: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos).map(|(t, _)| t)
    }

    fn span_here(&self) -> Span {
        self.tokens.get(self.pos).map(|(_, s)| *s).unwrap_or(Span::new(self.end, self.end))
    }

    fn advance(&mut self) -> Option<(Token, Span)> {
        let item = self.tokens.get(self.pos).cloned();
        if item.is_some() {
            self.pos += 1;
        }
        item
    }

    fn unexpected(&self) -> ParseError {
        match self.tokens.get(self.pos) {
            Some((token, span)) => ParseError::new(ParseErrorKind::UnexpectedToken(token.describe()), *span),
            None => ParseError::new(ParseErrorKind::UnexpectedEnd, Span::new(self.end, self.end)),
        }
    }

    fn expect(&mut self, wanted: &Token) -> Result<Span, ParseError> {
        match self.tokens.get(self.pos) {
            Some((token, span)) if token == wanted => {
                let span = *span;
                self.pos += 1;
                Ok(span)
            }
            _ => Err(self.unexpected()),
        }
    }

    fn is_word(&self, word: &str) -> bool {
        matches!(self.peek(), Some(Token::Word(w)) if w == word)
    }

    /// Guards recursion: every recursive production goes through here.
    fn nested<T>(&mut self, f: impl FnOnce(&mut Self) -> Result<T, ParseError>) -> Result<T, ParseError> {
        if self.nesting >= MAX_NESTING {
            return Err(ParseError::new(ParseErrorKind::TooDeep(MAX_NESTING), self.span_here()));
        }
        self.nesting += 1;
        let result = f(self);
        self.nesting -= 1;
        result
    }

    fn make(&self, kind: ExprKind, span: Span, child_height: usize) -> Result<Node, ParseError> {
        let height = child_height + 1;
        if height > MAX_HEIGHT {
            return Err(ParseError::new(ParseErrorKind::TooTall(MAX_HEIGHT), span));
        }
        Ok(Node { expr: Expr::new(kind, span), height })
    }

    fn binary(&self, op: BinaryOp, lhs: Node, rhs: Node) -> Result<Node, ParseError> {
        let span = lhs.expr.span.to(rhs.expr.span);
        let height = lhs.height.max(rhs.height);
        self.make(ExprKind::Binary { op, lhs: Box::new(lhs.expr), rhs: Box::new(rhs.expr) }, span, height)
    }

    fn or(&mut self) -> Result<Node, ParseError> {
        self.nested(|p| {
            let mut lhs = p.and()?;
            while matches!(p.peek(), Some(Token::OrOr)) || p.is_word("OR") {
                p.advance();
                let rhs = p.and()?;
                lhs = p.binary(BinaryOp::Or, lhs, rhs)?;
            }
            Ok(lhs)
        })
    }

    fn and(&mut self) -> Result<Node, ParseError> {
        let mut lhs = self.not()?;
        while matches!(self.peek(), Some(Token::AndAnd)) || self.is_word("AND") {
            self.advance();
            let rhs = self.not()?;
            lhs = self.binary(BinaryOp::And, lhs, rhs)?;
        }
        Ok(lhs)
    }

    fn not(&mut self) -> Result<Node, ParseError> {
        if matches!(self.peek(), Some(Token::Bang)) || self.is_word("NOT") {
            let start = self.span_here();
            self.advance();
            let operand = self.nested(Self::not)?;
            let span = start.to(operand.expr.span);
            let kind = ExprKind::Unary { op: UnaryOp::Not, operand: Box::new(operand.expr) };
            return self.make(kind, span, operand.height);
        }
        self.comparison()
    }

    fn comparison(&mut self) -> Result<Node, ParseError> {
        let mut lhs = self.additive()?;
        loop {
            let op = match self.peek() {
                Some(Token::EqEq) => BinaryOp::Eq,
                Some(Token::NotEq) => BinaryOp::Ne,
                Some(Token::Lt) => BinaryOp::Lt,
                Some(Token::Le) => BinaryOp::Le,
                Some(Token::Gt) => BinaryOp::Gt,
                Some(Token::Ge) => BinaryOp::Ge,
                _ => return Ok(lhs),
            };
            self.advance();
            let rhs = self.additive()?;
            lhs = self.binary(op, lhs, rhs)?;
        }
    }

    fn additive(&mut self) -> Result<Node, ParseError> {
        let mut lhs = self.multiplicative()?;
        loop {
            let op = match self.peek() {
                Some(Token::Plus) => BinaryOp::Add,
                Some(Token::Minus) => BinaryOp::Sub,
                _ => return Ok(lhs),
            };
            self.advance();
            let rhs = self.multiplicative()?;
            lhs = self.binary(op, lhs, rhs)?;
        }
    }

    fn multiplicative(&mut self) -> Result<Node, ParseError> {
        let mut lhs = self.unary()?;
        loop {
            let op = match self.peek() {
                Some(Token::Star) => BinaryOp::Mul,
                Some(Token::Slash) => BinaryOp::Div,
                _ => return Ok(lhs),
            };
            self.advance();
            let rhs = self.unary()?;
            lhs = self.binary(op, lhs, rhs)?;
        }
    }

    fn unary(&mut self) -> Result<Node, ParseError> {
        if matches!(self.peek(), Some(Token::Minus)) {
            let start = self.span_here();
            self.advance();
            let operand = self.nested(Self::unary)?;
            let span = start.to(operand.expr.span);
            let kind = ExprKind::Unary { op: UnaryOp::Neg, operand: Box::new(operand.expr) };
            return self.make(kind, span, operand.height);
        }
        self.power()
    }

    fn power(&mut self) -> Result<Node, ParseError> {
        let base = self.primary()?;
        if matches!(self.peek(), Some(Token::Caret)) {
            self.advance();
            let exponent = self.nested(Self::unary)?;
            return self.binary(BinaryOp::Pow, base, exponent);
        }
        Ok(base)
    }

    fn primary(&mut self) -> Result<Node, ParseError> {
        let Some((token, span)) = self.advance() else {
            return Err(self.unexpected());
        };
        match token {
            Token::Number(n) => self.make(ExprKind::Number(n), span, 0),
            Token::Str(s) => self.make(ExprKind::Str(s), span, 0),
            Token::Word(word) => self.word(word, span),
            Token::LParen => {
                let inner = self.or()?;
                let close = self.expect(&Token::RParen)?;
                Ok(Node { expr: Expr::new(inner.expr.kind, span.to(close)), height: inner.height })
            }
            Token::LBracket => {
                let (items, height, close) = self.list(&Token::RBracket)?;
                self.make(ExprKind::Array(items), span.to(close), height)
            }
            _ => {
                self.pos -= 1;
                Err(self.unexpected())
            }
        }
    }

    fn word(&mut self, word: String, span: Span) -> Result<Node, ParseError> {
        let first = word.chars().next();
        let call = matches!(self.peek(), Some(Token::LParen));
        if first.is_some_and(|c| c.is_ascii_lowercase()) {
            if call {
                return Err(ParseError::new(ParseErrorKind::UnknownFunction(word), span));
            }
            return self.make(ExprKind::Id(word), span, 0);
        }
        if !first.is_some_and(|c| c.is_ascii_uppercase()) {
            return Err(ParseError::new(ParseErrorKind::InvalidId(word), span));
        }
        if matches!(word.as_str(), "AND" | "OR" | "NOT") {
            return Err(ParseError::new(ParseErrorKind::UnexpectedToken(format!("'{word}'")), span));
        }
        if !call {
            return self.make(ExprKind::Word(word), span, 0);
        }
        let Some(func) = Func::from_name(&word) else {
            return Err(ParseError::new(ParseErrorKind::UnknownFunction(word), span));
        };
        self.advance();
        let (args, height, close) = self.list(&Token::RParen)?;
        let (min, max) = func.arity();
        if args.len() < min || args.len() > max {
            let expected = if min == max { min.to_string() } else { format!("{min} to {max}") };
            let kind = ParseErrorKind::WrongArity { func: func.name(), expected, got: args.len() };
            return Err(ParseError::new(kind, span.to(close)));
        }
        self.make(ExprKind::Call { func, args }, span.to(close), height)
    }

    /// Comma-separated expressions up to `close` (already past the opening bracket); may be empty.
    fn list(&mut self, close: &Token) -> Result<(Vec<Expr>, usize, Span), ParseError> {
        let mut items = Vec::new();
        let mut height = 0;
        if self.peek() == Some(close) {
            let end = self.expect(close)?;
            return Ok((items, height, end));
        }
        loop {
            let item = self.or()?;
            height = height.max(item.height);
            items.push(item.expr);
            match self.peek() {
                Some(Token::Comma) => {
                    self.advance();
                }
                Some(t) if t == close => {
                    let end = self.expect(close)?;
                    return Ok((items, height, end));
                }
                _ => return Err(self.unexpected()),
            }
        }
    }
}

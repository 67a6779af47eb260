//! The recursive-descent parser: `SELECT list [WHERE condition] [GROUP BY properties] [ORDER BY terms]`, keywords in
//! any case, `NOT` binding tighter than `AND`, `AND` than `OR`. Parentheses and `NOT`s nest at most [`MAX_DEPTH`]
//! deep, so recursion is bounded; an `IN` list holds at most [`MAX_IN_VALUES`] values. What the grammar cannot say
//! (where aggregates may appear, GROUP BY's limits) is checked afterwards by `check`.

use crate::ast::{Aggregate, CompareOp, Condition, Function, Literal, OrderKey, OrderTerm, Path, Query, SelectItem};
use crate::lexer::{Token, tokens};
use crate::like::LikePattern;
use crate::{MAX_DEPTH, MAX_IN_VALUES, QueryError};

/// Words that are keywords and so cannot be a one-segment property.
const KEYWORDS: [&str; 17] = [
    "SELECT", "WHERE", "GROUP", "BY", "ORDER", "ASC", "DESC", "AND", "OR", "NOT", "IN", "BETWEEN", "LIKE", "IS",
    "NULL", "TRUE", "FALSE",
];

/// SQL keywords AWS documents as unsupported.
const UNSUPPORTED: [&str; 7] = ["ALL", "AS", "DISTINCT", "FROM", "HAVING", "JOIN", "UNION"];

pub fn is_keyword(word: &str) -> bool {
    KEYWORDS.iter().chain(UNSUPPORTED.iter()).any(|k| k.eq_ignore_ascii_case(word))
}

/// Parses `text` (whose length the caller has bounded) into a query, unchecked.
pub fn parse_query(text: &str) -> Result<Query, QueryError> {
    let tokens = tokens(text)?;
    let mut parser = Parser { text, tokens, at: 0, depth: 0 };
    parser.query()
}

struct Parser<'t> {
    text: &'t str,
    tokens: Vec<(Token, usize)>,
    at: usize,
    depth: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at).map(|(t, _)| t)
    }

    fn peek_second(&self) -> Option<&Token> {
        self.tokens.get(self.at + 1).map(|(t, _)| t)
    }

    fn offset(&self) -> usize {
        self.tokens.get(self.at).map_or(self.text.len(), |(_, at)| *at)
    }

    fn error(&self, detail: impl Into<String>) -> QueryError {
        QueryError::syntax(self.text, self.offset(), detail)
    }

    /// A syntax error at the current token, naming it.
    fn unexpected(&self, wanted: &str) -> QueryError {
        match self.peek() {
            None => self.error(format!("the query ends where {wanted} was expected")),
            Some(Token::Word(w)) if UNSUPPORTED.iter().any(|k| k.eq_ignore_ascii_case(w)) => {
                self.error(format!("{} is not supported in AWS Config queries", w.to_ascii_uppercase()))
            }
            Some(token) => self.error(format!("expected {wanted}, found {}", describe(token))),
        }
    }

    fn is_keyword(&self, keyword: &str) -> bool {
        matches!(self.peek(), Some(Token::Word(w)) if w.eq_ignore_ascii_case(keyword))
    }

    fn eat_keyword(&mut self, keyword: &str) -> bool {
        let found = self.is_keyword(keyword);
        if found {
            self.at += 1;
        }
        found
    }

    fn expect_keyword(&mut self, keyword: &str) -> Result<(), QueryError> {
        if self.eat_keyword(keyword) { Ok(()) } else { Err(self.unexpected(keyword)) }
    }

    fn expect(&mut self, token: Token, what: &str) -> Result<(), QueryError> {
        if self.peek() == Some(&token) {
            self.at += 1;
            Ok(())
        } else {
            Err(self.unexpected(what))
        }
    }

    fn enter(&mut self) -> Result<(), QueryError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error(format!("conditions are nested more than {MAX_DEPTH} deep")));
        }
        Ok(())
    }

    fn query(&mut self) -> Result<Query, QueryError> {
        self.expect_keyword("SELECT")?;
        let mut select = vec![self.select_item()?];
        while self.peek() == Some(&Token::Comma) {
            self.at += 1;
            select.push(self.select_item()?);
        }
        let condition = if self.eat_keyword("WHERE") { Some(self.or()?) } else { None };
        let mut group_by = Vec::new();
        if self.eat_keyword("GROUP") {
            self.expect_keyword("BY")?;
            group_by.push(self.property("a property")?);
            while self.peek() == Some(&Token::Comma) {
                self.at += 1;
                group_by.push(self.property("a property")?);
            }
        }
        let mut order_by = Vec::new();
        if self.eat_keyword("ORDER") {
            self.expect_keyword("BY")?;
            order_by.push(self.order_term()?);
            while self.peek() == Some(&Token::Comma) {
                self.at += 1;
                order_by.push(self.order_term()?);
            }
        }
        if self.peek().is_some() {
            return Err(self.unexpected("WHERE, GROUP BY, ORDER BY or the end of the query"));
        }
        Ok(Query { select, condition, group_by, order_by })
    }

    fn select_item(&mut self) -> Result<SelectItem, QueryError> {
        if self.peek() == Some(&Token::Star) {
            self.at += 1;
            return Ok(SelectItem::All);
        }
        if self.peek_second() == Some(&Token::LParen) {
            return Ok(SelectItem::Aggregate(self.aggregate()?));
        }
        Ok(SelectItem::Property(self.property("a property, an aggregate function or *")?))
    }

    fn order_term(&mut self) -> Result<OrderTerm, QueryError> {
        let key = if self.peek_second() == Some(&Token::LParen) {
            OrderKey::Aggregate(self.aggregate()?)
        } else {
            OrderKey::Property(self.property("a property or an aggregate function")?)
        };
        let descending = if self.eat_keyword("DESC") {
            true
        } else {
            self.eat_keyword("ASC");
            false
        };
        Ok(OrderTerm { key, descending })
    }

    /// A property path; `wanted` names what was expected, for the error.
    fn property(&mut self, wanted: &str) -> Result<Path, QueryError> {
        let path = match self.peek() {
            Some(Token::Word(word)) if !is_keyword(word) => Path::parse(word),
            _ => return Err(self.unexpected(wanted)),
        };
        let path = path.ok_or_else(|| self.error("a property path has an empty segment"))?;
        self.at += 1;
        Ok(path)
    }

    /// `FUNCTION ( * | property )`, the current token being the function's name.
    fn aggregate(&mut self) -> Result<Aggregate, QueryError> {
        let Some(Token::Word(name)) = self.peek() else { return Err(self.unexpected("a function")) };
        let Some(function) = Function::from_name(name) else {
            return Err(self.error(format!(
                "unknown function '{name}'; the aggregate functions are AVG, COUNT, MAX, MIN and SUM"
            )));
        };
        self.at += 2;
        let argument = if self.peek() == Some(&Token::Star) {
            if function != Function::Count {
                return Err(self.error(format!("{}(*) is not a function; only COUNT takes *", function.name())));
            }
            self.at += 1;
            None
        } else {
            if self.peek_second() == Some(&Token::LParen) {
                return Err(self.error("aggregate functions cannot take other functions as arguments"));
            }
            Some(self.property("a property or *")?)
        };
        if self.peek() == Some(&Token::Comma) {
            return Err(self.error("aggregate functions accept only a single argument or property"));
        }
        self.expect(Token::RParen, "')'")?;
        Ok(Aggregate { function, argument })
    }

    fn or(&mut self) -> Result<Condition, QueryError> {
        let mut parts = vec![self.and()?];
        while self.eat_keyword("OR") {
            parts.push(self.and()?);
        }
        Ok(or_of(parts))
    }

    fn and(&mut self) -> Result<Condition, QueryError> {
        let mut parts = vec![self.unary()?];
        while self.eat_keyword("AND") {
            parts.push(self.unary()?);
        }
        Ok(and_of(parts))
    }

    fn unary(&mut self) -> Result<Condition, QueryError> {
        if self.eat_keyword("NOT") {
            self.enter()?;
            let inner = self.unary()?;
            self.depth -= 1;
            return Ok(Condition::Not(Box::new(inner)));
        }
        if self.peek() == Some(&Token::LParen) {
            self.at += 1;
            self.enter()?;
            let inner = self.or()?;
            self.expect(Token::RParen, "')'")?;
            self.depth -= 1;
            return Ok(inner);
        }
        self.predicate()
    }

    fn predicate(&mut self) -> Result<Condition, QueryError> {
        match (self.peek(), self.peek_second()) {
            (Some(Token::Str(_) | Token::Number(..)), _) => {
                return Err(self
                    .error("a condition starts with a property: values, not properties, take literals and wildcards"));
            }
            (Some(Token::Word(w)), Some(Token::LParen)) if Function::from_name(w).is_some() => {
                return Err(self.error("aggregate functions cannot be used in WHERE (HAVING is not supported)"));
            }
            _ => {}
        }
        let path = self.property("a condition")?;
        if self.is_keyword("IS") || self.is_keyword("NULL") {
            return Err(self.error("NULL value queries are not supported"));
        }
        let op = match self.peek() {
            Some(Token::Eq) => Some(CompareOp::Eq),
            Some(Token::Ne) => Some(CompareOp::Ne),
            Some(Token::Lt) => Some(CompareOp::Lt),
            Some(Token::Le) => Some(CompareOp::Le),
            Some(Token::Gt) => Some(CompareOp::Gt),
            Some(Token::Ge) => Some(CompareOp::Ge),
            _ => None,
        };
        if let Some(op) = op {
            self.at += 1;
            let value = self.literal()?;
            return Ok(Condition::Compare { path, op, value });
        }
        let negated = self.eat_keyword("NOT");
        if self.eat_keyword("IN") {
            return Ok(Condition::In { path, negated, values: self.in_list()? });
        }
        if self.eat_keyword("BETWEEN") {
            let low = self.literal()?;
            self.expect_keyword("AND")?;
            let high = self.literal()?;
            return Ok(Condition::Between { path, negated, low, high });
        }
        if self.eat_keyword("LIKE") {
            let Some(Token::Str(pattern)) = self.peek().cloned() else {
                return Err(self.unexpected("a quoted pattern"));
            };
            if let Err(limitation) = LikePattern::parse(&pattern) {
                return Err(QueryError {
                    message: format!("Invalid LIKE pattern '{pattern}': {limitation}"),
                    detail: None,
                });
            }
            self.at += 1;
            return Ok(Condition::Like { path, negated, pattern });
        }
        let wanted = if negated { "IN, BETWEEN or LIKE" } else { "a comparison operator, IN, BETWEEN or LIKE" };
        Err(self.unexpected(wanted))
    }

    fn in_list(&mut self) -> Result<Vec<Literal>, QueryError> {
        self.expect(Token::LParen, "'('")?;
        let mut values = vec![self.literal()?];
        while self.peek() == Some(&Token::Comma) {
            self.at += 1;
            if values.len() == MAX_IN_VALUES {
                return Err(self.error(format!("an IN list holds at most {MAX_IN_VALUES} values")));
            }
            values.push(self.literal()?);
        }
        self.expect(Token::RParen, "',' or ')'")?;
        Ok(values)
    }

    fn literal(&mut self) -> Result<Literal, QueryError> {
        let literal = match self.peek() {
            Some(Token::Str(s)) => Literal::Str(s.clone()),
            Some(Token::Number(text, value)) => Literal::Number { text: text.clone(), value: *value },
            Some(Token::Word(w)) if w.eq_ignore_ascii_case("TRUE") => Literal::Bool(true),
            Some(Token::Word(w)) if w.eq_ignore_ascii_case("FALSE") => Literal::Bool(false),
            Some(Token::Word(w)) if w.eq_ignore_ascii_case("NULL") => {
                return Err(self.error("NULL value queries are not supported"));
            }
            Some(Token::Word(w)) if !is_keyword(w) => {
                return Err(self.error("a property is compared with a value, not with another property"));
            }
            _ => return Err(self.unexpected("a value")),
        };
        self.at += 1;
        Ok(literal)
    }
}

/// One condition, or an `And` of them with nested `And`s merged, so that the tree has one shape.
fn and_of(mut parts: Vec<Condition>) -> Condition {
    if parts.len() == 1
        && let Some(only) = parts.pop()
    {
        return only;
    }
    let mut flat = Vec::with_capacity(parts.len());
    for part in parts {
        match part {
            Condition::And(inner) => flat.extend(inner),
            other => flat.push(other),
        }
    }
    Condition::And(flat)
}

/// One condition, or an `Or` of them with nested `Or`s merged.
fn or_of(mut parts: Vec<Condition>) -> Condition {
    if parts.len() == 1
        && let Some(only) = parts.pop()
    {
        return only;
    }
    let mut flat = Vec::with_capacity(parts.len());
    for part in parts {
        match part {
            Condition::Or(inner) => flat.extend(inner),
            other => flat.push(other),
        }
    }
    Condition::Or(flat)
}

fn describe(token: &Token) -> String {
    match token {
        Token::Word(w) => format!("'{w}'"),
        Token::Str(s) => format!("the string '{s}'"),
        Token::Number(text, _) => format!("the number {text}"),
        Token::LParen => "'('".into(),
        Token::RParen => "')'".into(),
        Token::Comma => "','".into(),
        Token::Star => "'*'".into(),
        Token::Eq => "'='".into(),
        Token::Ne => "'!='".into(),
        Token::Lt => "'<'".into(),
        Token::Le => "'<='".into(),
        Token::Gt => "'>'".into(),
        Token::Ge => "'>='".into(),
    }
}

//! The recursive-descent parser. Where a keyword may appear is checked as it is read: trace-level keywords at the
//! top, a node's or an edge's inside `service() {}` and `edge() {}`, a root cause's inside `rootcause.* {}`; each
//! keyword's operand type too. The input is bounded in length and nesting before any work.

use super::lexer::{Token, tokens};
use super::{
    AnyOp, CauseKind, CauseLevel, Compare, Expr, FilterError, FlagKey, GroupRef, Literal, MAX_DEPTH, MAX_LENGTH,
    NodeRef, NumberKey, TextKey, TextOp,
};

/// Where a term is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    Trace,
    Node,
    Edge,
    Cause(CauseKind, CauseLevel),
}

impl Scope {
    fn describe(self) -> &'static str {
        match self {
            Scope::Trace => "at the top level",
            Scope::Node => "inside service()",
            Scope::Edge => "inside edge()",
            Scope::Cause(..) => "inside rootcause",
        }
    }

    fn allows_flag(self, key: FlagKey) -> bool {
        use FlagKey::*;
        match self {
            Scope::Trace => matches!(key, Ok | Error | Fault | Throttle | Partial | Inferred),
            Scope::Node => matches!(key, Ok | Error | Fault | Throttle | Root),
            Scope::Edge => matches!(key, Ok | Error | Fault | Throttle),
            Scope::Cause(_, CauseLevel::Service) => matches!(key, Inferred | First | Last),
            Scope::Cause(_, CauseLevel::Entity) => matches!(key, Remote | First | Last),
            Scope::Cause(_, CauseLevel::Exception) => matches!(key, Remote | First | Last),
        }
    }

    fn allows_number(self, key: NumberKey) -> bool {
        use NumberKey::*;
        match self {
            Scope::Trace | Scope::Node | Scope::Edge => matches!(key, ResponseTime | Duration | HttpStatus),
            Scope::Cause(CauseKind::ResponseTime, CauseLevel::Entity) => matches!(key, Index | Coverage),
            Scope::Cause(..) => key == Index,
        }
    }

    fn allows_text(self, key: TextKey) -> bool {
        use TextKey::*;
        match self {
            Scope::Trace => matches!(
                key,
                HttpUrl
                    | HttpMethod
                    | HttpUserAgent
                    | HttpClientIp
                    | User
                    | AvailabilityZone
                    | InstanceId
                    | ResourceArn
            ),
            Scope::Node | Scope::Edge => false,
            Scope::Cause(_, CauseLevel::Service) => matches!(key, Name | Type | AccountId),
            Scope::Cause(_, CauseLevel::Entity) => key == Name,
            Scope::Cause(_, CauseLevel::Exception) => matches!(key, Name | Message),
        }
    }
}

fn flag_key(word: &str) -> Option<FlagKey> {
    Some(match word {
        "ok" => FlagKey::Ok,
        "error" => FlagKey::Error,
        "fault" => FlagKey::Fault,
        "throttle" => FlagKey::Throttle,
        "partial" => FlagKey::Partial,
        "inferred" => FlagKey::Inferred,
        "root" => FlagKey::Root,
        "remote" => FlagKey::Remote,
        "first" => FlagKey::First,
        "last" => FlagKey::Last,
        _ => return None,
    })
}

fn number_key(word: &str) -> Option<NumberKey> {
    Some(match word {
        "responsetime" => NumberKey::ResponseTime,
        "duration" => NumberKey::Duration,
        "http.status" => NumberKey::HttpStatus,
        "index" => NumberKey::Index,
        "coverage" => NumberKey::Coverage,
        _ => return None,
    })
}

fn text_key(word: &str) -> Option<TextKey> {
    Some(match word {
        "http.url" => TextKey::HttpUrl,
        "http.method" => TextKey::HttpMethod,
        "http.useragent" => TextKey::HttpUserAgent,
        "http.clientip" => TextKey::HttpClientIp,
        "user" => TextKey::User,
        "name" => TextKey::Name,
        "type" => TextKey::Type,
        "message" => TextKey::Message,
        "availabilityzone" => TextKey::AvailabilityZone,
        "instance.id" => TextKey::InstanceId,
        "resource.arn" => TextKey::ResourceArn,
        "account.id" => TextKey::AccountId,
        _ => return None,
    })
}

fn text_op(word: &str) -> Option<TextOp> {
    match word.to_ascii_lowercase().as_str() {
        "contains" => Some(TextOp::Contains),
        "beginswith" => Some(TextOp::BeginsWith),
        "endswith" => Some(TextOp::EndsWith),
        _ => None,
    }
}

/// An operator, as the next token reads.
enum Op {
    Compare(Compare),
    Text(TextOp),
}

struct Parser {
    tokens: Vec<(Token, usize)>,
    at: usize,
    depth: usize,
    end: usize,
}

/// Parses `text`; `None` for an empty (or blank) expression, which filters nothing out.
pub fn parse(text: &str) -> Result<Option<Expr>, FilterError> {
    if text.len() > MAX_LENGTH {
        return Err(FilterError::at(format!("longer than {MAX_LENGTH} characters"), MAX_LENGTH));
    }
    let tokens = tokens(text)?;
    if tokens.is_empty() {
        return Ok(None);
    }
    let mut parser = Parser { tokens, at: 0, depth: 0, end: text.len() };
    let expr = parser.or(Scope::Trace)?;
    match parser.peek() {
        None => Ok(Some(expr)),
        Some(_) => Err(parser.error("unexpected text")),
    }
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at).map(|(t, _)| t)
    }

    fn position(&self) -> usize {
        self.tokens.get(self.at).map_or(self.end, |(_, p)| *p)
    }

    fn error(&self, message: impl Into<String>) -> FilterError {
        FilterError::at(message, self.position())
    }

    fn next(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.at).map(|(t, _)| t.clone());
        self.at += 1;
        token
    }

    fn expect(&mut self, wanted: Token, what: &str) -> Result<(), FilterError> {
        if self.peek() == Some(&wanted) {
            self.at += 1;
            Ok(())
        } else {
            Err(self.error(format!("expected {what}")))
        }
    }

    fn is_word(&self, word: &str) -> bool {
        matches!(self.peek(), Some(Token::Word(w)) if w.eq_ignore_ascii_case(word))
    }

    fn enter(&mut self) -> Result<(), FilterError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error(format!("nested deeper than {MAX_DEPTH}")));
        }
        Ok(())
    }

    fn or(&mut self, scope: Scope) -> Result<Expr, FilterError> {
        let mut left = self.and(scope)?;
        while self.is_word("or") {
            self.at += 1;
            let right = self.and(scope)?;
            left = Expr::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn and(&mut self, scope: Scope) -> Result<Expr, FilterError> {
        let mut left = self.unary(scope)?;
        loop {
            if self.is_word("and") {
                self.at += 1;
            } else if self.is_word("or") || matches!(self.peek(), None | Some(Token::RParen | Token::RBrace)) {
                break;
            }
            // Terms side by side are ANDed.
            let right = self.unary(scope)?;
            left = Expr::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn unary(&mut self, scope: Scope) -> Result<Expr, FilterError> {
        if self.peek() == Some(&Token::Bang) || self.is_word("not") {
            self.at += 1;
            self.enter()?;
            let inner = self.unary(scope)?;
            self.depth -= 1;
            return Ok(Expr::Not(Box::new(inner)));
        }
        self.primary(scope)
    }

    fn primary(&mut self, scope: Scope) -> Result<Expr, FilterError> {
        let start = self.position();
        match self.next() {
            Some(Token::LParen) => {
                self.enter()?;
                let inner = self.or(scope)?;
                self.expect(Token::RParen, "')'")?;
                self.depth -= 1;
                Ok(inner)
            }
            Some(Token::Word(word)) => self.keyword(&word.to_ascii_lowercase(), scope, start),
            None => Err(FilterError::at("the expression ends where a term was expected", start)),
            Some(_) => Err(FilterError::at("expected a keyword", start)),
        }
    }

    fn keyword(&mut self, word: &str, scope: Scope, start: usize) -> Result<Expr, FilterError> {
        let not_here = |what: &str| FilterError::at(format!("{what} is not allowed {}", scope.describe()), start);
        if word == "service" || word == "edge" {
            if scope != Scope::Trace {
                return Err(not_here(&format!("{word}()")));
            }
            self.expect(Token::LParen, "'('")?;
            let expr = if word == "service" {
                let node = if self.peek() == Some(&Token::RParen) { NodeRef::default() } else { self.node_ref()? };
                self.expect(Token::RParen, "')'")?;
                Expr::Service(node, self.block(Scope::Node)?)
            } else {
                let from = self.node_ref()?;
                self.expect(Token::Comma, "',' and the edge's destination")?;
                let to = self.node_ref()?;
                self.expect(Token::RParen, "')'")?;
                Expr::Edge(from, to, self.block(Scope::Edge)?)
            };
            return Ok(expr);
        }
        if word == "id" {
            return Err(not_here("id()"));
        }
        if let Some(path) = word.strip_prefix("rootcause.") {
            if scope != Scope::Trace {
                return Err(not_here("rootcause"));
            }
            if path == "json" {
                return Err(FilterError::at("rootcause.json is not supported", start));
            }
            let (kind, level) = path.split_once('.').ok_or_else(|| FilterError::at("incomplete rootcause", start))?;
            let kind = match kind {
                "fault" => CauseKind::Fault,
                "error" => CauseKind::Error,
                "responsetime" => CauseKind::ResponseTime,
                _ => return Err(FilterError::at(format!("unknown root cause '{kind}'"), start)),
            };
            let level = match level {
                "service" => CauseLevel::Service,
                "entity" => CauseLevel::Entity,
                "exception" if kind != CauseKind::ResponseTime => CauseLevel::Exception,
                _ => return Err(FilterError::at(format!("unknown root cause level '{level}'"), start)),
            };
            let block = self
                .block(Scope::Cause(kind, level))?
                .ok_or_else(|| self.error("a rootcause selector needs a { filter }"))?;
            return Ok(Expr::RootCause(kind, level, block));
        }
        if word == "group.name" || word == "group.arn" {
            if scope != Scope::Trace {
                return Err(not_here(word));
            }
            let equal = match self.next() {
                Some(Token::Eq) => true,
                Some(Token::Ne) => false,
                _ => return Err(FilterError::at(format!("{word} takes = or != and a string"), start)),
            };
            let Some(Token::Str(value)) = self.next() else {
                return Err(FilterError::at(format!("{word} takes a string"), start));
            };
            let by = if word == "group.name" { GroupRef::Name } else { GroupRef::Arn };
            return Ok(Expr::Group(by, value, equal));
        }
        if let Some(key) = word.strip_prefix("annotation.") {
            if scope != Scope::Trace {
                return Err(not_here("annotation"));
            }
            if key.is_empty() || !key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
                return Err(FilterError::at("an annotation key is letters, digits and '_'", start));
            }
            let original = self.original_word(start).unwrap_or_else(|| key.to_owned());
            let comparison = match self.operator() {
                None => None,
                Some(op) => Some(self.annotation_operand(op)?),
            };
            return Ok(Expr::Annotation(original, comparison));
        }
        if let Some(key) = flag_key(word) {
            if !scope.allows_flag(key) {
                return Err(not_here(word));
            }
            let value = match self.operator() {
                None => true,
                Some(Op::Compare(op @ (Compare::Eq | Compare::Ne))) => {
                    let value = match self.next() {
                        Some(Token::Word(w)) if w.eq_ignore_ascii_case("true") => true,
                        Some(Token::Word(w)) if w.eq_ignore_ascii_case("false") => false,
                        _ => return Err(FilterError::at(format!("{word} compares with true or false"), start)),
                    };
                    value == (op == Compare::Eq)
                }
                Some(_) => return Err(FilterError::at(format!("{word} takes = or !="), start)),
            };
            return Ok(Expr::Flag(key, value));
        }
        if let Some(key) = number_key(word) {
            if !scope.allows_number(key) {
                return Err(not_here(word));
            }
            return match self.operator() {
                None => Ok(Expr::Number(key, None)),
                Some(Op::Compare(op)) => match self.next() {
                    Some(Token::Num(value)) => Ok(Expr::Number(key, Some((op, value)))),
                    _ => Err(FilterError::at(format!("{word} compares with a number"), start)),
                },
                Some(Op::Text(_)) => Err(FilterError::at(format!("{word} is a number"), start)),
            };
        }
        if let Some(key) = text_key(word) {
            if !scope.allows_text(key) {
                return Err(not_here(word));
            }
            let op = match self.operator() {
                None => return Ok(Expr::Text(key, None)),
                Some(Op::Compare(Compare::Eq)) => TextOp::Eq,
                Some(Op::Compare(Compare::Ne)) => TextOp::Ne,
                Some(Op::Text(op)) => op,
                Some(Op::Compare(_)) => return Err(FilterError::at(format!("{word} is a string"), start)),
            };
            return match self.next() {
                Some(Token::Str(value)) => Ok(Expr::Text(key, Some((op, value)))),
                _ => Err(FilterError::at(format!("{word} compares with a quoted string"), start)),
            };
        }
        Err(FilterError::at(format!("unknown keyword '{word}'"), start))
    }

    /// The annotation key as written (keys are case-sensitive, unlike keywords).
    fn original_word(&self, start: usize) -> Option<String> {
        self.tokens.iter().find(|(_, p)| *p == start).and_then(|(t, _)| match t {
            Token::Word(w) => w.split_once('.').map(|(_, key)| key.to_owned()),
            _ => None,
        })
    }

    /// Reads an operator if the next token is one.
    fn operator(&mut self) -> Option<Op> {
        let op = match self.peek()? {
            Token::Eq => Op::Compare(Compare::Eq),
            Token::Ne => Op::Compare(Compare::Ne),
            Token::Lt => Op::Compare(Compare::Lt),
            Token::Le => Op::Compare(Compare::Le),
            Token::Gt => Op::Compare(Compare::Gt),
            Token::Ge => Op::Compare(Compare::Ge),
            Token::Word(w) => Op::Text(text_op(w)?),
            _ => return None,
        };
        self.at += 1;
        Some(op)
    }

    fn annotation_operand(&mut self, op: Op) -> Result<(AnyOp, Literal), FilterError> {
        let at = self.position();
        let literal = match self.next() {
            Some(Token::Str(s)) => Literal::Text(s),
            Some(Token::Num(n)) => Literal::Number(n),
            Some(Token::Word(w)) if w.eq_ignore_ascii_case("true") => Literal::Bool(true),
            Some(Token::Word(w)) if w.eq_ignore_ascii_case("false") => Literal::Bool(false),
            _ => return Err(FilterError::at("an annotation compares with a string, a number or true/false", at)),
        };
        match (op, &literal) {
            (Op::Compare(op @ (Compare::Eq | Compare::Ne)), _) => Ok((AnyOp::Compare(op), literal)),
            (Op::Compare(op), Literal::Number(_)) => Ok((AnyOp::Compare(op), literal)),
            (Op::Text(op), Literal::Text(_)) => Ok((AnyOp::Text(op), literal)),
            (Op::Compare(_), _) => Err(FilterError::at("<, <=, > and >= compare numbers", at)),
            (Op::Text(_), _) => Err(FilterError::at("CONTAINS, BEGINSWITH and ENDSWITH compare strings", at)),
        }
    }

    fn block(&mut self, scope: Scope) -> Result<Option<Box<Expr>>, FilterError> {
        if self.peek() != Some(&Token::LBrace) {
            return Ok(None);
        }
        self.at += 1;
        self.enter()?;
        let inner = self.or(scope)?;
        self.expect(Token::RBrace, "'}'")?;
        self.depth -= 1;
        Ok(Some(Box::new(inner)))
    }

    fn node_ref(&mut self) -> Result<NodeRef, FilterError> {
        let at = self.position();
        match self.next() {
            Some(Token::Str(name)) => Ok(NodeRef { name: Some(name), ..NodeRef::default() }),
            Some(Token::Word(w)) if w.eq_ignore_ascii_case("id") => {
                self.expect(Token::LParen, "'('")?;
                let mut node = NodeRef::default();
                loop {
                    let at = self.position();
                    let field = match self.next() {
                        Some(Token::Word(w)) => w.to_ascii_lowercase(),
                        _ => return Err(FilterError::at("id() takes name:, type: and account.id:", at)),
                    };
                    self.expect(Token::Colon, "':'")?;
                    let Some(Token::Str(value)) = self.next() else {
                        return Err(FilterError::at(format!("{field}: takes a quoted string"), at));
                    };
                    let slot = match field.as_str() {
                        "name" => &mut node.name,
                        "type" => &mut node.kind,
                        "account.id" => &mut node.account,
                        _ => return Err(FilterError::at(format!("id() has no argument '{field}'"), at)),
                    };
                    if slot.replace(value).is_some() {
                        return Err(FilterError::at(format!("id() names {field} twice"), at));
                    }
                    match self.next() {
                        Some(Token::Comma) => continue,
                        Some(Token::RParen) => break,
                        _ => return Err(self.error("expected ',' or ')'")),
                    }
                }
                Ok(node)
            }
            _ => Err(FilterError::at("expected a quoted service name or id(...)", at)),
        }
    }
}

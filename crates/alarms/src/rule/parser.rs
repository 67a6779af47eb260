//! Recursive descent over the tokens, loosest first:
//! ```text
//! or      := and ("OR" and)*
//! and     := not ("AND" not)*
//! not     := "NOT" not | primary
//! primary := "TRUE" | "FALSE" | STATE "(" name ")" | "(" or ")"        STATE: ALARM | OK | INSUFFICIENT_DATA
//! ```
//! Every recursive production goes through [`Parser::deeper`], so recursion is bounded by [`MAX_DEPTH`].

use std::collections::HashSet;

use super::lexer::{Token, lex};
use super::{MAX_ALARMS, MAX_DEPTH, MAX_RULE_LENGTH, Rule, RuleError};
use crate::AlarmState;

/// Parses a composite alarm rule.
pub fn parse(text: &str) -> Result<Rule, RuleError> {
    if text.chars().count() > MAX_RULE_LENGTH {
        return Err(RuleError::TooLong);
    }
    let tokens = lex(text)?;
    let mut parser = Parser { tokens, at: 0, depth: 0, end: text.chars().count(), alarms: HashSet::new() };
    if parser.tokens.is_empty() {
        return Err(parser.error("the rule is empty"));
    }
    let rule = parser.or()?;
    if parser.at < parser.tokens.len() {
        return Err(parser.error("unexpected text after the rule"));
    }
    Ok(rule)
}

struct Parser {
    tokens: Vec<(usize, Token)>,
    at: usize,
    depth: usize,
    end: usize,
    alarms: HashSet<String>,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at).map(|(_, token)| token)
    }

    fn position(&self) -> usize {
        self.tokens.get(self.at).map_or(self.end, |(position, _)| *position)
    }

    fn error(&self, message: &str) -> RuleError {
        RuleError::Syntax { position: self.position(), message: message.to_owned() }
    }

    fn is_word(&self, word: &str) -> bool {
        matches!(self.peek(), Some(Token::Word(w)) if w == word)
    }

    fn deeper(&mut self, production: impl FnOnce(&mut Self) -> Result<Rule, RuleError>) -> Result<Rule, RuleError> {
        if self.depth >= MAX_DEPTH {
            return Err(RuleError::TooDeep);
        }
        self.depth += 1;
        let rule = production(self);
        self.depth -= 1;
        rule
    }

    fn or(&mut self) -> Result<Rule, RuleError> {
        let mut rules = vec![self.and()?];
        while self.is_word("OR") {
            self.at += 1;
            rules.push(self.and()?);
        }
        Ok(if rules.len() == 1 { rules.remove(0) } else { Rule::Or(rules) })
    }

    fn and(&mut self) -> Result<Rule, RuleError> {
        let mut rules = vec![self.not()?];
        while self.is_word("AND") {
            self.at += 1;
            rules.push(self.not()?);
        }
        Ok(if rules.len() == 1 { rules.remove(0) } else { Rule::And(rules) })
    }

    fn not(&mut self) -> Result<Rule, RuleError> {
        if self.is_word("NOT") {
            self.at += 1;
            return self.deeper(|p| Ok(Rule::Not(Box::new(p.not()?))));
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Rule, RuleError> {
        let Some(token) = self.peek().cloned() else {
            return Err(self.error("a condition is missing"));
        };
        match token {
            Token::Open => {
                self.at += 1;
                self.deeper(|p| {
                    let inner = p.or()?;
                    if p.peek() != Some(&Token::Close) {
                        return Err(p.error("a ( is not closed"));
                    }
                    p.at += 1;
                    Ok(inner)
                })
            }
            Token::Word(word) if word == "TRUE" || word == "FALSE" => {
                self.at += 1;
                Ok(if word == "TRUE" { Rule::True } else { Rule::False })
            }
            Token::Word(word) => match word.parse::<AlarmState>() {
                Ok(state) => {
                    self.at += 1;
                    self.state(state)
                }
                Err(()) => Err(self
                    .error(&format!("expected ALARM, OK, INSUFFICIENT_DATA, TRUE, FALSE, NOT or (, found {word:?}"))),
            },
            Token::Close => Err(self.error("unexpected )")),
            Token::Quoted(_) => Err(self.error("an alarm name must be inside ALARM(), OK() or INSUFFICIENT_DATA()")),
        }
    }

    /// `(name)` after a state function.
    fn state(&mut self, state: AlarmState) -> Result<Rule, RuleError> {
        if self.peek() != Some(&Token::Open) {
            return Err(self.error(&format!("{state} must be followed by (")));
        }
        self.at += 1;
        let alarm = match self.peek().cloned() {
            Some(Token::Word(name) | Token::Quoted(name)) if !name.trim().is_empty() => name.trim().to_owned(),
            _ => return Err(self.error(&format!("{state}() needs an alarm name or ARN"))),
        };
        self.at += 1;
        if self.peek() != Some(&Token::Close) {
            return Err(self.error("an alarm name with spaces or parentheses must be in double quotes"));
        }
        self.at += 1;
        if self.alarms.insert(alarm.clone()) && self.alarms.len() > MAX_ALARMS {
            return Err(RuleError::TooManyAlarms);
        }
        Ok(Rule::Is { state, alarm })
    }
}

//! A rule printed in its canonical form: names always quoted, operators upper case, parentheses only where
//! precedence needs them. Parsing the printed form gives the same rule.

use std::fmt;

use super::Rule;

/// How tightly a rule binds: an operand needs parentheses when its own binding is looser than its place needs.
fn binding(rule: &Rule) -> u8 {
    match rule {
        Rule::Or(_) => 0,
        Rule::And(_) => 1,
        Rule::Not(_) => 2,
        Rule::True | Rule::False | Rule::Is { .. } => 3,
    }
}

fn operand(f: &mut fmt::Formatter<'_>, rule: &Rule, needs: u8) -> fmt::Result {
    if binding(rule) < needs { write!(f, "({rule})") } else { write!(f, "{rule}") }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rule::True => f.write_str("TRUE"),
            Rule::False => f.write_str("FALSE"),
            Rule::Is { state, alarm } => {
                write!(f, "{state}(\"")?;
                for c in alarm.chars() {
                    if matches!(c, '"' | '\\') {
                        f.write_str("\\")?;
                    }
                    write!(f, "{c}")?;
                }
                f.write_str("\")")
            }
            Rule::Not(inner) => {
                f.write_str("NOT ")?;
                operand(f, inner, 2)
            }
            Rule::And(rules) | Rule::Or(rules) => {
                let (word, needs) = if matches!(self, Rule::And(_)) { (" AND ", 2) } else { (" OR ", 1) };
                for (i, rule) in rules.iter().enumerate() {
                    if i > 0 {
                        f.write_str(word)?;
                    }
                    operand(f, rule, needs)?;
                }
                Ok(())
            }
        }
    }
}

//! The canonical text of a pattern, which parsing gives back as the same pattern: terms separated by one space
//! and quoted only when they must be; `{ ... }` and `[...]` with one space around operators and after commas;
//! parentheses as written; numbers as written; strings unquoted when they read back as the same string, quoted
//! (escaping `"` and `\`) otherwise.

use std::fmt::{self, Display, Formatter, Write};

use crate::ast::{
    Comparison, DelimitedPattern, Expr, Field, FieldCondition, FilterPattern, JsonCondition, JsonPattern, JsonTest,
    Number, Operand, Term, TermMode, TermPattern,
};
use crate::glob::Glob;
use crate::lexer::is_word_char;
use crate::number::is_number;
use crate::regexp::RegexLiteral;
use crate::terms;

/// `text` in double quotes, with `"` and `\` escaped.
fn write_quoted(f: &mut Formatter<'_>, text: &str) -> fmt::Result {
    f.write_char('"')?;
    for c in text.chars() {
        if matches!(c, '"' | '\\') {
            f.write_char('\\')?;
        }
        f.write_char(c)?;
    }
    f.write_char('"')
}

impl Display for FilterPattern {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            FilterPattern::Terms(terms) => terms.fmt(f),
            FilterPattern::Regex(regex) => regex.fmt(f),
            FilterPattern::Json(json) => json.fmt(f),
            FilterPattern::Delimited(delimited) => delimited.fmt(f),
        }
    }
}

impl Display for TermPattern {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        for (index, term) in self.terms.iter().enumerate() {
            if index > 0 {
                f.write_char(' ')?;
            }
            term.fmt(f)?;
        }
        Ok(())
    }
}

impl Display for Term {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self.mode {
            TermMode::Include => {}
            TermMode::Optional => f.write_char('?')?,
            TermMode::Exclude => f.write_char('-')?,
        }
        if !self.text.is_empty() && self.text.chars().all(terms::is_word_char) {
            f.write_str(&self.text)
        } else {
            write_quoted(f, &self.text)
        }
    }
}

impl Display for RegexLiteral {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "%{}%", self.source())
    }
}

impl<C: Display> Display for Expr<C> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let join = |f: &mut Formatter<'_>, items: &[Expr<C>], separator: &str| {
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    f.write_str(separator)?;
                }
                item.fmt(f)?;
            }
            Ok(())
        };
        match self {
            Expr::Condition(condition) => condition.fmt(f),
            Expr::And(items) => join(f, items, " && "),
            Expr::Or(items) => join(f, items, " || "),
            Expr::Group(inner) => write!(f, "({inner})"),
        }
    }
}

impl Display for JsonPattern {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "{{ {} }}", self.expr)
    }
}

impl Display for JsonCondition {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match &self.test {
            JsonTest::Compare(comparison) => write!(f, "{} {comparison}", self.path),
            JsonTest::IsTrue => write!(f, "{} IS TRUE", self.path),
            JsonTest::IsFalse => write!(f, "{} IS FALSE", self.path),
            JsonTest::IsNull => write!(f, "{} IS NULL", self.path),
            JsonTest::NotExists => write!(f, "{} NOT EXISTS", self.path),
        }
    }
}

impl Display for Comparison {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.op.symbol(), self.operand)
    }
}

impl Display for Operand {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Operand::Number(number) => number.fmt(f),
            Operand::Text(glob) => glob.fmt(f),
            Operand::Regex(regex) => regex.fmt(f),
        }
    }
}

impl Display for Number {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Display for Glob {
    /// Unquoted when it reads back as this string: made of word characters, and not a number.
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let text = self.text();
        if !text.is_empty() && text.chars().all(is_word_char) && !is_number(text) {
            f.write_str(text)
        } else {
            write_quoted(f, text)
        }
    }
}

impl Display for DelimitedPattern {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_char('[')?;
        for (index, field) in self.fields.iter().enumerate() {
            if index > 0 {
                f.write_str(", ")?;
            }
            field.fmt(f)?;
        }
        f.write_char(']')
    }
}

impl Display for Field {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Field::Ellipsis => f.write_str("..."),
            Field::Named { condition: Some(expr), .. } => expr.fmt(f),
            Field::Named { name, condition: None } => f.write_str(name),
        }
    }
}

impl Display for FieldCondition {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.name, self.comparison)
    }
}

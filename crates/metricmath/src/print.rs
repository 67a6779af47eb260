//! Prints a syntax tree back to expression text that parses to the same tree, adding parentheses only where
//! precedence or associativity needs them.

use std::fmt;

use crate::ast::{BinaryOp, Expr, ExprKind, NEG_PRECEDENCE, NOT_PRECEDENCE, UnaryOp};

/// Precedence of leaves, calls and arrays: never parenthesized.
const ATOM: u8 = 9;

fn precedence(expr: &Expr) -> u8 {
    match &expr.kind {
        ExprKind::Binary { op, .. } => op.precedence(),
        ExprKind::Unary { op: UnaryOp::Neg, .. } => NEG_PRECEDENCE,
        ExprKind::Unary { op: UnaryOp::Not, .. } => NOT_PRECEDENCE,
        _ => ATOM,
    }
}

fn write_child(f: &mut fmt::Formatter<'_>, child: &Expr, parens: bool) -> fmt::Result {
    if parens { write!(f, "({child})") } else { write!(f, "{child}") }
}

fn write_list(f: &mut fmt::Formatter<'_>, items: &[Expr]) -> fmt::Result {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write!(f, "{item}")?;
    }
    Ok(())
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ExprKind::Number(n) => write!(f, "{n}"),
            // No escapes exist: a string holding a single quote is printed in double quotes. (A string holding
            // both kinds cannot come out of the parser.)
            ExprKind::Str(s) if s.contains('\'') => write!(f, "\"{s}\""),
            ExprKind::Str(s) => write!(f, "'{s}'"),
            ExprKind::Id(id) => f.write_str(id),
            ExprKind::Word(word) => f.write_str(word),
            ExprKind::Array(items) => {
                f.write_str("[")?;
                write_list(f, items)?;
                f.write_str("]")
            }
            ExprKind::Call { func, args } => {
                write!(f, "{}(", func.name())?;
                write_list(f, args)?;
                f.write_str(")")
            }
            ExprKind::Unary { op, operand } => {
                let own = precedence(self);
                let inner = precedence(operand);
                let binary = matches!(operand.kind, ExprKind::Binary { .. });
                let parens = inner < own || (inner == own && binary);
                f.write_str(match op {
                    UnaryOp::Neg => "-",
                    UnaryOp::Not => "NOT ",
                })?;
                write_child(f, operand, parens)
            }
            ExprKind::Binary { op, lhs, rhs } => {
                let own = op.precedence();
                let right_assoc = op.right_associative();
                // The base of `^` is a primary in the grammar: anything but an atom needs parentheses.
                let lhs_parens = if *op == BinaryOp::Pow {
                    precedence(lhs) < ATOM
                } else {
                    precedence(lhs) < own || (precedence(lhs) == own && right_assoc)
                };
                let rhs_parens = precedence(rhs) < own || (precedence(rhs) == own && !right_assoc);
                write_child(f, lhs, lhs_parens)?;
                write!(f, " {} ", op.symbol())?;
                write_child(f, rhs, rhs_parens)
            }
        }
    }
}

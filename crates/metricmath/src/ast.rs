//! The syntax tree of a metric math expression: nodes with their source spans, the known functions with their
//! arities, and the walk that lists what an expression references.

use std::fmt;

/// A byte range of the expression text, `start..end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span { start: self.start.min(other.start), end: self.end.max(other.end) }
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

/// One node of the tree.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    /// A non-negative finite number literal (a leading minus is [`UnaryOp::Neg`]).
    Number(f64),
    /// A quoted string, `"..."` or `'...'`, without its quotes (no escapes).
    Str(String),
    /// The id of another query of the request: starts with a lowercase letter.
    Id(String),
    /// A bare uppercase word that is an argument rather than a call: `REPEAT`, `LINEAR`, `ASC`, `DESC`, or a
    /// function name given to `SORT`.
    Word(String),
    /// `[a, b, ...]`: an array of time series.
    Array(Vec<Expr>),
    Call {
        func: Func,
        args: Vec<Expr>,
    },
    Unary {
        op: UnaryOp,
        operand: Box<Expr>,
    },
    Binary {
        op: BinaryOp,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
}

impl Expr {
    pub fn new(kind: ExprKind, span: Span) -> Self {
        Expr { kind, span }
    }

    /// The same tree with every span zeroed: two parses of equivalent text compare equal this way.
    pub fn without_spans(&self) -> Expr {
        let kind = match &self.kind {
            ExprKind::Array(items) => ExprKind::Array(items.iter().map(Expr::without_spans).collect()),
            ExprKind::Call { func, args } => {
                ExprKind::Call { func: *func, args: args.iter().map(Expr::without_spans).collect() }
            }
            ExprKind::Unary { op, operand } => ExprKind::Unary { op: *op, operand: Box::new(operand.without_spans()) },
            ExprKind::Binary { op, lhs, rhs } => {
                ExprKind::Binary { op: *op, lhs: Box::new(lhs.without_spans()), rhs: Box::new(rhs.without_spans()) }
            }
            other => other.clone(),
        };
        Expr { kind, span: Span::default() }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnaryOp {
    /// `-x`
    Neg,
    /// `NOT x` or `!x`
    Not,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryOp {
    Add,
    Sub,
    Mul,
    Div,
    Pow,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    And,
    Or,
}

impl BinaryOp {
    /// The operator as printed (the canonical spelling: `AND`, `OR`).
    pub fn symbol(self) -> &'static str {
        match self {
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
            BinaryOp::Pow => "^",
            BinaryOp::Eq => "==",
            BinaryOp::Ne => "!=",
            BinaryOp::Lt => "<",
            BinaryOp::Le => "<=",
            BinaryOp::Gt => ">",
            BinaryOp::Ge => ">=",
            BinaryOp::And => "AND",
            BinaryOp::Or => "OR",
        }
    }

    /// Binding strength: higher binds tighter. Unary minus sits between `*` (5) and `^` (7).
    pub fn precedence(self) -> u8 {
        match self {
            BinaryOp::Or => 1,
            BinaryOp::And => 2,
            BinaryOp::Eq | BinaryOp::Ne | BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge => 3,
            BinaryOp::Add | BinaryOp::Sub => 4,
            BinaryOp::Mul | BinaryOp::Div => 5,
            BinaryOp::Pow => 7,
        }
    }

    pub fn right_associative(self) -> bool {
        self == BinaryOp::Pow
    }
}

/// Precedence of `NOT` (looser than comparisons, as in SQL) and of unary minus (tighter than `*`, looser than
/// `^`, so `-2 ^ 2` is `-(2 ^ 2)`).
pub const NOT_PRECEDENCE: u8 = 2;
pub const NEG_PRECEDENCE: u8 = 6;

macro_rules! functions {
    ($($variant:ident => $name:literal, $min:literal ..= $max:literal;)*) => {
        /// The functions of metric math this crate knows. Names are uppercase and case-sensitive, as in AWS.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Func { $($variant),* }

        impl Func {
            pub const ALL: &'static [Func] = &[$(Func::$variant),*];

            pub fn name(self) -> &'static str {
                match self { $(Func::$variant => $name),* }
            }

            /// Smallest and largest number of arguments.
            pub fn arity(self) -> (usize, usize) {
                match self { $(Func::$variant => ($min, $max)),* }
            }

            pub fn from_name(name: &str) -> Option<Func> {
                match name { $($name => Some(Func::$variant),)* _ => None }
            }
        }
    };
}

functions! {
    AnomalyDetectionBand => "ANOMALY_DETECTION_BAND", 1..=2;
    Abs => "ABS", 1..=1;
    Avg => "AVG", 1..=1;
    Ceil => "CEIL", 1..=1;
    DatapointCount => "DATAPOINT_COUNT", 1..=1;
    Diff => "DIFF", 1..=1;
    DiffTime => "DIFF_TIME", 1..=1;
    Fill => "FILL", 2..=2;
    First => "FIRST", 1..=1;
    Floor => "FLOOR", 1..=1;
    If => "IF", 2..=3;
    Last => "LAST", 1..=1;
    Log => "LOG", 1..=1;
    Log10 => "LOG10", 1..=1;
    Max => "MAX", 1..=1;
    MetricCount => "METRIC_COUNT", 1..=1;
    Metrics => "METRICS", 0..=1;
    Min => "MIN", 1..=1;
    Period => "PERIOD", 1..=1;
    Rate => "RATE", 1..=1;
    RemoveEmpty => "REMOVE_EMPTY", 1..=1;
    RunningSum => "RUNNING_SUM", 1..=1;
    Search => "SEARCH", 3..=3;
    Slice => "SLICE", 2..=3;
    Sort => "SORT", 3..=4;
    Stddev => "STDDEV", 1..=1;
    Sum => "SUM", 1..=1;
    TimeSeries => "TIME_SERIES", 1..=1;
}

/// What an expression depends on: the caller orders queries by these and detects cycles.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct References {
    /// Ids named in the expression, each once, in order of first appearance.
    pub ids: Vec<String>,
    /// `METRICS()` or `METRICS("...")` is used: the expression sees every MetricStat query of the request.
    pub metrics: bool,
    /// `SEARCH(...)` is used: the engine must run a search while evaluating.
    pub search: bool,
}

/// Lists the ids, `METRICS()` use and `SEARCH` use of an expression.
pub fn references(expr: &Expr) -> References {
    let mut refs = References::default();
    let mut stack = vec![expr];
    // Depth-first, children pushed in reverse so ids come out in source order.
    while let Some(node) = stack.pop() {
        match &node.kind {
            ExprKind::Id(id) => {
                if !refs.ids.iter().any(|seen| seen == id) {
                    refs.ids.push(id.clone());
                }
            }
            ExprKind::Array(items) => stack.extend(items.iter().rev()),
            ExprKind::Call { func, args } => {
                match func {
                    Func::Metrics => refs.metrics = true,
                    Func::Search => refs.search = true,
                    _ => {}
                }
                stack.extend(args.iter().rev());
            }
            ExprKind::Unary { operand, .. } => stack.push(operand),
            ExprKind::Binary { lhs, rhs, .. } => {
                stack.push(rhs);
                stack.push(lhs);
            }
            ExprKind::Number(_) | ExprKind::Str(_) | ExprKind::Word(_) => {}
        }
    }
    refs
}

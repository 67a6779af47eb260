//! The syntax tree of a query: the select list, the condition, GROUP BY and ORDER BY. `AND` and `OR` hold flat
//! lists (the parser merges nested ones), so a tree has one spelling and printing then parsing gives it back.

use std::fmt;

/// A parsed `SELECT` expression.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    pub select: Vec<SelectItem>,
    pub condition: Option<Condition>,
    pub group_by: Vec<Path>,
    pub order_by: Vec<OrderTerm>,
}

/// One entry of the select list.
#[derive(Debug, Clone, PartialEq)]
pub enum SelectItem {
    /// `*`: the top-level scalar properties of a configuration item ([`STAR_PROPERTIES`]).
    All,
    Property(Path),
    Aggregate(Aggregate),
}

/// What `SELECT *` selects: the top-level, scalar properties of a configuration item, as AWS documents them.
pub const STAR_PROPERTIES: [&str; 10] = [
    "accountId",
    "awsRegion",
    "arn",
    "availabilityZone",
    "configurationItemCaptureTime",
    "resourceCreationTime",
    "resourceId",
    "resourceName",
    "resourceType",
    "version",
];

/// A dotted property path as written, e.g. `configuration.ipPermissions.fromPort`. Segments are case-sensitive
/// and made of ASCII letters, digits and `_`, the first starting with a letter or `_`; a path crosses arrays
/// transparently.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Path(Vec<String>);

impl Path {
    /// A path from its segments; `None` if there are none or one is not a valid segment.
    pub fn new(segments: Vec<String>) -> Option<Self> {
        let word = |s: &String| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
        let starts =
            segments.first().and_then(|s| s.bytes().next()).is_some_and(|b| b.is_ascii_alphabetic() || b == b'_');
        (starts && segments.iter().all(word)).then_some(Self(segments))
    }

    /// Splits dotted text into a path.
    pub fn parse(text: &str) -> Option<Self> {
        Self::new(text.split('.').map(str::to_owned).collect())
    }

    pub fn segments(&self) -> &[String] {
        &self.0
    }

    pub fn is(&self, dotted: &str) -> bool {
        self.0.len() == dotted.split('.').count() && self.0.iter().zip(dotted.split('.')).all(|(a, b)| a == b)
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, segment) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            f.write_str(segment)?;
        }
        Ok(())
    }
}

/// An aggregate function call.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Aggregate {
    pub function: Function,
    /// `None` for `COUNT(*)`.
    pub argument: Option<Path>,
}

impl Aggregate {
    /// The name AWS reports and uses as the result's key, e.g. `COUNT(*)` or `SUM(configuration.size)`.
    pub fn name(&self) -> String {
        match &self.argument {
            None => format!("{}(*)", self.function.name()),
            Some(path) => format!("{}({path})", self.function.name()),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Function {
    Count,
    Sum,
    Min,
    Max,
    Avg,
}

impl Function {
    pub fn name(self) -> &'static str {
        match self {
            Function::Count => "COUNT",
            Function::Sum => "SUM",
            Function::Min => "MIN",
            Function::Max => "MAX",
            Function::Avg => "AVG",
        }
    }

    pub fn from_name(word: &str) -> Option<Self> {
        [Function::Count, Function::Sum, Function::Min, Function::Max, Function::Avg]
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(word))
    }
}

/// One `ORDER BY` term.
#[derive(Debug, Clone, PartialEq)]
pub struct OrderTerm {
    pub key: OrderKey,
    pub descending: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum OrderKey {
    Property(Path),
    Aggregate(Aggregate),
}

/// The `WHERE` condition. A predicate on a path that crosses arrays holds when some element satisfies it; each
/// predicate is tested on its own (see the crate documentation).
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// Two or more conditions, none of them an `And`.
    And(Vec<Condition>),
    /// Two or more conditions, none of them an `Or`.
    Or(Vec<Condition>),
    Not(Box<Condition>),
    Compare {
        path: Path,
        op: CompareOp,
        value: Literal,
    },
    In {
        path: Path,
        negated: bool,
        values: Vec<Literal>,
    },
    Between {
        path: Path,
        negated: bool,
        low: Literal,
        high: Literal,
    },
    Like {
        path: Path,
        negated: bool,
        pattern: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareOp {
    Eq,
    /// `!=` or `<>`: the negation of `=` (so it also holds for an item without the property).
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CompareOp {
    pub fn symbol(self) -> &'static str {
        match self {
            CompareOp::Eq => "=",
            CompareOp::Ne => "!=",
            CompareOp::Lt => "<",
            CompareOp::Le => "<=",
            CompareOp::Gt => ">",
            CompareOp::Ge => ">=",
        }
    }
}

/// A literal value: a single-quoted string, a number (kept as written, with its value) or `TRUE`/`FALSE`.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Str(String),
    Number { text: String, value: f64 },
    Bool(bool),
}

//! The parsed forms of a filter pattern. Every node keeps what its text said (a term's words, a number's digits, a
//! regular expression's source) so that printing gives the pattern back, and what matching needs ready (substring
//! finders, split wildcards, compiled expressions), so that matching does no parsing. Equality compares the text
//! only.

use memchr::memmem::Finder;

use crate::glob::Glob;
use crate::path::JsonPath;
use crate::project::Projection;
use crate::regexp::RegexLiteral;

/// A parsed filter pattern: one of the three forms CloudWatch Logs documents, the unstructured one in two shapes.
#[derive(Debug, Clone, PartialEq)]
pub enum FilterPattern {
    /// Terms matched against the whole message (`ERROR`, `"exact phrase"`, `?ERROR ?WARN`, `-DEBUG`); no terms at
    /// all (the empty pattern) matches every event.
    Terms(TermPattern),
    /// A regular expression matched against the whole message (`%AUTHORIZED%`).
    Regex(RegexLiteral),
    /// Conditions on the properties of a JSON event (`{ $.level = "ERROR" }`).
    Json(JsonPattern),
    /// Conditions on the fields of a space-delimited event (`[ip, user, ..., status_code = 4*, bytes]`).
    Delimited(DelimitedPattern),
}

/// The form of a pattern, as the documentation names them. What a pattern can extract, and so which metric value
/// and dimension selectors a metric filter may use with it, depends on the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Terms or a standalone regular expression, over unstructured events; extracts nothing.
    Terms,
    /// Conditions on JSON events; extracts the properties it names, and metric filters read any property.
    Json,
    /// Conditions on space-delimited events; extracts every field.
    SpaceDelimited,
}

/// Terms of an unstructured pattern, in the order written.
#[derive(Debug, Clone, PartialEq)]
pub struct TermPattern {
    pub(crate) terms: Vec<Term>,
    /// Whether every term is optional (so that they count).
    pub(crate) optional_only: bool,
}

impl TermPattern {
    /// The terms, in the order written.
    pub fn terms(&self) -> &[Term] {
        &self.terms
    }
}

/// How a term takes part in the match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TermMode {
    /// No prefix: the message must contain it.
    Include,
    /// `?`: the message must contain one of the optional terms. Optional terms count only in a pattern that has
    /// no other terms; beside included or excluded terms they are ignored, as AWS documents.
    Optional,
    /// `-`: the message must not contain it.
    Exclude,
}

/// One term: a word or a quoted phrase, matched as a case-sensitive substring of the message.
#[derive(Debug, Clone)]
pub struct Term {
    pub(crate) mode: TermMode,
    pub(crate) text: String,
    /// The substring search; none for a phrase of white space only (`" "`), which matches every message.
    pub(crate) finder: Option<Finder<'static>>,
}

impl PartialEq for Term {
    fn eq(&self, other: &Self) -> bool {
        self.mode == other.mode && self.text == other.text
    }
}

impl Term {
    pub(crate) fn new(mode: TermMode, text: String) -> Self {
        let finder = (!text.trim().is_empty()).then(|| Finder::new(text.as_bytes()).into_owned());
        Term { mode, text, finder }
    }

    /// Whether it is included, optional or excluded.
    pub fn mode(&self) -> TermMode {
        self.mode
    }

    /// The word or phrase, without quotes or escapes.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Whether `message` contains the term (a phrase of white space only is in every message).
    pub(crate) fn found_in(&self, message: &str) -> bool {
        self.finder.as_ref().is_none_or(|finder| finder.find(message.as_bytes()).is_some())
    }
}

/// A boolean combination of conditions, with `&&` binding tighter than `||` and parentheses kept as written.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr<C> {
    /// One condition.
    Condition(C),
    /// Conditions joined by `&&` (two or more).
    And(Vec<Expr<C>>),
    /// Conditions joined by `||` (two or more).
    Or(Vec<Expr<C>>),
    /// A parenthesised expression.
    Group(Box<Expr<C>>),
}

impl<C> Expr<C> {
    /// Whether the expression holds, given whether each condition does (left to right, stopping when the answer is
    /// known). Recursion follows the nesting of parentheses, which the parser bounds.
    pub(crate) fn holds(&self, condition: &mut impl FnMut(&C) -> bool) -> bool {
        match self {
            Expr::Condition(c) => condition(c),
            Expr::And(items) => items.iter().all(|item| item.holds(condition)),
            Expr::Or(items) => items.iter().any(|item| item.holds(condition)),
            Expr::Group(inner) => inner.holds(condition),
        }
    }

    /// Calls `visit` on every condition, left to right.
    pub(crate) fn each(&self, visit: &mut impl FnMut(&C)) {
        match self {
            Expr::Condition(c) => visit(c),
            Expr::And(items) | Expr::Or(items) => items.iter().for_each(|item| item.each(visit)),
            Expr::Group(inner) => inner.each(visit),
        }
    }
}

/// A JSON pattern: `{ expression }`.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonPattern {
    pub(crate) expr: Expr<JsonCondition>,
    /// The parts of an event the conditions read (derived from `expr`).
    pub(crate) projection: Projection,
}

impl JsonPattern {
    /// The conditions.
    pub fn expr(&self) -> &Expr<JsonCondition> {
        &self.expr
    }
}

/// One condition of a JSON pattern: a property selector and its test.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonCondition {
    pub(crate) path: JsonPath,
    pub(crate) test: JsonTest,
}

impl JsonCondition {
    /// The property selector.
    pub fn path(&self) -> &JsonPath {
        &self.path
    }

    /// What the selected property must be.
    pub fn test(&self) -> &JsonTest {
        &self.test
    }
}

/// What a JSON condition tests.
#[derive(Debug, Clone, PartialEq)]
pub enum JsonTest {
    /// A comparison with a value.
    Compare(Comparison),
    /// `IS TRUE`: the property is the boolean `true`.
    IsTrue,
    /// `IS FALSE`: the property is the boolean `false`.
    IsFalse,
    /// `IS NULL`: the property is there and `null`.
    IsNull,
    /// `NOT EXISTS`: the selector reaches nothing.
    NotExists,
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CompareOp {
    /// `=`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl CompareOp {
    /// The operator as written.
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

    /// Whether it is one of `<`, `<=`, `>`, `>=`, which only compare numbers.
    pub fn is_ordering(self) -> bool {
        !matches!(self, CompareOp::Eq | CompareOp::Ne)
    }
}

/// An operator and the value it compares with.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub(crate) op: CompareOp,
    pub(crate) operand: Operand,
}

impl Comparison {
    /// The operator.
    pub fn op(&self) -> CompareOp {
        self.op
    }

    /// The value compared with.
    pub fn operand(&self) -> &Operand {
        &self.operand
    }
}

/// The value side of a comparison.
#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    /// An unquoted number (`500`, `-1.5`, `1e3`): compared as a number.
    Number(Number),
    /// A string, quoted or not, with `*` wildcards: compared as text (a number's text, for numbers).
    Text(Glob),
    /// `%regex%`: matched against the text.
    Regex(RegexLiteral),
}

/// A number as written, with its value.
#[derive(Debug, Clone)]
pub struct Number {
    pub(crate) text: String,
    pub(crate) value: f64,
}

impl PartialEq for Number {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl Number {
    /// The number as written (`+1000`, `10e-3`).
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Its value.
    pub fn value(&self) -> f64 {
        self.value
    }
}

/// A space-delimited pattern: `[field, field, ...]`.
#[derive(Debug, Clone, PartialEq)]
pub struct DelimitedPattern {
    pub(crate) fields: Vec<Field>,
}

impl DelimitedPattern {
    /// The fields, in order. None at all (`[]`) matches every event and extracts every field by position.
    pub fn fields(&self) -> &[Field] {
        &self.fields
    }

    /// Where the `...` is, if there is one.
    pub(crate) fn ellipsis(&self) -> Option<usize> {
        self.fields.iter().position(|field| matches!(field, Field::Ellipsis))
    }
}

/// One position of a space-delimited pattern.
#[derive(Debug, Clone, PartialEq)]
pub enum Field {
    /// `...`: any number of fields, none included.
    Ellipsis,
    /// One field, named (or not: an empty name, between two commas, extracts the field by position), with the
    /// conditions it must meet, if any.
    Named {
        /// The name (`ip`, `status_code`, `w1`); may be empty.
        name: String,
        /// The conditions, each naming this field.
        condition: Option<Expr<FieldCondition>>,
    },
}

/// One condition of a space-delimited field: `name op value`.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldCondition {
    pub(crate) name: String,
    pub(crate) comparison: Comparison,
}

impl FieldCondition {
    /// The field's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The comparison.
    pub fn comparison(&self) -> &Comparison {
        &self.comparison
    }
}

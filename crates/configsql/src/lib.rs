//! AWS Config's advanced query language, the SQL subset `SelectResourceConfig` and `SelectAggregateResourceConfig`
//! accept: [`parse`] an expression into a [`Query`] (bounded before any work), then [`Query::evaluate`] it over
//! configuration items in the advanced-query resource schema shape.
//!
//! The language, as AWS documents it:
//! * `SELECT property [, ...] [WHERE condition] [GROUP BY property [, ...]] [ORDER BY property|aggregate [ASC|DESC]
//!   [, ...]]`, keywords in any case, no `FROM`. Properties are dotted paths (`configuration.instanceType`,
//!   `tags.key`, `tags.tag` = `key=value`, `relationships.resourceId`) that cross arrays. `SELECT *` selects the
//!   top-level scalar properties of an item. Aggregates: `COUNT(*)`, `COUNT`, `SUM`, `MIN`, `MAX` and `AVG` of one
//!   property; GROUP BY takes up to three properties, one when ORDER BY sorts by an aggregate.
//! * Conditions: `=`, `!=` (`<>`), `<`, `<=`, `>`, `>=`, `[NOT] IN (...)`, `[NOT] BETWEEN a AND b`, `[NOT] LIKE`
//!   with suffix wildcards only (`%`, `_`) after at least three characters, `AND`, `OR`, `NOT`, parentheses; string
//!   (single-quoted), number and `TRUE`/`FALSE` literals. IP addresses and CIDR blocks compare as address ranges.
//! * Not supported, as documented: `ALL`, `AS`, `DISTINCT`, `FROM`, `HAVING`, `JOIN`, `UNION`, `NULL` (so no
//!   `IS NULL`), wildcards in the middle or at the start of a pattern, and two properties spelled alike but for case.
//!
//! A condition on a path through an array holds when any element satisfies it, and each condition is tested on its
//! own: `configuration.configRuleList.complianceType = 'NON_COMPLIANT' AND
//! configuration.configRuleList.configRuleName = 'A'` matches an item whose rule A is compliant and whose rule B is
//! not, as AWS documents. The negations (`!=`, `NOT ...`) negate that "some element" test, so they also hold for an
//! item without the property.
//!
//! Refusals are [`QueryError`]s whose `message` is what `InvalidExpressionException` says: AWS's `syntax error at
//! line L, column C` for text the grammar does not take, a sentence naming the documented limitation otherwise.
//! Evaluation skips deleted and unrecorded resources, which advanced query does not return.

mod aggregate;
mod ast;
mod check;
mod compare;
mod error;
mod eval;
mod filter;
mod ip;
mod lexer;
mod like;
mod order;
mod parser;
mod path;
mod printer;
mod project;
mod scope;

#[cfg(test)]
mod proptests;

pub use ast::{
    Aggregate, CompareOp, Condition, Function, Literal, OrderKey, OrderTerm, Path, Query, STAR_PROPERTIES, SelectItem,
};
pub use error::QueryError;
/// The JSON value items and rows are (serde_json's), re-exported so that callers without their own serde_json
/// dependency (the fuzz targets) name the same type.
pub use serde_json::Value;

/// The longest expression taken, in characters (`SelectResourceConfig`'s `Expression` is at most 4,096).
pub const MAX_LENGTH: usize = 4096;
/// The deepest nesting of parentheses and `NOT`s in a condition.
pub const MAX_DEPTH: usize = 32;
/// The most values an `IN` list holds.
pub const MAX_IN_VALUES: usize = 1000;
/// The most properties GROUP BY takes.
pub const MAX_GROUP_BY: usize = 3;
/// The most groups an aggregate query makes (as a search engine's bucket limit); more is an error.
pub const MAX_GROUPS: usize = 65_535;
/// The most cells (one per group, plus one per grouped value and aggregate of each group) an aggregate query's
/// groups hold, so that a query with many aggregates cannot multiply the groups' memory; more is an error.
pub const MAX_GROUP_CELLS: usize = 1_000_000;

/// Parses and checks an expression. The length is checked first, then the text is read with the nesting and list
/// bounds above; the error is AWS's `InvalidExpressionException` message.
pub fn parse(expression: &str) -> Result<Query, QueryError> {
    // Four bytes per character at most: longer text cannot be within the limit, and need not be counted.
    if expression.len() > MAX_LENGTH * 4 || expression.chars().count() > MAX_LENGTH {
        return Err(QueryError::new(format!("The expression is longer than {MAX_LENGTH} characters")));
    }
    parse_unbounded(expression)
}

/// Parses and checks without the length bound (the depth and list bounds still hold); for tests that re-parse
/// printed queries, which may be longer than what was parsed.
pub(crate) fn parse_unbounded(expression: &str) -> Result<Query, QueryError> {
    let query = parser::parse_query(expression)?;
    check::check(&query)?;
    Ok(query)
}

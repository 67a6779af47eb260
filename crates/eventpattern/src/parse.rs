//! Reading a pattern's JSON text into a [`Pattern`], refusing it with EventBridge's reasons in the order its
//! streaming parser meets them, then expanding its `$or`s into clauses.

use std::collections::BTreeMap;

use jiter::{Jiter, Peek};

use crate::error::PatternError;
use crate::ip::IpRange;
use crate::matcher::{AnythingBut, Matcher, NumericRange};
use crate::number::comparable;
use crate::pattern::{Clause, FieldTest, Pattern};
use crate::wildcard::Wildcard;
use crate::{MAX_COMBINATIONS, MAX_DEPTH, MAX_PATTERN_LENGTH};

/// Field names a `$or` branch may not use (event-ruler's reserved words).
const RESERVED: &[&str] = &[
    "exactly",
    "equals-ignore-case",
    "prefix",
    "suffix",
    "anything-but",
    "exists",
    "wildcard",
    "numeric",
    "cidr",
    "=",
    "<",
    "<=",
    ">",
    ">=",
    "regex",
    "not-wildcard",
    "not-equals-ignore-case",
    "date-after",
    "date-on-or-after",
    "date-before",
    "date-on-or-before",
    "in-date-range",
    "ip-address-in-range",
    "ip-address-not-in-range",
];

/// Parses a pattern: a JSON object of at most [`MAX_PATTERN_LENGTH`] characters. As EventBridge does, anything
/// after the object is not read.
pub fn parse(text: &str) -> Result<Pattern, PatternError> {
    let length = text.chars().count();
    if length > MAX_PATTERN_LENGTH {
        return Err(PatternError::TooLong { length });
    }
    let mut parser = Parser { jiter: Jiter::new(text.as_bytes()) };
    let peek = parser.peek()?;
    if peek != Peek::Object {
        return Err(PatternError::invalid("Filter is not an object"));
    }
    let node = parser.object(1, false)?;
    let combinations = expand(&node, "")?;
    let clauses = combinations
        .into_iter()
        .map(|fields| Clause {
            fields: fields.into_iter().map(|(path, matchers)| FieldTest { path, matchers }).collect(),
        })
        .collect();
    Ok(Pattern { clauses })
}

/// An object of a pattern: its fields in order (a repeated leaf replaces the earlier one, repeated objects merge)
/// and its `$or`s, each a list of branches.
#[derive(Debug, Default)]
struct Node {
    entries: Vec<(String, Entry)>,
    ors: Vec<Vec<Node>>,
}

#[derive(Debug)]
enum Entry {
    Leaf(Vec<Matcher>),
    Object(Node),
}

impl Node {
    fn insert(&mut self, key: String, entry: Entry) {
        match (self.entries.iter_mut().find(|(k, _)| *k == key), entry) {
            (Some((_, Entry::Object(existing))), Entry::Object(node)) => {
                for (key, entry) in node.entries {
                    existing.insert(key, entry);
                }
                existing.ors.extend(node.ors);
            }
            (Some((_, slot)), entry) => *slot = entry,
            (None, entry) => self.entries.push((key, entry)),
        }
    }
}

struct Parser<'j> {
    jiter: Jiter<'j>,
}

fn invalid<T>(reason: impl Into<String>) -> Result<T, PatternError> {
    Err(PatternError::invalid(reason))
}

impl Parser<'_> {
    fn json<T>(&self, result: Result<T, jiter::JiterError>) -> Result<T, PatternError> {
        result.map_err(|e| PatternError::invalid(e.description(&self.jiter)))
    }

    fn peek(&mut self) -> Result<Peek, PatternError> {
        let peek = self.jiter.peek();
        self.json(peek)
    }

    fn string(&mut self) -> Result<String, PatternError> {
        let text = self.jiter.known_str().map(str::to_owned);
        self.json(text)
    }

    fn number_text(&mut self, peek: Peek) -> Result<String, PatternError> {
        let bytes = self.jiter.known_number_bytes(peek).map(|b| String::from_utf8_lossy(b).into_owned());
        self.json(bytes)
    }

    fn next_key(&mut self) -> Result<Option<String>, PatternError> {
        let key = self.jiter.next_key().map(|k| k.map(str::to_owned));
        self.json(key)
    }

    fn array_step(&mut self) -> Result<Option<Peek>, PatternError> {
        let step = self.jiter.array_step();
        self.json(step)
    }

    /// The text of the value that starts with `peek`, as an error names it (a number as written, `[` or `{` for
    /// a list or an object).
    fn token(&mut self, peek: Peek) -> Result<String, PatternError> {
        Ok(match peek {
            Peek::Array => "[".into(),
            Peek::Object => "{".into(),
            Peek::String => self.string()?,
            Peek::Null => "null".into(),
            Peek::True => "true".into(),
            Peek::False => "false".into(),
            _ => self.number_text(peek)?,
        })
    }

    fn deeper(depth: usize) -> Result<usize, PatternError> {
        if depth >= MAX_DEPTH { Err(PatternError::TooDeep) } else { Ok(depth + 1) }
    }

    /// The object whose `{` is next; `branch` if it is a `$or` branch.
    fn object(&mut self, depth: usize, branch: bool) -> Result<Node, PatternError> {
        let depth = Self::deeper(depth)?;
        let first = self.jiter.known_object().map(|k| k.map(str::to_owned));
        let mut key = self.json(first)?;
        if key.is_none() {
            return invalid("Empty objects are not allowed");
        }
        let mut node = Node::default();
        while let Some(name) = key {
            if branch && RESERVED.contains(&name.as_str()) {
                return invalid(format!("{name} is Ruler reserved fieldName which cannot be used inside $or."));
            }
            let peek = self.peek()?;
            if name == "$or" {
                node.ors.push(self.or(peek, depth)?);
            } else {
                let entry = match peek {
                    Peek::Object => Entry::Object(self.object(depth, false)?),
                    Peek::Array => Entry::Leaf(self.values(depth)?),
                    _ => return invalid(format!("\"{name}\" must be an object or an array")),
                };
                node.insert(name, entry);
            }
            key = self.next_key()?;
        }
        Ok(node)
    }

    fn or(&mut self, peek: Peek, depth: usize) -> Result<Vec<Node>, PatternError> {
        if peek != Peek::Array {
            return invalid("It must be an Array followed with $or.");
        }
        let depth = Self::deeper(depth)?;
        let first = self.jiter.known_array();
        let mut next = self.json(first)?;
        let mut branches = Vec::new();
        while let Some(peek) = next {
            if peek != Peek::Object {
                return invalid("Only JSON object is allowed in array of $or relationship.");
            }
            branches.push(self.object(depth, true)?);
            next = self.array_step()?;
        }
        if branches.len() < 2 {
            return invalid("There must have at least 2 Objects in $or relationship.");
        }
        Ok(branches)
    }

    /// A leaf's list of match values, whose `[` is next.
    fn values(&mut self, depth: usize) -> Result<Vec<Matcher>, PatternError> {
        let depth = Self::deeper(depth)?;
        let first = self.jiter.known_array();
        let mut next = self.json(first)?;
        if next.is_none() {
            return invalid("Empty arrays are not allowed");
        }
        let mut matchers = Vec::new();
        while let Some(peek) = next {
            let matcher = match peek {
                Peek::String => {
                    let text = self.string()?;
                    Matcher::Str { ip: IpRange::single(&text), text }
                }
                Peek::Null => {
                    let null = self.jiter.known_null();
                    self.json(null)?;
                    Matcher::Null
                }
                Peek::True | Peek::False => {
                    let value = self.jiter.known_bool(peek);
                    Matcher::Bool(self.json(value)?)
                }
                Peek::Object => self.expression(depth)?,
                Peek::Array => return invalid("Match value must be String, number, true, false, or null"),
                _ => {
                    let text = self.number_text(peek)?;
                    Matcher::Num { value: comparable(&text), text }
                }
            };
            matchers.push(matcher);
            next = self.array_step()?;
        }
        Ok(matchers)
    }

    /// A match expression (`{"prefix": "x"}`), whose `{` is next.
    fn expression(&mut self, depth: usize) -> Result<Matcher, PatternError> {
        let depth = Self::deeper(depth)?;
        let first = self.jiter.known_object().map(|k| k.map(str::to_owned));
        let Some(name) = self.json(first)? else { return invalid("Match expression name not found") };
        let peek = self.peek()?;
        let matcher = match name.as_str() {
            "exactly" => match peek {
                Peek::String => {
                    let text = self.string()?;
                    Matcher::Str { text, ip: None }
                }
                _ => return invalid("exact match pattern must be a string"),
            },
            "prefix" => self.affix(peek, true)?,
            "suffix" => self.affix(peek, false)?,
            "equals-ignore-case" => match peek {
                Peek::String => Matcher::EqualsIgnoreCase(self.string()?),
                _ => return invalid("equals-ignore-case match pattern must be a string"),
            },
            "wildcard" => match peek {
                Peek::String => {
                    let text = self.string()?;
                    Matcher::Wildcard(Wildcard::parse(&text).map_err(PatternError::Invalid)?)
                }
                _ => return invalid("wildcard match pattern must be a string"),
            },
            "numeric" => Matcher::Numeric(self.numeric(peek)?),
            "exists" => match peek {
                Peek::True | Peek::False => {
                    let value = self.jiter.known_bool(peek);
                    Matcher::Exists(self.json(value)?)
                }
                _ => return invalid("exists match pattern must be either true or false."),
            },
            "cidr" => match peek {
                Peek::String => {
                    let text = self.string()?;
                    Matcher::Cidr(IpRange::cidr(&text).map_err(PatternError::Invalid)?)
                }
                _ => return invalid("prefix match pattern must be a string"),
            },
            "anything-but" => Matcher::AnythingBut(self.anything_but(peek, depth)?),
            other => return invalid(format!("Unrecognized match type {other}")),
        };
        if self.next_key()?.is_some() {
            // event-ruler reads anything-but's value with the numeric expression's helper, and says so.
            return invalid(if name == "anything-but" {
                "Too many elements in numeric expression"
            } else {
                "Only one key allowed in match expression"
            });
        }
        Ok(matcher)
    }

    /// `prefix` or `suffix`: a string, or `{"equals-ignore-case": "x"}`.
    fn affix(&mut self, peek: Peek, prefix: bool) -> Result<Matcher, PatternError> {
        let (kind, title) = if prefix { ("prefix", "Prefix") } else { ("suffix", "Suffix") };
        let (text, ignore_case) = match peek {
            Peek::String => (self.string()?, false),
            Peek::Object => {
                let first = self.jiter.known_object().map(|k| k.map(str::to_owned));
                match self.json(first)? {
                    None => return invalid(format!("{title} expression name not found")),
                    Some(inner) if inner != "equals-ignore-case" => {
                        return invalid(format!("Unsupported {kind} pattern: {inner}"));
                    }
                    Some(_) => {}
                }
                if self.peek()? != Peek::String {
                    return invalid("equals-ignore-case match pattern must be a string");
                }
                let text = self.string()?;
                if self.next_key()?.is_some() {
                    return invalid("Only one key allowed in match expression");
                }
                (text, true)
            }
            _ => return invalid(format!("{kind} match pattern must be a string")),
        };
        Ok(if prefix { Matcher::Prefix { text, ignore_case } } else { Matcher::Suffix { text, ignore_case } })
    }

    /// A number operand of `numeric` or `anything-but`, which a double must hold exactly.
    fn operand(&mut self, peek: Peek, name: &str) -> Result<f64, PatternError> {
        if !peek.is_num() {
            return invalid(format!("Value of {name} must be numeric"));
        }
        let text = self.number_text(peek)?;
        comparable(&text).map_or_else(|| invalid(format!("Cannot compare number : {text}")), Ok)
    }

    fn numeric(&mut self, peek: Peek) -> Result<NumericRange, PatternError> {
        if peek != Peek::Array {
            return invalid("Value of numeric must be an array.");
        }
        let first = self.jiter.known_array();
        let Some(peek) = self.json(first)? else { return invalid("Invalid member in numeric match: ]") };
        if peek != Peek::String {
            let token = self.token(peek)?;
            return invalid(format!("Invalid member in numeric match: {token}"));
        }
        let op = self.string()?;
        if !["=", "<", "<=", ">", ">="].contains(&op.as_str()) {
            return invalid(format!("Unrecognized numeric range operator: {op}"));
        }
        let name = if op == "=" { "equals" } else { op.as_str() };
        let next = self.array_step()?.unwrap_or(Peek::new(b']'));
        let value = self.operand(next, name)?;
        let mut range = match op.as_str() {
            "=" => NumericRange { low: Some((value, true)), high: Some((value, true)) },
            "<" | "<=" => NumericRange { low: None, high: Some((value, op == "<=")) },
            _ => NumericRange { low: Some((value, op == ">=")), high: None },
        };
        let Some(peek) = self.array_step()? else { return Ok(range) };
        if range.high.is_some() {
            return invalid("Too many elements in numeric expression");
        }
        if peek != Peek::String {
            let token = self.token(peek)?;
            return invalid(format!("Bad value in numeric range: {token}"));
        }
        let upper = self.string()?;
        if upper != "<" && upper != "<=" {
            return invalid(format!("Bad numeric range operator: {upper}"));
        }
        let next = self.array_step()?.unwrap_or(Peek::new(b']'));
        let top = self.operand(next, &upper)?;
        if self.array_step()?.is_some() {
            return invalid("Too many terms in numeric range expression");
        }
        if range.low.is_some_and(|(bottom, _)| bottom >= top) {
            return invalid("Bottom must be less than top");
        }
        range.high = Some((top, upper == "<="));
        Ok(range)
    }

    fn anything_but(&mut self, peek: Peek, depth: usize) -> Result<AnythingBut, PatternError> {
        const NOT_A_VALUE: &str = "Value of anything-but must be an array or single string/number value.";
        const MIXED: &str =
            "Inside anything but list, either all values are number or string, mixed type is not supported";
        match peek {
            Peek::String => Ok(AnythingBut::Strings(vec![self.string()?])),
            Peek::Array => {
                let depth = Self::deeper(depth)?;
                let _ = depth;
                let first = self.jiter.known_array();
                let mut next = self.json(first)?;
                let (mut strings, mut numbers) = (Vec::new(), Vec::new());
                while let Some(peek) = next {
                    match peek {
                        Peek::String => strings.push(self.string()?),
                        _ if peek.is_num() => numbers.push(self.operand(peek, "anything-but")?),
                        _ => return invalid("Inside anything but list, start|null|boolean is not supported."),
                    }
                    if !strings.is_empty() && !numbers.is_empty() {
                        return invalid(MIXED);
                    }
                    next = self.array_step()?;
                }
                match (strings.is_empty(), numbers.is_empty()) {
                    (false, true) => Ok(AnythingBut::Strings(strings)),
                    (true, false) => Ok(AnythingBut::Numbers(numbers)),
                    _ => invalid(MIXED),
                }
            }
            Peek::Object => {
                let first = self.jiter.known_object().map(|k| k.map(str::to_owned));
                let Some(name) = self.json(first)? else { return invalid("Anything-But expression name not found") };
                let peek = self.peek()?;
                let but = match name.as_str() {
                    "prefix" | "suffix" => {
                        let affixes =
                            self.strings(peek, "prefix/suffix match pattern must be a string", NOT_A_VALUE)?;
                        if affixes.iter().any(String::is_empty) {
                            return invalid("Null prefix/suffix not allowed");
                        }
                        if name == "prefix" { AnythingBut::Prefixes(affixes) } else { AnythingBut::Suffixes(affixes) }
                    }
                    "equals-ignore-case" => {
                        const NOT_STRING: &str =
                            "Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.";
                        AnythingBut::IgnoringCase(self.strings(peek, NOT_STRING, NOT_STRING)?)
                    }
                    "wildcard" => {
                        const NOT_STRING: &str = "wildcard match pattern must be a string";
                        let texts = self.strings(peek, NOT_STRING, NOT_STRING)?;
                        let wildcards = texts.iter().map(|t| Wildcard::parse(t)).collect::<Result<Vec<_>, _>>();
                        AnythingBut::Wildcards(wildcards.map_err(PatternError::Invalid)?)
                    }
                    other => return invalid(format!("Unsupported anything-but pattern: {other}")),
                };
                if self.next_key()?.is_some() {
                    return invalid("Only one key allowed in match expression");
                }
                Ok(but)
            }
            _ if peek.is_num() => Ok(AnythingBut::Numbers(vec![self.operand(peek, "anything-but")?])),
            _ => invalid(NOT_A_VALUE),
        }
    }

    /// A string or a non-empty list of strings; `not_string` names a non-string value or element, `object` an
    /// object in place of the value.
    fn strings(&mut self, peek: Peek, not_string: &str, object: &str) -> Result<Vec<String>, PatternError> {
        match peek {
            Peek::String => Ok(vec![self.string()?]),
            Peek::Object => invalid(object),
            Peek::Array => {
                let first = self.jiter.known_array();
                let mut next = self.json(first)?;
                if next.is_none() {
                    return invalid("Empty arrays are not allowed");
                }
                let mut strings = Vec::new();
                while let Some(peek) = next {
                    if peek != Peek::String {
                        return invalid(not_string);
                    }
                    strings.push(self.string()?);
                    next = self.array_step()?;
                }
                Ok(strings)
            }
            _ => invalid(not_string),
        }
    }
}

type Combination = BTreeMap<String, Vec<Matcher>>;

/// The clauses a node stands for: its fields AND-ed, each `$or` multiplying them by its branches (a branch's
/// field replacing the same field outside it), bounded by [`MAX_COMBINATIONS`].
fn expand(node: &Node, prefix: &str) -> Result<Vec<Combination>, PatternError> {
    let mut combinations = vec![Combination::new()];
    for (key, entry) in &node.entries {
        let path = if prefix.is_empty() { key.clone() } else { format!("{prefix}.{key}") };
        match entry {
            Entry::Leaf(matchers) => {
                for combination in &mut combinations {
                    combination.insert(path.clone(), matchers.clone());
                }
            }
            Entry::Object(child) => combinations = cross(&combinations, &expand(child, &path)?)?,
        }
    }
    for branches in &node.ors {
        let mut alternatives = Vec::new();
        for branch in branches {
            alternatives.extend(expand(branch, prefix)?);
            if alternatives.len() > MAX_COMBINATIONS {
                return Err(PatternError::TooManyCombinations);
            }
        }
        combinations = cross(&combinations, &alternatives)?;
    }
    Ok(combinations)
}

fn cross(left: &[Combination], right: &[Combination]) -> Result<Vec<Combination>, PatternError> {
    if left.len().saturating_mul(right.len()) > MAX_COMBINATIONS {
        return Err(PatternError::TooManyCombinations);
    }
    let mut out = Vec::with_capacity(left.len() * right.len());
    for l in left {
        for r in right {
            let mut combined = l.clone();
            combined.extend(r.iter().map(|(k, v)| (k.clone(), v.clone())));
            out.push(combined);
        }
    }
    Ok(out)
}

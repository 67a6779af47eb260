//! The SEARCH expression language of metric math: `{Namespace,DimName,...} MetricName="X" term OR term`.
//!
//! A search is a schema (optional, in braces: a namespace and the exact dimension names a metric must have) and
//! terms combined with AND (implicit between terms), OR and NOT, with parentheses. A term is `Key=Value` or
//! `Key="Value"` (Key is `Namespace`, `MetricName` or a dimension name; exact match) or free text, a word or a
//! quoted phrase matched case-insensitively against the namespace, metric name, dimension names and values
//! (a bare word matches a whole token of them; a quoted phrase may match any part).

use skywatch_tsdb::{CatalogFilter, CatalogTerm, SeriesKey};

/// A parsed search.
#[derive(Debug, Clone, PartialEq)]
pub struct Search {
    pub schema: Option<Schema>,
    pub terms: Option<Term>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Schema {
    pub namespace: String,
    pub dimension_names: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Term {
    Property {
        key: String,
        value: String,
    },
    /// Free text, lower-cased.
    Word(String),
    /// Quoted free text, lower-cased.
    Phrase(String),
    Not(Box<Term>),
    /// Terms that must all match (flat, so a long chain is not a deep tree).
    And(Vec<Term>),
    /// Terms of which one must match.
    Or(Vec<Term>),
}

/// Longest search text accepted, in bytes.
pub const MAX_LENGTH: usize = 1024;
/// Deepest nesting of parentheses and NOTs: parsing, matching and dropping a search recurse at most this deep.
pub const MAX_DEPTH: usize = 32;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Invalid search expression: {0}")]
pub struct SearchSyntaxError(pub String);

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Text(String),
    Quoted(String),
    Equals,
    Open,
    Close,
}

fn lex(text: &str) -> Result<Vec<Token>, SearchSyntaxError> {
    let mut tokens = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(&c) = chars.peek() {
        match c {
            c if c.is_whitespace() => {
                chars.next();
            }
            '(' | ')' | '=' => {
                chars.next();
                tokens.push(match c {
                    '(' => Token::Open,
                    ')' => Token::Close,
                    _ => Token::Equals,
                });
            }
            '"' => {
                chars.next();
                let mut phrase = String::new();
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => phrase.extend(chars.next()),
                        Some(c) => phrase.push(c),
                        None => return Err(SearchSyntaxError("unterminated quoted text".into())),
                    }
                }
                tokens.push(Token::Quoted(phrase));
            }
            _ => {
                let mut word = String::new();
                while let Some(&c) = chars.peek() {
                    if c.is_whitespace() || matches!(c, '(' | ')' | '=' | '"') {
                        break;
                    }
                    word.push(c);
                    chars.next();
                }
                tokens.push(Token::Text(word));
            }
        }
    }
    Ok(tokens)
}

/// Parses a search expression.
pub fn parse(text: &str) -> Result<Search, SearchSyntaxError> {
    if text.len() > MAX_LENGTH {
        return Err(SearchSyntaxError(format!("the search is longer than {MAX_LENGTH} characters")));
    }
    let text = text.trim();
    let (schema, rest) = match text.strip_prefix('{') {
        Some(after) => {
            let end = after.find('}').ok_or_else(|| SearchSyntaxError("the schema has no closing }".into()))?;
            let mut parts = after[..end].split(',').map(|p| p.trim().trim_matches('"').to_owned());
            let namespace = parts.next().filter(|n| !n.is_empty());
            let namespace = namespace.ok_or_else(|| SearchSyntaxError("the schema names no namespace".into()))?;
            (Some(Schema { namespace, dimension_names: parts.filter(|p| !p.is_empty()).collect() }), &after[end + 1..])
        }
        None => (None, text),
    };
    let tokens = lex(rest)?;
    let mut parser = Parser { tokens, position: 0, depth: 0 };
    let terms = if parser.tokens.is_empty() { None } else { Some(parser.or()?) };
    if parser.position < parser.tokens.len() {
        return Err(SearchSyntaxError("unexpected ) or trailing text".into()));
    }
    if schema.is_none() && terms.is_none() {
        return Err(SearchSyntaxError("the search is empty".into()));
    }
    Ok(Search { schema, terms })
}

struct Parser {
    tokens: Vec<Token>,
    position: usize,
    depth: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.position)
    }

    fn is_keyword(&self, keyword: &str) -> bool {
        matches!(self.peek(), Some(Token::Text(t)) if t == keyword)
    }

    fn or(&mut self) -> Result<Term, SearchSyntaxError> {
        let mut terms = vec![self.and()?];
        while self.is_keyword("OR") {
            self.position += 1;
            terms.push(self.and()?);
        }
        Ok(if terms.len() == 1 { terms.remove(0) } else { Term::Or(terms) })
    }

    fn and(&mut self) -> Result<Term, SearchSyntaxError> {
        let mut terms = vec![self.unary()?];
        loop {
            if self.is_keyword("AND") {
                self.position += 1;
            } else if self.is_keyword("OR") || matches!(self.peek(), None | Some(Token::Close)) {
                return Ok(if terms.len() == 1 { terms.remove(0) } else { Term::And(terms) });
            }
            terms.push(self.unary()?);
        }
    }

    /// Runs a production one level deeper, refusing past [`MAX_DEPTH`].
    fn deeper(
        &mut self,
        f: impl FnOnce(&mut Self) -> Result<Term, SearchSyntaxError>,
    ) -> Result<Term, SearchSyntaxError> {
        if self.depth >= MAX_DEPTH {
            return Err(SearchSyntaxError(format!("the search nests parentheses and NOTs more than {MAX_DEPTH} deep")));
        }
        self.depth += 1;
        let term = f(self);
        self.depth -= 1;
        term
    }

    fn unary(&mut self) -> Result<Term, SearchSyntaxError> {
        if self.is_keyword("NOT") {
            self.position += 1;
            return self.deeper(|p| Ok(Term::Not(Box::new(p.unary()?))));
        }
        let token = self.peek().cloned().ok_or_else(|| SearchSyntaxError("a term is missing".into()))?;
        self.position += 1;
        match token {
            Token::Open => self.deeper(|p| {
                let inner = p.or()?;
                if p.peek() != Some(&Token::Close) {
                    return Err(SearchSyntaxError("a ( has no closing )".into()));
                }
                p.position += 1;
                Ok(inner)
            }),
            Token::Close | Token::Equals => Err(SearchSyntaxError("a term is missing".into())),
            Token::Quoted(text) => self.maybe_property(text, true),
            Token::Text(text) => self.maybe_property(text, false),
        }
    }

    fn maybe_property(&mut self, key: String, quoted: bool) -> Result<Term, SearchSyntaxError> {
        if self.peek() != Some(&Token::Equals) {
            // Words and phrases match without regard to case: kept lower-cased.
            return Ok(if quoted { Term::Phrase(key.to_lowercase()) } else { Term::Word(key.to_lowercase()) });
        }
        self.position += 1;
        match self.peek().cloned() {
            Some(Token::Text(value) | Token::Quoted(value)) => {
                self.position += 1;
                Ok(Term::Property { key, value })
            }
            _ => Err(SearchSyntaxError(format!("{key}= has no value"))),
        }
    }
}

fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty())
}

/// A series' searchable texts, lower-cased once for every term of a search.
struct Fields<'a> {
    key: &'a SeriesKey,
    lower: Vec<String>,
}

impl<'a> Fields<'a> {
    fn of(key: &'a SeriesKey) -> Self {
        let lower = [key.namespace.as_str(), key.metric_name.as_str()]
            .into_iter()
            .chain(key.dimensions.iter().flat_map(|(n, v)| [n.as_str(), v.as_str()]))
            .map(str::to_lowercase)
            .collect();
        Self { key, lower }
    }
}

impl Term {
    fn matches(&self, fields: &Fields<'_>) -> bool {
        let key = fields.key;
        match self {
            Term::Property { key: name, value } => match name.as_str() {
                "Namespace" => key.namespace == *value,
                "MetricName" => key.metric_name == *value,
                dimension => key.dimensions.iter().any(|(n, v)| n == dimension && v == value),
            },
            Term::Word(word) => fields.lower.iter().any(|f| f == word || words(f).any(|w| w == word)),
            Term::Phrase(phrase) => fields.lower.iter().any(|f| f.contains(phrase.as_str())),
            Term::Not(inner) => !inner.matches(fields),
            Term::And(terms) => terms.iter().all(|t| t.matches(fields)),
            Term::Or(terms) => terms.iter().any(|t| t.matches(fields)),
        }
    }
}

impl Term {
    /// The catalogue lookup that finds every metric this term may match (a superset: [`Search::matches`] decides).
    fn catalog_filter(&self) -> CatalogFilter {
        match self {
            Term::Property { key, value } => CatalogFilter::Term(match key.as_str() {
                "Namespace" => CatalogTerm::Namespace(value.as_str().into()),
                "MetricName" => CatalogTerm::MetricName(value.as_str().into()),
                dimension => CatalogTerm::Dimension(dimension.into(), value.as_str().into()),
            }),
            // A word matches a whole lower-cased field or one of its words: the catalogue indexes both.
            Term::Word(word) => CatalogFilter::Term(CatalogTerm::Word(word.as_str().into())),
            Term::Phrase(phrase) => CatalogFilter::Substring(phrase.clone()),
            // What a NOT excludes cannot narrow what the rest includes.
            Term::Not(_) => CatalogFilter::All,
            Term::And(terms) => CatalogFilter::And(terms.iter().map(Term::catalog_filter).collect()),
            Term::Or(terms) => CatalogFilter::Or(terms.iter().map(Term::catalog_filter).collect()),
        }
    }
}

impl Search {
    /// The catalogue lookup that finds every metric the search may match.
    pub fn catalog_filter(&self) -> CatalogFilter {
        let mut parts = Vec::new();
        if let Some(schema) = &self.schema {
            parts.push(CatalogFilter::Term(CatalogTerm::Namespace(schema.namespace.as_str().into())));
            parts.extend(
                schema
                    .dimension_names
                    .iter()
                    .map(|n| CatalogFilter::Term(CatalogTerm::DimensionName(n.as_str().into()))),
            );
        }
        parts.extend(self.terms.as_ref().map(Term::catalog_filter));
        CatalogFilter::And(parts)
    }

    /// Whether a series is in the search's results.
    pub fn matches(&self, key: &SeriesKey) -> bool {
        let schema_ok = self.schema.as_ref().is_none_or(|schema| {
            schema.namespace == key.namespace
                && schema.dimension_names.len() == key.dimensions.len()
                && schema.dimension_names.iter().all(|name| key.dimensions.iter().any(|(n, _)| n == name))
        });
        schema_ok && self.terms.as_ref().is_none_or(|terms| terms.matches(&Fields::of(key)))
    }
}

/// How SEARCH labels a result: its dimension values then its metric name.
pub fn label(key: &SeriesKey) -> String {
    let mut parts: Vec<&str> = key.dimensions.iter().map(|(_, v)| v.as_str()).collect();
    parts.push(&key.metric_name);
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(namespace: &str, metric: &str, dims: &[(&str, &str)]) -> SeriesKey {
        let dims = dims.iter().map(|(n, v)| ((*n).to_owned(), (*v).to_owned())).collect();
        SeriesKey::new("a", "r", namespace, metric, dims)
    }

    #[test]
    fn searches_match_as_cloudwatch_describes() {
        let cpu_i1 = key("Demo/EC2", "CPUUtilization", &[("InstanceId", "i-1")]);
        let cpu_asg = key("Demo/EC2", "CPUUtilization", &[("AutoScalingGroupName", "web")]);
        let net_i2 = key("Demo/EC2", "NetworkIn", &[("InstanceId", "i-2")]);
        let latency = key("Shop", "Latency", &[("Service", "checkout")]);
        let all = [&cpu_i1, &cpu_asg, &net_i2, &latency];
        let cases: [(&str, [bool; 4]); 9] = [
            ("{Demo/EC2,InstanceId} MetricName=\"CPUUtilization\"", [true, false, false, false]),
            ("{Demo/EC2,InstanceId}", [true, false, true, false]),
            ("{Demo/EC2} MetricName=CPUUtilization", [false, false, false, false]),
            ("CPUUtilization", [true, true, false, false]),
            ("cpuutilization OR Latency", [true, true, false, true]),
            ("Demo NOT NetworkIn", [true, true, false, false]),
            ("\"heck\"", [false, false, false, true]),
            ("(InstanceId=i-1 OR InstanceId=i-2) AND Namespace=\"Demo/EC2\"", [true, false, true, false]),
            ("web", [false, true, false, false]),
        ];
        for (text, expected) in cases {
            let search = parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            let got: Vec<bool> = all.iter().map(|k| search.matches(k)).collect();
            assert_eq!(got, expected, "{text}");
        }
        assert_eq!(label(&cpu_i1), "i-1 CPUUtilization");
    }

    #[test]
    fn malformed_searches_are_errors() {
        for bad in ["", "{", "{}", "(a", "a)", "Key=", "\"open", "NOT", "a OR"] {
            assert!(parse(bad).is_err(), "{bad:?} parsed");
        }
    }

    /// Issue 10: `NOT NOT ... x` recursed once per NOT and overflowed the stack; long chains built deep trees.
    #[test]
    fn hostile_searches_are_bounded() {
        let nots = format!("{}x", "NOT ".repeat(200));
        assert!(parse(&nots).unwrap_err().0.contains("more than 32 deep"));
        let parens = format!("{}x{}", "(".repeat(40), ")".repeat(40));
        assert!(parse(&parens).is_err());
        let chain = vec!["a"; 200].join(" OR ");
        let search = parse(&chain).expect("a long flat chain parses");
        assert!(matches!(search.terms, Some(Term::Or(ref terms)) if terms.len() == 200));
        assert!(parse(&"a ".repeat(600)).unwrap_err().0.contains("longer than 1024"));
        let deepest = format!("{}x", "NOT ".repeat(MAX_DEPTH));
        assert!(parse(&deepest).is_ok());
    }

    proptest::proptest! {
        #[test]
        fn parsing_never_panics(text in "\\PC{0,64}") {
            let _ = parse(&text);
        }

        #[test]
        fn parsing_structured_noise_never_panics(parts in proptest::collection::vec(
            proptest::prop_oneof!["\\{", "\\}", "\\(", "\\)", "=", "\"", " ", "OR", "AND", "NOT", "[a-z]{1,3}", ","], 0..24)) {
            let _ = parse(&parts.concat());
        }
    }
}

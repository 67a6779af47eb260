//! `LIKE` patterns with AWS's wildcard rules: `%` (any run of characters) and `_` (one character) only at the end
//! of the pattern, after a literal prefix of at least three characters. A pattern without wildcards matches its
//! text exactly. Matching is case-sensitive.

/// A checked pattern: the literal prefix and what the wildcard suffix allows after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LikePattern<'a> {
    prefix: &'a str,
    /// How many characters the `_`s of the suffix take.
    exact: usize,
    /// Whether the suffix has a `%`, so that more characters may follow.
    open: bool,
}

/// The shortest literal prefix a wildcard may follow.
pub const MIN_PREFIX: usize = 3;

impl<'a> LikePattern<'a> {
    /// Checks `pattern` against AWS's wildcard limitations; the error says which one it breaks.
    pub fn parse(pattern: &'a str) -> Result<Self, &'static str> {
        let split = pattern.find(['%', '_']).unwrap_or(pattern.len());
        let (prefix, suffix) = pattern.split_at(split);
        if suffix.chars().any(|c| c != '%' && c != '_') {
            return Err("only suffix wildcards are supported: '%' and '_' may appear only at the end of a pattern");
        }
        if !suffix.is_empty() && prefix.chars().count() < MIN_PREFIX {
            return Err("wildcard matches must be at least three characters long");
        }
        Ok(Self { prefix, exact: suffix.matches('_').count(), open: suffix.contains('%') })
    }

    pub fn matches(&self, value: &str) -> bool {
        let Some(rest) = value.strip_prefix(self.prefix) else { return false };
        let mut chars = rest.chars();
        // `exact` characters must be there; then none more unless the suffix is open.
        for _ in 0..self.exact {
            if chars.next().is_none() {
                return false;
            }
        }
        self.open || chars.next().is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn like(pattern: &str, value: &str) -> bool {
        LikePattern::parse(pattern).unwrap().matches(value)
    }

    #[test]
    fn suffix_wildcards_match_as_documented() {
        assert!(like("AWS::EC2::%", "AWS::EC2::Instance"));
        assert!(like("AWS::EC2::%", "AWS::EC2::"));
        assert!(!like("AWS::EC2::%", "AWS::S3::Bucket"));
        assert!(like("AWS::EC2::_", "AWS::EC2::X"));
        assert!(!like("AWS::EC2::_", "AWS::EC2::XY"));
        assert!(!like("AWS::EC2::_", "AWS::EC2::"));
        assert!(like("abc_%", "abcd"));
        assert!(like("abc_%", "abcdé"));
        assert!(!like("abc_%", "abc"));
        assert!(like("abc", "abc"));
        assert!(!like("abc", "abcd"));
        assert!(!like("abc%", "ABCD"));
        assert!(like("ab", "ab"));
    }

    #[test]
    fn documented_refusals() {
        assert!(LikePattern::parse("%::EC2::Instance").is_err());
        assert!(LikePattern::parse("_::EC2::Instance").is_err());
        assert!(LikePattern::parse("my_bucket%").is_err());
        assert!(LikePattern::parse("ab%").is_err());
        assert!(LikePattern::parse("ab_").is_err());
        assert!(LikePattern::parse("%").is_err());
        assert!(LikePattern::parse("abc%").is_ok());
        assert!(LikePattern::parse("abc_").is_ok());
        assert!(LikePattern::parse("éèà%").is_ok());
    }
}

//! Dashboard names: 1 to 255 characters of `A-Z a-z 0-9 - _`.

/// The longest dashboard name.
pub const MAX_NAME_LEN: usize = 255;

/// Why a dashboard name was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    /// The name is empty.
    #[error("The value for field DashboardName must not be empty.")]
    Empty,
    /// The name is longer than 255 characters.
    #[error("The value for field DashboardName must be at most 255 characters long.")]
    TooLong,
    /// The name has a character outside `A-Z a-z 0-9 - _`.
    #[error(
        "The value for field DashboardName contains invalid characters. It can only contain alphanumerics, dash (-) and underscore (_)."
    )]
    InvalidCharacters,
}

/// Checks a dashboard name: at most 255 characters of `A-Z a-z 0-9 - _`.
pub fn validate_name(name: &str) -> Result<(), NameError> {
    if name.is_empty() {
        return Err(NameError::Empty);
    }
    if name.chars().count() > MAX_NAME_LEN {
        return Err(NameError::TooLong);
    }
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        return Err(NameError::InvalidCharacters);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(validate_name("Prod-Overview_2"), Ok(()));
        assert_eq!(validate_name(&"a".repeat(255)), Ok(()));
        assert_eq!(validate_name(&"a".repeat(256)), Err(NameError::TooLong));
        assert_eq!(validate_name(""), Err(NameError::Empty));
        assert_eq!(validate_name("a.b"), Err(NameError::InvalidCharacters));
        assert_eq!(validate_name("a b"), Err(NameError::InvalidCharacters));
        assert_eq!(validate_name("é"), Err(NameError::InvalidCharacters));
    }
}

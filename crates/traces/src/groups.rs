//! X-Ray groups: a name and a filter expression that traces are sorted by as they are summarized (a changed
//! expression applies to later traces, as in X-Ray), each with its own service graph. The Default group holds
//! every trace and is not stored.

use serde::{Deserialize, Serialize};

use crate::filter::{Expr, GroupRef, Groups};

/// The group every account has.
pub const DEFAULT_GROUP: &str = "Default";
/// Groups an account may have in a region (X-Ray's quota; Default not counted).
pub const MAX_GROUPS: usize = 25;
/// Tags on one group.
pub const MAX_TAGS: usize = 50;

/// One group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    pub name: String,
    /// The random part of its ARN.
    pub id: String,
    pub filter_expression: Option<String>,
    pub insights_enabled: bool,
    pub notifications_enabled: bool,
    pub tags: Vec<(String, String)>,
    pub created_ms: i64,
}

impl Group {
    pub fn arn(&self, region: &str, account: &str) -> String {
        format!("arn:{}:xray:{region}:{account}:group/{}/{}", skywatch_model::partition(region), self.name, self.id)
    }

    /// The Default group.
    pub fn default_group() -> Self {
        Group {
            name: DEFAULT_GROUP.into(),
            id: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA".chars().take(26).collect(),
            filter_expression: None,
            insights_enabled: false,
            notifications_enabled: false,
            tags: Vec::new(),
            created_ms: 0,
        }
    }
}

/// A group name: 1 to 32 letters, digits, `-` and `_` (Default is reserved).
pub fn valid_name(name: &str) -> bool {
    (1..=32).contains(&name.len()) && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// The groups of an account and region with their parsed expressions, for `group.name` references and for sorting
/// traces into groups.
pub struct Parsed {
    pub region: String,
    pub account: String,
    pub groups: Vec<(Group, Option<Expr>)>,
}

impl Parsed {
    pub fn new(account: &str, region: &str, groups: Vec<Group>) -> Self {
        let groups = groups
            .into_iter()
            .map(|g| {
                let expr = g.filter_expression.as_deref().and_then(|text| crate::filter::parse(text).ok().flatten());
                (g, expr)
            })
            .collect();
        Self { region: region.to_owned(), account: account.to_owned(), groups }
    }

    /// The names of the groups whose expression `summary` matches (a group without one matches every trace).
    pub fn matching(&self, summary: &crate::summary::Summary) -> Vec<String> {
        self.groups
            .iter()
            .filter(|(_, expr)| expr.as_ref().is_none_or(|e| crate::filter::matches(e, summary, &self.account, self)))
            .map(|(g, _)| g.name.clone())
            .collect()
    }
}

impl Groups for Parsed {
    fn expression(&self, by: GroupRef, value: &str) -> Option<Expr> {
        self.groups
            .iter()
            .find(|(g, _)| match by {
                GroupRef::Name => g.name == value,
                GroupRef::Arn => g.arn(&self.region, &self.account) == value,
            })
            .and_then(|(_, expr)| expr.clone())
    }
}

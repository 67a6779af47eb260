//! SelectResourceConfig: AWS Config's advanced query (`skywatch-configsql`) over the current configuration item
//! of every resource of the account and region, narrowed to the resource types the expression can match.

use serde::Serialize;
use skywatch_configsql::QueryError;
use skywatch_ops::{Access, Context, Effect, Limit, Operation, Spec, token};

use super::spec;
use crate::engine::Config;
use crate::error::{ConfigError, constraint};
use crate::storage;

/// Rows a page when no limit is given, and at most.
pub const SELECT_PAGE: usize = 100;
/// Resources one query reads at most.
pub const MAX_SELECTED_RESOURCES: usize = 100_000;

/// SelectResourceConfig's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct SelectResourceConfigInput {
    pub expression: String,
    pub limit: Option<i64>,
    pub next_token: Option<String>,
}

/// A page of rows, each a JSON document, and the names of the selected fields.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SelectResourceConfigOutput {
    pub results: Vec<String>,
    pub select_fields: Vec<String>,
    pub next_token: Option<String>,
}

const TOKEN_KIND: &str = "config-select";

fn refused(error: QueryError) -> ConfigError {
    ConfigError::InvalidExpression(error.message)
}

/// SelectResourceConfig.
pub struct SelectResourceConfig;

impl Operation for SelectResourceConfig {
    const SPEC: Spec = spec("SelectResourceConfig", Access::Read).with_limits(&[
        Limit::aws("expression characters", skywatch_configsql::MAX_LENGTH as u64),
        Limit::aws("rows a page", SELECT_PAGE as u64),
        Limit::own("resources a query reads", MAX_SELECTED_RESOURCES as u64),
    ]);
    type Engine = Config;
    type Input = SelectResourceConfigInput;
    type Output = SelectResourceConfigOutput;
    type Error = ConfigError;

    async fn run(
        config: &Config,
        ctx: &Context,
        input: Self::Input,
    ) -> Result<Effect<Self::Output, ConfigError>, ConfigError> {
        if input.expression.is_empty() || input.expression.len() > 4 * skywatch_configsql::MAX_LENGTH {
            return Err(constraint(
                "...",
                "expression",
                &format!("Member must have length less than or equal to {}", skywatch_configsql::MAX_LENGTH),
            ));
        }
        let limit = match input.limit {
            None | Some(0) => SELECT_PAGE,
            Some(n) if !(0..=SELECT_PAGE as i64).contains(&n) => {
                return Err(ConfigError::InvalidLimit(format!("The limit {n} is not between 0 and {SELECT_PAGE}.")));
            }
            Some(n) => n as usize,
        };
        let skip = match &input.next_token {
            None => 0,
            Some(t) => token::decode(TOKEN_KIND, t)
                .and_then(|s| s.parse::<usize>().ok())
                .ok_or_else(|| ConfigError::InvalidNextToken("The nextToken provided is invalid".into()))?,
        };
        let query = skywatch_configsql::parse(&input.expression).map_err(refused)?;
        let types = query.resource_types();
        let (account, region) = (ctx.account.clone(), ctx.region.clone());
        let documents = config
            .store
            .read(move |reader| {
                let scope = (account.as_str(), region.as_str());
                let mut resources = Vec::new();
                match &types {
                    Some(types) => {
                        for resource_type in types {
                            let left = MAX_SELECTED_RESOURCES.saturating_sub(resources.len());
                            resources.extend(storage::resources(
                                reader,
                                scope,
                                Some(resource_type),
                                None,
                                left,
                                |r| r.deleted_ms.is_none(),
                            )?);
                        }
                    }
                    None => {
                        resources = storage::resources(reader, scope, None, None, MAX_SELECTED_RESOURCES, |r| {
                            r.deleted_ms.is_none()
                        })?
                    }
                }
                let mut documents = Vec::with_capacity(resources.len());
                for resource in resources {
                    if let Some(item) = storage::latest(reader, scope, &resource.resource_type, &resource.resource_id)?
                    {
                        documents.push(item.document(true));
                    }
                }
                Ok(documents)
            })
            .await?;
        let rows = query.evaluate(documents.iter()).map_err(refused)?;
        let results: Vec<String> = rows.iter().skip(skip).take(limit).map(ToString::to_string).collect();
        let next_token =
            (skip + results.len() < rows.len()).then(|| token::encode(TOKEN_KIND, &(skip + results.len()).to_string()));
        Ok(Effect::reply(SelectResourceConfigOutput { results, select_fields: query.select_fields(), next_token }))
    }
}

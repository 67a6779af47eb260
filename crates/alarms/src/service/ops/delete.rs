//! DeleteAlarms: up to 100 names, at most one of them a composite alarm. An alarm a composite alarm still names
//! (one not deleted by the same call) is not deleted, and then nothing is ("Cannot delete X as there are composite
//! alarm(s) depending on it."); names with no alarm are reported after the others are deleted.

use std::collections::HashSet;
use std::ops::ControlFlow;

use serde::Serialize;
use skywatch_ops::{Access, AwsError, Context, Effect, ErrorCode, Limit, Operation, Spec, codes};

use super::{resource, spec, storage};
use crate::definition::{Kind, referenced_name};
use crate::rule;
use crate::service::Alarms;
use crate::service::storage::{AlarmChange, alarm, each_alarm};

pub const MAX_DELETE_NAMES: usize = 100;

/// Why DeleteAlarms refused (in whole or, for missing names, in part).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeleteAlarmsError {
    #[error("{0}")]
    Validation(String),
    #[error("{}", not_found(.0))]
    NotFound(Vec<String>),
    #[error("storage failed: {0}")]
    Storage(String),
}

fn not_found(names: &[String]) -> String {
    match names {
        [name] => format!("Alarm {name} not found"),
        names => format!("Alarms {} not found", names.join(", ")),
    }
}

impl AwsError for DeleteAlarmsError {
    fn code(&self) -> ErrorCode {
        match self {
            DeleteAlarmsError::Validation(_) => codes::cloudwatch::VALIDATION,
            DeleteAlarmsError::NotFound(_) => codes::cloudwatch::RESOURCE_NOT_FOUND,
            DeleteAlarmsError::Storage(_) => codes::INTERNAL,
        }
    }
}

/// DeleteAlarms' input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeleteAlarmsInput {
    pub alarm_names: Vec<String>,
}

/// What the store says about a deletion.
struct Plan {
    found: Vec<String>,
    missing: Vec<String>,
    composites: usize,
    depended_on: Vec<String>,
}

/// DeleteAlarms.
pub struct DeleteAlarms;

impl Operation for DeleteAlarms {
    const SPEC: Spec = spec("DeleteAlarms", Access::Write)
        .with_limits(&[Limit::aws("AlarmNames", MAX_DELETE_NAMES as u64), Limit::aws("composite alarms a call", 1)]);
    type Engine = Alarms;
    type Input = DeleteAlarmsInput;
    type Output = ();
    type Error = DeleteAlarmsError;

    async fn run(
        engine: &Alarms,
        ctx: &Context,
        input: DeleteAlarmsInput,
    ) -> Result<Effect<(), DeleteAlarmsError>, DeleteAlarmsError> {
        if input.alarm_names.len() > MAX_DELETE_NAMES {
            return Err(DeleteAlarmsError::Validation(format!(
                "1 validation error detected: Value at 'alarmNames' failed to satisfy constraint: Member must have length less than or equal to {MAX_DELETE_NAMES}"
            )));
        }
        let (account, region) = (ctx.account.clone(), ctx.region.clone());
        let names = input.alarm_names.clone();
        let plan = engine
            .store
            .read(move |reader| {
                let mut seen = HashSet::new();
                let (mut found, mut missing, mut composites) = (Vec::new(), Vec::new(), 0);
                for name in names.iter().filter(|n| seen.insert(n.as_str())) {
                    match alarm(reader, &account, &region, name)? {
                        Some(existing) => {
                            composites += usize::from(matches!(existing.kind, Kind::Composite(_)));
                            found.push(name.clone());
                        }
                        None => missing.push(name.clone()),
                    }
                }
                // The alarms a surviving composite alarm still names.
                let deleting: HashSet<&str> = found.iter().map(String::as_str).collect();
                let mut depended_on: Vec<String> = Vec::new();
                each_alarm(reader, &account, &region, "", None, |parent| {
                    if deleting.contains(parent.name.as_str()) {
                        return ControlFlow::Continue(());
                    }
                    if let Kind::Composite(composite) = &parent.kind {
                        let named = rule::parse(&composite.rule)
                            .map(|r| r.alarms().into_iter().map(str::to_owned).collect::<Vec<_>>());
                        for reference in named.unwrap_or_default().iter().chain(composite.suppressor.iter()) {
                            if let Some(child) = referenced_name(reference, &region, &account)
                                && deleting.contains(child)
                                && !depended_on.iter().any(|d| d == child)
                            {
                                depended_on.push(child.to_owned());
                            }
                        }
                    }
                    ControlFlow::Continue(())
                })?;
                Ok(Plan { found, missing, composites, depended_on })
            })
            .await
            .map_err(|error| DeleteAlarmsError::Storage(storage(error)))?;
        if plan.composites > 1 {
            return Err(DeleteAlarmsError::Validation(
                "You can delete at most one composite alarm in one DeleteAlarms call.".into(),
            ));
        }
        if !plan.depended_on.is_empty() {
            let it = if plan.depended_on.len() == 1 { "it" } else { "them" };
            return Err(DeleteAlarmsError::Validation(format!(
                "Cannot delete {} as there are composite alarm(s) depending on {it}.",
                plan.depended_on.join(",")
            )));
        }
        let changes = plan
            .found
            .iter()
            .map(|name| {
                AlarmChange::Delete { account: ctx.account.clone(), region: ctx.region.clone(), name: name.clone() }
                    .mutation()
            })
            .collect();
        let resources = plan.found.iter().map(|name| resource(&ctx.region, &ctx.account, name)).collect();
        let effect = Effect::commit((), changes).with_resources(resources);
        if plan.missing.is_empty() {
            return Ok(effect);
        }
        if plan.found.is_empty() {
            return Err(DeleteAlarmsError::NotFound(plan.missing));
        }
        Ok(Effect { partial: Some(DeleteAlarmsError::NotFound(plan.missing)), ..effect })
    }
}

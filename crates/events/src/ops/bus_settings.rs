//! What is set on a bus after it exists: its resource policy (PutPermission, RemovePermission), which decides
//! which other accounts may send it events, and its settings (UpdateEventBus: description, KMS key, dead-letter
//! queue). The default bus is stored the first time something is set on it.

use serde::Serialize;
use skywatch_ops::{Access, Context, Effect, Limit, Operation, Spec};

use super::buses::{DeadLetterConfig, own_bus};
use super::{EventsError, bus_missing, bus_resource, check_description, constraint, spec};
use crate::Events;
use crate::model::{DEFAULT_BUS, EventBus};
use crate::names::bus_arn;
use crate::policy::{self, Condition, MAX_POLICY_LENGTH, PolicyError};
use crate::storage::{BusEdit, EventsChange, bus};

/// PutPermission's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PutPermissionInput {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_bus_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub principal: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statement_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<PermissionCondition>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
}

/// PutPermission's `Condition`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PermissionCondition {
    #[serde(rename = "type")]
    pub kind: String,
    pub key: String,
    pub value: String,
}

/// RemovePermission's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RemovePermissionInput {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statement_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remove_all_permissions: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_bus_name: Option<String>,
}

fn policy_error(error: PolicyError) -> EventsError {
    match error {
        PolicyError::TooLong => EventsError::PolicyLengthExceeded(format!(
            "The policy of the event bus exceeds the maximum length of {MAX_POLICY_LENGTH} characters."
        )),
        PolicyError::NoSuchStatement => EventsError::NotFound("Statement with the provided id does not exist.".into()),
        PolicyError::Invalid(why) => EventsError::Validation(format!("The policy is not valid: {why}")),
    }
}

/// The bus a policy call names (a plain name; the default bus when none), as stored, or NotFound.
async fn existing_bus(
    events: &Events,
    ctx: &Context,
    given: Option<&str>,
) -> Result<(String, Option<EventBus>), EventsError> {
    let name = own_bus(ctx, given)?.to_owned();
    let (account, region, lookup) = (ctx.account.clone(), ctx.region.clone(), name.clone());
    let stored = events.store.read(move |reader| bus(reader, &account, &region, &lookup)).await?;
    if stored.is_none() && name != DEFAULT_BUS {
        return Err(bus_missing(&name));
    }
    Ok((name, stored))
}

fn check_statement_id(sid: &str) -> Result<(), EventsError> {
    if !(1..=64).contains(&sid.len()) || !sid.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        return Err(constraint(sid, "statementId", "satisfy regular expression pattern: [a-zA-Z0-9-_]+"));
    }
    Ok(())
}

/// PutPermission: lets an account (or everyone) send events to the bus, or sets its whole policy.
pub struct PutPermission;

impl Operation for PutPermission {
    const SPEC: Spec = spec("PutPermission", Access::Write).with_limits(&[
        Limit::aws("policy characters", MAX_POLICY_LENGTH as u64),
        Limit::own("policy statements", policy::MAX_STATEMENTS as u64),
    ]);
    type Engine = Events;
    type Input = PutPermissionInput;
    type Output = ();
    type Error = EventsError;

    async fn run(
        events: &Events,
        ctx: &Context,
        input: PutPermissionInput,
    ) -> Result<Effect<(), EventsError>, EventsError> {
        let (name, stored) = existing_bus(events, ctx, input.event_bus_name.as_deref()).await?;
        let arn = bus_arn(&ctx.region, &ctx.account, &name);
        let edit = match &input.policy {
            Some(document) => {
                policy::check_document(document).map_err(policy_error)?;
                BusEdit::ReplacePolicy(document.clone())
            }
            None => {
                let (Some(action), Some(principal), Some(sid)) = (&input.action, &input.principal, &input.statement_id)
                else {
                    return Err(EventsError::Validation(
                        "One of Policy or (Action, Principal, StatementId) must be provided.".into(),
                    ));
                };
                check_statement_id(sid)?;
                let is_action = action
                    .strip_prefix("events:")
                    .is_some_and(|a| !a.is_empty() && a.bytes().all(|b| b.is_ascii_alphabetic()));
                if !is_action {
                    return Err(constraint(action, "action", "satisfy regular expression pattern: events:[a-zA-Z]+"));
                }
                let is_principal =
                    principal == "*" || (principal.len() == 12 && principal.bytes().all(|b| b.is_ascii_digit()));
                if !is_principal {
                    return Err(constraint(
                        principal,
                        "principal",
                        "satisfy regular expression pattern: (\\d{12}|\\*)",
                    ));
                }
                let condition = input.condition.as_ref().map(|c| Condition {
                    kind: c.kind.clone(),
                    key: c.key.clone(),
                    value: c.value.clone(),
                });
                let statement = policy::statement(sid, principal, action, &arn, condition.as_ref());
                // Checked now so the caller hears of a policy grown too long.
                policy::put_statement(stored.as_ref().and_then(|b| b.policy.as_deref()), statement.clone())
                    .map_err(policy_error)?;
                BusEdit::PutStatement(statement)
            }
        };
        let change = EventsChange::EditBus {
            account: ctx.account.clone(),
            region: ctx.region.clone(),
            bus: name,
            edit,
            now_ms: ctx.now_ms,
        };
        Ok(Effect::commit((), vec![change.mutation()]).with_resources(vec![bus_resource(&arn)]))
    }
}

/// RemovePermission: takes one statement (or all of them) out of the bus's policy.
pub struct RemovePermission;

impl Operation for RemovePermission {
    const SPEC: Spec = spec("RemovePermission", Access::Write).with_limits(&[
        Limit::aws("StatementId characters", 64),
        Limit::own("policy statements", policy::MAX_STATEMENTS as u64),
    ]);
    type Engine = Events;
    type Input = RemovePermissionInput;
    type Output = ();
    type Error = EventsError;

    async fn run(
        events: &Events,
        ctx: &Context,
        input: RemovePermissionInput,
    ) -> Result<Effect<(), EventsError>, EventsError> {
        let (name, stored) = existing_bus(events, ctx, input.event_bus_name.as_deref()).await?;
        let current = stored.as_ref().and_then(|b| b.policy.as_deref());
        let edit = if input.remove_all_permissions == Some(true) {
            if current.is_none() {
                return Err(EventsError::NotFound("EventBus does not have a policy.".into()));
            }
            BusEdit::ClearPolicy
        } else {
            let Some(sid) = input.statement_id.as_deref() else {
                return Err(EventsError::Validation(
                    "One of StatementId or RemoveAllPermissions must be provided.".into(),
                ));
            };
            check_statement_id(sid)?;
            policy::remove_statement(current, sid).map_err(policy_error)?;
            BusEdit::RemoveStatement(sid.to_owned())
        };
        let arn = bus_arn(&ctx.region, &ctx.account, &name);
        let change = EventsChange::EditBus {
            account: ctx.account.clone(),
            region: ctx.region.clone(),
            bus: name,
            edit,
            now_ms: ctx.now_ms,
        };
        Ok(Effect::commit((), vec![change.mutation()]).with_resources(vec![bus_resource(&arn)]))
    }
}

/// UpdateEventBus' input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateEventBusInput {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kms_key_identifier: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dead_letter_config: Option<DeadLetterConfig>,
}

/// What UpdateEventBus answers.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UpdatedBus {
    pub arn: String,
    pub name: String,
    pub kms_key_identifier: Option<String>,
    pub description: Option<String>,
    pub dead_letter_config: Option<DeadLetterConfig>,
}

/// UpdateEventBus: a bus's description, KMS key and dead-letter queue, as given (what is not given is cleared).
pub struct UpdateEventBus;

impl Operation for UpdateEventBus {
    const SPEC: Spec = spec("UpdateEventBus", Access::Write)
        .with_limits(&[Limit::aws("Description characters", super::MAX_DESCRIPTION as u64)]);
    type Engine = Events;
    type Input = UpdateEventBusInput;
    type Output = UpdatedBus;
    type Error = EventsError;

    async fn run(
        events: &Events,
        ctx: &Context,
        input: UpdateEventBusInput,
    ) -> Result<Effect<UpdatedBus, EventsError>, EventsError> {
        check_description(input.description.as_deref())?;
        let (name, _) = existing_bus(events, ctx, input.name.as_deref()).await?;
        let dead_letter_arn = input.dead_letter_config.as_ref().and_then(|d| d.arn.clone());
        if let Some(arn) = &dead_letter_arn
            && (!arn.starts_with("arn:") || !arn.contains(":sqs:"))
        {
            return Err(EventsError::Validation(format!("Dead letter queue ARN {arn} is not a valid SQS queue ARN.")));
        }
        let arn = bus_arn(&ctx.region, &ctx.account, &name);
        let change = EventsChange::EditBus {
            account: ctx.account.clone(),
            region: ctx.region.clone(),
            bus: name.clone(),
            edit: BusEdit::Settings {
                description: input.description.clone(),
                kms_key_identifier: input.kms_key_identifier.clone(),
                dead_letter_arn,
            },
            now_ms: ctx.now_ms,
        };
        let reply = UpdatedBus {
            arn: arn.clone(),
            name,
            kms_key_identifier: input.kms_key_identifier,
            description: input.description,
            dead_letter_config: input.dead_letter_config,
        };
        Ok(Effect::commit(reply, vec![change.mutation()]).with_resources(vec![bus_resource(&arn)]))
    }
}

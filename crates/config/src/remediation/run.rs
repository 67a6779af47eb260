//! Running queued remediation attempts. A built-in document acts on the resource as its workload reported it:
//! the revoked configuration is stored as a new report, with the CloudTrail record of the call the automation
//! made (`RevokeSecurityGroupIngress`, by `ssm.amazonaws.com`) and the notice that names it, all in the commit
//! that records the attempt — so the recorder records the change, linked to that event, and the rule
//! re-evaluates the resource. A webhook target is posted to (2xx is success). A failed automatic attempt is
//! retried, spread over the configured time, up to the configured attempts; every attempt is a step.

use serde_json::{Value, json};
use skywatch_audit::{CallRecord, EventKind, build_event, to_mutation};
use skywatch_model::{Caller, EventResource};
use skywatch_store::{Mutation, ReadError, Reader};

use super::actions::{built_in, is_webhook, revoke_world_ingress};
use super::model::{Execution, ParameterValue, Remediation, Step};
use super::storage::{self, Due, RemediationChange};
use crate::storage::{self as items, Notice, RecorderChange};

/// Attempts one pass makes at most.
pub const ATTEMPTS_A_PASS: usize = 64;

/// What one due attempt needs.
pub enum Work {
    /// Decided without leaving the process: commit these.
    Done(Vec<Mutation>),
    /// A webhook to post to; [`settle`] turns its outcome into changes.
    Post { due: Box<Due>, url: String, body: String, remediation: Box<Remediation>, execution: Box<Execution> },
}

/// The changes recording an attempt's outcome.
pub fn settle(
    due: Due,
    remediation: &Remediation,
    execution: &Execution,
    (start_ms, now_ms): (i64, i64),
    outcome: Result<(), String>,
) -> Mutation {
    let step = Step {
        name: remediation.target_id.clone(),
        state: if outcome.is_ok() { "SUCCEEDED" } else { "FAILED" }.into(),
        error: outcome.as_ref().err().cloned(),
        start_ms,
        stop_ms: now_ms,
    };
    let retry_at = (outcome.is_err() && execution.automatic && execution.attempts + 1 < remediation.maximum_attempts)
        .then(|| now_ms.saturating_add(remediation.retry_delay_ms()));
    RemediationChange::Attempted { due: Box::new(due), step, succeeded: outcome.is_ok(), retry_at }.mutation()
}

/// The action's parameters with resource ids filled in.
pub fn parameters(remediation: &Remediation, resource_id: &str) -> serde_json::Map<String, Value> {
    remediation
        .parameters
        .iter()
        .map(|(name, value)| {
            let values = match value {
                ParameterValue::ResourceId => vec![resource_id.to_owned()],
                ParameterValue::Static(values) => values.clone(),
            };
            (name.clone(), json!(values))
        })
        .collect()
}

/// Plans the attempts due at `now_ms`.
pub fn plan(reader: &Reader, now_ms: i64) -> Result<Vec<Work>, ReadError> {
    let mut work = Vec::new();
    for due in storage::due(reader, now_ms, ATTEMPTS_A_PASS)? {
        let scope = (due.account.as_str(), due.region.as_str());
        let remediation = storage::remediation(reader, scope, &due.rule)?;
        let execution = storage::execution(reader, scope, &due.rule, (&due.resource_type, &due.resource_id))?;
        let (Some(remediation), Some(execution)) = (remediation, execution) else {
            work.push(Work::Done(vec![
                RemediationChange::Attempted {
                    due: Box::new(due),
                    step: Step {
                        name: "remediation".into(),
                        state: "FAILED".into(),
                        error: Some("The remediation configuration was deleted.".into()),
                        start_ms: now_ms,
                        stop_ms: now_ms,
                    },
                    succeeded: false,
                    retry_at: None,
                }
                .mutation(),
            ]));
            continue;
        };
        let parameters = parameters(&remediation, &due.resource_id);
        if is_webhook(&remediation.target_id) {
            let body = json!({
                "ConfigRuleName": due.rule, "ResourceType": due.resource_type, "ResourceId": due.resource_id,
                "AccountId": due.account, "Region": due.region, "Attempt": execution.attempts + 1,
                "Parameters": parameters,
            });
            work.push(Work::Post {
                url: remediation.target_id.clone(),
                body: body.to_string(),
                due: Box::new(due),
                remediation: Box::new(remediation),
                execution: Box::new(execution),
            });
            continue;
        }
        let (mut changes, outcome) = match built_in(&remediation.target_id) {
            Some(ports) => run_built_in(reader, &due, &remediation, ports, now_ms)?,
            None => (
                Vec::new(),
                Err(format!(
                    "Skywatch does not run the automation document {}: give a built-in document ({}) or a webhook URL.",
                    remediation.target_id,
                    super::actions::BUILT_IN.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
                )),
            ),
        };
        changes.push(settle(due, &remediation, &execution, (now_ms, now_ms), outcome));
        work.push(Work::Done(changes));
    }
    Ok(work)
}

/// Revokes world ingress on `ports` of a reported security group: the new report, its CloudTrail record and
/// the recorder's notice.
fn run_built_in(
    reader: &Reader,
    due: &Due,
    remediation: &Remediation,
    ports: &[i64],
    now_ms: i64,
) -> Result<(Vec<Mutation>, Result<(), String>), ReadError> {
    let scope = (due.account.as_str(), due.region.as_str());
    if due.resource_type != "AWS::EC2::SecurityGroup" {
        return Ok((
            Vec::new(),
            Err(format!("{} acts on security groups, not {}.", remediation.target_id, due.resource_type)),
        ));
    }
    let Some(mut reported) =
        items::reported(reader, scope, &due.resource_type, &due.resource_id)?.filter(|r| !r.deleted)
    else {
        return Ok((Vec::new(), Err(format!("The security group {} was not found.", due.resource_id))));
    };
    let configuration: Value = serde_json::from_str(&reported.configuration).unwrap_or(Value::Null);
    let Some((changed, revoked)) = revoke_world_ingress(&configuration, ports) else {
        // Nothing open to the world on those ports: already remediated.
        return Ok((Vec::new(), Ok(())));
    };
    reported.configuration = changed.to_string();
    let time = chrono::DateTime::from_timestamp_millis(now_ms).unwrap_or_default();
    let event = build_event(CallRecord {
        kind: EventKind::ApiCall,
        caller: Caller::Service { service: "ssm.amazonaws.com".into(), account: due.account.clone() },
        account: due.account.clone(),
        region: due.region.clone(),
        time,
        event_source: "ec2.amazonaws.com".into(),
        event_name: "RevokeSecurityGroupIngress".into(),
        read_only: false,
        source_ip: "ssm.amazonaws.com".into(),
        user_agent: format!("ssm.amazonaws.com (AWS Config remediation {}: {})", due.rule, remediation.target_id),
        request_id: uuid::Uuid::now_v7().to_string(),
        request_parameters: Some(json!({"groupId": due.resource_id, "ipPermissions": {"items": revoked}})),
        response_elements: Some(json!({"_return": true})),
        error: None,
        resources: vec![EventResource {
            resource_type: due.resource_type.clone(),
            arn: format!(
                "arn:{}:ec2:{}:{}:security-group/{}",
                skywatch_model::partition(&due.region),
                due.region,
                due.account,
                due.resource_id
            ),
        }],
    });
    let notice = Notice {
        account: due.account.clone(),
        region: due.region.clone(),
        resource_type: due.resource_type.clone(),
        arn: due.resource_id.clone(),
        event_id: event.event_id.clone(),
        time_ms: now_ms,
    };
    let changes = vec![
        RecorderChange::Report {
            account: due.account.clone(),
            region: due.region.clone(),
            reported: Box::new(reported),
        }
        .mutation(),
        RecorderChange::Notice(vec![notice]).mutation(),
        to_mutation(&event, time),
    ];
    Ok((changes, Ok(())))
}

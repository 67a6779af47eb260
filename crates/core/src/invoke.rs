//! Running an operation: the one path by which both the AWS front door and the console call an engine. It
//! checks the caller's role against the operation's access, runs it, and commits its changes together with its
//! CloudTrail record (both or neither), then does its after-commit work.

use skywatch_audit::{CallRecord, EventKind, build_event, to_mutation};
use skywatch_config::storage::Notice;
use skywatch_events::aws_events::{AwsEvent, Planned};
use skywatch_ops::{
    Access, AwsError, Context, ErrorCode, MAX_AUDITED_PARAMETER_BYTES, Operation, Provides, Spec, audited_parameters,
    codes,
};
use skywatch_store::{Mutation, WriteError};

use crate::Services;

/// Why an operation call failed.
#[derive(Debug, thiserror::Error)]
pub enum Failure<E> {
    /// The caller's role may not call a writing operation.
    #[error("{0}")]
    Denied(String),
    /// The operation refused the call (recorded with the error's code).
    #[error(transparent)]
    Refused(E),
    /// The call's changes or its record could not be committed; nothing of it is stored.
    #[error("{0}")]
    Storage(#[from] WriteError),
}

impl<E: AwsError> Failure<E> {
    /// The AWS code of the failure.
    pub fn code(&self) -> ErrorCode {
        match self {
            Failure::Denied(_) => codes::ACCESS_DENIED,
            Failure::Refused(error) => error.code(),
            Failure::Storage(_) => codes::INTERNAL,
        }
    }

    /// The error shape's modeled members besides the message.
    pub fn members(&self) -> serde_json::Map<String, serde_json::Value> {
        match self {
            Failure::Refused(error) => error.members(),
            _ => serde_json::Map::new(),
        }
    }
}

/// The record of one call, before it is committed.
pub struct Record<'a> {
    pub kind: EventKind,
    pub spec: Spec,
    pub ctx: &'a Context,
    pub parameters: Option<serde_json::Value>,
    pub resources: Vec<skywatch_model::EventResource>,
    /// The error code and message when the call failed.
    pub error: Option<(String, String)>,
}

impl Record<'_> {
    /// The record as a mutation, and the CloudTrail event it stores.
    fn into_parts(self) -> (Mutation, skywatch_model::CloudTrailEvent) {
        let time = chrono::DateTime::from_timestamp_millis(self.ctx.now_ms).unwrap_or_default();
        let event = build_event(CallRecord {
            kind: self.kind,
            caller: self.ctx.caller.clone(),
            account: self.ctx.account.clone(),
            region: self.ctx.region.clone(),
            time,
            event_source: self.spec.event_source.to_owned(),
            event_name: self.spec.name.to_owned(),
            read_only: self.spec.access == Access::Read,
            source_ip: self.ctx.origin.source_ip.clone(),
            user_agent: self.ctx.origin.user_agent.clone(),
            request_id: self.ctx.request_id.clone(),
            request_parameters: self.parameters,
            response_elements: None,
            error: self.error,
            resources: self.resources,
        });
        (to_mutation(&event, time), event)
    }
}

/// The message a viewer gets for a writing operation, in AWS's AccessDenied wording.
pub fn denied_message(ctx: &Context, spec: &Spec) -> String {
    format!(
        "User: {} is not authorized to perform: {}:{} because its role is viewer",
        ctx.caller.account(),
        spec.service,
        spec.name
    )
}

impl Services {
    /// Runs `Op` for `ctx`: the role check, the operation, and one durable commit of its changes with its
    /// CloudTrail record. Every outcome, refusals included, is recorded.
    pub async fn invoke<Op: Operation>(&self, ctx: &Context, input: Op::Input) -> Result<Op::Output, Failure<Op::Error>>
    where
        Self: Provides<Op::Engine>,
    {
        let parameters = if Op::audited_bytes_at_least(&input) > MAX_AUDITED_PARAMETER_BYTES {
            None
        } else {
            audited_parameters(&input)
        };
        let record = |error: Option<(String, String)>, resources| Record {
            kind: EventKind::ApiCall,
            spec: Op::SPEC,
            ctx,
            parameters: parameters.clone(),
            resources,
            error,
        };
        if Op::SPEC.access == Access::Write && !ctx.caller.role().may_mutate() {
            let message = denied_message(ctx, &Op::SPEC);
            let error = Some((codes::ACCESS_DENIED.audit_code().to_owned(), message.clone()));
            self.commit(record(error, Vec::new()), Vec::new()).await?;
            return Err(Failure::Denied(message));
        }
        match Op::run(self.engine(), ctx, input).await {
            Ok(effect) => {
                let error = effect.partial.as_ref().map(|e| (e.code().audit_code().to_owned(), e.to_string()));
                let mut batch = effect.changes;
                let notices = if Op::SPEC.access == Access::Write && error.is_none() {
                    self.config_notices(ctx, &effect.resources)
                } else {
                    Vec::new()
                };
                let (event, trail) = record(error, effect.resources).into_parts();
                let event_id = trail.event_id.clone();
                if let Some(build) = effect.with_event {
                    batch.extend(build(&event_id));
                }
                let mut after = effect.after_commit;
                let planned = self.trail_to_bus(&trail, ctx.now_ms).await;
                batch.extend(planned.changes);
                after = chain(after, planned.after);
                if !notices.is_empty() {
                    batch.push(
                        skywatch_config::storage::RecorderChange::Notice(
                            notices
                                .into_iter()
                                .map(|mut n| {
                                    n.event_id.clone_from(&event_id);
                                    n
                                })
                                .collect(),
                        )
                        .mutation(),
                    );
                    let (config, then) = (self.config.clone(), after.take());
                    after = Some(Box::new(move || {
                        if let Some(then) = then {
                            then();
                        }
                        config.wake();
                    }));
                }
                batch.push(event);
                self.commit_then(batch, after).await?;
                match effect.partial {
                    Some(error) => Err(Failure::Refused(error)),
                    None => Ok(effect.reply),
                }
            }
            Err(error) => {
                if error.code().status >= 500 {
                    tracing::error!(operation = Op::SPEC.name, %error, "operation failed");
                }
                let audited = Some((error.code().audit_code().to_owned(), error.to_string()));
                self.commit(record(audited, Vec::new()), Vec::new()).await?;
                Err(Failure::Refused(error))
            }
        }
    }

    /// AWS Config's notices for the resources of Skywatch's own types a writing call touched (their event ids are
    /// filled in once the call's record is built): the recorder describes each and records what changed.
    fn config_notices(&self, ctx: &Context, resources: &[skywatch_model::EventResource]) -> Vec<Notice> {
        let own = self.config.own_types();
        resources
            .iter()
            .filter(|r| own.contains(&r.resource_type.as_str()))
            .map(|r| Notice {
                account: ctx.account.clone(),
                region: ctx.region.clone(),
                resource_type: r.resource_type.clone(),
                arn: r.arn.clone(),
                event_id: String::new(),
                time_ms: ctx.now_ms,
            })
            .collect()
    }

    /// Commits `batch` durably, then runs `after` (e.g. makes written metric points visible), in a task of its
    /// own: a client that disconnects while waiting cannot leave a durable batch unapplied (issue 10).
    async fn commit_then(
        &self,
        batch: Vec<Mutation>,
        after: Option<Box<dyn FnOnce() + Send>>,
    ) -> Result<(), WriteError> {
        let store = self.store.clone();
        let task = tokio::spawn(async move {
            store.apply(batch).await?;
            if let Some(work) = after {
                work();
            }
            Ok(())
        });
        task.await.map_err(|_| WriteError::WriterStopped)?
    }

    /// Commits `data` and `record` in one durable batch (with the deliveries of the record's event on the
    /// account's default bus).
    pub async fn commit(&self, record: Record<'_>, mut data: Vec<Mutation>) -> Result<(), WriteError> {
        let now_ms = record.ctx.now_ms;
        let (mutation, trail) = record.into_parts();
        data.push(mutation);
        let planned = self.trail_to_bus(&trail, now_ms).await;
        data.extend(planned.changes);
        self.commit_then(data, planned.after).await
    }

    /// The deliveries of a CloudTrail record's event ("AWS API Call via CloudTrail", "AWS Console Sign In via
    /// CloudTrail") to the rules of its account's default bus; nothing for a data event, or when routing fails
    /// (the call is recorded all the same).
    async fn trail_to_bus(&self, trail: &skywatch_model::CloudTrailEvent, now_ms: i64) -> Planned {
        let Some(event) = AwsEvent::from_trail(trail, now_ms) else {
            return Planned { changes: Vec::new(), after: None };
        };
        match self.events.plan_aws_event(event, now_ms).await {
            Ok(planned) => planned,
            Err(error) => {
                tracing::warn!(%error, "the CloudTrail event could not be routed to EventBridge");
                Planned { changes: Vec::new(), after: None }
            }
        }
    }
}

/// `first` then `then`, as one piece of after-commit work.
fn chain(
    first: Option<Box<dyn FnOnce() + Send>>,
    then: Option<Box<dyn FnOnce() + Send>>,
) -> Option<Box<dyn FnOnce() + Send>> {
    match (first, then) {
        (Some(first), Some(then)) => Some(Box::new(move || {
            first();
            then();
        })),
        (first, then) => first.or(then),
    }
}

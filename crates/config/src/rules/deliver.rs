//! Posting due invocations to their webhooks through a [`Transport`] the server provides (the engine opens no
//! sockets): each outcome commits with the removal of the invocation, a failed post is retried with backoff,
//! and evaluations in the webhook's answer are recorded as PutEvaluations would record them.

use std::future::Future;
use std::pin::Pin;

use skywatch_configrules::Compliance;
use skywatch_store::Mutation;

use super::invocation::answered;
use super::model::Evaluation;
use super::storage::{Invocation, RuleChange, Touch};

/// A webhook post's outcome: the status and body, or why no answer came.
pub type Outcome = Result<(u16, String), String>;

/// Posts JSON bodies to URLs.
pub trait Transport: Send + Sync + 'static {
    fn post(&self, url: &str, body: String) -> Pin<Box<dyn Future<Output = Outcome> + Send>>;
}

/// Attempts one invocation gets before it is given up.
pub const MAX_ATTEMPTS: u32 = 3;
/// Invocations one pass posts at most.
pub const INVOCATIONS_A_PASS: usize = 64;

/// The backoff before attempt `attempts + 1`.
fn backoff_ms(attempts: u32) -> i64 {
    1_000 * 4_i64.pow(attempts.min(6))
}

/// What an attempt's outcome commits.
pub fn settle(invocation: &Invocation, outcome: &Outcome, now_ms: i64) -> Vec<Mutation> {
    let (account, region) = (invocation.account.clone(), invocation.region.clone());
    let touch = |touch| {
        RuleChange::Touch { account: account.clone(), region: region.clone(), name: invocation.rule.clone(), touch }
            .mutation()
    };
    match outcome {
        Ok((status, body)) if (200..300).contains(status) => {
            let mut changes = vec![
                RuleChange::Attempted { invocation: Box::new(invocation.clone()), retry: None }.mutation(),
                touch(Touch::Invoked { at: now_ms, error: None }),
            ];
            for answer in answered(body) {
                let Some(compliance) =
                    Compliance::parse(&answer.compliance).filter(|c| *c != Compliance::InsufficientData)
                else {
                    continue;
                };
                changes.push(
                    RuleChange::Evaluated {
                        account: account.clone(),
                        region: region.clone(),
                        evaluation: Box::new(Evaluation {
                            rule: invocation.rule.clone(),
                            resource_type: answer.resource_type,
                            resource_id: answer.resource_id,
                            compliance,
                            annotation: answer.annotation.map(|a| a.chars().take(256).collect()),
                            ordering_ms: answer.ordering_ms.unwrap_or(invocation.invoked_ms),
                            recorded_ms: now_ms,
                            invoked_ms: invocation.invoked_ms,
                        }),
                    }
                    .mutation(),
                );
            }
            changes
        }
        failed => {
            let why = match failed {
                Ok((status, _)) => format!("the webhook answered HTTP {status}"),
                Err(error) => error.clone(),
            };
            if invocation.attempts + 1 < MAX_ATTEMPTS {
                let retry = Some(now_ms.saturating_add(backoff_ms(invocation.attempts)));
                vec![RuleChange::Attempted { invocation: Box::new(invocation.clone()), retry }.mutation()]
            } else {
                vec![
                    RuleChange::Attempted { invocation: Box::new(invocation.clone()), retry: None }.mutation(),
                    touch(Touch::Invoked { at: now_ms, error: Some(("FunctionError".into(), why)) }),
                ]
            }
        }
    }
}

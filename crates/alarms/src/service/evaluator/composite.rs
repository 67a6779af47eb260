//! Composite alarms: ALARM while the rule holds over the children's current states, OK otherwise. Composites of
//! composites settle in rounds (a child's change reaches its parents in the same pass); a cycle of composite
//! alarms stops changing after as many rounds as there are composites, as CloudWatch stops evaluating a cycle.

use std::collections::HashMap;

use super::Entry;
use crate::AlarmState;
use crate::definition::{Kind, alarm_arn, referenced_name};
use crate::reason::{Trigger, composite_reason, composite_reason_data};
use crate::rule::{self, Rule};
use crate::service::transition::Transition;

type Key = (String, String, String);

/// Evaluates every composite alarm of `entries`, updating their states in place; returns the transitions to
/// commit and how many composite alarms there are.
pub(crate) fn evaluate_composites(entries: &mut [Entry], now_ms: i64) -> (Vec<Transition>, usize) {
    let rules: Vec<(usize, Rule)> = entries
        .iter()
        .enumerate()
        .filter_map(|(i, e)| match &e.alarm.kind {
            Kind::Composite(composite) => rule::parse(&composite.rule).ok().map(|r| (i, r)),
            Kind::Metric(_) => None,
        })
        .collect();
    let mut states: HashMap<Key, (AlarmState, i64)> = entries
        .iter()
        .map(|e| {
            ((e.account.clone(), e.region.clone(), e.alarm.name.clone()), (e.status.value, e.status.transitioned_ms))
        })
        .collect();
    let mut changes = Vec::new();
    for _round in 0..=rules.len() {
        let mut changed = false;
        for (index, rule) in &rules {
            let entry = &entries[*index];
            let (account, region) = (entry.account.as_str(), entry.region.as_str());
            let state_of = |reference: &str| {
                let name = referenced_name(reference, region, account)?;
                states.get(&(account.to_owned(), region.to_owned(), name.to_owned())).map(|(s, _)| *s)
            };
            let new = if rule.holds(&state_of) { AlarmState::Alarm } else { AlarmState::Ok };
            if new == entry.status.value {
                continue;
            }
            // The children that changed last are what triggered the change.
            let children: Vec<(String, AlarmState, i64)> = rule
                .alarms()
                .into_iter()
                .filter_map(|reference| referenced_name(reference, region, account))
                .filter_map(|name| {
                    states
                        .get(&(account.to_owned(), region.to_owned(), name.to_owned()))
                        .map(|(state, at)| (name.to_owned(), *state, *at))
                })
                .collect();
            let newest = children.iter().map(|(_, _, at)| *at).max();
            let triggers: Vec<Trigger> = children
                .iter()
                .filter(|(_, _, at)| Some(*at) == newest)
                .map(|(name, state, at)| Trigger { arn: alarm_arn(region, account, name), state: *state, at_ms: *at })
                .collect();
            let Kind::Composite(composite) = &entry.alarm.kind else { continue };
            let reason = composite_reason(&composite.rule, &triggers);
            let status = entry.status.moved(new, reason, Some(composite_reason_data(&triggers)), now_ms);
            changes.push(Transition {
                account: account.to_owned(),
                region: region.to_owned(),
                alarm: entry.alarm.clone(),
                old: entry.status.clone(),
                new: status.clone(),
                held_actions_due: false,
            });
            states.insert((account.to_owned(), region.to_owned(), entry.alarm.name.clone()), (new, now_ms));
            entries[*index].status = status;
            changed = true;
        }
        if !changed {
            break;
        }
    }
    (changes, rules.len())
}

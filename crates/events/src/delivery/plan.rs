//! Routing an accepted event: the rules of its bus that match it, and one queued delivery per target of each,
//! as the change committed with whatever accepted the event (PutEvents' record, a forwarding delivery's outcome).

use skywatch_store::{ReadError, Reader};

use super::metrics::Tally;
use super::storage::{Delivery, DeliveryChange, PendingEvent};
use super::target::TargetKind;
use crate::Events;

/// What routing an event came to.
#[derive(Debug, Default)]
pub struct Routed {
    /// The change queueing the deliveries (none when no target gets the event).
    pub change: Option<DeliveryChange>,
    /// Rules that matched.
    pub rules: usize,
}

impl Events {
    /// Routes `event` (its JSON text) on bus (`account`, `region`, `bus`) as the store holds it in `reader`,
    /// counting what it does into `tally`. An event that already came from another bus (`hops` > 0) is not
    /// forwarded to a bus again.
    pub fn route(
        &self,
        reader: &Reader,
        bus: (&str, &str, &str),
        event: String,
        ingested_ms: i64,
        hops: u8,
        tally: &mut Tally,
    ) -> Result<Routed, ReadError> {
        self.route_for(reader, bus, event, (ingested_ms, hops, false), tally)
    }

    /// [`Events::route`]; with `read_only_trail` (a read-only CloudTrail event), only rules in the state
    /// ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS get the event, as in AWS.
    pub fn route_for(
        &self,
        reader: &Reader,
        (account, region, bus): (&str, &str, &str),
        event: String,
        (ingested_ms, hops, read_only_trail): (i64, u8, bool),
        tally: &mut Tally,
    ) -> Result<Routed, ReadError> {
        let routes = self.router.routes(reader, account, region, bus)?;
        if routes.is_empty() {
            return Ok(Routed::default());
        }
        let Ok(flat) = routes.flatten(&event) else { return Ok(Routed::default()) };
        let mut matched = routes.matching(&flat);
        if read_only_trail {
            matched.retain(|rule| rule.all_management);
        }
        if matched.is_empty() {
            return Ok(Routed::default());
        }
        let scope = (account, region);
        tally.total(scope, "MatchedEvents", 1.0);
        let id = self.next_id(ingested_ms);
        let mut deliveries = Vec::new();
        for rule in &matched {
            tally.rule(scope, (bus, &rule.name), "TriggeredRules", 1.0);
            for target in &rule.targets {
                if hops > 0 && matches!(TargetKind::of(&target.arn), TargetKind::Bus { .. }) {
                    tally.rule(scope, (bus, &rule.name), "DeadLetterInvocations", 1.0);
                    continue;
                }
                deliveries.push(Delivery {
                    id: self.next_id(ingested_ms),
                    event: id,
                    account: account.to_owned(),
                    region: region.to_owned(),
                    bus: bus.to_owned(),
                    rule: rule.name.clone(),
                    rule_arn: rule.arn.clone(),
                    target: target.clone(),
                    attempts: 0,
                    created_ms: ingested_ms,
                    due_ms: ingested_ms,
                    last_error: None,
                });
            }
        }
        let rules = matched.len();
        if deliveries.is_empty() {
            return Ok(Routed { change: None, rules });
        }
        tally.total(scope, "InvocationsCreated", deliveries.len() as f64);
        let pending = PendingEvent { event, ingested_ms, hops };
        Ok(Routed { change: Some(DeliveryChange::Enqueue { id, event: Box::new(pending), deliveries }), rules })
    }
}

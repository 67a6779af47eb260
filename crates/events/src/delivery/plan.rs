//! Routing an accepted event: the rules of its bus that match it, one queued delivery per target of each, and
//! the archives of the bus that keep it, as the changes committed with whatever accepted the event (PutEvents'
//! record, a forwarding delivery's outcome, a replay's chunk).

use skywatch_store::{Mutation, ReadError, Reader};

use super::metrics::Tally;
use super::storage::{Delivery, DeliveryChange, PendingEvent};
use super::target::TargetKind;
use crate::Events;
use crate::archive::storage::ArchiveChange;

/// How an event is routed.
#[derive(Debug, Clone, Copy, Default)]
pub struct RouteOptions<'a> {
    /// When EventBridge took the event, epoch ms.
    pub ingested_ms: i64,
    /// Buses the event came through before: an event from another bus is not sent to a bus again.
    pub hops: u8,
    /// A read-only CloudTrail event: only rules in the state ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS get
    /// it, as in AWS.
    pub read_only_trail: bool,
    /// A replayed event: archives do not keep it again, and only the rules these ARNs name get it (all when
    /// empty).
    pub replay: Option<&'a [String]>,
}

/// What routing an event came to.
#[derive(Debug, Default)]
pub struct Routed {
    /// The changes: the deliveries queued, the archives that keep the event.
    pub changes: Vec<Mutation>,
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
        self.route_with(reader, bus, event, RouteOptions { ingested_ms, hops, ..RouteOptions::default() }, tally)
    }

    /// [`Events::route`] with every option.
    pub fn route_with(
        &self,
        reader: &Reader,
        (account, region, bus): (&str, &str, &str),
        event: String,
        options: RouteOptions<'_>,
        tally: &mut Tally,
    ) -> Result<Routed, ReadError> {
        let routes = self.router.routes(reader, account, region, bus)?;
        if routes.is_empty() {
            return Ok(Routed::default());
        }
        let Ok(flat) = routes.flatten(&event) else { return Ok(Routed::default()) };
        let (mut matched, archives) = routes.matching(&flat);
        if options.read_only_trail {
            matched.retain(|rule| rule.all_management);
        }
        if let Some(filter) = options.replay.filter(|f| !f.is_empty()) {
            matched.retain(|rule| filter.contains(&rule.arn));
        }
        let mut changes = Vec::new();
        let ingested_ms = options.ingested_ms;
        if options.replay.is_none() {
            for archive in archives {
                changes.push(
                    ArchiveChange::Append {
                        account: account.to_owned(),
                        region: region.to_owned(),
                        name: archive.name.clone(),
                        archive_id: archive.id,
                        time_ms: ingested_ms,
                        id: self.next_id(ingested_ms),
                        event: event.clone(),
                    }
                    .mutation(),
                );
            }
        }
        if matched.is_empty() {
            return Ok(Routed { changes, rules: 0 });
        }
        let scope = (account, region);
        tally.total(scope, "MatchedEvents", 1.0);
        let id = self.next_id(ingested_ms);
        let mut deliveries = Vec::new();
        for rule in &matched {
            tally.rule(scope, (bus, &rule.name), "TriggeredRules", 1.0);
            for target in &rule.targets {
                if options.hops > 0 && matches!(TargetKind::of(&target.arn), TargetKind::Bus { .. }) {
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
        if !deliveries.is_empty() {
            tally.total(scope, "InvocationsCreated", deliveries.len() as f64);
            let pending = PendingEvent { event, ingested_ms, hops: options.hops };
            changes.push(DeliveryChange::Enqueue { id, event: Box::new(pending), deliveries }.mutation());
        }
        Ok(Routed { changes, rules })
    }
}

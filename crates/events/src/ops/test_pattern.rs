//! TestEventPattern: whether an event (which must carry EventBridge's envelope) matches a pattern.

use serde::Serialize;
use skywatch_eventpattern::Event;
use skywatch_ops::{Access, Context, Effect, Limit, Operation, Spec};

use super::rules::check_pattern;
use super::{EventsError, spec};
use crate::Events;

/// The envelope fields the event must have (AWS's documentation also lists `resources`, which AWS does not
/// require).
const REQUIRED: [&str; 6] = ["id", "account", "source", "time", "region", "detail-type"];

/// TestEventPattern's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TestEventPatternInput {
    pub event_pattern: String,
    pub event: String,
}

/// TestEventPattern.
pub struct TestEventPattern;

impl Operation for TestEventPattern {
    const SPEC: Spec = spec("TestEventPattern", Access::Read).with_limits(&[
        Limit::aws("EventPattern characters", skywatch_eventpattern::MAX_PATTERN_LENGTH as u64),
        Limit::own("Event bytes", skywatch_eventpattern::MAX_EVENT_BYTES as u64),
        Limit::own("Event nesting", skywatch_eventpattern::MAX_DEPTH as u64),
    ]);
    type Engine = Events;
    type Input = TestEventPatternInput;
    type Output = bool;
    type Error = EventsError;

    async fn run(
        _events: &Events,
        _ctx: &Context,
        input: TestEventPatternInput,
    ) -> Result<Effect<bool, EventsError>, EventsError> {
        let pattern = check_pattern(&input.event_pattern)?;
        let invalid = || EventsError::Validation("Parameter Event is not valid.".into());
        let event = Event::parse(&input.event).map_err(|_| invalid())?;
        if REQUIRED.iter().any(|field| !has_member(&input.event, field)) {
            return Err(invalid());
        }
        Ok(Effect::reply(pattern.matches(&event)))
    }
}

/// Whether the event object has a top-level member `name` (of any value).
fn has_member(event: &str, name: &str) -> bool {
    serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(event).is_ok_and(|map| map.contains_key(name))
}

//! Every case of `cases.json`: patterns and events with the answer AWS gave (`TestEventPattern`, recorded by
//! LocalStack's AWS-validated tests), AWS's documentation, or aws/event-ruler (AWS's own matcher) where AWS left no
//! record; for a refusal, the message. Each case names its source.

use serde::Deserialize;
use skywatch_eventpattern::{Event, RuleSet, parse};

#[derive(Deserialize)]
struct Case {
    id: String,
    verified_against: String,
    pattern: String,
    event: Option<String>,
    expected: String,
    error_message: Option<String>,
}

const PREAMBLE: &str = "Event pattern is not valid. Reason: ";

fn cases() -> Vec<Case> {
    serde_json::from_str(include_str!("cases.json")).expect("cases.json is a list of cases")
}

/// AWS refuses wildcard patterns its complexity measure finds too costly; its threshold is not published, and
/// this crate does not refuse them (issue 16's closing note).
fn is_wildcard_complexity(case: &Case) -> bool {
    case.error_message.as_deref().is_some_and(|m| m.contains("Rule is too complex"))
}

#[test]
fn every_case_gets_the_recorded_answer() {
    let cases = cases();
    assert!(cases.len() > 300, "the table is whole");
    let mut failures = Vec::new();
    let mut checked = 0;
    for case in &cases {
        if is_wildcard_complexity(case) || case.expected == "undefined" {
            continue;
        }
        checked += 1;
        let parsed = parse(&case.pattern);
        let outcome = match (&parsed, case.expected.as_str()) {
            (Err(error), "error") => match &case.error_message {
                Some(message) if !message.starts_with("EXC ") && !message.contains("[Source:") => {
                    // Cases run through event-ruler record its bare reason; AWS's message adds the preamble.
                    let message =
                        if message.starts_with(PREAMBLE) { message.clone() } else { format!("{PREAMBLE}{message}") };
                    (error.to_string() == message).then_some(()).ok_or(format!("refused with `{error}`"))
                }
                _ => Ok(()),
            },
            (Err(error), _) => Err(format!("refused with `{error}`")),
            (Ok(_), "valid") => Ok(()),
            (Ok(pattern), expected) => match case.event.as_deref().map(Event::parse) {
                Some(Ok(event)) => {
                    let matched = pattern.matches(&event);
                    let mut one = RuleSet::new();
                    one.insert((), pattern.clone());
                    let by_set = !one.matching(&event).is_empty();
                    if matched != by_set {
                        Err(format!("the pattern says {matched}, a rule set of it {by_set}"))
                    } else if expected == "error" {
                        Err("accepted, but the case expects a refusal".to_owned())
                    } else if matched != (expected == "match") {
                        Err(format!("matched: {matched}"))
                    } else {
                        Ok(())
                    }
                }
                Some(Err(_)) if expected == "error" => Ok(()),
                Some(Err(error)) => Err(format!("the event was refused: {error}")),
                None => Err("the case has no event".to_owned()),
            },
        };
        if let Err(why) = outcome {
            failures.push(format!("{} ({}; expected {}): {why}", case.id, case.verified_against, case.expected));
        }
    }
    assert!(checked > 300);
    assert!(failures.is_empty(), "{} of {checked} cases differ:\n{}", failures.len(), failures.join("\n"));
}

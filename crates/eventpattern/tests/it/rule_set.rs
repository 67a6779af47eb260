//! A rule set answers what its patterns answer one by one, for many rules and many events.

use skywatch_eventpattern::{Event, RuleSet, parse};

use crate::workload::{event, pattern};

#[test]
fn a_rule_set_matches_exactly_the_patterns_that_match_alone() {
    let patterns: Vec<_> = (0..1000).map(|i| parse(&pattern(i)).expect("the generated patterns are valid")).collect();
    let mut set = RuleSet::new();
    for (i, p) in patterns.iter().enumerate() {
        set.insert(i, p.clone());
    }
    let mut total = 0;
    for j in 0..200 {
        let text = event(j);
        let whole = Event::parse(&text).unwrap();
        let expected: Vec<usize> = (0..1000).filter(|&i| patterns[i].matches(&whole)).collect();
        let pruned = set.parse_event(&text).unwrap();
        let got: Vec<usize> = set.matching(&pruned).into_iter().copied().collect();
        assert_eq!(got, expected, "event {j}");
        total += got.len();
    }
    assert!(total > 1000, "the events match a fair share of the rules ({total})");
}

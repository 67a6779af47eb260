//! The server side of the EventBridge functions: thin adapters over the operations the AWS API runs.

use leptos::prelude::*;
use skywatch_core::events::delivery::storage::target_status;
use skywatch_core::events::{
    DescribeRule, ListEventBuses, ListEventBusesInput, ListRules, ListRulesInput, ListTargetsByRule,
    ListTargetsByRuleInput, RuleNameInput, TestEventPattern, TestEventPatternInput,
};

use super::{EventRuleRow, EventRuleView, EventRulesView, EventTargetRow};
use crate::api::ssr;

pub async fn rules(
    region: String,
    account: Option<String>,
    bus: Option<String>,
) -> Result<EventRulesView, ServerFnError> {
    let (services, ctx) = ssr::context(&region, account.as_deref()).await?;
    let mut buses = Vec::new();
    let mut next_token = None;
    loop {
        let page = services
            .invoke::<ListEventBuses>(&ctx, ListEventBusesInput { next_token, ..Default::default() })
            .await
            .map_err(ssr::failed)?;
        buses.extend(page.event_buses.into_iter().map(|b| b.name));
        match page.next_token {
            Some(token) => next_token = Some(token),
            None => break,
        }
    }
    let bus = bus.filter(|b| !b.is_empty()).unwrap_or_else(|| "default".to_owned());
    let mut rules = Vec::new();
    let mut next_token = None;
    loop {
        let input = ListRulesInput { event_bus_name: Some(bus.clone()), next_token, ..Default::default() };
        let page = services.invoke::<ListRules>(&ctx, input).await.map_err(ssr::failed)?;
        rules.extend(page.rules.into_iter().map(|r| EventRuleRow {
            schedule: r.schedule_expression.is_some() && r.event_pattern.is_none(),
            definition: r.event_pattern.or(r.schedule_expression).unwrap_or_default(),
            name: r.name,
            state: r.state,
            description: r.description.unwrap_or_default(),
        }));
        match page.next_token {
            Some(token) => next_token = Some(token),
            None => break,
        }
    }
    Ok(EventRulesView { buses, bus, rules })
}

pub async fn rule(
    region: String,
    account: Option<String>,
    bus: String,
    name: String,
) -> Result<EventRuleView, ServerFnError> {
    let (services, ctx) = ssr::context(&region, account.as_deref()).await?;
    let described = services
        .invoke::<DescribeRule>(&ctx, RuleNameInput { name: name.clone(), event_bus_name: Some(bus.clone()) })
        .await
        .map_err(ssr::failed)?;
    let input = ListTargetsByRuleInput { rule: name.clone(), event_bus_name: Some(bus.clone()), ..Default::default() };
    let targets = services.invoke::<ListTargetsByRule>(&ctx, input).await.map_err(ssr::failed)?.targets;
    let (account, region, reading_bus, reading_rule) =
        (ctx.account.clone(), ctx.region.clone(), bus.clone(), name.clone());
    let ids: Vec<String> = targets.iter().map(|t| t.id.clone()).collect();
    let statuses = services
        .store
        .read(move |reader| {
            ids.iter()
                .map(|id| target_status(reader, (&account, &region, &reading_bus, &reading_rule), id))
                .collect::<Result<Vec<_>, _>>()
        })
        .await
        .map_err(|e| ServerFnError::new(e.to_string()))?;
    let targets = targets
        .into_iter()
        .zip(statuses)
        .map(|(t, s)| EventTargetRow {
            input: if t.input.is_some() {
                "Constant (JSON text)"
            } else if t.input_path.is_some() {
                "Part of the event"
            } else if t.input_transformer.is_some() {
                "Input transformer"
            } else {
                "Matched event"
            }
            .to_owned(),
            id: t.id,
            arn: t.arn,
            delivered: s.delivered,
            failed: s.failed,
            retried: s.retried,
            last_delivery_ms: s.last_delivery_ms,
            last_error: s.last_error,
        })
        .collect();
    Ok(EventRuleView {
        name: described.name,
        bus,
        arn: described.arn,
        state: described.state,
        description: described.description.unwrap_or_default(),
        pattern: described.event_pattern,
        schedule: described.schedule_expression,
        targets,
    })
}

pub async fn test_pattern(
    region: String,
    account: Option<String>,
    pattern: String,
    event: String,
) -> Result<bool, ServerFnError> {
    let (services, ctx) = ssr::context(&region, account.as_deref()).await?;
    services
        .invoke::<TestEventPattern>(&ctx, TestEventPatternInput { event_pattern: pattern, event })
        .await
        .map_err(ssr::failed)
}

//! Partner event sources in their wire shapes (the partner's side and the customer's).

use serde_json::{Map, Value, json};
use skywatch_core::events::{
    ActivateEventSource, CreatePartnerEventSource, DeactivateEventSource, DeletePartnerEventSource,
    DescribeEventSource, DescribePartnerEventSource, ListEventSources, ListPartnerEventSourceAccounts,
    ListPartnerEventSources, ListSourcesInput, PartnerSourceInput, PutEventsOutput, PutPartnerEvents,
    PutPartnerEventsInput, SourceAccountsInput, SourceDescription, SourceNameInput,
};
use skywatch_core::ops::Context;

use super::delivery::{entries_reply, entry};
use super::{owned, put, seconds};
use crate::errors::ApiError;
use crate::params::{i64_opt, list_opt, str_opt, str_required};
use crate::registry::Wire;

fn source_input(params: &Value) -> Result<PartnerSourceInput, ApiError> {
    Ok(PartnerSourceInput {
        name: str_required(params, "Name")?.to_owned(),
        account: str_required(params, "Account")?.to_owned(),
    })
}

fn name_input(params: &Value) -> Result<SourceNameInput, ApiError> {
    Ok(SourceNameInput { name: str_required(params, "Name")?.to_owned() })
}

fn list_input(params: &Value) -> Result<ListSourcesInput, ApiError> {
    Ok(ListSourcesInput { name_prefix: owned(str_opt(params, "NamePrefix")?), limit: i64_opt(params, "Limit")? })
}

/// A source as its customer sees it (`Account` instead of `Arn` and `Name` in the partner's account list).
fn source(described: SourceDescription, for_partner: bool) -> Value {
    let s = described.source;
    let mut out = Map::new();
    if for_partner {
        out.insert("Account".into(), json!(s.account));
    } else {
        out.insert("Arn".into(), json!(described.arn));
        out.insert("CreatedBy".into(), json!(s.created_by));
        out.insert("Name".into(), json!(s.name));
    }
    out.insert("CreationTime".into(), seconds(s.created_ms));
    put(&mut out, "ExpirationTime", described.expires_ms.map(seconds));
    out.insert("State".into(), json!(s.state.as_str()));
    Value::Object(out)
}

fn arn_and_name(arn: String) -> Value {
    let name = arn.split_once("event-source/").map(|(_, n)| n.to_owned()).unwrap_or_default();
    json!({ "Arn": arn, "Name": name })
}

impl Wire for CreatePartnerEventSource {
    fn decode(_ctx: &Context, params: &Value) -> Result<PartnerSourceInput, ApiError> {
        source_input(params)
    }

    fn encode(arn: String) -> Value {
        json!({ "EventSourceArn": arn })
    }
}

impl Wire for DeletePartnerEventSource {
    fn decode(_ctx: &Context, params: &Value) -> Result<PartnerSourceInput, ApiError> {
        source_input(params)
    }

    fn encode((): ()) -> Value {
        json!({})
    }
}

impl Wire for DescribePartnerEventSource {
    fn decode(_ctx: &Context, params: &Value) -> Result<SourceNameInput, ApiError> {
        name_input(params)
    }

    fn encode(arn: String) -> Value {
        arn_and_name(arn)
    }
}

impl Wire for ListPartnerEventSources {
    fn decode(_ctx: &Context, params: &Value) -> Result<ListSourcesInput, ApiError> {
        let _ = str_required(params, "NamePrefix")?;
        list_input(params)
    }

    fn encode(names: Vec<String>) -> Value {
        let region_free = names
            .into_iter()
            .map(|name| json!({ "Arn": format!("arn:aws:events:::event-source/{name}"), "Name": name }))
            .collect();
        json!({ "PartnerEventSources": Value::Array(region_free) })
    }
}

impl Wire for ListPartnerEventSourceAccounts {
    fn decode(_ctx: &Context, params: &Value) -> Result<SourceAccountsInput, ApiError> {
        Ok(SourceAccountsInput {
            event_source_name: str_required(params, "EventSourceName")?.to_owned(),
            limit: i64_opt(params, "Limit")?,
        })
    }

    fn encode(accounts: Vec<SourceDescription>) -> Value {
        json!({ "PartnerEventSourceAccounts": accounts.into_iter().map(|a| source(a, true)).collect::<Vec<_>>() })
    }
}

impl Wire for PutPartnerEvents {
    fn decode(_ctx: &Context, params: &Value) -> Result<PutPartnerEventsInput, ApiError> {
        Ok(PutPartnerEventsInput { entries: list_opt(params, "Entries")?.iter().map(entry).collect::<Result<_, _>>()? })
    }

    fn encode(output: PutEventsOutput) -> Value {
        entries_reply(output)
    }
}

impl Wire for ListEventSources {
    fn decode(_ctx: &Context, params: &Value) -> Result<ListSourcesInput, ApiError> {
        list_input(params)
    }

    fn encode(sources: Vec<SourceDescription>) -> Value {
        json!({ "EventSources": sources.into_iter().map(|s| source(s, false)).collect::<Vec<_>>() })
    }
}

impl Wire for DescribeEventSource {
    fn decode(_ctx: &Context, params: &Value) -> Result<SourceNameInput, ApiError> {
        name_input(params)
    }

    fn encode(described: SourceDescription) -> Value {
        source(described, false)
    }
}

impl Wire for ActivateEventSource {
    fn decode(_ctx: &Context, params: &Value) -> Result<SourceNameInput, ApiError> {
        name_input(params)
    }

    fn encode((): ()) -> Value {
        json!({})
    }
}

impl Wire for DeactivateEventSource {
    fn decode(_ctx: &Context, params: &Value) -> Result<SourceNameInput, ApiError> {
        name_input(params)
    }

    fn encode((): ()) -> Value {
        json!({})
    }
}

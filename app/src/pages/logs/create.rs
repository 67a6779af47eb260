//! "Create log group": a dialog asking for the name, the retention (AWS's allowed periods), the log class, an
//! optional KMS key ARN and tags; CreateLogGroup then PutRetentionPolicy. Escape or Cancel closes it.

use leptos::prelude::*;

use super::{error_text, retention_choice};
use crate::api::{GROUP_CLASSES, NewLogGroup, RETENTION_DAYS, logs_group_create};
use crate::components::query::use_region;
use crate::components::shortcuts::close_on_escape;
use leptos_router::hooks::use_query_map;

/// One tag row of the form: its id (for the list's keys), key and value.
type TagRow = (u32, RwSignal<String>, RwSignal<String>);

#[component]
pub fn CreateGroupDialog(open: RwSignal<bool>, created: Callback<String>) -> impl IntoView {
    close_on_escape(move || open.set(false));
    let query = use_query_map();
    let region = use_region();
    let name = RwSignal::new(String::new());
    let retention = RwSignal::new(String::new());
    let class = RwSignal::new(GROUP_CLASSES[0].0.to_owned());
    let kms_key = RwSignal::new(String::new());
    let tags = RwSignal::new(Vec::<TagRow>::new());
    let next_tag = StoredValue::new(0u32);
    let error = RwSignal::new(None::<String>);
    let create = Action::new(move |group: &NewLogGroup| {
        let (group, region, account) = (group.clone(), region.get_untracked(), query.read_untracked().get("account"));
        async move {
            let name = group.name.clone();
            logs_group_create(region, account, group).await.map(|()| name)
        }
    });
    Effect::new(move |_| {
        if let Some(result) = create.value().get() {
            match result {
                Ok(name) => created.run(name),
                Err(e) => error.set(Some(error_text(&e))),
            }
        }
    });
    let add_tag = move |_| {
        let id = next_tag.get_value();
        next_tag.set_value(id + 1);
        tags.update(|t| t.push((id, RwSignal::new(String::new()), RwSignal::new(String::new()))));
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let wanted = name.get_untracked().trim().to_owned();
        if wanted.is_empty() {
            error.set(Some("Enter a log group name.".into()));
            return;
        }
        let group = NewLogGroup {
            name: wanted,
            retention_days: retention.get_untracked().parse().ok(),
            class: class.get_untracked(),
            kms_key: kms_key.get_untracked(),
            tags: tags
                .get_untracked()
                .iter()
                .map(|(_, k, v)| (k.get_untracked(), v.get_untracked()))
                .filter(|(k, _)| !k.trim().is_empty())
                .collect(),
        };
        error.set(None);
        create.dispatch(group);
    };
    view! {
        <div class="overlay" on:click=move |_| open.set(false)>
            <div class="dialog narrow logs-dialog" role="dialog" aria-modal="true" aria-label="Create log group"
                on:click=|ev| ev.stop_propagation() data-testid="create-group-dialog">
                <form class="dialog-body" on:submit=submit>
                    <h2>"Create log group"</h2>
                    <label class="block">
                        "Log group name"
                        <input type="text" autofocus required maxlength="512" spellcheck="false" placeholder="/app/checkout"
                            prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) data-testid="create-group-name"/>
                        <span class="muted small">"Up to 512 letters, digits and . - _ / #"</span>
                    </label>
                    <div class="logs-form-pair">
                        <label class="block">
                            "Retention"
                            <select data-testid="create-group-retention" on:change=move |ev| retention.set(event_target_value(&ev))>
                                <option value="" selected=true>"Never expire"</option>
                                {RETENTION_DAYS.iter().map(|days| view! { <option value=days.to_string()>{retention_choice(*days)}</option> }).collect_view()}
                            </select>
                        </label>
                        <label class="block">
                            "Log class"
                            <select data-testid="create-group-class" on:change=move |ev| class.set(event_target_value(&ev))>
                                {GROUP_CLASSES.iter().map(|(value, label)| view! { <option value=*value selected=*value == "STANDARD">{*label}</option> }).collect_view()}
                            </select>
                        </label>
                    </div>
                    <label class="block">
                        "KMS key ARN (optional)"
                        <input type="text" maxlength="256" spellcheck="false" class="mono"
                            placeholder="arn:aws:kms:<region>:<account>:key/<key-id>"
                            prop:value=move || kms_key.get() on:input=move |ev| kms_key.set(event_target_value(&ev)) data-testid="create-group-kms"/>
                        <span class="muted small">"Events ingested from now on are encrypted with this key."</span>
                    </label>
                    <div class="block-label">
                        <span>"Tags"</span>
                        <For each=move || tags.get() key=|row| row.0 let:row>
                            <div class="inline-form logs-tag-row" data-testid="create-group-tag">
                                <input type="text" aria-label="Tag key" placeholder="Key" maxlength="128"
                                    prop:value=move || row.1.get() on:input=move |ev| row.1.set(event_target_value(&ev)) data-testid="tag-key"/>
                                <input type="text" aria-label="Tag value" placeholder="Value" maxlength="256"
                                    prop:value=move || row.2.get() on:input=move |ev| row.2.set(event_target_value(&ev)) data-testid="tag-value"/>
                                <button type="button" class="secondary" on:click=move |_| tags.update(|t| t.retain(|r| r.0 != row.0))>"Remove"</button>
                            </div>
                        </For>
                        <div><button type="button" class="secondary" on:click=add_tag data-testid="create-group-add-tag">"Add tag"</button></div>
                    </div>
                    {move || error.get().map(|e| view! { <div class="error" role="alert" data-testid="create-group-error">{e}</div> })}
                    <div class="dialog-actions">
                        <button type="button" class="secondary" on:click=move |_| open.set(false) data-testid="create-group-cancel">"Cancel"</button>
                        <button type="submit" class="primary" disabled=move || create.pending().get() data-testid="create-group-submit">"Create"</button>
                    </div>
                </form>
            </div>
        </div>
    }
}

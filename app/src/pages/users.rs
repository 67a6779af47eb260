//! Console users: everyone sees the list; admins add users. Viewers see the form disabled, and the server
//! refuses them regardless.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::{AddUser, ConsoleContext, list_users};

#[component]
pub fn UsersPage() -> impl IntoView {
    let add = ServerAction::<AddUser>::new();
    let users = Resource::new(move || add.version().get(), |_| list_users());
    let context = use_context::<Resource<Result<Option<ConsoleContext>, ServerFnError>>>();
    view! {
        <Title text="Users"/>
        <div class="breadcrumb">"Settings › Users"</div>
        <h1 data-testid="page-title">"Users"</h1>
        <Transition fallback=|| view! { <p class="muted">"Loading users…"</p> }>
            {move || Suspend::new(async move {
                match users.await {
                    Ok(list) if list.is_empty() => view! {
                        <p class="empty" data-testid="users-empty">
                            "No console users yet. Add one below, or with "
                            <code>"skywatch user add NAME --role admin"</code>
                            " while the server is stopped."
                        </p>
                    }
                        .into_any(),
                    Ok(list) => view! {
                        <table class="grid" data-testid="users-table">
                            <thead><tr><th>"User name"</th><th>"Role"</th></tr></thead>
                            <tbody>
                                {list
                                    .into_iter()
                                    .map(|u| view! {
                                        <tr data-testid="user-row"><td>{u.name}</td><td><span class="badge">{u.role}</span></td></tr>
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    }
                        .into_any(),
                    Err(e) => view! { <div class="error" role="alert">{e.to_string()}</div> }.into_any(),
                }
            })}
        </Transition>
        <h2>"Add user"</h2>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let is_viewer = match context {
                    Some(context) => context.await.ok().flatten().is_some_and(|ctx| ctx.role != "admin"),
                    None => false,
                };
                view! {
                    <ActionForm action=add attr:class="inline-form" attr:data-testid="add-user-form">
                        <fieldset disabled=is_viewer>
                            <input type="text" name="name" placeholder="User name" required data-testid="add-user-name"/>
                            <input
                                type="password"
                                name="password"
                                placeholder="Password (8+ characters)"
                                required
                                data-testid="add-user-password"
                            />
                            <select name="role" data-testid="add-user-role">
                                <option value="viewer">"viewer"</option>
                                <option value="admin">"admin"</option>
                            </select>
                            <button type="submit" class="primary" data-testid="add-user-submit">"Add user"</button>
                        </fieldset>
                    </ActionForm>
                    {is_viewer.then(|| view! { <p class="muted" data-testid="viewer-note">"Viewers cannot add users."</p> })}
                }
            })}
        </Transition>
        {move || match add.value().get() {
            Some(Err(e)) => Some(view! { <div class="error" role="alert" data-testid="add-user-error">{e.to_string()}</div> }.into_any()),
            Some(Ok(())) => Some(view! { <div class="success" data-testid="add-user-ok">"User saved."</div> }.into_any()),
            None => None,
        }}
    }
}

//! The frame around every page: top bar (brand, region, account, time range, theme, user) and the left menu.

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_query_map};

use super::query::{REGIONS, href, use_region};
use super::shortcuts;
use super::theme::{ConsoleTheme, ThemeToggle, initial_theme, toggle_theme};
use super::time_range::TimeRangePicker;
use crate::api::{ConsoleContext, Logout, whoami};
use crate::nav::{MENU, test_id};

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let theme = RwSignal::new(initial_theme());
    provide_context(ConsoleTheme(theme));
    shortcuts::install(move || toggle_theme(theme));
    let context = Resource::new(|| (), |_| whoami());
    provide_context(context);
    view! {
        <div class="app" data-theme=move || theme.get() data-testid="app-root">
            <header class="topbar">
                <a class="brand" href="/" data-testid="brand">
                    <span class="brand-mark">"◈"</span>
                    " Skywatch"
                </a>
                <RegionSelect/>
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        context.await.ok().flatten().map(|ctx| view! { <AccountSelect ctx=ctx/> })
                    })}
                </Transition>
                <div class="spacer"></div>
                <TimeRangePicker/>
                <ThemeToggle theme=theme/>
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        match context.await {
                            Ok(Some(ctx)) => view! { <UserMenu ctx=ctx/> }.into_any(),
                            _ => view! { <a href="/login" data-testid="sign-in-link">"Sign in"</a> }.into_any(),
                        }
                    })}
                </Transition>
            </header>
            <div class="frame">
                <SideNav/>
                <main class="content" data-testid="content">{children()}</main>
            </div>
        </div>
    }
}

#[component]
fn SideNav() -> impl IntoView {
    let location = use_location();
    let query = use_query_map();
    view! {
        <nav class="sidenav" aria-label="Services" data-testid="sidenav">
            {MENU
                .iter()
                .map(|service| {
                    view! {
                        <div class="nav-group">
                            <div class="nav-service">{service.label}</div>
                            <ul>
                                {service
                                    .pages
                                    .iter()
                                    .map(|page| {
                                        let path = page.path;
                                        let active = move || location.pathname.get() == path;
                                        view! {
                                            <li>
                                                <a
                                                    href=move || href(path, &query.read(), &[])
                                                    class:active=active
                                                    aria-current=move || if active() { "page" } else { "false" }
                                                    data-testid=format!("nav-{}", test_id(path))
                                                >
                                                    {page.label}
                                                </a>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        </div>
                    }
                })
                .collect_view()}
        </nav>
    }
}

#[component]
fn RegionSelect() -> impl IntoView {
    let region = use_region();
    let location = use_location();
    let query = use_query_map();
    view! {
        <details class="menu" data-testid="region-select">
            <summary title="Region">{move || region.get()}</summary>
            <div class="menu-items">
                {REGIONS
                    .iter()
                    .map(|r| {
                        let r = *r;
                        view! {
                            <a
                                href=move || href(&location.pathname.get(), &query.read(), &[("region", r)])
                                class:active=move || region.get() == r
                                data-testid=format!("region-{r}")
                            >
                                {r}
                            </a>
                        }
                    })
                    .collect_view()}
            </div>
        </details>
    }
}

#[component]
fn AccountSelect(ctx: ConsoleContext) -> impl IntoView {
    let location = use_location();
    let query = use_query_map();
    let selected = move || query.read().get("account").unwrap_or_else(|| ctx.account.clone());
    let accounts = ctx.accounts.clone();
    view! {
        <details class="menu" data-testid="account-select">
            <summary title="Account">"Account " {selected.clone()}</summary>
            <div class="menu-items">
                {accounts
                    .into_iter()
                    .map(|account| {
                        let link_account = account.clone();
                        view! {
                            <a
                                href=move || href(&location.pathname.get(), &query.read(), &[("account", &link_account)])
                                data-testid=format!("account-{account}")
                            >
                                {account.clone()}
                            </a>
                        }
                    })
                    .collect_view()}
            </div>
        </details>
    }
}

#[component]
fn UserMenu(ctx: ConsoleContext) -> impl IntoView {
    let logout = ServerAction::<Logout>::new();
    view! {
        <details class="menu menu-right" data-testid="user-menu">
            <summary>
                <span data-testid="current-user">{ctx.user.clone()}</span>
                " "
                <span class="badge" data-testid="current-role">{ctx.role.clone()}</span>
            </summary>
            <div class="menu-items">
                <span class="menu-note">"Signed in as " {ctx.user.clone()}</span>
                {ctx
                    .auth_enabled
                    .then(|| {
                        view! {
                            <ActionForm action=logout>
                                <button type="submit" class="link-button" data-testid="sign-out">"Sign out"</button>
                            </ActionForm>
                        }
                    })}
            </div>
        </details>
    }
}

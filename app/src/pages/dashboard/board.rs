//! The dashboard screen's shared state ([`Board`]): the saved and the working body, edit mode, the open dialog,
//! the grid's measured width, and the rendered data, fetched again only when what the widgets show changes
//! (not when they move), when the range changes, and on each auto-refresh tick.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use skywatch_dashboards::body::{DashboardBody, Placement};
use skywatch_dashboards::edit::data_key;
use skywatch_dashboards::{ValidationMessage, parse_body};

use super::dialogs::Dialogs;
use super::grid::Grid;
use super::toolbar::{RefreshTimer, Toolbar};
use crate::api::{LoadedDashboard, Rendered, dashboard_render};
use crate::components::query::use_region;

/// Which dialog is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialog {
    None,
    Source,
    AddWidget,
    EditWidget(usize),
    Rename,
    Duplicate,
    Delete,
}

/// The screen's state, shared by its parts as a context.
#[derive(Clone, Copy)]
pub struct Board {
    pub name: RwSignal<String>,
    pub automatic: bool,
    /// The body as last loaded or saved.
    pub saved: RwSignal<String>,
    /// The body shown, with unsaved edits.
    pub working: RwSignal<String>,
    pub editing: RwSignal<bool>,
    pub dialog: RwSignal<Dialog>,
    /// The grid's width in CSS pixels (measured in the browser).
    pub grid_width: RwSignal<f64>,
    /// Whether the browser has measured the grid (the server renders at [`super::grid::DEFAULT_WIDTH`]).
    pub measured: RwSignal<bool>,
    pub parsed: Memo<Result<DashboardBody, Vec<ValidationMessage>>>,
    pub layout: Memo<Vec<Placement>>,
    pub rendered: Resource<Result<Rendered, ServerFnError>>,
    /// A message after saving and the like.
    pub notice: RwSignal<Option<(bool, String)>>,
    /// Bumped to fetch the data again (refresh button, auto-refresh).
    pub tick: RwSignal<u64>,
}

impl Board {
    pub fn dirty(&self) -> bool {
        self.working.with(|w| self.saved.with(|s| w != s))
    }

    /// Applies an edit to the working body; an edit that cannot apply (the body is not valid JSON) is ignored.
    pub fn edit(&self, change: impl FnOnce(&str) -> Option<String>) {
        let next = self.working.with_untracked(|body| change(body));
        if let Some(next) = next {
            self.working.set(next);
        }
    }
}

/// The whole screen of one loaded dashboard.
#[component]
pub fn Screen(dashboard: LoadedDashboard) -> impl IntoView {
    let query = use_query_map();
    let region = use_region();
    let account = Memo::new(move |_| query.read().get("account"));
    let range = Memo::new(move |_| query.read().get("range"));
    let working = RwSignal::new(dashboard.body.clone());
    let parsed = Memo::new(move |_| working.with(|body| parse_body(body)));
    let layout = Memo::new(move |_| parsed.with(|p| p.as_ref().map(DashboardBody::layout).unwrap_or_default()));
    let key = Memo::new(move |_| working.with(|body| data_key(body)));
    let tick = RwSignal::new(0u64);
    let theme = use_context::<crate::components::theme::ConsoleTheme>();
    let rendered = Resource::new(
        move || (region.get(), account.get(), key.get(), range.get(), tick.get()),
        move |(region, account, _, range, _)| {
            let body = working.get_untracked();
            let placements = layout.get_untracked();
            let dark = theme.is_some_and(|t| t.0.get_untracked() == "dark");
            async move {
                let rendered = dashboard_render(region, account, body, range).await?;
                #[cfg(feature = "ssr")]
                let rendered = super::widget::prerender_widgets(rendered, &placements, dark).await;
                #[cfg(not(feature = "ssr"))]
                let _ = (placements, dark);
                Ok(rendered)
            }
        },
    );
    let editing = query.read_untracked().get("edit").is_some_and(|v| v == "1") && !dashboard.automatic;
    let board = Board {
        name: RwSignal::new(dashboard.name.clone()),
        automatic: dashboard.automatic,
        saved: RwSignal::new(dashboard.body),
        working,
        editing: RwSignal::new(editing),
        dialog: RwSignal::new(Dialog::None),
        grid_width: RwSignal::new(super::grid::DEFAULT_WIDTH),
        measured: RwSignal::new(false),
        parsed,
        layout,
        rendered,
        notice: RwSignal::new(None),
        tick,
    };
    provide_context(board);
    let title = move || {
        let name = board.name.get();
        if board.automatic { format!("{name} (automatic dashboard)") } else { name }
    };
    crate::components::shortcuts::close_on_escape(move || board.dialog.set(Dialog::None));
    view! {
        <Title text=move || format!("{} | CloudWatch dashboards", board.name.get())/>
        <div class="dashboard-screen" class:editing=move || board.editing.get()>
            <div class="breadcrumb">
                <a href="/cloudwatch/dashboards" data-testid="dashboards-breadcrumb">"CloudWatch › Dashboards"</a>
                {move || if board.automatic { " › Automatic" } else { "" }}
            </div>
            <div class="dashboard-title">
                <h1 data-testid="page-title">{title}</h1>
                {move || board.dirty().then(|| view! { <span class="badge" data-testid="unsaved">"Unsaved changes"</span> })}
            </div>
            <Toolbar/>
            <RefreshTimer/>
            {move || board.notice.get().map(|(ok, text)| {
                let class = if ok { "success" } else { "error" };
                view! { <div class=class role="status" data-testid="dashboard-notice">{text}</div> }
            })}
            {move || board.parsed.with(|parsed| parsed.as_ref().err().map(|messages| view! { <InvalidBody messages=messages.clone()/> }))}
            <Transition fallback=|| view! { <p class="muted" data-testid="widgets-loading">"Loading widgets…"</p> }>
                {move || Suspend::new(async move {
                    // The grid reads each widget's content from the resource; awaiting it here lets the server
                    // render the page with every widget drawn.
                    let _ = board.rendered.await;
                    view! { <Grid/> }
                })}
            </Transition>
            <Dialogs/>
        </div>
    }
}

/// The body's validation messages, as CloudWatch lists them.
#[component]
pub fn InvalidBody(messages: Vec<ValidationMessage>) -> impl IntoView {
    view! {
        <div class="error" role="alert" data-testid="body-invalid">
            <strong>"The dashboard body is invalid:"</strong>
            <ul class="validation">
                {messages
                    .into_iter()
                    .map(|m| view! { <li data-testid="validation-message"><code>{m.data_path}</code>" "{m.message}</li> })
                    .collect_view()}
            </ul>
        </div>
    }
}

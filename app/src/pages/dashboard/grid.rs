//! The 24-column grid: each widget's frame at its place, sized in pixels from the grid's measured width; in edit
//! mode a widget moves by dragging its header and resizes by dragging its corner, snapping to cells, and the
//! widgets it lands on are pushed down.

use leptos::html::Div;
use leptos::prelude::*;
use skywatch_dashboards::arrange::{self, COLUMNS};
use skywatch_dashboards::body::Placement;
use skywatch_dashboards::edit::set_placements;

use super::board::{Board, Dialog};
use super::widget::WidgetBody;
use crate::api::Rendered;

/// The grid's width before the browser measures it.
pub const DEFAULT_WIDTH: f64 = 1_180.0;
/// One grid row, in pixels.
pub const ROW_PX: f64 = 34.0;
/// The gap between cells, in pixels.
pub const GAP_PX: f64 = 8.0;
/// The widget header's height, in pixels.
pub const HEADER_PX: f64 = 30.0;

/// A cell's width for a grid `width` pixels wide.
pub fn column_px(width: f64) -> f64 {
    ((width - GAP_PX * f64::from(COLUMNS - 1)) / f64::from(COLUMNS)).max(8.0)
}

/// The pixel size of a widget's content area (below its header).
pub fn content_size(place: &Placement, grid_width: f64) -> (u32, u32) {
    let column = column_px(grid_width);
    let width = column * f64::from(place.width) + GAP_PX * f64::from(place.width.saturating_sub(1)) - 2.0;
    let height =
        ROW_PX * f64::from(place.height) + GAP_PX * f64::from(place.height.saturating_sub(1)) - HEADER_PX - 6.0;
    (width.max(60.0) as u32, height.max(40.0) as u32)
}

/// A move or resize in progress.
#[derive(Debug, Clone, PartialEq)]
struct Drag {
    index: usize,
    resize: bool,
    start_x: f64,
    start_y: f64,
    from: Placement,
    to: Placement,
}

#[component]
pub fn Grid() -> impl IntoView {
    let board = expect_context::<Board>();
    let node = NodeRef::<Div>::new();
    let measure = move || {
        if let Some(element) = node.get_untracked() {
            let width = f64::from(element.client_width());
            if width > 0.0 && (width - board.grid_width.get_untracked()).abs() > 0.5 {
                board.grid_width.set(width);
            }
            if width > 0.0 && !board.measured.get_untracked() {
                board.measured.set(true);
            }
        }
    };
    Effect::new(move |_| {
        if node.get().is_some() {
            measure();
        }
    });
    let resize = window_event_listener(leptos::ev::resize, move |_| measure());
    on_cleanup(move || resize.remove());

    let drag = RwSignal::new(None::<Drag>);
    let moving = window_event_listener(leptos::ev::pointermove, move |ev| {
        if drag.with_untracked(Option::is_none) {
            return;
        }
        let column = column_px(board.grid_width.get_untracked()) + GAP_PX;
        drag.update(|d| {
            if let Some(d) = d {
                let dx = ((f64::from(ev.client_x()) - d.start_x) / column).round() as i64;
                let dy = ((f64::from(ev.client_y()) - d.start_y) / (ROW_PX + GAP_PX)).round() as i64;
                let shift = |value: u32, by: i64| u32::try_from((i64::from(value) + by).max(0)).unwrap_or(0);
                let to = if d.resize {
                    Placement {
                        width: shift(d.from.width, dx).max(1),
                        height: shift(d.from.height, dy).max(1),
                        ..d.from
                    }
                } else {
                    Placement { x: shift(d.from.x, dx), y: shift(d.from.y, dy), ..d.from }
                };
                d.to = arrange::clamp(to);
            }
        });
    });
    let dropping = window_event_listener(leptos::ev::pointerup, move |_| {
        let Some(done) = drag.get_untracked() else {
            return;
        };
        drag.set(None);
        if done.to != done.from {
            let mut placements = board.layout.get_untracked();
            arrange::place(&mut placements, done.index, done.to);
            board.edit(|body| set_placements(body, &placements));
        }
    });
    on_cleanup(move || {
        moving.remove();
        dropping.remove();
    });

    // Where each widget is drawn: its place, or where the drag would put it (with the others pushed down).
    let shown = Memo::new(move |_| {
        let mut placements = board.layout.get();
        if let Some(d) = drag.get() {
            arrange::place(&mut placements, d.index, d.to);
        }
        placements
    });
    let rows = Memo::new(move |_| shown.with(|p| arrange::bottom(p)).max(1));
    let start = move |index: usize, resize: bool, ev: leptos::ev::PointerEvent| {
        if !board.editing.get_untracked() || ev.button() != 0 {
            return;
        }
        ev.prevent_default();
        let from = board.layout.with_untracked(|l| l.get(index).copied());
        if let Some(from) = from {
            drag.set(Some(Drag {
                index,
                resize,
                start_x: f64::from(ev.client_x()),
                start_y: f64::from(ev.client_y()),
                to: from,
                from,
            }));
        }
    };
    let count = Memo::new(move |_| board.layout.with(Vec::len));
    view! {
        <div
            class="dash-grid"
            class:dragging=move || drag.with(Option::is_some)
            node_ref=node
            data-testid="dashboard-grid"
            data-measured=move || board.measured.get().to_string()
            data-width=move || format!("{:.0}", board.grid_width.get())
            style=move || format!("height: {}px", f64::from(rows.get()) * (ROW_PX + GAP_PX))
        >
            {move || (count.get() == 0).then(|| view! { <EmptyBoard/> })}
            <For each=move || 0..count.get() key=|index| *index let:index>
                <WidgetFrame
                    index=index
                    place=Signal::derive(move || shown.with(|p| p.get(index).copied().unwrap_or(Placement { x: 0, y: 0, width: 6, height: 6 })))
                    dragging=Signal::derive(move || drag.with(|d| d.as_ref().is_some_and(|d| d.index == index)))
                    on_move=Callback::new(move |ev| start(index, false, ev))
                    on_resize=Callback::new(move |ev| start(index, true, ev))
                />
            </For>
        </div>
    }
}

#[component]
fn EmptyBoard() -> impl IntoView {
    let board = expect_context::<Board>();
    view! {
        <div class="dash-empty" data-testid="dashboard-empty">
            <p>"This dashboard has no widgets yet."</p>
            <Show when=move || !board.automatic>
                <button
                    class="primary"
                    on:click=move |_| {
                        board.editing.set(true);
                        board.dialog.set(Dialog::AddWidget);
                    }
                    data-testid="empty-add-widget"
                >
                    "Add widget"
                </button>
            </Show>
        </div>
    }
}

#[component]
fn WidgetFrame(
    index: usize,
    place: Signal<Placement>,
    dragging: Signal<bool>,
    on_move: Callback<leptos::ev::PointerEvent>,
    on_resize: Callback<leptos::ev::PointerEvent>,
) -> impl IntoView {
    let board = expect_context::<Board>();
    let style = move || {
        let p = place.get();
        let column = column_px(board.grid_width.get()) + GAP_PX;
        format!(
            "left: {:.1}px; top: {:.1}px; width: {:.1}px; height: {:.1}px",
            f64::from(p.x) * column,
            f64::from(p.y) * (ROW_PX + GAP_PX),
            f64::from(p.width) * column - GAP_PX,
            f64::from(p.height) * (ROW_PX + GAP_PX) - GAP_PX,
        )
    };
    let content = Memo::new(move |_| {
        board.rendered.with(|r| match r.as_ref()?.as_ref().ok()? {
            Rendered::Dashboard(d, drawn) => Some((d.widgets.get(index)?.clone(), drawn.get(index).cloned().flatten())),
            Rendered::Invalid(_) => None,
        })
    });
    let title = move || content.with(|c| c.as_ref().and_then(|(w, _)| w.title.clone()).unwrap_or_default());
    let transparent = move || {
        content.with(|c| {
            c.as_ref()
                .is_some_and(|(w, _)| matches!(w.content, crate::api::WidgetContent::Text { transparent: true, .. }))
        })
    };
    let size = Signal::derive(move || content_size(&place.get(), board.grid_width.get()));
    view! {
        <section
            class="widget"
            class:dragging=move || dragging.get()
            class:transparent=transparent
            class:untitled=move || content.with(|c| c.as_ref().is_none_or(|(w, _)| w.title.is_none()))
            style=style
            data-testid="widget"
            data-index=index
            data-place=move || { let p = place.get(); format!("{},{},{},{}", p.x, p.y, p.width, p.height) }
        >
            <header class="widget-header" on:pointerdown=move |ev| on_move.run(ev) data-testid="widget-header">
                <h3 class="widget-title" data-testid="widget-title">{title}</h3>
                <Show when=move || board.editing.get()>
                    <span class="widget-tools">
                        <button class="tool" title="Edit widget" on:pointerdown=|ev| ev.stop_propagation() on:click=move |_| board.dialog.set(Dialog::EditWidget(index)) data-testid="widget-edit">"✎"</button>
                        <button
                            class="tool"
                            title="Duplicate widget"
                            on:pointerdown=|ev| ev.stop_propagation()
                            on:click=move |_| {
                                let placements = board.layout.get_untracked();
                                board.edit(|body| skywatch_dashboards::edit::duplicate_widget(body, &placements, index));
                            }
                            data-testid="widget-duplicate"
                        >
                            "⧉"
                        </button>
                        <button
                            class="tool"
                            title="Remove widget"
                            on:pointerdown=|ev| ev.stop_propagation()
                            on:click=move |_| board.edit(|body| skywatch_dashboards::edit::remove_widget(body, index))
                            data-testid="widget-remove"
                        >
                            "✕"
                        </button>
                    </span>
                </Show>
            </header>
            <div class="widget-body">
                {move || match content.get() {
                    Some((widget, drawn)) => view! { <WidgetBody index=index content=widget.content drawn=drawn size=size/> }.into_any(),
                    None => view! { <div class="widget-loading muted">"Loading…"</div> }.into_any(),
                }}
            </div>
            <Show when=move || board.editing.get()>
                <span class="resize-handle" title="Resize" on:pointerdown=move |ev| on_resize.run(ev) data-testid="widget-resize"></span>
            </Show>
        </section>
    }
}

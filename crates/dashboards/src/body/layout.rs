//! CloudWatch's automatic placement: widgets without `x`/`y` go to the next free place, left to right and then
//! down, never overlapping a widget placed explicitly or before them.

use super::DashboardBody;
use super::widget::GRID_COLUMNS;

/// Where a widget sits on the 24-column grid, in grid units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Placement {
    /// Column of the left edge.
    pub x: u32,
    /// Row of the top edge.
    pub y: u32,
    /// Width in columns.
    pub width: u32,
    /// Height in rows.
    pub height: u32,
}

impl Placement {
    /// The row below the widget.
    pub fn bottom(&self) -> u32 {
        self.y.saturating_add(self.height)
    }

    /// The column right of the widget.
    pub fn right(&self) -> u32 {
        self.x.saturating_add(self.width)
    }

    /// Whether two widgets share a grid cell.
    pub fn overlaps(&self, other: &Placement) -> bool {
        self.x < other.right() && other.x < self.right() && self.y < other.bottom() && other.y < self.bottom()
    }
}

impl DashboardBody {
    /// The place of every widget, in body order. Widgets with both `x` and `y` keep them; the others take the first
    /// free place at or after the previous automatic widget (left to right, then down); a widget with only `x` keeps
    /// its column, one with only `y` starts looking in its row.
    pub fn layout(&self) -> Vec<Placement> {
        let size = |width: u32, height: u32| (width.clamp(1, GRID_COLUMNS), height.max(1));
        let mut occupied: Vec<Placement> = Vec::new();
        let mut fixed: Vec<Option<Placement>> = Vec::with_capacity(self.widgets.len());
        for widget in &self.widgets {
            let (width, height) = size(widget.width, widget.height);
            let placement = match (widget.x, widget.y) {
                (Some(x), Some(y)) => Some(Placement { x: x.min(GRID_COLUMNS - width), y, width, height }),
                _ => None,
            };
            occupied.extend(placement);
            fixed.push(placement);
        }
        let mut cursor = (0_u32, 0_u32);
        let mut out = Vec::with_capacity(self.widgets.len());
        for (widget, placement) in self.widgets.iter().zip(fixed) {
            if let Some(placement) = placement {
                out.push(placement);
                continue;
            }
            let (width, height) = size(widget.width, widget.height);
            let placement = match (widget.x, widget.y) {
                (Some(x), _) => {
                    let x = x.min(GRID_COLUMNS - width);
                    first_fit(&occupied, width, height, (cursor.0, 0), Some(x))
                }
                (None, Some(y)) => first_fit(&occupied, width, height, (y, 0), None),
                (None, None) => {
                    let found = first_fit(&occupied, width, height, cursor, None);
                    cursor = (found.y, found.right());
                    found
                }
            };
            occupied.push(placement);
            out.push(placement);
        }
        out
    }
}

/// The first free place in reading order at or after `start` (row, column), in column `fixed_x` if given.
///
/// The first free place is in the start row, the row after it or a row where some widget ends, and at the start
/// column, column 0 or a column where some widget ends; only those are tried.
fn first_fit(occupied: &[Placement], width: u32, height: u32, start: (u32, u32), fixed_x: Option<u32>) -> Placement {
    let (start_y, start_x) = start;
    let mut rows: Vec<u32> = occupied.iter().map(Placement::bottom).filter(|&bottom| bottom > start_y).collect();
    rows.push(start_y);
    rows.push(start_y.saturating_add(1));
    rows.sort_unstable();
    rows.dedup();
    let mut columns: Vec<u32> = occupied.iter().map(Placement::right).filter(|&right| right < GRID_COLUMNS).collect();
    columns.push(0);
    columns.push(start_x);
    columns.sort_unstable();
    columns.dedup();
    for &y in &rows {
        let lowest_x = if y == start_y { start_x } else { 0 };
        let candidates: &mut dyn Iterator<Item = u32> = match fixed_x {
            Some(x) => &mut std::iter::once(x),
            None => &mut columns.iter().copied().filter(|&x| x >= lowest_x),
        };
        for x in candidates {
            let placement = Placement { x, y, width, height };
            if placement.right() <= GRID_COLUMNS && !occupied.iter().any(|other| other.overlaps(&placement)) {
                return placement;
            }
        }
    }
    // Unreachable in practice: the row below every widget is free.
    let y = occupied.iter().map(Placement::bottom).max().unwrap_or(0).max(start_y);
    Placement { x: fixed_x.unwrap_or(0), y, width, height }
}

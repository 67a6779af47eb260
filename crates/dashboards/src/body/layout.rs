//! CloudWatch's automatic placement: widgets without `x`/`y` go to the next free place, left to right and then
//! down, never overlapping a widget placed explicitly or before them.

use std::collections::BTreeMap;

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
        let mut taken = Occupancy::default();
        let mut fixed: Vec<Option<Placement>> = Vec::with_capacity(self.widgets.len());
        for widget in &self.widgets {
            let (width, height) = size(widget.width, widget.height);
            let placement = match (widget.x, widget.y) {
                (Some(x), Some(y)) => Some(Placement { x: x.min(GRID_COLUMNS - width), y, width, height }),
                _ => None,
            };
            occupied.extend(placement);
            if let Some(placement) = &placement {
                taken.add(placement);
            }
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
                    first_fit(&occupied, &taken, width, height, (cursor.0, 0), Some(x))
                }
                (None, Some(y)) => first_fit(&occupied, &taken, width, height, (y, 0), None),
                (None, None) => {
                    let found = first_fit(&occupied, &taken, width, height, cursor, None);
                    cursor = (found.y, found.right());
                    found
                }
            };
            occupied.push(placement);
            taken.add(&placement);
            out.push(placement);
        }
        out
    }
}

/// The first free place in reading order at or after `start` (row, column), in column `fixed_x` if given.
///
/// The first free place is in the start row, the row after it or a row where some widget ends, and at the start
/// column, column 0 or a column where some widget ends; only those are tried. A row whose every column is taken is
/// skipped at once, and a candidate is checked against the rows it spans, not against every widget, so placing
/// all 500 widgets a dashboard may have stays far from cubic (issue 10).
fn first_fit(
    occupied: &[Placement],
    taken: &Occupancy,
    width: u32,
    height: u32,
    start: (u32, u32),
    fixed_x: Option<u32>,
) -> Placement {
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
        // Every candidate in this row spans the same rows: their taken columns are read once.
        let span = taken.columns_between(y, y.saturating_add(height));
        if span == FULL_ROW {
            continue;
        }
        let lowest_x = if y == start_y { start_x } else { 0 };
        let candidates: &mut dyn Iterator<Item = u32> = match fixed_x {
            Some(x) => &mut std::iter::once(x),
            None => &mut columns.iter().copied().filter(|&x| x >= lowest_x),
        };
        for x in candidates {
            let placement = Placement { x, y, width, height };
            if placement.right() <= GRID_COLUMNS && span & columns_of(&placement) == 0 {
                return placement;
            }
        }
    }
    // Unreachable in practice: the row below every widget is free.
    let y = occupied.iter().map(Placement::bottom).max().unwrap_or(0).max(start_y);
    Placement { x: fixed_x.unwrap_or(0), y, width, height }
}

/// Every column of a row taken.
const FULL_ROW: u32 = (1 << GRID_COLUMNS) - 1;

/// The columns a placement takes, as bits.
fn columns_of(placement: &Placement) -> u32 {
    let width = placement.width.min(GRID_COLUMNS);
    let bits = if width >= 32 { u32::MAX } else { (1u32 << width) - 1 };
    bits.checked_shl(placement.x).unwrap_or(0) & FULL_ROW
}

/// Which columns are taken, row by row: column bits that change only where a widget starts or ends (a map from the
/// first row of each stretch to its bits).
#[derive(Debug, Default)]
struct Occupancy {
    stretches: BTreeMap<u32, u32>,
}

impl Occupancy {
    /// The taken columns of `row`.
    fn row(&self, row: u32) -> u32 {
        self.stretches.range(..=row).next_back().map_or(0, |(_, bits)| *bits)
    }

    fn split_at(&mut self, row: u32) {
        let bits = self.row(row);
        self.stretches.entry(row).or_insert(bits);
    }

    fn add(&mut self, placement: &Placement) {
        let (top, bottom) = (placement.y, placement.bottom());
        if bottom <= top {
            return;
        }
        self.split_at(top);
        self.split_at(bottom);
        let bits = columns_of(placement);
        for (_, taken) in self.stretches.range_mut(top..bottom) {
            *taken |= bits;
        }
    }

    /// The columns taken anywhere in rows `top..bottom` (all of them as soon as that is known).
    fn columns_between(&self, top: u32, bottom: u32) -> u32 {
        if bottom <= top {
            return 0;
        }
        let mut taken = self.row(top);
        for (_, bits) in self.stretches.range(top + 1..bottom) {
            taken |= bits;
            if taken == FULL_ROW {
                break;
            }
        }
        taken
    }

    /// Whether `placement` shares no cell with what is taken.
    #[cfg(test)]
    fn fits(&self, placement: &Placement) -> bool {
        let (top, bottom) = (placement.y, placement.bottom());
        if bottom <= top {
            return true;
        }
        let bits = columns_of(placement);
        self.row(top) & bits == 0 && self.stretches.range(top + 1..bottom).all(|(_, taken)| taken & bits == 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The check the occupancy map replaces: against every widget.
    fn naive_fits(occupied: &[Placement], placement: &Placement) -> bool {
        !occupied.iter().any(|other| other.overlaps(placement))
    }

    proptest::proptest! {
        #[test]
        fn occupancy_agrees_with_checking_every_widget(
            placed in proptest::collection::vec((0u32..24, 0u32..40, 1u32..=24, 1u32..8), 0..30),
            probes in proptest::collection::vec((0u32..24, 0u32..48, 1u32..=24, 1u32..8), 1..30),
        ) {
            let mut taken = Occupancy::default();
            let mut occupied = Vec::new();
            for (x, y, width, height) in placed {
                let width = width.min(GRID_COLUMNS - x);
                let placement = Placement { x, y, width, height };
                taken.add(&placement);
                occupied.push(placement);
            }
            for (x, y, width, height) in probes {
                let probe = Placement { x, y, width: width.min(GRID_COLUMNS - x), height };
                proptest::prop_assert_eq!(taken.fits(&probe), naive_fits(&occupied, &probe), "{:?}", probe);
                let span = taken.columns_between(probe.y, probe.bottom());
                proptest::prop_assert_eq!(span & columns_of(&probe) == 0, naive_fits(&occupied, &probe), "{:?}", probe);
            }
        }
    }
}

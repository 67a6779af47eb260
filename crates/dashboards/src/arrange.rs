//! Rearranging widgets on the 24-column grid, as the console's editor does: a moved or resized widget keeps its
//! new place and the widgets it now overlaps are pushed down below it; new widgets go under all others.

use crate::body::Placement;

/// The grid's width in columns.
pub const COLUMNS: u32 = 24;
/// The tallest widget, in rows.
pub const MAX_HEIGHT: u32 = 1_000;

/// Whether two placements share a cell.
pub fn overlaps(a: &Placement, b: &Placement) -> bool {
    a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height
}

/// `placement` made valid: 1–24 columns wide, inside the grid, 1–1000 rows tall.
pub fn clamp(placement: Placement) -> Placement {
    let width = placement.width.clamp(1, COLUMNS);
    let height = placement.height.clamp(1, MAX_HEIGHT);
    Placement { x: placement.x.min(COLUMNS - width), y: placement.y, width, height }
}

/// The first free row under every widget.
pub fn bottom(placements: &[Placement]) -> u32 {
    placements.iter().map(|p| p.y + p.height).max().unwrap_or(0)
}

/// Puts widget `moved` at `to` (clamped) and pushes every widget it overlaps, directly or through another pushed
/// widget, down just far enough; widgets keep their columns and their order from top to bottom.
pub fn place(placements: &mut [Placement], moved: usize, to: Placement) {
    let Some(target) = placements.get_mut(moved) else {
        return;
    };
    *target = clamp(to);
    let mut order: Vec<usize> = (0..placements.len()).filter(|i| *i != moved).collect();
    order.sort_by_key(|i| (placements[*i].y, placements[*i].x));
    let mut settled = vec![moved];
    for index in order {
        let mut current = placements[index];
        while let Some(below) = settled
            .iter()
            .filter(|s| overlaps(&placements[**s], &current))
            .map(|s| placements[*s].y + placements[*s].height)
            .max()
        {
            current.y = below;
        }
        placements[index] = current;
        settled.push(index);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(x: u32, y: u32, width: u32, height: u32) -> Placement {
        Placement { x, y, width, height }
    }

    fn no_overlaps(placements: &[Placement]) -> bool {
        placements.iter().enumerate().all(|(i, a)| placements.iter().skip(i + 1).all(|b| !overlaps(a, b)))
    }

    #[test]
    fn moving_onto_a_widget_pushes_it_down() {
        let mut grid = vec![at(0, 0, 12, 6), at(12, 0, 12, 6), at(0, 6, 24, 4)];
        place(&mut grid, 1, at(0, 0, 12, 6));
        assert_eq!(grid, vec![at(0, 6, 12, 6), at(0, 0, 12, 6), at(0, 12, 24, 4)]);
        assert!(no_overlaps(&grid));
    }

    #[test]
    fn resizing_wider_pushes_the_neighbour_down_and_clamps_to_the_grid() {
        let mut grid = vec![at(0, 0, 8, 6), at(8, 0, 8, 6), at(16, 0, 8, 6)];
        place(&mut grid, 0, at(0, 0, 30, 3));
        assert_eq!(grid[0], at(0, 0, 24, 3));
        assert_eq!((grid[1].y, grid[2].y), (3, 3));
        assert!(no_overlaps(&grid));
    }

    #[test]
    fn moving_right_past_the_edge_stays_inside() {
        let mut grid = vec![at(0, 0, 6, 6)];
        place(&mut grid, 0, at(23, 2, 6, 6));
        assert_eq!(grid[0], at(18, 2, 6, 6));
        assert_eq!(bottom(&grid), 8);
    }

    #[test]
    fn unrelated_widgets_stay_put() {
        let mut grid = vec![at(0, 0, 6, 6), at(6, 0, 6, 6), at(0, 20, 6, 6)];
        place(&mut grid, 0, at(0, 1, 6, 6));
        assert_eq!(grid, vec![at(0, 1, 6, 6), at(6, 0, 6, 6), at(0, 20, 6, 6)]);
        place(&mut grid, 5, at(0, 0, 1, 1));
        assert_eq!(grid.len(), 3);
    }
}

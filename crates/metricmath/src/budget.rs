//! The memory bound of one evaluation: how many series slots (one per grid timestamp of each series) a request
//! may bring into memory, charged before each copy is made so that no expression can allocate past it.

use std::sync::atomic::{AtomicUsize, Ordering};

/// The default bound: 500 metrics over a week at one-minute periods.
pub const DEFAULT_MAX_CELLS: usize = 500 * 10_080;

/// Slots charged so far against a limit. Cells are never refunded: the bound is on everything an evaluation
/// copies, which also bounds its time.
#[derive(Debug)]
pub struct Budget {
    limit: usize,
    spent: AtomicUsize,
}

/// Taking the cells would pass the limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the request needs more than {limit} datapoints in memory")]
pub struct BudgetExceeded {
    pub limit: usize,
}

impl Budget {
    pub fn new(limit: usize) -> Self {
        Self { limit, spent: AtomicUsize::new(0) }
    }

    /// Charges `series` series of `slots` slots each.
    pub fn take(&self, series: usize, slots: usize) -> Result<(), BudgetExceeded> {
        let exceeded = BudgetExceeded { limit: self.limit };
        let cells = series.checked_mul(slots.max(1)).ok_or(exceeded)?;
        self.spent
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |spent| {
                spent.checked_add(cells).filter(|s| *s <= self.limit)
            })
            .map(drop)
            .map_err(|_| exceeded)
    }

    pub fn spent(&self) -> usize {
        self.spent.load(Ordering::Relaxed)
    }

    pub fn limit(&self) -> usize {
        self.limit
    }
}

impl Default for Budget {
    fn default() -> Self {
        Self::new(DEFAULT_MAX_CELLS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charges_accumulate_up_to_the_limit() {
        let budget = Budget::new(100);
        assert!(budget.take(4, 20).is_ok());
        assert!(budget.take(1, 20).is_ok());
        assert_eq!(budget.take(1, 1), Err(BudgetExceeded { limit: 100 }));
        assert_eq!(budget.spent(), 100);
        assert!(Budget::new(usize::MAX).take(usize::MAX, 2).is_err());
    }
}

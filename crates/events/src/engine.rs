//! [`Events`], the handle EventBridge's operations run on.

use skywatch_store::Store;

/// The EventBridge service; cheap to clone.
#[derive(Clone)]
pub struct Events {
    pub(crate) store: Store,
}

impl Events {
    /// Buses and rules on `store`.
    pub fn new(store: Store) -> Self {
        Self { store }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }
}

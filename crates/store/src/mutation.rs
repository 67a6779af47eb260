//! The writes callers ask for. Each engine declares its own change type and implements [`Change`], which writes
//! through a [`Tx`]: put, remove and drop on the engine's own tables. The store applies changes without knowing
//! any domain, and never shows a redb type to a caller.

use crate::error::WriteError;
use crate::table::Table;

/// One domain change, applied inside the writer's transaction.
pub trait Change: std::fmt::Debug + Send + Sync + 'static {
    fn apply(&self, tx: &mut Tx<'_>) -> Result<(), WriteError>;
}

/// A change to commit: any engine's [`Change`] (cheap to clone: shared, never copied).
#[derive(Debug, Clone)]
pub struct Mutation(std::sync::Arc<dyn Change>);

impl Mutation {
    pub fn new(change: impl Change) -> Self {
        Self(std::sync::Arc::new(change))
    }

    /// Applies the change in `tx` (the writer does; so may a change that carries others, conditional on it).
    pub fn apply(&self, tx: &mut Tx<'_>) -> Result<(), WriteError> {
        self.0.apply(tx)
    }
}

impl<C: Change> From<C> for Mutation {
    fn from(change: C) -> Self {
        Self::new(change)
    }
}

fn storage(error: impl std::fmt::Display) -> WriteError {
    WriteError::Storage(error.to_string())
}

type BytesTable<'txn> = redb::Table<'txn, &'static [u8], &'static [u8]>;

/// The writes of one commit. Tables open on first use and stay open for the rest of the commit (a commit touches
/// a handful, so a short list beats hashing the name on every write).
pub struct Tx<'txn> {
    txn: &'txn redb::WriteTransaction,
    open: Vec<(&'static str, BytesTable<'txn>)>,
    meta: Option<redb::Table<'txn, &'static str, &'static [u8]>>,
}

impl<'txn> Tx<'txn> {
    pub(crate) fn new(txn: &'txn redb::WriteTransaction) -> Self {
        Self { txn, open: Vec::new(), meta: None }
    }

    fn table(&mut self, table: Table) -> Result<&mut BytesTable<'txn>, WriteError> {
        let index = match self.open.iter().position(|(name, _)| *name == table.name()) {
            Some(index) => index,
            None => {
                let opened = self.txn.open_table(table.definition()).map_err(storage)?;
                self.open.push((table.name(), opened));
                self.open.len() - 1
            }
        };
        Ok(&mut self.open[index].1)
    }

    /// Inserts or replaces `key`.
    pub fn put(&mut self, table: Table, key: &[u8], value: &[u8]) -> Result<(), WriteError> {
        self.table(table)?.insert(key, value).map_err(storage)?;
        Ok(())
    }

    /// The value of `key` as this commit sees it (earlier changes of the same commit included), so a change can
    /// depend on what is stored: write only if a row exists, or modify a row in place.
    pub fn get(&mut self, table: Table, key: &[u8]) -> Result<Option<Vec<u8>>, WriteError> {
        use redb::ReadableTable;
        Ok(self.table(table)?.get(key).map_err(storage)?.map(|value| value.value().to_vec()))
    }

    /// Up to `limit` keys that start with `prefix`, in key order, as this commit sees them (for a change that
    /// removes a small, bounded set of rows under one prefix).
    pub fn keys_with_prefix(
        &mut self,
        table: Table,
        prefix: &crate::Key,
        limit: usize,
    ) -> Result<Vec<Vec<u8>>, WriteError> {
        use redb::ReadableTable;
        let end = prefix.prefix_end();
        let low = std::ops::Bound::Included(prefix.as_bytes());
        let high = match end.as_deref() {
            Some(end) => std::ops::Bound::Excluded(end),
            None => std::ops::Bound::Unbounded,
        };
        let mut keys = Vec::new();
        for entry in self.table(table)?.range::<&[u8]>((low, high)).map_err(storage)? {
            if keys.len() >= limit {
                break;
            }
            let (key, _) = entry.map_err(storage)?;
            keys.push(key.value().to_vec());
        }
        Ok(keys)
    }

    /// Removes `key` (nothing happens when it is absent).
    pub fn remove(&mut self, table: Table, key: &[u8]) -> Result<(), WriteError> {
        self.table(table)?.remove(key).map_err(storage)?;
        Ok(())
    }

    /// Removes a whole table (nothing happens when it does not exist).
    pub fn drop_table(&mut self, table: Table) -> Result<(), WriteError> {
        self.open.retain(|(name, _)| *name != table.name());
        self.txn.delete_table(table.definition()).map_err(storage)?;
        Ok(())
    }

    /// A database-wide fact under `key` (engines' progress markers, under their own key prefix).
    pub fn put_meta(&mut self, key: &str, value: &[u8]) -> Result<(), WriteError> {
        if self.meta.is_none() {
            self.meta = Some(self.txn.open_table(crate::schema::META).map_err(storage)?);
        }
        if let Some(meta) = self.meta.as_mut() {
            meta.insert(key, value).map_err(storage)?;
        }
        Ok(())
    }
}

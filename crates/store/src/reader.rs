//! Reads over one consistent snapshot: point reads, ordered scans in either direction, counts, and the meta
//! facts. A table that was never written reads as empty.

use std::ops::{Bound, ControlFlow};

use redb::{ReadTransaction, ReadableTableMetadata};

use crate::error::ReadError;
use crate::table::Table;

/// A stored entry: its key and value bytes.
pub type Entry = (Vec<u8>, Vec<u8>);

type BytesTable = redb::ReadOnlyTable<&'static [u8], &'static [u8]>;
type Guards<'a> = (redb::AccessGuard<'a, &'static [u8]>, redb::AccessGuard<'a, &'static [u8]>);

/// Which way a scan goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Forward,
    Backward,
}

/// A read snapshot; every method sees the same committed state.
pub struct Reader {
    pub(crate) txn: ReadTransaction,
}

impl Reader {
    pub(crate) fn new(txn: ReadTransaction) -> Self {
        Self { txn }
    }

    fn open(&self, table: Table) -> Result<Option<BytesTable>, ReadError> {
        match self.txn.open_table(table.definition()) {
            Ok(opened) => Ok(Some(opened)),
            Err(redb::TableError::TableDoesNotExist(_)) => Ok(None),
            Err(error) => Err(ReadError::from_redb(error)),
        }
    }

    /// The value of `key`, if any.
    pub fn get(&self, table: Table, key: &[u8]) -> Result<Option<Vec<u8>>, ReadError> {
        let Some(opened) = self.open(table)? else {
            return Ok(None);
        };
        Ok(opened.get(key).map_err(ReadError::from_redb)?.map(|value| value.value().to_vec()))
    }

    /// Visits the entries with `from <= key < to` (unbounded where None) in key order or its reverse, until
    /// `visit` breaks.
    pub fn scan(
        &self,
        table: Table,
        (from, to): (Option<&[u8]>, Option<&[u8]>),
        direction: Direction,
        mut visit: impl FnMut(&[u8], &[u8]) -> ControlFlow<()>,
    ) -> Result<(), ReadError> {
        let Some(opened) = self.open(table)? else {
            return Ok(());
        };
        let low = from.map_or(Bound::Unbounded, Bound::Included);
        let high = to.map_or(Bound::Unbounded, Bound::Excluded);
        if let (Some(from), Some(to)) = (from, to)
            && from >= to
        {
            return Ok(());
        }
        let range = opened.range::<&[u8]>((low, high)).map_err(ReadError::from_redb)?;
        let mut step = |entry: Result<Guards<'_>, redb::StorageError>| {
            let (key, value) = entry.map_err(ReadError::from_redb)?;
            Ok::<_, ReadError>(visit(key.value(), value.value()))
        };
        match direction {
            Direction::Forward => {
                for entry in range {
                    if step(entry)?.is_break() {
                        break;
                    }
                }
            }
            Direction::Backward => {
                for entry in range.rev() {
                    if step(entry)?.is_break() {
                        break;
                    }
                }
            }
        }
        Ok(())
    }

    /// Every entry whose key starts with `prefix`, in key order.
    pub fn prefixed(&self, table: Table, prefix: &crate::Key) -> Result<Vec<Entry>, ReadError> {
        let end = prefix.prefix_end();
        let mut out = Vec::new();
        self.scan(table, (Some(prefix.as_bytes()), end.as_deref()), Direction::Forward, |key, value| {
            out.push((key.to_vec(), value.to_vec()));
            ControlFlow::Continue(())
        })?;
        Ok(out)
    }

    /// Every entry of a table, in key order.
    pub fn all(&self, table: Table) -> Result<Vec<Entry>, ReadError> {
        self.prefixed(table, &crate::Key::new())
    }

    /// How many entries a table has.
    pub fn len(&self, table: Table) -> Result<u64, ReadError> {
        match self.open(table)? {
            Some(opened) => opened.len().map_err(ReadError::from_redb),
            None => Ok(0),
        }
    }

    /// A database-wide fact (engines' progress markers).
    pub fn meta(&self, key: &str) -> Result<Option<Vec<u8>>, ReadError> {
        let table = match self.txn.open_table(crate::schema::META) {
            Ok(table) => table,
            Err(redb::TableError::TableDoesNotExist(_)) => return Ok(None),
            Err(error) => return Err(ReadError::from_redb(error)),
        };
        Ok(table.get(key).map_err(ReadError::from_redb)?.map(|v| v.value().to_vec()))
    }
}

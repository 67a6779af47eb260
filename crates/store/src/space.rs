//! Where the database file's bytes go: redb's per-table b-tree statistics (stored key and value bytes, leaf and
//! branch pages, metadata, fragmentation) and the file as a whole (its length and the pages allocated in it), so
//! tools can say how much of the file is data, tree overhead or free pages. redb's types stay in this crate.

use redb::{Database, ReadableDatabase, ReadableTableMetadata, TableHandle};

use crate::error::ReadError;

/// The space one table takes in the file, as redb counts it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableSpace {
    /// The table's name (as declared with [`crate::Table::new`], or the store's own tables).
    pub name: String,
    /// How many entries it holds.
    pub entries: u64,
    /// Bytes of keys and values stored in its leaves, without any indexing overhead.
    pub stored_bytes: u64,
    /// Pages holding its leaves (a value larger than a page takes a run of pages, counted as one leaf page).
    pub leaf_pages: u64,
    /// Pages holding its branches.
    pub branch_pages: u64,
    /// Bytes of keys in branch pages plus other tree metadata.
    pub metadata_bytes: u64,
    /// Bytes of its pages holding nothing (partly filled leaves and branches, page-run padding).
    pub fragmented_bytes: u64,
}

/// The database file as a whole, with the space of each of its tables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileSpace {
    /// The file's length on disk.
    pub file_bytes: u64,
    /// Bytes of the pages the allocator has handed out (every table's pages, redb's own trees, and pages freed by
    /// recent commits that are not reusable yet). `file_bytes - allocated_bytes` is free space inside the file.
    pub allocated_bytes: u64,
    /// redb's page size.
    pub page_size: u64,
    /// Every table, in name order.
    pub tables: Vec<TableSpace>,
}

impl FileSpace {
    /// Bytes of the file no page is allocated in (the allocator's free runs and the file's unused tail).
    pub fn free_bytes(&self) -> u64 {
        self.file_bytes.saturating_sub(self.allocated_bytes)
    }

    /// The space of the table named `name`, if the file has it.
    pub fn table(&self, name: &str) -> Option<&TableSpace> {
        self.tables.iter().find(|t| t.name == name)
    }
}

/// Measures the file. The allocation count needs a write transaction (redb counts pages only there); it waits for
/// the writer's current commit, reads the count and aborts, so it changes nothing. The tables are then read from a
/// snapshot taken after it.
pub(crate) fn measure(db: &Database, path: &std::path::Path) -> Result<FileSpace, ReadError> {
    let (allocated_pages, page_size) = {
        let txn = db.begin_write().map_err(ReadError::from_redb)?;
        let stats = txn.stats().map_err(ReadError::from_redb);
        txn.abort().map_err(ReadError::from_redb)?;
        let stats = stats?;
        (stats.allocated_pages(), stats.page_size() as u64)
    };
    let txn = db.begin_read().map_err(ReadError::from_redb)?;
    let mut tables = Vec::new();
    for handle in txn.list_tables().map_err(ReadError::from_redb)? {
        let name = handle.name().to_owned();
        let table = txn.open_untyped_table(handle).map_err(ReadError::from_redb)?;
        let stats = table.stats().map_err(ReadError::from_redb)?;
        tables.push(TableSpace {
            name,
            entries: table.len().map_err(ReadError::from_redb)?,
            stored_bytes: stats.stored_bytes(),
            leaf_pages: stats.leaf_pages(),
            branch_pages: stats.branch_pages(),
            metadata_bytes: stats.metadata_bytes(),
            fragmented_bytes: stats.fragmented_bytes(),
        });
    }
    tables.sort_by(|a, b| a.name.cmp(&b.name));
    let file_bytes = std::fs::metadata(path).map_err(ReadError::from_redb)?.len();
    Ok(FileSpace { file_bytes, allocated_bytes: allocated_pages * page_size, page_size, tables })
}

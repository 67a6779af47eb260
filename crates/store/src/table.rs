//! A named table: an ordered map from byte keys ([`crate::Key`]) to byte values. Engines declare their own
//! tables (each in its crate's `tables` module, with a versioned name); the store only knows them by name.

/// One table of the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Table {
    name: &'static str,
}

impl Table {
    /// A table named `name`: lower-case words and a version, e.g. `dashboards_v2`. A change to the key or value
    /// encoding is a new name and a migration, never an edit in place.
    pub const fn new(name: &'static str) -> Self {
        Self { name }
    }

    pub const fn name(&self) -> &'static str {
        self.name
    }

    pub(crate) fn definition(&self) -> redb::TableDefinition<'static, &'static [u8], &'static [u8]> {
        redb::TableDefinition::new(self.name)
    }
}

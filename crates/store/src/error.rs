//! Errors of the store: the database could not be opened, read or written.

/// What went wrong in the store.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// SQLite reported an error.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The database was written by a newer newsgraph, with a schema this build does not
    /// know.
    #[error(
        "the database has schema version {found}, newer than this build supports ({supported})"
    )]
    NewerSchema {
        /// The version found in the file.
        found: u32,
        /// The newest version this build knows.
        supported: u32,
    },
    /// A document to store refers to an entity or sentence it does not have.
    #[error("document {article}: {message}")]
    BadDocument {
        /// The article's id.
        article: String,
        /// What is wrong with it.
        message: String,
    },
    /// A stored value is not what this build wrote (a JSON column that does not parse).
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    /// Writing an export failed.
    #[error("cannot write: {0}")]
    Io(#[from] std::io::Error),
}

/// The result type of this crate.
pub type Result<T> = std::result::Result<T, Error>;

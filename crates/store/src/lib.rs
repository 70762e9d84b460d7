//! The newsgraph store: extracted documents in one SQLite file, merged into a growing
//! graph of actors, quotes and events, and the query layer every view reads it through.
//!
//! A [`Store`] is one database file (or an in-memory database for tests). Documents go
//! in as the `newsgraph.document/1` contract ([`DocumentJson`], character offsets),
//! keyed by the content hash of the article text as it was read ([`article_key`]), so
//! that the same article is stored once however often it is ingested. Each call to
//! [`Store::insert_batch`] is one transaction: a crash loses nothing committed and never
//! leaves an article half-written. The actors of every article are merged into global
//! actors, one per code or per normalized name and type ([`actor_key`]), with the
//! aliases seen, first and last days seen, and counts.
//!
//! Queries return typed rows: [`Store::events`] ([`EventRow`]), [`Store::quotes`]
//! ([`QuoteRow`]), [`Store::find_actors`] and [`Store::actor_profile`],
//! [`Store::search`] (full text over articles and quotes), [`Store::document`] (an
//! article with its layers), [`Store::network`] and [`Store::timeline`] (an actor's
//! events and quotes in date order, counted by period with [`timeline_counts`]). The
//! [`export`] module writes the network as GraphML or GEXF and events as GDELT-style
//! TSV. All SQL stays inside this crate, which prints nothing.
//!
//! Every fact keeps its provenance: the article id, the sentence and the character
//! span it comes from.
//!
//! # Example
//!
//! ```
//! use newsgraph_model::{Article, Document};
//! use newsgraph_store::{EventFilter, Store, article_key};
//!
//! let article = Article::from_text("Veloria closed its border.");
//! let key = article_key(&article);
//! let doc = Document::new(article).to_json();
//! let mut store = Store::open_in_memory()?;
//! let first = store.insert_batch(&[(key.clone(), doc.clone())])?;
//! assert_eq!((first.articles, first.duplicates), (1, 0));
//! let again = store.insert_batch(&[(key, doc)])?;
//! assert_eq!((again.articles, again.duplicates), (0, 1));
//! assert_eq!(store.counts()?.articles, 1);
//! assert!(store.events(&EventFilter::default())?.is_empty());
//! # Ok::<(), newsgraph_store::Error>(())
//! ```
#![deny(missing_docs)]

mod error;
pub mod export;
mod query;
pub mod schema;
mod write;

#[cfg(test)]
mod tests;

use std::path::Path;
use std::time::Duration;

use rusqlite::Connection;
use serde::Serialize;

pub use error::{Error, Result};
pub use newsgraph_model::json::DocumentJson;
pub use query::{
    ActivityRow, ActorProfile, ActorRef, ActorRow, AliasRow, Days, EventFilter, EventRow, Network,
    NetworkEdge, NetworkFilter, PartnerRow, Period, PeriodCount, QuoteFilter, QuoteRow, SearchHit,
    TimelineEntry, TimelineFilter, timeline_counts,
};
pub use write::{Inserted, actor_key, article_key, check_document};

/// How long a writer waits for another process's transaction before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// One newsgraph database.
pub struct Store {
    conn: Connection,
}

/// How much a store holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Articles.
    pub articles: u64,
    /// Global actors.
    pub actors: u64,
    /// Quotes.
    pub quotes: u64,
    /// Events.
    pub events: u64,
}

impl Store {
    /// Opens the database at `path`, creating it when it does not exist, and migrates it
    /// to the current schema.
    ///
    /// The file uses write-ahead logging, so readers never block the writer and a crash
    /// leaves every committed transaction in place; SQLite keeps `PATH-wal` and
    /// `PATH-shm` next to it while it is open.
    pub fn open(path: &Path) -> Result<Store> {
        let conn = Connection::open(path)?;
        // `journal_mode` answers with the mode it set, so it is a query, not an update.
        let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
        // With WAL, `NORMAL` syncs at checkpoints rather than at every commit: a process
        // that crashes or is killed still loses nothing committed (only a power cut may
        // drop the last transactions). A 64 MiB page cache keeps a growing database's
        // index pages from being read back from the system at every batch.
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "cache_size", -65_536)?;
        // Checkpoints every 32 MiB of log rather than 4: a bulk ingest rewrites the same
        // growing pages (the ends of the tables, the search index) many times between them.
        conn.pragma_update(None, "wal_autocheckpoint", 8_000)?;
        Store::setup(conn)
    }

    /// A database in memory, for tests.
    pub fn open_in_memory() -> Result<Store> {
        Store::setup(Connection::open_in_memory()?)
    }

    fn setup(mut conn: Connection) -> Result<Store> {
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // Migrations that rebuild tables check foreign keys themselves, at the end.
        conn.pragma_update(None, "foreign_keys", false)?;
        schema::migrate(&mut conn)?;
        conn.pragma_update(None, "foreign_keys", true)?;
        Ok(Store { conn })
    }

    /// The schema version of the database (see [`schema`]).
    pub fn schema_version(&self) -> Result<u32> {
        schema::version(&self.conn)
    }

    /// Whether an article with this key (see [`article_key`]) is stored.
    pub fn contains(&self, key: &str) -> Result<bool> {
        let mut statement = self.conn.prepare_cached("SELECT 1 FROM articles WHERE id = ?1")?;
        Ok(statement.exists([key])?)
    }

    /// How many articles, actors, quotes and events the store holds.
    pub fn counts(&self) -> Result<Counts> {
        let count = |table: &str| -> Result<u64> {
            let n: i64 =
                self.conn
                    .query_row(&format!("SELECT count(*) FROM {table}"), [], |row| row.get(0))?;
            Ok(n as u64)
        };
        Ok(Counts {
            articles: count("articles")?,
            actors: count("actors")?,
            quotes: count("quotes")?,
            events: count("events")?,
        })
    }
}

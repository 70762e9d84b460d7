//! The database schema and its forward migrations.
//!
//! The schema version is SQLite's `PRAGMA user_version`: 0 for a new, empty file, and
//! the number of migrations applied after that. [`MIGRATIONS`] is the one ordered list
//! of migrations; migration `i` takes a database from version `i` to `i + 1`, and each
//! runs in its own transaction together with the version bump, so a crash leaves the
//! file at one version or the next, never in between. A migration, once shipped, is
//! never edited: a change to the schema is a new migration at the end of the list.
//!
//! Since version 2, the rows of an article's layers (sentences, entities, mentions,
//! quotes, events, times, ...) point at it by `articles.n`, a number that grows with each
//! article stored, rather than by its content hash `articles.id`: a new article's rows
//! are then appended at the end of every table instead of scattered through it, which
//! keeps the cost of a write flat as the database grows. The search index still names
//! articles by `id`.
//!
//! All offsets stored are **character** offsets into `articles.text`, as in the
//! `newsgraph.document/1` contract; SQLite's `substr` counts characters too, so
//! `substr(text, start + 1, end - start)` gives the covered text back.
//! Entities, quotes, events and times are numbered per article from 0 (`idx`), in the
//! order of the document; `E1` of the contract is entity `idx` 0.
//!
//! Foreign keys are checked on every connection, but only after the migrations: a
//! migration that rebuilds tables runs with them off and verifies them with
//! `PRAGMA foreign_key_check` before it commits.

use rusqlite::{Connection, OptionalExtension, Transaction};

use crate::{Error, Result};

/// The migrations, in order; the schema version of a database is how many it has had.
pub const MIGRATIONS: &[&str] = &[V1, V2];

/// The schema version this build writes.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// Version 1: articles, their layers, global actors and the search index.
const V1: &str = r#"
CREATE TABLE articles (
    id          TEXT PRIMARY KEY,   -- content hash of the text as read (newsgraph_model::content_id)
    source_id   TEXT NOT NULL,      -- the id the source gave, else the same content hash
    url         TEXT,
    title       TEXT,
    outlet      TEXT,
    author      TEXT,
    published   TEXT,               -- as the source gave it (ISO 8601)
    day         TEXT,               -- YYYY-MM-DD of published, for date ranges
    language    TEXT,
    text        TEXT NOT NULL,      -- the clean text every offset indexes
    ingested    INTEGER NOT NULL    -- Unix seconds
) STRICT;
CREATE INDEX articles_source_id ON articles(source_id);
CREATE INDEX articles_day ON articles(day);

CREATE TABLE removals (
    article TEXT NOT NULL REFERENCES articles(id),
    idx     INTEGER NOT NULL,
    text    TEXT NOT NULL,
    reason  TEXT NOT NULL,
    rule    TEXT NOT NULL,
    PRIMARY KEY (article, idx)
) STRICT, WITHOUT ROWID;

CREATE TABLE sentences (
    article TEXT NOT NULL REFERENCES articles(id),
    idx     INTEGER NOT NULL,
    start   INTEGER NOT NULL,
    "end"   INTEGER NOT NULL,
    PRIMARY KEY (article, idx)
) STRICT, WITHOUT ROWID;

-- One actor across all articles: by its code when it has one, else by its normalized
-- name and type (`key`).
CREATE TABLE actors (
    id          INTEGER PRIMARY KEY,
    key         TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    type        TEXT NOT NULL,
    code        TEXT,
    country     TEXT,
    sector      TEXT,
    first_seen  TEXT,               -- first and last publication day it was seen on
    last_seen   TEXT,
    n_articles  INTEGER NOT NULL,
    n_mentions  INTEGER NOT NULL
) STRICT;
CREATE INDEX actors_name ON actors(name COLLATE NOCASE);
CREATE INDEX actors_code ON actors(code COLLATE NOCASE);

CREATE TABLE actor_aliases (
    actor   INTEGER NOT NULL REFERENCES actors(id),
    alias   TEXT NOT NULL,
    n       INTEGER NOT NULL,       -- how many mentions used it
    PRIMARY KEY (actor, alias)
) STRICT, WITHOUT ROWID;
CREATE INDEX actor_aliases_alias ON actor_aliases(alias COLLATE NOCASE);

-- An actor as one article names it (`E1` is idx 0).
CREATE TABLE entities (
    article TEXT NOT NULL REFERENCES articles(id),
    idx     INTEGER NOT NULL,
    actor   INTEGER NOT NULL REFERENCES actors(id),
    name    TEXT NOT NULL,
    type    TEXT NOT NULL,
    code    TEXT,
    country TEXT,
    sector  TEXT,
    roles   TEXT NOT NULL,          -- JSON array of {title, of, from, to}
    PRIMARY KEY (article, idx)
) STRICT, WITHOUT ROWID;
CREATE INDEX entities_actor ON entities(actor);

CREATE TABLE mentions (
    article  TEXT NOT NULL REFERENCES articles(id),
    entity   INTEGER NOT NULL,
    idx      INTEGER NOT NULL,
    sentence INTEGER,
    start    INTEGER NOT NULL,
    "end"    INTEGER NOT NULL,
    text     TEXT NOT NULL,
    kind     TEXT NOT NULL,
    PRIMARY KEY (article, entity, idx)
) STRICT, WITHOUT ROWID;

CREATE TABLE quotes (
    article         TEXT NOT NULL REFERENCES articles(id),
    idx             INTEGER NOT NULL,
    sentence        INTEGER,
    start           INTEGER NOT NULL,
    "end"           INTEGER NOT NULL,
    text            TEXT NOT NULL,
    kind            TEXT NOT NULL,
    speaker         INTEGER,        -- entity idx in the article
    speaker_actor   INTEGER REFERENCES actors(id),
    addressee       INTEGER,
    addressee_actor INTEGER REFERENCES actors(id),
    cue_start       INTEGER,
    cue_end         INTEGER,
    cue_text        TEXT,
    PRIMARY KEY (article, idx)
) STRICT, WITHOUT ROWID;
CREATE INDEX quotes_speaker_actor ON quotes(speaker_actor);

CREATE TABLE events (
    article           TEXT NOT NULL REFERENCES articles(id),
    idx               INTEGER NOT NULL,
    type              TEXT NOT NULL,
    mode              TEXT,
    cameo             TEXT,
    modality          TEXT NOT NULL,
    reported_by       INTEGER,      -- entity idx in the article
    reported_by_actor INTEGER REFERENCES actors(id),
    date              TEXT,         -- TIMEX3 value, as extracted
    day               TEXT,         -- YYYY-MM-DD: the date's day, else the article's
    location          INTEGER,
    location_actor    INTEGER REFERENCES actors(id),
    trigger_start     INTEGER NOT NULL,
    trigger_end       INTEGER NOT NULL,
    trigger_text      TEXT NOT NULL,
    sentence          INTEGER,
    sentence_start    INTEGER NOT NULL,
    sentence_end      INTEGER NOT NULL,
    PRIMARY KEY (article, idx)
) STRICT, WITHOUT ROWID;
CREATE INDEX events_day ON events(day);
CREATE INDEX events_type ON events(type);

-- The sources and targets of events.
CREATE TABLE event_actors (
    article TEXT NOT NULL REFERENCES articles(id),
    event   INTEGER NOT NULL,
    role    TEXT NOT NULL CHECK (role IN ('source', 'target')),
    idx     INTEGER NOT NULL,       -- position in the event's list
    entity  INTEGER NOT NULL,
    actor   INTEGER NOT NULL REFERENCES actors(id),
    PRIMARY KEY (article, event, role, idx)
) STRICT, WITHOUT ROWID;
CREATE INDEX event_actors_actor ON event_actors(actor, role);

CREATE TABLE times (
    article TEXT NOT NULL REFERENCES articles(id),
    idx     INTEGER NOT NULL,
    start   INTEGER NOT NULL,
    "end"   INTEGER NOT NULL,
    text    TEXT NOT NULL,
    type    TEXT NOT NULL,
    value   TEXT NOT NULL,
    PRIMARY KEY (article, idx)
) STRICT, WITHOUT ROWID;

-- Full-text search over articles (title and text, item NULL) and quotes (item = quote idx).
CREATE VIRTUAL TABLE search USING fts5(
    text,
    kind UNINDEXED,
    article UNINDEXED,
    item UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 2'
);
"#;

/// Version 2: articles get a growing number `n`, and the layer tables point at it.
///
/// The old tables are renamed `*_v1` first (SQLite rewrites the references between
/// them), the new ones are created under the old names and filled from them, then the
/// old ones are dropped; articles are numbered in the order they were ingested.
const V2: &str = r#"
ALTER TABLE articles RENAME TO articles_v1;
ALTER TABLE removals RENAME TO removals_v1;
ALTER TABLE sentences RENAME TO sentences_v1;
ALTER TABLE entities RENAME TO entities_v1;
ALTER TABLE mentions RENAME TO mentions_v1;
ALTER TABLE quotes RENAME TO quotes_v1;
ALTER TABLE events RENAME TO events_v1;
ALTER TABLE event_actors RENAME TO event_actors_v1;
ALTER TABLE times RENAME TO times_v1;

CREATE TABLE articles (
    n           INTEGER PRIMARY KEY, -- grows with each article stored; layers point here
    id          TEXT NOT NULL UNIQUE, -- content hash of the text as read (newsgraph_model::content_id)
    source_id   TEXT NOT NULL,      -- the id the source gave, else the same content hash
    url         TEXT,
    title       TEXT,
    outlet      TEXT,
    author      TEXT,
    published   TEXT,               -- as the source gave it (ISO 8601)
    day         TEXT,               -- YYYY-MM-DD of published, for date ranges
    language    TEXT,
    text        TEXT NOT NULL,      -- the clean text every offset indexes
    ingested    INTEGER NOT NULL    -- Unix seconds
) STRICT;
INSERT INTO articles (id, source_id, url, title, outlet, author, published, day, language,
                         text, ingested)
SELECT id, source_id, url, title, outlet, author, published, day, language, text, ingested
FROM articles_v1 ORDER BY ingested, rowid;

CREATE TABLE removals (
    article INTEGER NOT NULL REFERENCES articles(n),
    idx     INTEGER NOT NULL,
    text    TEXT NOT NULL,
    reason  TEXT NOT NULL,
    rule    TEXT NOT NULL,
    PRIMARY KEY (article, idx)
) STRICT, WITHOUT ROWID;
INSERT INTO removals SELECT a.n, r.idx, r.text, r.reason, r.rule
FROM removals_v1 r JOIN articles a ON a.id = r.article;

CREATE TABLE sentences (
    article INTEGER NOT NULL REFERENCES articles(n),
    idx     INTEGER NOT NULL,
    start   INTEGER NOT NULL,
    "end"   INTEGER NOT NULL,
    PRIMARY KEY (article, idx)
) STRICT, WITHOUT ROWID;
INSERT INTO sentences SELECT a.n, s.idx, s.start, s."end"
FROM sentences_v1 s JOIN articles a ON a.id = s.article;

CREATE TABLE entities (
    article INTEGER NOT NULL REFERENCES articles(n),
    idx     INTEGER NOT NULL,
    actor   INTEGER NOT NULL REFERENCES actors(id),
    name    TEXT NOT NULL,
    type    TEXT NOT NULL,
    code    TEXT,
    country TEXT,
    sector  TEXT,
    roles   TEXT NOT NULL,          -- JSON array of {title, of, from, to}
    PRIMARY KEY (article, idx)
) STRICT, WITHOUT ROWID;
INSERT INTO entities SELECT a.n, e.idx, e.actor, e.name, e.type, e.code, e.country,
                               e.sector, e.roles
FROM entities_v1 e JOIN articles a ON a.id = e.article;

CREATE TABLE mentions (
    article  INTEGER NOT NULL REFERENCES articles(n),
    entity   INTEGER NOT NULL,
    idx      INTEGER NOT NULL,
    sentence INTEGER,
    start    INTEGER NOT NULL,
    "end"    INTEGER NOT NULL,
    text     TEXT NOT NULL,
    kind     TEXT NOT NULL,
    PRIMARY KEY (article, entity, idx)
) STRICT, WITHOUT ROWID;
INSERT INTO mentions SELECT a.n, m.entity, m.idx, m.sentence, m.start, m."end", m.text,
                               m.kind
FROM mentions_v1 m JOIN articles a ON a.id = m.article;

CREATE TABLE quotes (
    article         INTEGER NOT NULL REFERENCES articles(n),
    idx             INTEGER NOT NULL,
    sentence        INTEGER,
    start           INTEGER NOT NULL,
    "end"           INTEGER NOT NULL,
    text            TEXT NOT NULL,
    kind            TEXT NOT NULL,
    speaker         INTEGER,        -- entity idx in the article
    speaker_actor   INTEGER REFERENCES actors(id),
    addressee       INTEGER,
    addressee_actor INTEGER REFERENCES actors(id),
    cue_start       INTEGER,
    cue_end         INTEGER,
    cue_text        TEXT,
    PRIMARY KEY (article, idx)
) STRICT, WITHOUT ROWID;
INSERT INTO quotes SELECT a.n, q.idx, q.sentence, q.start, q."end", q.text, q.kind,
                             q.speaker, q.speaker_actor, q.addressee, q.addressee_actor,
                             q.cue_start, q.cue_end, q.cue_text
FROM quotes_v1 q JOIN articles a ON a.id = q.article;

CREATE TABLE events (
    article           INTEGER NOT NULL REFERENCES articles(n),
    idx               INTEGER NOT NULL,
    type              TEXT NOT NULL,
    mode              TEXT,
    cameo             TEXT,
    modality          TEXT NOT NULL,
    reported_by       INTEGER,      -- entity idx in the article
    reported_by_actor INTEGER REFERENCES actors(id),
    date              TEXT,         -- TIMEX3 value, as extracted
    day               TEXT,         -- YYYY-MM-DD: the date's day, else the article's
    location          INTEGER,
    location_actor    INTEGER REFERENCES actors(id),
    trigger_start     INTEGER NOT NULL,
    trigger_end       INTEGER NOT NULL,
    trigger_text      TEXT NOT NULL,
    sentence          INTEGER,
    sentence_start    INTEGER NOT NULL,
    sentence_end      INTEGER NOT NULL,
    PRIMARY KEY (article, idx)
) STRICT, WITHOUT ROWID;
INSERT INTO events SELECT a.n, e.idx, e.type, e.mode, e.cameo, e.modality, e.reported_by,
                             e.reported_by_actor, e.date, e.day, e.location, e.location_actor,
                             e.trigger_start, e.trigger_end, e.trigger_text, e.sentence,
                             e.sentence_start, e.sentence_end
FROM events_v1 e JOIN articles a ON a.id = e.article;

CREATE TABLE event_actors (
    article INTEGER NOT NULL REFERENCES articles(n),
    event   INTEGER NOT NULL,
    role    TEXT NOT NULL CHECK (role IN ('source', 'target')),
    idx     INTEGER NOT NULL,       -- position in the event's list
    entity  INTEGER NOT NULL,
    actor   INTEGER NOT NULL REFERENCES actors(id),
    PRIMARY KEY (article, event, role, idx)
) STRICT, WITHOUT ROWID;
INSERT INTO event_actors SELECT a.n, x.event, x.role, x.idx, x.entity, x.actor
FROM event_actors_v1 x JOIN articles a ON a.id = x.article;

CREATE TABLE times (
    article INTEGER NOT NULL REFERENCES articles(n),
    idx     INTEGER NOT NULL,
    start   INTEGER NOT NULL,
    "end"   INTEGER NOT NULL,
    text    TEXT NOT NULL,
    type    TEXT NOT NULL,
    value   TEXT NOT NULL,
    PRIMARY KEY (article, idx)
) STRICT, WITHOUT ROWID;
INSERT INTO times SELECT a.n, t.idx, t.start, t."end", t.text, t.type, t.value
FROM times_v1 t JOIN articles a ON a.id = t.article;

DROP TABLE removals_v1;
DROP TABLE sentences_v1;
DROP TABLE entities_v1;
DROP TABLE mentions_v1;
DROP TABLE quotes_v1;
DROP TABLE events_v1;
DROP TABLE event_actors_v1;
DROP TABLE times_v1;
DROP TABLE articles_v1;

CREATE INDEX articles_source_id ON articles(source_id);
CREATE INDEX articles_day ON articles(day);
CREATE INDEX entities_actor ON entities(actor);
CREATE INDEX quotes_speaker_actor ON quotes(speaker_actor);
CREATE INDEX events_day ON events(day);
CREATE INDEX events_type ON events(type);
CREATE INDEX event_actors_actor ON event_actors(actor, role);
"#;

/// The schema version of an open database.
pub fn version(conn: &Connection) -> Result<u32> {
    Ok(conn.pragma_query_value(None, "user_version", |row| row.get(0))?)
}

/// Brings the database up to [`SCHEMA_VERSION`], one migration per transaction.
///
/// A database written by a newer build (a higher version) is refused rather than
/// guessed at.
pub fn migrate(conn: &mut Connection) -> Result<()> {
    let found = version(conn)?;
    if found > SCHEMA_VERSION {
        return Err(Error::NewerSchema { found, supported: SCHEMA_VERSION });
    }
    for (from, migration) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let transaction = conn.transaction()?;
        apply(&transaction, migration, from as u32 + 1)?;
        transaction.commit()?;
    }
    Ok(())
}

fn apply(transaction: &Transaction<'_>, migration: &str, to: u32) -> Result<()> {
    transaction.execute_batch(migration)?;
    let broken: Option<String> =
        transaction.query_row("PRAGMA foreign_key_check", [], |row| row.get(0)).optional()?;
    if let Some(table) = broken {
        return Err(Error::Corrupt(format!(
            "migration to schema version {to} leaves rows of {table} pointing at nothing"
        )));
    }
    transaction.pragma_update(None, "user_version", to)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_database_migrates_to_the_current_version() {
        let mut conn = Connection::open_in_memory().unwrap();
        assert_eq!(version(&conn).unwrap(), 0);
        migrate(&mut conn).unwrap();
        assert_eq!(version(&conn).unwrap(), SCHEMA_VERSION);
        // Running it again changes nothing.
        migrate(&mut conn).unwrap();
        assert_eq!(version(&conn).unwrap(), SCHEMA_VERSION);
        let n_tables: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_master WHERE type = 'table'", [], |row| {
                row.get(0)
            })
            .unwrap();
        assert!(n_tables >= 11, "{n_tables} tables");
    }

    #[test]
    fn a_newer_schema_is_refused() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1).unwrap();
        let error = migrate(&mut conn).unwrap_err();
        assert_eq!(
            error.to_string(),
            format!(
                "the database has schema version {}, newer than this build supports ({})",
                SCHEMA_VERSION + 1,
                SCHEMA_VERSION
            )
        );
    }

    #[test]
    fn the_bundled_sqlite_has_fts5() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        conn.execute("INSERT INTO search(text, kind) VALUES ('troops crossed the river', 'x')", [])
            .unwrap();
        let n: i64 = conn
            .query_row("SELECT count(*) FROM search WHERE search MATCH 'river'", [], |row| {
                row.get(0)
            })
            .unwrap();
        assert_eq!(n, 1);
    }
}

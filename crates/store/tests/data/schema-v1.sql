-- A database of schema version 1, as newsgraph wrote it: one article (the wire-302 record
-- of tests/corpus/wire.jsonl) and its layers. Made with sqlite3 .dump; never edit it: the
-- test a_version_1_database_still_opens checks that this build still reads it.
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
INSERT INTO articles VALUES('63daea3ef20de150','wire-302',NULL,'Vietnam protests to China',NULL,NULL,'2025-03-22','2025-03-22','en',replace('Vietnam protested to China on Saturday over a new map that shows disputed islands as Chinese territory.\nVietnamese spokesperson Nguyen Thi Lan said China had violated Vietnam''s sovereignty. "We demand that China withdraw the map," she said.','\n',char(10)),1795942070);
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
INSERT INTO sentences VALUES('63daea3ef20de150',0,0,103);
INSERT INTO sentences VALUES('63daea3ef20de150',1,104,189);
INSERT INTO sentences VALUES('63daea3ef20de150',2,190,240);
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
INSERT INTO actors VALUES(26,'code:VNM','Vietnam','COUNTRY','VNM','VNM',NULL,'2025-03-22','2025-03-22',1,3);
INSERT INTO actors VALUES(27,'code:CHN','China','COUNTRY','CHN','CHN',NULL,'2025-03-22','2025-03-22',1,4);
INSERT INTO actors VALUES(28,'name:PERSON:nguyen thi lan','Nguyen Thi Lan','PERSON',NULL,NULL,NULL,'2025-03-22','2025-03-22',1,2);
CREATE TABLE actor_aliases (
    actor   INTEGER NOT NULL REFERENCES actors(id),
    alias   TEXT NOT NULL,
    n       INTEGER NOT NULL,       -- how many mentions used it
    PRIMARY KEY (actor, alias)
) STRICT, WITHOUT ROWID;
INSERT INTO actor_aliases VALUES(26,'Vietnam',2);
INSERT INTO actor_aliases VALUES(27,'China',3);
INSERT INTO actor_aliases VALUES(28,'Nguyen Thi Lan',1);
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
INSERT INTO entities VALUES('63daea3ef20de150',0,26,'Vietnam','COUNTRY','VNM','VNM',NULL,'[]');
INSERT INTO entities VALUES('63daea3ef20de150',1,27,'China','COUNTRY','CHN','CHN',NULL,'[]');
INSERT INTO entities VALUES('63daea3ef20de150',2,28,'Nguyen Thi Lan','PERSON',NULL,NULL,NULL,'[]');
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
INSERT INTO mentions VALUES('63daea3ef20de150',0,0,0,0,7,'Vietnam','name');
INSERT INTO mentions VALUES('63daea3ef20de150',0,1,1,104,114,'Vietnamese','demonym');
INSERT INTO mentions VALUES('63daea3ef20de150',0,2,1,167,174,'Vietnam','name');
INSERT INTO mentions VALUES('63daea3ef20de150',1,0,0,21,26,'China','name');
INSERT INTO mentions VALUES('63daea3ef20de150',1,1,0,85,92,'Chinese','demonym');
INSERT INTO mentions VALUES('63daea3ef20de150',1,2,1,148,153,'China','name');
INSERT INTO mentions VALUES('63daea3ef20de150',1,3,2,206,211,'China','name');
INSERT INTO mentions VALUES('63daea3ef20de150',2,0,1,128,142,'Nguyen Thi Lan','name');
INSERT INTO mentions VALUES('63daea3ef20de150',2,1,2,231,234,'she','pronoun');
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
INSERT INTO quotes VALUES('63daea3ef20de150',0,1,148,188,'China had violated Vietnam''s sovereignty','indirect',2,28,NULL,NULL,104,147,'Vietnamese spokesperson Nguyen Thi Lan said');
INSERT INTO quotes VALUES('63daea3ef20de150',1,2,191,229,'We demand that China withdraw the map,','direct',2,28,NULL,NULL,231,239,'she said');
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
INSERT INTO events VALUES('63daea3ef20de150',0,'PROTEST','demo','141','asserted',NULL,NULL,'2025-03-22','2025-03-22',NULL,NULL,8,17,'protested',0,0,103);
INSERT INTO events VALUES('63daea3ef20de150',1,'REJECT',NULL,'128','asserted',2,28,'2025-03-22','2025-03-22',NULL,NULL,158,166,'violated',1,104,189);
INSERT INTO events VALUES('63daea3ef20de150',2,'RETREAT','withdraw','087','asserted',2,28,'2025-03-22','2025-03-22',NULL,NULL,212,220,'withdraw',2,190,240);
CREATE TABLE event_actors (
    article TEXT NOT NULL REFERENCES articles(id),
    event   INTEGER NOT NULL,
    role    TEXT NOT NULL CHECK (role IN ('source', 'target')),
    idx     INTEGER NOT NULL,       -- position in the event's list
    entity  INTEGER NOT NULL,
    actor   INTEGER NOT NULL REFERENCES actors(id),
    PRIMARY KEY (article, event, role, idx)
) STRICT, WITHOUT ROWID;
INSERT INTO event_actors VALUES('63daea3ef20de150',0,'source',0,0,26);
INSERT INTO event_actors VALUES('63daea3ef20de150',0,'target',0,1,27);
INSERT INTO event_actors VALUES('63daea3ef20de150',1,'source',0,1,27);
INSERT INTO event_actors VALUES('63daea3ef20de150',1,'target',0,0,26);
INSERT INTO event_actors VALUES('63daea3ef20de150',2,'source',0,1,27);
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
INSERT INTO times VALUES('63daea3ef20de150',0,30,38,'Saturday','DATE','2025-03-22');
CREATE INDEX articles_source_id ON articles(source_id);
CREATE INDEX articles_day ON articles(day);
CREATE INDEX actors_name ON actors(name COLLATE NOCASE);
CREATE INDEX actors_code ON actors(code COLLATE NOCASE);
CREATE INDEX actor_aliases_alias ON actor_aliases(alias COLLATE NOCASE);
CREATE INDEX entities_actor ON entities(actor);
CREATE INDEX quotes_speaker_actor ON quotes(speaker_actor);
CREATE INDEX events_day ON events(day);
CREATE INDEX events_type ON events(type);
CREATE INDEX event_actors_actor ON event_actors(actor, role);
CREATE VIRTUAL TABLE search USING fts5(
    text,
    kind UNINDEXED,
    article UNINDEXED,
    item UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO search (text, kind, article, item) SELECT coalesce(title || char(10), '') || text, 'article', id, NULL FROM articles;
INSERT INTO search (text, kind, article, item) SELECT text, 'quote', article, idx FROM quotes;
PRAGMA user_version = 1;

//! Writing documents: one transaction per batch, articles skipped when already stored,
//! and every entity merged into a global actor.

use std::collections::HashMap;
use std::ops::AddAssign;
use std::time::{SystemTime, UNIX_EPOCH};

use newsgraph_model::json::{DocumentJson, SpanJson};
use newsgraph_model::{Article, Date, content_id};
use rusqlite::{OptionalExtension, Transaction, params};
use serde::Serialize;

use crate::{Error, Result, Store};

/// What a write added to the store.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Inserted {
    /// New articles.
    pub articles: u64,
    /// Articles skipped because the store already had them.
    pub duplicates: u64,
    /// Global actors seen for the first time.
    pub actors: u64,
    /// Quotes.
    pub quotes: u64,
    /// Events.
    pub events: u64,
}

impl AddAssign for Inserted {
    fn add_assign(&mut self, other: Inserted) {
        self.articles += other.articles;
        self.duplicates += other.duplicates;
        self.actors += other.actors;
        self.quotes += other.quotes;
        self.events += other.events;
    }
}

/// The key an article is stored under: the [`content_id`] of its text as the source
/// reader produced it, before any cleaning.
///
/// The same text read twice, from any input, has the same key, so that a second ingest
/// can skip it before spending time on extraction.
pub fn article_key(article: &Article) -> String {
    content_id(&article.text)
}

/// The key that merges an entity into a global actor: its code when it has one
/// (`code:USA`), else its type and normalized name (`name:PERSON:anna brel`).
///
/// Names are normalized by lower-casing, turning every run of characters that are not
/// letters or digits into one space, and trimming, so "Anna  Brel" and "anna brel" meet.
pub fn actor_key(name: &str, entity_type: &str, code: Option<&str>) -> String {
    match code.map(str::trim).filter(|code| !code.is_empty()) {
        Some(code) => format!("code:{}", code.to_uppercase()),
        None => format!("name:{}:{}", entity_type.to_uppercase(), normalize_name(name)),
    }
}

fn normalize_name(name: &str) -> String {
    let mut normal = String::with_capacity(name.len());
    for word in name.split(|c: char| !c.is_alphanumeric()).filter(|word| !word.is_empty()) {
        if !normal.is_empty() {
            normal.push(' ');
        }
        normal.extend(word.chars().flat_map(char::to_lowercase));
    }
    normal
}

/// Checks that a document is consistent enough to store: every entity reference
/// (`E1`, ...) names an entity it has, and every span lies inside its text.
pub fn check_document(doc: &DocumentJson) -> Result<()> {
    let bad = |message: String| Error::BadDocument { article: doc.id.clone(), message };
    let n_chars = doc.text.chars().count() as u32;
    let n_entities = doc.entities.len();
    let entity = |reference: &str| -> Result<()> {
        entity_index(reference)
            .filter(|idx| (*idx as usize) < n_entities)
            .map(|_| ())
            .ok_or_else(|| bad(format!("refers to entity {reference:?}, which it does not have")))
    };
    let span = |what: &str, start: u32, end: u32| -> Result<()> {
        if start <= end && end <= n_chars {
            Ok(())
        } else {
            Err(bad(format!("{what} span {start}..{end} is outside the text of {n_chars} chars")))
        }
    };
    for sentence in &doc.sentences {
        span("sentence", sentence.start, sentence.end)?;
    }
    for entity in &doc.entities {
        for mention in &entity.mentions {
            span("mention", mention.start, mention.end)?;
        }
    }
    for quote in &doc.quotes {
        span("quote", quote.start, quote.end)?;
        for reference in quote.speaker.iter().chain(&quote.addressee) {
            entity(reference)?;
        }
    }
    for event in &doc.events {
        span("trigger", event.trigger.start, event.trigger.end)?;
        let references = event.source.iter().chain(&event.target);
        for reference in references.chain(&event.reported_by).chain(&event.location) {
            entity(reference)?;
        }
    }
    for time in &doc.times {
        span("time", time.start, time.end)?;
    }
    Ok(())
}

/// The index of an entity reference `E1`, `E2`, ... (from 0).
fn entity_index(reference: &str) -> Option<u32> {
    reference.strip_prefix('E')?.parse::<u32>().ok()?.checked_sub(1)
}

/// The sentence that contains char offset `at`, by binary search over sorted sentences.
fn sentence_of(sentences: &[SpanJson], at: u32) -> Option<u32> {
    let after = sentences.partition_point(|sentence| sentence.start <= at);
    let idx = after.checked_sub(1)?;
    (at < sentences[idx].end.max(sentences[idx].start + 1)).then_some(idx as u32)
}

/// The publication day of a document, when it has a valid one.
fn published_day(doc: &DocumentJson) -> Option<String> {
    doc.published.as_deref().and_then(|p| Date::parse(p).ok()).map(|d| d.to_string())
}

/// The day of an event: its own date when that names a whole day, else the article's.
fn event_day(date: Option<&str>, article_day: Option<&str>) -> Option<String> {
    date.and_then(|d| d.get(..10))
        .and_then(|d| Date::parse(d).ok())
        .map(|d| d.to_string())
        .or_else(|| article_day.map(str::to_string))
}

impl Store {
    /// Stores documents, each under its key (see [`article_key`]), in one transaction:
    /// either all new ones are stored or, on an error, none.
    ///
    /// A document whose key is already stored (or that comes twice in the batch) is
    /// skipped and counted as a duplicate. Each document is checked with
    /// [`check_document`] before anything is written.
    pub fn insert_batch(&mut self, batch: &[(String, DocumentJson)]) -> Result<Inserted> {
        for (_, doc) in batch {
            check_document(doc)?;
        }
        let ingested = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        let transaction = self.conn.transaction()?;
        let mut inserted = Inserted::default();
        for (key, doc) in batch {
            inserted += insert_document(&transaction, key, doc, ingested as i64)?;
        }
        transaction.commit()?;
        Ok(inserted)
    }
}

fn insert_document(
    tx: &Transaction<'_>,
    key: &str,
    doc: &DocumentJson,
    ingested: i64,
) -> Result<Inserted> {
    let mut inserted = Inserted::default();
    let exists = tx.prepare_cached("SELECT 1 FROM articles WHERE id = ?1")?.exists([key])?;
    if exists {
        inserted.duplicates = 1;
        return Ok(inserted);
    }
    inserted.articles = 1;
    let day = published_day(doc);
    tx.prepare_cached(
        "INSERT INTO articles (id, source_id, url, title, outlet, author, published, day,
                               language, text, ingested)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        key,
        doc.id,
        doc.url,
        doc.title,
        doc.outlet,
        doc.author,
        doc.published,
        day,
        doc.language,
        doc.text,
        ingested
    ])?;
    // The article's number: every layer row points at it (see the schema).
    let n = tx.last_insert_rowid();
    let mut search = tx
        .prepare_cached("INSERT INTO search (text, kind, article, item) VALUES (?1, ?2, ?3, ?4)")?;
    let searchable = match &doc.title {
        Some(title) => format!("{title}\n{}", doc.text),
        None => doc.text.clone(),
    };
    search.execute(params![searchable, "article", key, Option::<i64>::None])?;

    let mut removal = tx.prepare_cached(
        "INSERT INTO removals (article, idx, text, reason, rule) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for (idx, removed) in doc.removed.iter().enumerate() {
        removal.execute(params![n, idx as i64, removed.text, removed.reason, removed.rule])?;
    }
    let mut sentence = tx.prepare_cached(
        "INSERT INTO sentences (article, idx, start, \"end\") VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (idx, span) in doc.sentences.iter().enumerate() {
        sentence.execute(params![n, idx as i64, span.start, span.end])?;
    }

    let actors = merge_actors(tx, doc, day.as_deref(), &mut inserted)?;
    let actor_of = |reference: &Option<String>| -> Option<i64> {
        reference.as_deref().and_then(entity_index).map(|idx| actors[idx as usize])
    };
    let mut entity = tx.prepare_cached(
        "INSERT INTO entities (article, idx, actor, name, type, code, country, sector, roles)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    let mut mention = tx.prepare_cached(
        "INSERT INTO mentions (article, entity, idx, sentence, start, \"end\", text, kind)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for (idx, found) in doc.entities.iter().enumerate() {
        let roles = serde_json::to_string(&found.roles)
            .map_err(|error| Error::Corrupt(format!("roles do not serialize: {error}")))?;
        entity.execute(params![
            n,
            idx as i64,
            actors[idx],
            found.name,
            found.entity_type,
            found.code,
            found.country,
            found.sector,
            roles
        ])?;
        for (mention_idx, m) in found.mentions.iter().enumerate() {
            mention.execute(params![
                n,
                idx as i64,
                mention_idx as i64,
                sentence_of(&doc.sentences, m.start),
                m.start,
                m.end,
                m.text,
                m.kind
            ])?;
        }
    }

    let mut quote = tx.prepare_cached(
        "INSERT INTO quotes (article, idx, sentence, start, \"end\", text, kind, speaker,
                             speaker_actor, addressee, addressee_actor, cue_start, cue_end,
                             cue_text)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    )?;
    for (idx, q) in doc.quotes.iter().enumerate() {
        quote.execute(params![
            n,
            idx as i64,
            sentence_of(&doc.sentences, q.start),
            q.start,
            q.end,
            q.text,
            q.kind,
            q.speaker.as_deref().and_then(entity_index),
            actor_of(&q.speaker),
            q.addressee.as_deref().and_then(entity_index),
            actor_of(&q.addressee),
            q.cue.as_ref().map(|cue| cue.start),
            q.cue.as_ref().map(|cue| cue.end),
            q.cue.as_ref().map(|cue| cue.text.as_str()),
        ])?;
        search.execute(params![q.text, "quote", key, idx as i64])?;
        inserted.quotes += 1;
    }

    let mut event = tx.prepare_cached(
        "INSERT INTO events (article, idx, type, mode, cameo, modality, reported_by,
                             reported_by_actor, date, day, location, location_actor,
                             trigger_start, trigger_end, trigger_text, sentence,
                             sentence_start, sentence_end)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
                 ?18)",
    )?;
    let mut participant = tx.prepare_cached(
        "INSERT INTO event_actors (article, event, role, idx, entity, actor)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (idx, e) in doc.events.iter().enumerate() {
        let sentence_idx = doc
            .sentences
            .iter()
            .position(|s| *s == e.sentence)
            .map(|i| i as u32)
            .or_else(|| sentence_of(&doc.sentences, e.trigger.start));
        event.execute(params![
            n,
            idx as i64,
            e.event_type,
            e.mode,
            e.cameo,
            e.modality,
            e.reported_by.as_deref().and_then(entity_index),
            actor_of(&e.reported_by),
            e.date,
            event_day(e.date.as_deref(), day.as_deref()),
            e.location.as_deref().and_then(entity_index),
            actor_of(&e.location),
            e.trigger.start,
            e.trigger.end,
            e.trigger.text,
            sentence_idx,
            e.sentence.start,
            e.sentence.end,
        ])?;
        for (role, references) in [("source", &e.source), ("target", &e.target)] {
            for (position, reference) in references.iter().enumerate() {
                // check_document has made sure every reference names an entity.
                let Some(entity_idx) = entity_index(reference) else { continue };
                participant.execute(params![
                    n,
                    idx as i64,
                    role,
                    position as i64,
                    entity_idx,
                    actors[entity_idx as usize]
                ])?;
            }
        }
        inserted.events += 1;
    }

    let mut time = tx.prepare_cached(
        "INSERT INTO times (article, idx, start, \"end\", text, type, value)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for (idx, t) in doc.times.iter().enumerate() {
        time.execute(params![n, idx as i64, t.start, t.end, t.text, t.timex_type, t.value])?;
    }
    Ok(inserted)
}

/// Finds or creates the global actor of every entity of the document and updates its
/// counts, days seen and aliases; returns the actor id of each entity, in order.
fn merge_actors(
    tx: &Transaction<'_>,
    doc: &DocumentJson,
    day: Option<&str>,
    inserted: &mut Inserted,
) -> Result<Vec<i64>> {
    // Two entities of one article can be one actor ("Veloria" the country and a second
    // entity coded VLR): the article counts once for it.
    let mut by_key: HashMap<String, Vec<usize>> = HashMap::new();
    let mut keys = Vec::with_capacity(doc.entities.len());
    for (idx, entity) in doc.entities.iter().enumerate() {
        let key = actor_key(&entity.name, &entity.entity_type, entity.code.as_deref());
        by_key.entry(key.clone()).or_default().push(idx);
        keys.push(key);
    }
    let mut find = tx.prepare_cached("SELECT id FROM actors WHERE key = ?1")?;
    let mut create = tx.prepare_cached(
        "INSERT INTO actors (key, name, type, code, country, sector, first_seen, last_seen,
                             n_articles, n_mentions)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, 1, ?8)",
    )?;
    let mut update = tx.prepare_cached(
        "UPDATE actors SET
             n_articles = n_articles + 1,
             n_mentions = n_mentions + ?2,
             country = coalesce(country, ?3),
             sector = coalesce(sector, ?4),
             first_seen = min(coalesce(first_seen, ?5), coalesce(?5, first_seen)),
             last_seen = max(coalesce(last_seen, ?5), coalesce(?5, last_seen))
         WHERE id = ?1",
    )?;
    let mut alias = tx.prepare_cached(
        "INSERT INTO actor_aliases (actor, alias, n) VALUES (?1, ?2, ?3)
         ON CONFLICT (actor, alias) DO UPDATE SET n = n + excluded.n",
    )?;
    let mut actor_ids: HashMap<&str, i64> = HashMap::new();
    // Walk the keys in the order of the entities, so ids are given deterministically.
    for key in &keys {
        if actor_ids.contains_key(key.as_str()) {
            continue;
        }
        let members = &by_key[key];
        let first = &doc.entities[members[0]];
        let n_mentions: usize = members.iter().map(|&i| doc.entities[i].mentions.len()).sum();
        let country = members.iter().find_map(|&i| doc.entities[i].country.as_deref());
        let sector = members.iter().find_map(|&i| doc.entities[i].sector.as_deref());
        let id = match find.query_row([key], |row| row.get::<_, i64>(0)).optional()? {
            Some(id) => {
                update.execute(params![id, n_mentions as i64, country, sector, day])?;
                id
            }
            None => {
                create.execute(params![
                    key,
                    first.name,
                    first.entity_type,
                    first.code,
                    country,
                    sector,
                    day,
                    n_mentions as i64
                ])?;
                inserted.actors += 1;
                tx.last_insert_rowid()
            }
        };
        // The aliases: each entity's canonical name and the names it is mentioned by.
        let mut aliases: HashMap<&str, i64> = HashMap::new();
        for &i in members {
            let entity = &doc.entities[i];
            // The canonical name is an alias even when no mention spells it out.
            aliases.entry(entity.name.as_str()).or_default();
            for mention in entity.mentions.iter().filter(|m| m.kind == "name") {
                *aliases.entry(mention.text.as_str()).or_default() += 1;
            }
        }
        let mut aliases: Vec<(&str, i64)> = aliases.into_iter().collect();
        aliases.sort_unstable();
        for (name, n) in aliases {
            alias.execute(params![id, name, n])?;
        }
        actor_ids.insert(key.as_str(), id);
    }
    Ok(keys.iter().map(|key| actor_ids[key.as_str()]).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actor_keys_prefer_codes_and_normalize_names() {
        assert_eq!(actor_key("Veloria", "COUNTRY", Some("vlr")), "code:VLR");
        assert_eq!(actor_key("Anna  Brel", "PERSON", None), "name:PERSON:anna brel");
        assert_eq!(actor_key("ANNA BREL", "PERSON", Some(" ")), "name:PERSON:anna brel");
        assert_eq!(actor_key("O’Neill-Ward", "PERSON", None), "name:PERSON:o neill ward");
        assert_ne!(actor_key("Brel", "PERSON", None), actor_key("Brel", "ORG", None));
    }

    #[test]
    fn offsets_find_their_sentence() {
        let sentences = [SpanJson { start: 0, end: 10 }, SpanJson { start: 11, end: 20 }];
        assert_eq!(sentence_of(&sentences, 0), Some(0));
        assert_eq!(sentence_of(&sentences, 9), Some(0));
        assert_eq!(sentence_of(&sentences, 10), None);
        assert_eq!(sentence_of(&sentences, 11), Some(1));
        assert_eq!(sentence_of(&sentences, 25), None);
        assert_eq!(sentence_of(&[], 3), None);
    }

    #[test]
    fn event_days_come_from_the_event_then_the_article() {
        assert_eq!(
            event_day(Some("2025-03-04"), Some("2025-03-09")).as_deref(),
            Some("2025-03-04")
        );
        assert_eq!(event_day(Some("2025-03"), Some("2025-03-09")).as_deref(), Some("2025-03-09"));
        assert_eq!(event_day(Some("PRESENT_REF"), None), None);
        assert_eq!(entity_index("E1"), Some(0));
        assert_eq!(entity_index("E0"), None);
        assert_eq!(entity_index("Q1"), None);
    }
}

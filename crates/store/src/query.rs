//! The query layer: typed rows for events, quotes, actors, search hits, articles and the
//! network, read with the filters the views offer.
//!
//! Actor names in filters are resolved by [`Store::resolve_actors`]: an exact match of a
//! name, an alias or a code (ignoring case) wins; otherwise every actor whose name or an
//! alias contains the text. Days are `YYYY-MM-DD` strings and ranges include both ends.
//! Offsets in rows are character offsets into the article's clean text.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use newsgraph_model::Date;
use newsgraph_model::json::{
    DocumentJson, EntityJson, EventJson, MentionJson, QuoteJson, RemovalJson, RoleJson, SCHEMA,
    SpanJson, TextSpanJson, TimexJson,
};
use rusqlite::types::Value;
use rusqlite::{OptionalExtension, Row, params, params_from_iter};
use serde::Serialize;

use crate::{Error, Result, Store};

/// A global actor as rows name it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ActorRef {
    /// The actor's id in the store.
    pub id: i64,
    /// Its canonical name.
    pub name: String,
    /// PERSON, ORG, COUNTRY, ...
    #[serde(rename = "type")]
    pub actor_type: String,
    /// Its own code (ISO3, NATO, ...).
    pub code: Option<String>,
    /// The country it belongs to.
    pub country: Option<String>,
    /// Its CAMEO-style sector.
    pub sector: Option<String>,
}

/// A global actor with its counts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ActorRow {
    /// The actor.
    #[serde(flatten)]
    pub actor: ActorRef,
    /// The first publication day it was seen on.
    pub first_seen: Option<String>,
    /// The last publication day it was seen on.
    pub last_seen: Option<String>,
    /// How many articles mention it.
    pub n_articles: u64,
    /// How many mentions it has in all.
    pub n_mentions: u64,
}

/// A name an actor was mentioned by.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AliasRow {
    /// The name.
    pub alias: String,
    /// How many mentions used it.
    pub n: u64,
}

/// How active an actor was in one month.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ActivityRow {
    /// `YYYY-MM`.
    pub month: String,
    /// Events it was a source or target of.
    pub events: u64,
}

/// An actor's partner in events of one type.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PartnerRow {
    /// The other actor.
    pub partner: ActorRef,
    /// The PLOVER event type.
    pub event_type: String,
    /// `to` when the profiled actor is the source, `from` when it is the target.
    pub direction: &'static str,
    /// How many events.
    pub n: u64,
}

/// Everything about one actor: `newsgraph actor NAME`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ActorProfile {
    /// The actor and its counts.
    #[serde(flatten)]
    pub actor: ActorRow,
    /// The names it was mentioned by, most used first.
    pub aliases: Vec<AliasRow>,
    /// The roles articles gave it, each once.
    pub roles: Vec<RoleJson>,
    /// Events it is a source of.
    pub n_events_as_source: u64,
    /// Events it is a target of.
    pub n_events_as_target: u64,
    /// Quotes it spoke.
    pub n_quotes: u64,
    /// Events per month, in order.
    pub activity: Vec<ActivityRow>,
    /// Its most frequent partners by event type.
    pub partners: Vec<PartnerRow>,
    /// Its latest quotes.
    pub latest_quotes: Vec<QuoteRow>,
}

/// One event with its actors and provenance.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EventRow {
    /// The article's key.
    pub article: String,
    /// The event's id in its article ("V1").
    pub id: String,
    /// PLOVER type.
    #[serde(rename = "type")]
    pub event_type: String,
    /// PLOVER mode.
    pub mode: Option<String>,
    /// CAMEO code.
    pub cameo: Option<String>,
    /// asserted, hypothetical, negated or future.
    pub modality: String,
    /// Who did it.
    pub source: Vec<ActorRef>,
    /// To whom.
    pub target: Vec<ActorRef>,
    /// Who claims it.
    pub reported_by: Option<ActorRef>,
    /// The TIMEX3 value of when, as extracted.
    pub date: Option<String>,
    /// The day it is filed under: its date's day, else the article's publication day.
    pub day: Option<String>,
    /// Where.
    pub location: Option<ActorRef>,
    /// The trigger (char offsets).
    pub trigger: TextSpanJson,
    /// The sentence, with its index in the article (char offsets).
    pub sentence: Option<u32>,
    /// The sentence's text.
    pub sentence_text: String,
    /// The article's title.
    pub title: Option<String>,
    /// The article's URL.
    pub url: Option<String>,
}

/// One quote with its speaker and provenance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct QuoteRow {
    /// The article's key.
    pub article: String,
    /// The quote's id in its article ("Q1").
    pub id: String,
    /// direct, partial or indirect.
    pub kind: String,
    /// The quoted text.
    pub text: String,
    /// First char, in the article's text.
    pub start: u32,
    /// End char, exclusive.
    pub end: u32,
    /// The sentence it starts in.
    pub sentence: Option<u32>,
    /// Who said it.
    pub speaker: Option<ActorRef>,
    /// To whom.
    pub addressee: Option<ActorRef>,
    /// The cue ("she said").
    pub cue: Option<String>,
    /// The article's publication day.
    pub day: Option<String>,
    /// The article's title.
    pub title: Option<String>,
}

/// One full-text search hit.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SearchHit {
    /// `article` or `quote`.
    pub kind: String,
    /// The article's key.
    pub article: String,
    /// The quote's id ("Q1") for a quote.
    pub item: Option<String>,
    /// The matching passage, matches in `[` `]`.
    pub snippet: String,
    /// The article's title.
    pub title: Option<String>,
    /// The article's publication day.
    pub day: Option<String>,
    /// BM25 rank: lower is better.
    pub rank: f64,
}

/// A range of days, `YYYY-MM-DD`, both ends inclusive; an end not given is open.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Days {
    /// The first day.
    pub since: Option<String>,
    /// The last day.
    pub until: Option<String>,
}

impl Days {
    /// The range's SQL comparison operators with their days: `(">=", since)` and
    /// `("<=", until)`, for the ends given.
    fn bounds(&self) -> impl Iterator<Item = (&'static str, &String)> {
        [(">=", &self.since), ("<=", &self.until)]
            .into_iter()
            .filter_map(|(operator, day)| Some((operator, day.as_ref()?)))
    }

    /// Adds a condition on `column` for each end given, with its value.
    fn push_conditions(&self, column: &str, conditions: &mut Vec<String>, values: &mut Vec<Value>) {
        for (operator, day) in self.bounds() {
            conditions.push(format!("{column} {operator} ?"));
            values.push(Value::Text(day.clone()));
        }
    }
}

/// Which events [`Store::events`] returns; every filter given must hold.
#[derive(Clone, Debug, Default)]
pub struct EventFilter {
    /// A source actor (name, alias or code).
    pub source: Option<String>,
    /// A target actor.
    pub target: Option<String>,
    /// A PLOVER type (`AID`), or a CAMEO code prefix when all digits (`04`).
    pub event_type: Option<String>,
    /// asserted, hypothetical, negated or future.
    pub modality: Option<String>,
    /// Who claims it.
    pub reported_by: Option<String>,
    /// The event's day (its date, else its article's).
    pub days: Days,
    /// Text the event's sentence contains (ignoring ASCII case).
    pub text: Option<String>,
    /// Only this article (its key or the source's id).
    pub article: Option<String>,
    /// At most this many rows.
    pub limit: Option<u32>,
}

/// Which quotes [`Store::quotes`] returns.
#[derive(Clone, Debug, Default)]
pub struct QuoteFilter {
    /// The speaker (name, alias or code).
    pub speaker: Option<String>,
    /// Text the quote contains (ignoring ASCII case).
    pub text: Option<String>,
    /// The article's publication day.
    pub days: Days,
    /// Only this article (its key or the source's id).
    pub article: Option<String>,
    /// At most this many rows.
    pub limit: Option<u32>,
}

/// Which events make the network.
#[derive(Clone, Debug, Default)]
pub struct NetworkFilter {
    /// The events' days.
    pub days: Days,
    /// Only these PLOVER types (all when empty).
    pub types: Vec<String>,
    /// Only these modalities (all when empty).
    pub modalities: Vec<String>,
    /// Only edges of at least this many events.
    pub min_weight: Option<u64>,
    /// At most this many edges: the heaviest (ties broken by source, target and type).
    pub limit: Option<u32>,
}

/// Events between actors, as a directed multigraph with one edge per source, target
/// and event type.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Network {
    /// The actors that take part in an edge, by id.
    pub nodes: Vec<ActorRow>,
    /// The edges, sorted by source, target and type.
    pub edges: Vec<NetworkEdge>,
}

/// The events of one type from one actor to another.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NetworkEdge {
    /// The source actor's id.
    pub source: i64,
    /// The target actor's id.
    pub target: i64,
    /// The PLOVER type.
    pub event_type: String,
    /// How many events.
    pub weight: u64,
    /// How many of them are asserted.
    pub asserted: u64,
    /// The first day among them.
    pub first_day: Option<String>,
    /// The last day among them.
    pub last_day: Option<String>,
}

/// Which part of an actor's timeline [`Store::timeline`] returns.
#[derive(Clone, Debug, Default)]
pub struct TimelineFilter {
    /// The days of the events and of the quotes' articles.
    pub days: Days,
    /// At most this many entries (the earliest).
    pub limit: Option<u32>,
}

/// One entry of an actor's timeline: an event it is a source or a target of, or a quote
/// it spoke.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TimelineEntry {
    /// The day it is filed under: the event's day (its date, else the article's
    /// publication day), the quote's publication day.
    pub day: Option<String>,
    /// `event` or `quote`.
    pub kind: &'static str,
    /// The actor's part: `source`, `target` or `source+target` in an event, `speaker` of
    /// a quote.
    pub role: &'static str,
    /// The event, for an event.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event: Option<EventRow>,
    /// The quote, for a quote.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quote: Option<QuoteRow>,
}

impl TimelineEntry {
    /// The entry's article.
    pub fn article(&self) -> &str {
        match (&self.event, &self.quote) {
            (Some(event), _) => &event.article,
            (None, Some(quote)) => &quote.article,
            (None, None) => "",
        }
    }

    /// Where the entry starts in its article's text (the event's trigger, the quote), in
    /// chars.
    fn position(&self) -> u32 {
        match (&self.event, &self.quote) {
            (Some(event), _) => event.trigger.start,
            (None, Some(quote)) => quote.start,
            (None, None) => 0,
        }
    }
}

/// The periods a timeline can be counted by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Period {
    /// `YYYY-MM-DD`.
    Day,
    /// The ISO 8601 week, `YYYY-Www` (weeks start on Monday; a week belongs to the year
    /// of its Thursday).
    Week,
    /// `YYYY-MM`.
    Month,
}

impl Period {
    /// The period `day` (`YYYY-MM-DD`) falls in; `None` when it is not a valid day.
    pub fn of(self, day: &str) -> Option<String> {
        let date = Date::parse(day).ok()?;
        Some(match self {
            Period::Day => date.to_string(),
            Period::Month => format!("{:04}-{:02}", date.year, date.month),
            Period::Week => {
                let thursday = date.add_days(4 - i64::from(date.weekday()));
                let january_first = Date { year: thursday.year, month: 1, day: 1 };
                let week = (thursday.to_days() - january_first.to_days()) / 7 + 1;
                format!("{:04}-W{week:02}", thursday.year)
            }
        })
    }
}

/// How many entries of a timeline fall in one period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PeriodCount {
    /// The period (see [`Period`]); `None` for undated entries.
    pub period: Option<String>,
    /// Events the actor is a source of.
    pub events_as_source: u64,
    /// Events the actor is a target of.
    pub events_as_target: u64,
    /// Quotes the actor spoke.
    pub quotes: u64,
}

/// Counts the entries of a timeline per period, in order, undated last. An event in
/// which the actor is both source and target counts in both columns.
pub fn timeline_counts(entries: &[TimelineEntry], period: Period) -> Vec<PeriodCount> {
    let mut counts: BTreeMap<(bool, Option<String>), PeriodCount> = BTreeMap::new();
    for entry in entries {
        let key = entry.day.as_deref().and_then(|day| period.of(day));
        let count = counts.entry((key.is_none(), key.clone())).or_insert(PeriodCount {
            period: key,
            events_as_source: 0,
            events_as_target: 0,
            quotes: 0,
        });
        match entry.role {
            "speaker" => count.quotes += 1,
            role => {
                count.events_as_source += u64::from(role.contains("source"));
                count.events_as_target += u64::from(role.contains("target"));
            }
        }
    }
    counts.into_values().collect()
}

/// An event row as first read, with what completes it: its article's number, its index
/// in the article, and the actor ids of its claimant and place.
type RawEvent = (EventRow, i64, u32, Option<i64>, Option<i64>);

const ACTOR_COLUMNS: &str = "a.id, a.name, a.type, a.code, a.country, a.sector";

fn actor_ref(row: &Row<'_>, first: usize) -> rusqlite::Result<ActorRef> {
    Ok(ActorRef {
        id: row.get(first)?,
        name: row.get(first + 1)?,
        actor_type: row.get(first + 2)?,
        code: row.get(first + 3)?,
        country: row.get(first + 4)?,
        sector: row.get(first + 5)?,
    })
}

fn actor_row(row: &Row<'_>) -> rusqlite::Result<ActorRow> {
    Ok(ActorRow {
        actor: actor_ref(row, 0)?,
        first_seen: row.get(6)?,
        last_seen: row.get(7)?,
        n_articles: row.get::<_, i64>(8)? as u64,
        n_mentions: row.get::<_, i64>(9)? as u64,
    })
}

/// `%text%` for LIKE, with `\` escaping the wildcards in the text.
fn like_pattern(text: &str) -> String {
    let mut pattern = String::from("%");
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// An FTS5 query that matches every word of `text`, each taken literally.
fn fts_query(text: &str) -> String {
    text.split_whitespace()
        .map(|word| format!("\"{}\"", word.replace('"', "\"\"")))
        .collect::<Vec<_>>()
        .join(" ")
}

/// `IN (1, 2, 3)` for ids, which are integers the store made.
fn id_list(ids: &[i64]) -> String {
    let mut list = String::from("(");
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            list.push_str(", ");
        }
        // Writing into a String cannot fail.
        let _ = write!(list, "{id}");
    }
    list.push(')');
    list
}

impl Store {
    /// The ids of the actors a user means by `name`: those whose name, alias or code is
    /// `name` (ignoring case); when there are none, those whose name or an alias
    /// contains it. Most mentioned first.
    pub fn resolve_actors(&self, name: &str) -> Result<Vec<i64>> {
        let name = name.trim();
        if name.is_empty() {
            return Ok(Vec::new());
        }
        let exact = self.actor_ids(
            "SELECT id FROM actors WHERE name = ?1 COLLATE NOCASE OR code = ?1 COLLATE NOCASE
             UNION SELECT actor FROM actor_aliases WHERE alias = ?1 COLLATE NOCASE",
            Value::Text(name.to_string()),
        )?;
        if !exact.is_empty() {
            return Ok(exact);
        }
        self.actor_ids(
            "SELECT id FROM actors WHERE name LIKE ?1 ESCAPE '\\'
             UNION SELECT actor FROM actor_aliases WHERE alias LIKE ?1 ESCAPE '\\'",
            Value::Text(like_pattern(name)),
        )
    }

    fn actor_ids(&self, matching: &str, value: Value) -> Result<Vec<i64>> {
        let sql =
            format!("SELECT id FROM actors WHERE id IN ({matching}) ORDER BY n_mentions DESC, id");
        let mut statement = self.conn.prepare_cached(&sql)?;
        let ids =
            statement.query_map([value], |row| row.get(0))?.collect::<rusqlite::Result<_>>()?;
        Ok(ids)
    }

    /// The actors `name` resolves to (see [`Store::resolve_actors`]), most mentioned
    /// first.
    pub fn find_actors(&self, name: &str) -> Result<Vec<ActorRow>> {
        let ids = self.resolve_actors(name)?;
        let mut rows = Vec::with_capacity(ids.len());
        for id in ids {
            rows.extend(self.actor(id)?);
        }
        Ok(rows)
    }

    /// One actor by id.
    pub fn actor(&self, id: i64) -> Result<Option<ActorRow>> {
        let mut statement = self.conn.prepare_cached(&format!(
            "SELECT {ACTOR_COLUMNS}, a.first_seen, a.last_seen, a.n_articles, a.n_mentions
             FROM actors a WHERE a.id = ?1"
        ))?;
        Ok(statement.query_row([id], actor_row).optional()?)
    }

    fn actor_ref_by_id(&self, id: Option<i64>) -> Result<Option<ActorRef>> {
        let Some(id) = id else { return Ok(None) };
        let mut statement = self
            .conn
            .prepare_cached(&format!("SELECT {ACTOR_COLUMNS} FROM actors a WHERE id = ?1"))?;
        Ok(statement.query_row([id], |row| actor_ref(row, 0)).optional()?)
    }

    /// The profile of an actor: aliases, roles, counts, activity per month, top partners
    /// by event type and latest quotes.
    pub fn actor_profile(&self, id: i64) -> Result<Option<ActorProfile>> {
        let Some(actor) = self.actor(id)? else { return Ok(None) };
        let mut statement = self.conn.prepare_cached(
            "SELECT alias, n FROM actor_aliases WHERE actor = ?1 ORDER BY n DESC, alias",
        )?;
        let aliases = statement
            .query_map([id], |row| {
                Ok(AliasRow { alias: row.get(0)?, n: row.get::<_, i64>(1)? as u64 })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut statement =
            self.conn.prepare_cached("SELECT DISTINCT roles FROM entities WHERE actor = ?1")?;
        let mut roles: Vec<RoleJson> = Vec::new();
        for json in statement.query_map([id], |row| row.get::<_, String>(0))? {
            let found: Vec<RoleJson> = serde_json::from_str(&json?)
                .map_err(|error| Error::Corrupt(format!("roles of actor {id}: {error}")))?;
            for role in found {
                if !roles.contains(&role) {
                    roles.push(role);
                }
            }
        }
        let count = |sql: &str| -> Result<u64> {
            Ok(self.conn.query_row(sql, [id], |row| row.get::<_, i64>(0))? as u64)
        };
        let n_events_as_source = count(
            "SELECT count(DISTINCT article || ':' || event) FROM event_actors
             WHERE actor = ?1 AND role = 'source'",
        )?;
        let n_events_as_target = count(
            "SELECT count(DISTINCT article || ':' || event) FROM event_actors
             WHERE actor = ?1 AND role = 'target'",
        )?;
        let n_quotes = count("SELECT count(*) FROM quotes WHERE speaker_actor = ?1")?;
        let mut statement = self.conn.prepare_cached(
            "SELECT substr(e.day, 1, 7) AS month, count(DISTINCT e.article || ':' || e.idx)
             FROM event_actors x JOIN events e ON e.article = x.article AND e.idx = x.event
             WHERE x.actor = ?1 AND e.day IS NOT NULL
             GROUP BY month ORDER BY month",
        )?;
        let activity = statement
            .query_map([id], |row| {
                Ok(ActivityRow { month: row.get(0)?, events: row.get::<_, i64>(1)? as u64 })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut statement = self.conn.prepare_cached(&format!(
            "SELECT {ACTOR_COLUMNS}, e.type, me.role, count(DISTINCT e.article || ':' || e.idx) AS n
             FROM event_actors me
             JOIN event_actors other ON other.article = me.article AND other.event = me.event
                                    AND other.role != me.role
             JOIN events e ON e.article = me.article AND e.idx = me.event
             JOIN actors a ON a.id = other.actor
             WHERE me.actor = ?1 AND other.actor != ?1
             GROUP BY a.id, e.type, me.role
             ORDER BY n DESC, a.name, e.type
             LIMIT 10"
        ))?;
        let partners = statement
            .query_map([id], |row| {
                let role: String = row.get(7)?;
                Ok(PartnerRow {
                    partner: actor_ref(row, 0)?,
                    event_type: row.get(6)?,
                    direction: if role == "source" { "to" } else { "from" },
                    n: row.get::<_, i64>(8)? as u64,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let latest_quotes =
            self.quotes_where("q.speaker_actor = ?", vec![Value::Integer(id)], 5)?;
        Ok(Some(ActorProfile {
            actor,
            aliases,
            roles,
            n_events_as_source,
            n_events_as_target,
            n_quotes,
            activity,
            partners,
            latest_quotes,
        }))
    }

    /// The key of the article a user means: its key, or the id its source gave.
    pub fn resolve_article(&self, id: &str) -> Result<Option<String>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT id FROM articles WHERE id = ?1
             UNION ALL SELECT id FROM articles WHERE source_id = ?1 LIMIT 1",
        )?;
        Ok(statement.query_row([id], |row| row.get(0)).optional()?)
    }

    /// Events that pass the filter, by day (undated last), article and position.
    pub fn events(&self, filter: &EventFilter) -> Result<Vec<EventRow>> {
        let mut conditions: Vec<String> = Vec::new();
        let mut values: Vec<Value> = Vec::new();
        for (role, name) in [("source", &filter.source), ("target", &filter.target)] {
            if let Some(name) = name {
                let ids = self.resolve_actors(name)?;
                conditions.push(format!(
                    "EXISTS (SELECT 1 FROM event_actors x WHERE x.article = e.article
                     AND x.event = e.idx AND x.role = '{role}' AND x.actor IN {})",
                    id_list(&ids)
                ));
            }
        }
        if let Some(name) = &filter.reported_by {
            let ids = self.resolve_actors(name)?;
            conditions.push(format!("e.reported_by_actor IN {}", id_list(&ids)));
        }
        if let Some(event_type) = &filter.event_type {
            if !event_type.is_empty() && event_type.bytes().all(|b| b.is_ascii_digit()) {
                conditions.push("e.cameo LIKE ? ESCAPE '\\'".into());
                values.push(Value::Text(format!("{event_type}%")));
            } else {
                conditions.push("e.type = ? COLLATE NOCASE".into());
                values.push(Value::Text(event_type.clone()));
            }
        }
        if let Some(modality) = &filter.modality {
            conditions.push("e.modality = ? COLLATE NOCASE".into());
            values.push(Value::Text(modality.clone()));
        }
        filter.days.push_conditions("e.day", &mut conditions, &mut values);
        if let Some(text) = &filter.text {
            conditions.push(
                "substr(a.text, e.sentence_start + 1, e.sentence_end - e.sentence_start)
                 LIKE ? ESCAPE '\\'"
                    .into(),
            );
            values.push(Value::Text(like_pattern(text)));
        }
        if let Some(article) = &filter.article {
            conditions.push("(a.id = ? OR a.source_id = ?)".into());
            values.push(Value::Text(article.clone()));
            values.push(Value::Text(article.clone()));
        }
        self.events_where(&conditions, values, filter.limit)
    }

    /// Events that meet every condition (SQL over `e`, the event, and `a`, its
    /// article), by day (undated last), article and position.
    fn events_where(
        &self,
        conditions: &[String],
        values: Vec<Value>,
        limit: Option<u32>,
    ) -> Result<Vec<EventRow>> {
        let mut sql = String::from(
            "SELECT a.id, e.idx, e.type, e.mode, e.cameo, e.modality, e.reported_by_actor,
                    e.date, e.day, e.location_actor, e.trigger_start, e.trigger_end,
                    e.trigger_text, e.sentence,
                    substr(a.text, e.sentence_start + 1, e.sentence_end - e.sentence_start),
                    a.title, a.url, a.n
             FROM events e JOIN articles a ON a.n = e.article",
        );
        if !conditions.is_empty() {
            sql.push_str(" WHERE ");
            sql.push_str(&conditions.join(" AND "));
        }
        sql.push_str(" ORDER BY e.day IS NULL, e.day, a.id, e.idx");
        if let Some(limit) = limit {
            let _ = write!(sql, " LIMIT {limit}");
        }
        let mut statement = self.conn.prepare(&sql)?;
        let raw: Vec<RawEvent> = statement
            .query_map(params_from_iter(values), |row| {
                let idx: u32 = row.get(1)?;
                Ok((
                    EventRow {
                        article: row.get(0)?,
                        id: format!("V{}", idx + 1),
                        event_type: row.get(2)?,
                        mode: row.get(3)?,
                        cameo: row.get(4)?,
                        modality: row.get(5)?,
                        source: Vec::new(),
                        target: Vec::new(),
                        reported_by: None,
                        date: row.get(7)?,
                        day: row.get(8)?,
                        location: None,
                        trigger: TextSpanJson {
                            start: row.get(10)?,
                            end: row.get(11)?,
                            text: row.get(12)?,
                        },
                        sentence: row.get(13)?,
                        sentence_text: row.get(14)?,
                        title: row.get(15)?,
                        url: row.get(16)?,
                    },
                    row.get(17)?,
                    idx,
                    row.get(6)?,
                    row.get(9)?,
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut participants = self.conn.prepare_cached(&format!(
            "SELECT x.role, {ACTOR_COLUMNS} FROM event_actors x JOIN actors a ON a.id = x.actor
             WHERE x.article = ?1 AND x.event = ?2 ORDER BY x.role, x.idx"
        ))?;
        let mut rows = Vec::with_capacity(raw.len());
        for (mut row, n, idx, reported_by, location) in raw {
            let found = participants
                .query_map(params![n, idx], |r| Ok((r.get::<_, String>(0)?, actor_ref(r, 1)?)))?;
            for participant in found {
                let (role, actor) = participant?;
                if role == "source" { row.source.push(actor) } else { row.target.push(actor) }
            }
            row.reported_by = self.actor_ref_by_id(reported_by)?;
            row.location = self.actor_ref_by_id(location)?;
            rows.push(row);
        }
        Ok(rows)
    }

    /// The timeline of one actor (by id): the events it is a source or a target of and
    /// the quotes it spoke, by day (undated last), article and position in the article.
    pub fn timeline(&self, actor: i64, filter: &TimelineFilter) -> Result<Vec<TimelineEntry>> {
        let mut event_conditions = vec![format!(
            "EXISTS (SELECT 1 FROM event_actors x WHERE x.article = e.article
             AND x.event = e.idx AND x.actor = {actor})"
        )];
        let mut quote_conditions = vec![format!("q.speaker_actor = {actor}")];
        let mut values: Vec<Value> = Vec::new();
        for (operator, day) in filter.days.bounds() {
            event_conditions.push(format!("e.day {operator} ?"));
            quote_conditions.push(format!("a.day {operator} ?"));
            values.push(Value::Text(day.clone()));
        }
        let limit = filter.limit.unwrap_or(u32::MAX);
        let mut entries: Vec<TimelineEntry> = Vec::new();
        for event in self.events_where(&event_conditions, values.clone(), Some(limit))? {
            let source = event.source.iter().any(|a| a.id == actor);
            let target = event.target.iter().any(|a| a.id == actor);
            let role = match (source, target) {
                (true, true) => "source+target",
                (true, false) => "source",
                _ => "target",
            };
            entries.push(TimelineEntry {
                day: event.day.clone(),
                kind: "event",
                role,
                event: Some(event),
                quote: None,
            });
        }
        // Quotes come latest first from `quotes_where`, so the limit applies after sorting.
        for quote in self.quotes_where(&quote_conditions.join(" AND "), values, u32::MAX)? {
            entries.push(TimelineEntry {
                day: quote.day.clone(),
                kind: "quote",
                role: "speaker",
                event: None,
                quote: Some(quote),
            });
        }
        entries.sort_by(|a, b| {
            (a.day.is_none(), &a.day, a.article(), a.position(), a.kind).cmp(&(
                b.day.is_none(),
                &b.day,
                b.article(),
                b.position(),
                b.kind,
            ))
        });
        entries.truncate(limit as usize);
        Ok(entries)
    }

    /// Quotes that pass the filter, by publication day (undated last), article and
    /// position.
    pub fn quotes(&self, filter: &QuoteFilter) -> Result<Vec<QuoteRow>> {
        let mut conditions: Vec<String> = Vec::new();
        let mut values: Vec<Value> = Vec::new();
        if let Some(name) = &filter.speaker {
            let ids = self.resolve_actors(name)?;
            conditions.push(format!("q.speaker_actor IN {}", id_list(&ids)));
        }
        if let Some(text) = &filter.text {
            conditions.push("q.text LIKE ? ESCAPE '\\'".into());
            values.push(Value::Text(like_pattern(text)));
        }
        filter.days.push_conditions("a.day", &mut conditions, &mut values);
        if let Some(article) = &filter.article {
            conditions.push("(a.id = ? OR a.source_id = ?)".into());
            values.push(Value::Text(article.clone()));
            values.push(Value::Text(article.clone()));
        }
        let condition =
            if conditions.is_empty() { "1".to_string() } else { conditions.join(" AND ") };
        let limit = filter.limit.unwrap_or(u32::MAX);
        self.quotes_where(&condition, values, limit)
    }

    fn quotes_where(
        &self,
        condition: &str,
        values: Vec<Value>,
        limit: u32,
    ) -> Result<Vec<QuoteRow>> {
        let sql = format!(
            "SELECT a.id, q.idx, q.kind, q.text, q.start, q.\"end\", q.sentence,
                    q.speaker_actor, q.addressee_actor, q.cue_text, a.day, a.title
             FROM quotes q JOIN articles a ON a.n = q.article
             WHERE {condition}
             ORDER BY a.day IS NULL, a.day DESC, a.id, q.idx
             LIMIT {limit}"
        );
        let mut statement = self.conn.prepare(&sql)?;
        let raw: Vec<(QuoteRow, Option<i64>, Option<i64>)> = statement
            .query_map(params_from_iter(values), |row| {
                let idx: u32 = row.get(1)?;
                Ok((
                    QuoteRow {
                        article: row.get(0)?,
                        id: format!("Q{}", idx + 1),
                        kind: row.get(2)?,
                        text: row.get(3)?,
                        start: row.get(4)?,
                        end: row.get(5)?,
                        sentence: row.get(6)?,
                        speaker: None,
                        addressee: None,
                        cue: row.get(9)?,
                        day: row.get(10)?,
                        title: row.get(11)?,
                    },
                    row.get(7)?,
                    row.get(8)?,
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut rows = Vec::with_capacity(raw.len());
        for (mut row, speaker, addressee) in raw {
            row.speaker = self.actor_ref_by_id(speaker)?;
            row.addressee = self.actor_ref_by_id(addressee)?;
            rows.push(row);
        }
        Ok(rows)
    }

    /// Full-text search over article titles and texts and over quotes; every word of
    /// `text` must occur (words are taken literally, not as FTS5 syntax). Best first.
    pub fn search(&self, text: &str, limit: u32) -> Result<Vec<SearchHit>> {
        let query = fts_query(text);
        if query.is_empty() {
            return Ok(Vec::new());
        }
        let mut statement = self.conn.prepare_cached(
            "SELECT search.kind, search.article, search.item,
                    snippet(search, 0, '[', ']', '…', 12), a.title, a.day, bm25(search)
             FROM search JOIN articles a ON a.id = search.article
             WHERE search MATCH ?1
             ORDER BY bm25(search), search.article, search.item
             LIMIT ?2",
        )?;
        let hits = statement
            .query_map(params![query, limit], |row| {
                Ok(SearchHit {
                    kind: row.get(0)?,
                    article: row.get(1)?,
                    item: row.get::<_, Option<i64>>(2)?.map(|idx| format!("Q{}", idx + 1)),
                    snippet: row.get(3)?,
                    title: row.get(4)?,
                    day: row.get(5)?,
                    rank: row.get(6)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(hits)
    }

    /// The keys of all articles, by publication day (undated last) and key.
    pub fn article_keys(&self) -> Result<Vec<String>> {
        let mut statement =
            self.conn.prepare("SELECT id FROM articles ORDER BY day IS NULL, day, id")?;
        let keys = statement.query_map([], |row| row.get(0))?.collect::<rusqlite::Result<_>>()?;
        Ok(keys)
    }

    /// An article as the `newsgraph.document/1` contract, rebuilt from the store, with
    /// the global actor of each entity (parallel to `entities`); `None` when no article
    /// has this key or source id. Diagnostics are not stored.
    pub fn document(&self, id: &str) -> Result<Option<(DocumentJson, Vec<ActorRef>)>> {
        let Some(key) = self.resolve_article(id)? else { return Ok(None) };
        let (n, mut doc) = self.conn.query_row(
            "SELECT n, source_id, url, title, outlet, author, published, language, text
             FROM articles WHERE id = ?1",
            [&key],
            |row| {
                let doc = DocumentJson {
                    schema: SCHEMA.to_string(),
                    id: row.get(1)?,
                    url: row.get(2)?,
                    title: row.get(3)?,
                    outlet: row.get(4)?,
                    author: row.get(5)?,
                    published: row.get(6)?,
                    language: row.get(7)?,
                    text: row.get(8)?,
                    removed: Vec::new(),
                    sentences: Vec::new(),
                    entities: Vec::new(),
                    quotes: Vec::new(),
                    events: Vec::new(),
                    times: Vec::new(),
                    diagnostics: Vec::new(),
                };
                Ok((row.get::<_, i64>(0)?, doc))
            },
        )?;
        let mut statement = self.conn.prepare_cached(
            "SELECT text, reason, rule FROM removals WHERE article = ?1 ORDER BY idx",
        )?;
        doc.removed = statement
            .query_map([n], |row| {
                Ok(RemovalJson { text: row.get(0)?, reason: row.get(1)?, rule: row.get(2)? })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut statement = self.conn.prepare_cached(
            "SELECT start, \"end\" FROM sentences WHERE article = ?1 ORDER BY idx",
        )?;
        doc.sentences = statement
            .query_map([n], |row| Ok(SpanJson { start: row.get(0)?, end: row.get(1)? }))?
            .collect::<rusqlite::Result<_>>()?;

        let mut statement = self.conn.prepare_cached(&format!(
            "SELECT e.idx, e.name, e.type, e.code, e.country, e.sector, e.roles, {ACTOR_COLUMNS}
             FROM entities e JOIN actors a ON a.id = e.actor
             WHERE e.article = ?1 ORDER BY e.idx"
        ))?;
        let mut actors = Vec::new();
        let found: Vec<(EntityJson, String, ActorRef)> = statement
            .query_map([n], |row| {
                let idx: u32 = row.get(0)?;
                Ok((
                    EntityJson {
                        id: format!("E{}", idx + 1),
                        name: row.get(1)?,
                        entity_type: row.get(2)?,
                        code: row.get(3)?,
                        country: row.get(4)?,
                        sector: row.get(5)?,
                        roles: Vec::new(),
                        mentions: Vec::new(),
                    },
                    row.get(6)?,
                    actor_ref(row, 7)?,
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut statement = self.conn.prepare_cached(
            "SELECT entity, start, \"end\", text, kind FROM mentions WHERE article = ?1
             ORDER BY entity, idx",
        )?;
        let mut mentions: BTreeMap<u32, Vec<MentionJson>> = BTreeMap::new();
        for mention in statement.query_map([n], |row| {
            Ok((
                row.get::<_, u32>(0)?,
                MentionJson {
                    start: row.get(1)?,
                    end: row.get(2)?,
                    text: row.get(3)?,
                    kind: row.get(4)?,
                },
            ))
        })? {
            let (entity, mention) = mention?;
            mentions.entry(entity).or_default().push(mention);
        }
        for (idx, (mut entity, roles, actor)) in found.into_iter().enumerate() {
            entity.roles = serde_json::from_str(&roles)
                .map_err(|error| Error::Corrupt(format!("roles in article {key}: {error}")))?;
            entity.mentions = mentions.remove(&(idx as u32)).unwrap_or_default();
            doc.entities.push(entity);
            actors.push(actor);
        }

        let entity_ref = |idx: Option<u32>| idx.map(|idx| format!("E{}", idx + 1));
        let mut statement = self.conn.prepare_cached(
            "SELECT idx, start, \"end\", text, kind, speaker, addressee, cue_start, cue_end,
                    cue_text
             FROM quotes WHERE article = ?1 ORDER BY idx",
        )?;
        doc.quotes = statement
            .query_map([n], |row| {
                let idx: u32 = row.get(0)?;
                let cue_start: Option<u32> = row.get(7)?;
                let cue_end: Option<u32> = row.get(8)?;
                let cue_text: Option<String> = row.get(9)?;
                Ok(QuoteJson {
                    id: format!("Q{}", idx + 1),
                    start: row.get(1)?,
                    end: row.get(2)?,
                    text: row.get(3)?,
                    kind: row.get(4)?,
                    speaker: entity_ref(row.get(5)?),
                    addressee: entity_ref(row.get(6)?),
                    cue: match (cue_start, cue_end, cue_text) {
                        (Some(start), Some(end), Some(text)) => {
                            Some(TextSpanJson { start, end, text })
                        }
                        _ => None,
                    },
                })
            })?
            .collect::<rusqlite::Result<_>>()?;

        let mut statement = self.conn.prepare_cached(
            "SELECT event, role, entity FROM event_actors WHERE article = ?1
             ORDER BY event, role, idx",
        )?;
        let mut participants: HashMap<(u32, String), Vec<String>> = HashMap::new();
        for participant in statement.query_map([n], |row| {
            Ok((row.get::<_, u32>(0)?, row.get::<_, String>(1)?, row.get::<_, u32>(2)?))
        })? {
            let (event, role, entity) = participant?;
            participants.entry((event, role)).or_default().push(format!("E{}", entity + 1));
        }
        let mut statement = self.conn.prepare_cached(
            "SELECT idx, type, mode, cameo, modality, reported_by, date, location,
                    trigger_start, trigger_end, trigger_text, sentence_start, sentence_end
             FROM events WHERE article = ?1 ORDER BY idx",
        )?;
        doc.events = statement
            .query_map([n], |row| {
                let idx: u32 = row.get(0)?;
                Ok(EventJson {
                    id: format!("V{}", idx + 1),
                    event_type: row.get(1)?,
                    mode: row.get(2)?,
                    cameo: row.get(3)?,
                    source: participants.remove(&(idx, "source".into())).unwrap_or_default(),
                    target: participants.remove(&(idx, "target".into())).unwrap_or_default(),
                    modality: row.get(4)?,
                    reported_by: entity_ref(row.get(5)?),
                    date: row.get(6)?,
                    location: entity_ref(row.get(7)?),
                    trigger: TextSpanJson {
                        start: row.get(8)?,
                        end: row.get(9)?,
                        text: row.get(10)?,
                    },
                    sentence: SpanJson { start: row.get(11)?, end: row.get(12)? },
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut statement = self.conn.prepare_cached(
            "SELECT start, \"end\", text, type, value FROM times WHERE article = ?1 ORDER BY idx",
        )?;
        doc.times = statement
            .query_map([n], |row| {
                Ok(TimexJson {
                    start: row.get(0)?,
                    end: row.get(1)?,
                    text: row.get(2)?,
                    timex_type: row.get(3)?,
                    value: row.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Some((doc, actors)))
    }

    /// The network of events between actors: one edge per source actor, target actor
    /// and event type, weighted by the number of events, sorted by source, target and
    /// type. An actor acting on itself makes no edge.
    pub fn network(&self, filter: &NetworkFilter) -> Result<Network> {
        let mut conditions = vec!["s.actor != t.actor".to_string()];
        let mut values: Vec<Value> = Vec::new();
        filter.days.push_conditions("e.day", &mut conditions, &mut values);
        for (column, wanted) in [("e.type", &filter.types), ("e.modality", &filter.modalities)] {
            if !wanted.is_empty() {
                let marks = vec!["?"; wanted.len()].join(", ");
                conditions.push(format!("upper({column}) IN ({marks})"));
                values.extend(wanted.iter().map(|w| Value::Text(w.to_uppercase())));
            }
        }
        let sql = format!(
            "SELECT s.actor, t.actor, e.type, count(*), sum(e.modality = 'asserted'),
                    min(e.day), max(e.day)
             FROM events e
             JOIN event_actors s ON s.article = e.article AND s.event = e.idx AND s.role = 'source'
             JOIN event_actors t ON t.article = e.article AND t.event = e.idx AND t.role = 'target'
             WHERE {}
             GROUP BY s.actor, t.actor, e.type
             HAVING count(*) >= {}
             ORDER BY count(*) DESC, s.actor, t.actor, e.type
             LIMIT {}",
            conditions.join(" AND "),
            filter.min_weight.unwrap_or(0),
            filter.limit.map_or(-1, i64::from),
        );
        let mut statement = self.conn.prepare(&sql)?;
        let mut edges: Vec<NetworkEdge> = statement
            .query_map(params_from_iter(values), |row| {
                Ok(NetworkEdge {
                    source: row.get(0)?,
                    target: row.get(1)?,
                    event_type: row.get(2)?,
                    weight: row.get::<_, i64>(3)? as u64,
                    asserted: row.get::<_, i64>(4)? as u64,
                    first_day: row.get(5)?,
                    last_day: row.get(6)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        edges.sort_by(|a, b| {
            (a.source, a.target, &a.event_type).cmp(&(b.source, b.target, &b.event_type))
        });
        let mut ids: Vec<i64> = edges.iter().flat_map(|edge| [edge.source, edge.target]).collect();
        ids.sort_unstable();
        ids.dedup();
        let mut nodes = Vec::with_capacity(ids.len());
        for id in ids {
            nodes.extend(self.actor(id)?);
        }
        Ok(Network { nodes, edges })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_text_is_escaped_for_like_and_fts() {
        assert_eq!(like_pattern("50%_a\\"), "%50\\%\\_a\\\\%");
        assert_eq!(fts_query("  troops \"border\" NOT  "), "\"troops\" \"\"\"border\"\"\" \"NOT\"");
        assert_eq!(fts_query(" "), "");
        assert_eq!(id_list(&[]), "()");
        assert_eq!(id_list(&[3, 12]), "(3, 12)");
    }
}

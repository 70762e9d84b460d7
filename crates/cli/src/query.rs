//! The query commands over a store: `events`, `quotes`, `actor`, `network`, `timeline`,
//! `search` and `show`.

use std::fmt::Write as _;
use std::io::{self, Write};
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::{Args, ValueEnum};
use newsgraph_model::Date;
use newsgraph_store::{
    ActorProfile, ActorRef, ActorRow, Days, DocumentJson, EventFilter, NetworkFilter, Period,
    QuoteFilter, TimelineEntry, TimelineFilter, timeline_counts,
};
use serde::Serialize;

use crate::extract::parse_date;

/// The store's range of days for `--since` and `--until`.
pub fn days(since: Option<Date>, until: Option<Date>) -> Days {
    Days { since: since.map(|d| d.to_string()), until: until.map(|d| d.to_string()) }
}
use crate::table::{QueryArgs, Table, TableFormat, opt, write, write_json};

/// Options of `newsgraph events`.
#[derive(Args, Debug)]
pub struct EventsArgs {
    #[command(flatten)]
    pub query: QueryArgs,
    /// Events whose source is this actor (a name, an alias or a code; else part of one).
    #[arg(long, value_name = "ACTOR")]
    pub source: Option<String>,
    /// Events whose target is this actor.
    #[arg(long, value_name = "ACTOR")]
    pub target: Option<String>,
    /// A PLOVER type (AID, ACCUSE, ...) or a CAMEO code prefix (04, 112).
    #[arg(long = "type", value_name = "TYPE")]
    pub event_type: Option<String>,
    /// asserted, hypothetical, negated or future.
    #[arg(long, value_name = "MODALITY")]
    pub modality: Option<String>,
    /// Events claimed by this actor.
    #[arg(long, value_name = "ACTOR")]
    pub reported_by: Option<String>,
    /// Events on or after this day (the event's date, else the article's).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub since: Option<Date>,
    /// Events on or before this day.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub until: Option<Date>,
    /// Events whose sentence contains this text.
    #[arg(long, value_name = "TEXT")]
    pub text: Option<String>,
    /// At most this many events.
    #[arg(long, value_name = "N")]
    pub limit: Option<u32>,
}

impl EventsArgs {
    /// The store's filter for these options.
    pub fn filter(&self) -> EventFilter {
        EventFilter {
            source: self.source.clone(),
            target: self.target.clone(),
            event_type: self.event_type.clone(),
            modality: self.modality.clone(),
            reported_by: self.reported_by.clone(),
            days: days(self.since, self.until),
            text: self.text.clone(),
            article: None,
            limit: self.limit,
        }
    }
}

/// Options of `newsgraph quotes`.
#[derive(Args, Debug)]
pub struct QuotesArgs {
    #[command(flatten)]
    pub query: QueryArgs,
    /// Quotes by this speaker (a name, an alias or a code; else part of one).
    #[arg(long, value_name = "ACTOR")]
    pub speaker: Option<String>,
    /// Quotes that contain this text.
    #[arg(long, value_name = "TEXT")]
    pub text: Option<String>,
    /// Quotes from articles published on or after this day.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub since: Option<Date>,
    /// Quotes from articles published on or before this day.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub until: Option<Date>,
    /// At most this many quotes.
    #[arg(long, value_name = "N")]
    pub limit: Option<u32>,
}

/// Options of `newsgraph actor`.
#[derive(Args, Debug)]
pub struct ActorArgs {
    #[command(flatten)]
    pub query: QueryArgs,
    /// A name, an alias or a code (case does not matter); else part of a name.
    #[arg(value_name = "NAME")]
    pub name: String,
}

/// Which events make a network's edges: `newsgraph network` and `newsgraph export`
/// (graphml, gexf; the dates also gdelt).
#[derive(Args, Debug, Default)]
pub struct NetworkScope {
    /// Only events on or after this day (the event's date, else the article's).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub since: Option<Date>,
    /// Only events on or before this day.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub until: Option<Date>,
    /// Only events of these PLOVER types, comma-separated (AID,ACCUSE).
    #[arg(long = "type", value_name = "TYPE", value_delimiter = ',')]
    pub types: Vec<String>,
    /// Only events of these modalities, comma-separated (asserted, hypothetical, negated,
    /// future).
    #[arg(long, value_name = "MODALITY", value_delimiter = ',')]
    pub modality: Vec<String>,
}

impl NetworkScope {
    /// The store's filter for these options, with no weight or count limit.
    pub fn filter(&self) -> NetworkFilter {
        NetworkFilter {
            days: days(self.since, self.until),
            types: self.types.clone(),
            modalities: self.modality.clone(),
            ..NetworkFilter::default()
        }
    }
}

/// Options of `newsgraph network`.
#[derive(Args, Debug)]
pub struct NetworkArgs {
    #[command(flatten)]
    pub query: QueryArgs,
    #[command(flatten)]
    pub scope: NetworkScope,
    /// Only edges of at least this many events.
    #[arg(long, value_name = "N")]
    pub min_weight: Option<u64>,
    /// At most this many edges, the heaviest.
    #[arg(long, value_name = "N")]
    pub limit: Option<u32>,
}

/// How `newsgraph timeline` groups an actor's entries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ByArg {
    /// Every event and quote, grouped by day.
    Day,
    /// Counts per ISO week (`2025-W12`).
    Week,
    /// Counts per month (`2025-03`).
    Month,
}

/// Options of `newsgraph timeline`.
#[derive(Args, Debug)]
pub struct TimelineArgs {
    #[command(flatten)]
    pub query: QueryArgs,
    /// A name, an alias or a code (case does not matter); else part of a name. The most
    /// mentioned match is shown.
    #[arg(value_name = "ACTOR")]
    pub actor: String,
    /// Only entries on or after this day.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub since: Option<Date>,
    /// Only entries on or before this day.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub until: Option<Date>,
    /// Every entry grouped by `day`, or counts per `week` or `month`.
    #[arg(long, value_enum, default_value_t = ByArg::Day, value_name = "PERIOD")]
    pub by: ByArg,
    /// At most this many entries (the earliest), before counting.
    #[arg(long, value_name = "N")]
    pub limit: Option<u32>,
}

/// Options of `newsgraph search`.
#[derive(Args, Debug)]
pub struct SearchArgs {
    #[command(flatten)]
    pub query: QueryArgs,
    /// Words that must all occur in an article or a quote.
    #[arg(value_name = "TEXT", required = true)]
    pub text: Vec<String>,
    /// At most this many hits.
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub limit: u32,
}

/// Options of `newsgraph show`.
#[derive(Args, Debug)]
pub struct ShowArgs {
    #[command(flatten)]
    pub query: QueryArgs,
    /// The article's id: its key (content hash) or the id its source gave.
    #[arg(value_name = "ARTICLE_ID")]
    pub id: String,
}

fn names(actors: &[ActorRef]) -> String {
    actors.iter().map(|a| a.name.as_str()).collect::<Vec<_>>().join("; ")
}

fn name(actor: Option<&ActorRef>) -> String {
    actor.map(|a| a.name.clone()).unwrap_or_default()
}

/// Runs `newsgraph events`.
pub fn events(args: EventsArgs) -> Result<ExitCode> {
    let store = args.query.open()?;
    let rows = store.events(&args.filter())?;
    let mut table = Table::new(&[
        "day",
        "article",
        "id",
        "type",
        "cameo",
        "modality",
        "source",
        "target",
        "trigger",
        "reported_by",
        "location",
        "sentence",
    ]);
    for row in &rows {
        table.push(vec![
            opt(row.day.as_deref()),
            row.article.clone(),
            row.id.clone(),
            row.event_type.clone(),
            opt(row.cameo.as_deref()),
            row.modality.clone(),
            names(&row.source),
            names(&row.target),
            row.trigger.text.clone(),
            name(row.reported_by.as_ref()),
            name(row.location.as_ref()),
            row.sentence_text.clone(),
        ]);
    }
    write(args.query.format, &table, &rows)?;
    Ok(ExitCode::SUCCESS)
}

/// Runs `newsgraph quotes`.
pub fn quotes(args: QuotesArgs) -> Result<ExitCode> {
    let store = args.query.open()?;
    let rows = store.quotes(&QuoteFilter {
        speaker: args.speaker,
        text: args.text,
        days: days(args.since, args.until),
        article: None,
        limit: args.limit,
    })?;
    let mut table =
        Table::new(&["day", "article", "id", "speaker", "kind", "text", "cue", "title"]);
    for row in &rows {
        table.push(vec![
            opt(row.day.as_deref()),
            row.article.clone(),
            row.id.clone(),
            name(row.speaker.as_ref()),
            row.kind.clone(),
            row.text.clone(),
            opt(row.cue.as_deref()),
            opt(row.title.as_deref()),
        ]);
    }
    write(args.query.format, &table, &rows)?;
    Ok(ExitCode::SUCCESS)
}

fn actor_table(rows: &[ActorRow]) -> Table {
    let mut table = Table::new(&[
        "id",
        "name",
        "type",
        "code",
        "country",
        "sector",
        "first_seen",
        "last_seen",
        "articles",
        "mentions",
    ]);
    for row in rows {
        let actor = &row.actor;
        table.push(vec![
            actor.id.to_string(),
            actor.name.clone(),
            actor.actor_type.clone(),
            opt(actor.code.as_deref()),
            opt(actor.country.as_deref()),
            opt(actor.sector.as_deref()),
            opt(row.first_seen.as_deref()),
            opt(row.last_seen.as_deref()),
            row.n_articles.to_string(),
            row.n_mentions.to_string(),
        ]);
    }
    table
}

/// Runs `newsgraph actor`: the profile of the best match in `table` and `json`, every
/// match in `csv`. No match is an error.
pub fn actor(args: ActorArgs) -> Result<ExitCode> {
    let store = args.query.open()?;
    let matches = store.find_actors(&args.name)?;
    let Some(best) = matches.first() else {
        bail!("no actor matches {:?}", args.name);
    };
    if args.query.format == TableFormat::Csv {
        write(TableFormat::Csv, &actor_table(&matches), &matches)?;
        return Ok(ExitCode::SUCCESS);
    }
    let Some(profile) = store.actor_profile(best.actor.id)? else {
        bail!("actor {} disappeared while being read", best.actor.id);
    };
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    if args.query.format == TableFormat::Json {
        write_json(&mut out, &profile)?;
    } else {
        out.write_all(render_profile(&profile, &matches[1..]).as_bytes())?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn render_profile(profile: &ActorProfile, others: &[ActorRow]) -> String {
    let row = &profile.actor;
    let actor = &row.actor;
    let mut out = String::new();
    // Writing into a String cannot fail.
    let _ = writeln!(out, "# {} (actor {})", actor.name, actor.id);
    let mut facts = vec![actor.actor_type.clone()];
    facts.extend(actor.code.as_ref().map(|c| format!("code {c}")));
    facts.extend(actor.country.as_ref().map(|c| format!("country {c}")));
    facts.extend(actor.sector.as_ref().map(|s| format!("sector {s}")));
    facts.push(format!("{} articles, {} mentions", row.n_articles, row.n_mentions));
    if let (Some(first), Some(last)) = (&row.first_seen, &row.last_seen) {
        facts.push(format!("seen {first} to {last}"));
    }
    let _ = writeln!(out, "{}", facts.join(" · "));
    let _ = writeln!(
        out,
        "{} events as source, {} as target, {} quotes",
        profile.n_events_as_source, profile.n_events_as_target, profile.n_quotes
    );
    let aliases: Vec<String> =
        profile.aliases.iter().map(|a| format!("{} ({})", a.alias, a.n)).collect();
    let _ = writeln!(out, "\nAliases: {}", aliases.join(", "));
    if !profile.roles.is_empty() {
        let _ = writeln!(out, "\nRoles:");
        for role in &profile.roles {
            let of = role.of.as_deref().map(|of| format!(" of {of}")).unwrap_or_default();
            let from = role.from.as_deref().unwrap_or("?");
            let to = role.to.as_deref().unwrap_or("");
            let _ = writeln!(out, "  {}{of}, {from} to {to}", role.title);
        }
    }
    if !profile.activity.is_empty() {
        let _ = writeln!(out, "\nEvents per month:");
        for month in &profile.activity {
            let _ = writeln!(out, "  {}  {}", month.month, month.events);
        }
    }
    if !profile.partners.is_empty() {
        let _ = writeln!(out, "\nPartners:");
        for partner in &profile.partners {
            let _ = writeln!(
                out,
                "  {} {} {}  {}",
                partner.event_type, partner.direction, partner.partner.name, partner.n
            );
        }
    }
    if !profile.latest_quotes.is_empty() {
        let _ = writeln!(out, "\nLatest quotes:");
        for quote in &profile.latest_quotes {
            let day = quote.day.as_deref().unwrap_or("undated");
            let _ = writeln!(out, "  {day} {}/{}: “{}”", quote.article, quote.id, quote.text);
        }
    }
    if !others.is_empty() {
        let names: Vec<String> =
            others.iter().map(|o| format!("{} ({})", o.actor.name, o.actor.id)).collect();
        let _ = writeln!(out, "\nAlso matching: {}", names.join(", "));
    }
    out
}

/// One edge of the network as `newsgraph network` writes it: the actors by name.
#[derive(Serialize)]
struct EdgeRow<'a> {
    source: &'a ActorRef,
    target: &'a ActorRef,
    #[serde(rename = "type")]
    event_type: &'a str,
    weight: u64,
    asserted: u64,
    first_day: Option<&'a str>,
    last_day: Option<&'a str>,
}

/// Runs `newsgraph network`: the edges, heaviest first.
pub fn network(args: NetworkArgs) -> Result<ExitCode> {
    let store = args.query.open()?;
    let network = store.network(&NetworkFilter {
        min_weight: args.min_weight,
        limit: args.limit,
        ..args.scope.filter()
    })?;
    let actors: std::collections::HashMap<i64, &ActorRef> =
        network.nodes.iter().map(|node| (node.actor.id, &node.actor)).collect();
    let mut rows = Vec::with_capacity(network.edges.len());
    for edge in &network.edges {
        let (Some(source), Some(target)) = (actors.get(&edge.source), actors.get(&edge.target))
        else {
            bail!("edge {} -> {} names an actor the store does not have", edge.source, edge.target);
        };
        rows.push(EdgeRow {
            source,
            target,
            event_type: &edge.event_type,
            weight: edge.weight,
            asserted: edge.asserted,
            first_day: edge.first_day.as_deref(),
            last_day: edge.last_day.as_deref(),
        });
    }
    rows.sort_by(|a, b| {
        b.weight.cmp(&a.weight).then_with(|| {
            (&a.source.name, &a.target.name, a.event_type).cmp(&(
                &b.source.name,
                &b.target.name,
                b.event_type,
            ))
        })
    });
    let mut table = Table::new(&[
        "source",
        "target",
        "type",
        "weight",
        "asserted",
        "first_day",
        "last_day",
        "source_id",
        "target_id",
    ]);
    for row in &rows {
        table.push(vec![
            row.source.name.clone(),
            row.target.name.clone(),
            row.event_type.to_string(),
            row.weight.to_string(),
            row.asserted.to_string(),
            opt(row.first_day),
            opt(row.last_day),
            row.source.id.to_string(),
            row.target.id.to_string(),
        ]);
    }
    write(args.query.format, &table, &rows)?;
    Ok(ExitCode::SUCCESS)
}

/// What `newsgraph timeline --format json` writes.
#[derive(Serialize)]
struct TimelineJson<'a, T: Serialize> {
    actor: &'a ActorRow,
    by: &'static str,
    #[serde(rename = "entries")]
    rows: T,
}

/// The id, type (the quote's kind), modality, actors and text of an entry, as cells.
fn timeline_cells(entry: &TimelineEntry) -> [String; 5] {
    match (&entry.event, &entry.quote) {
        (Some(event), _) => [
            event.id.clone(),
            event.event_type.clone(),
            event.modality.clone(),
            format!("{} -> {}", names(&event.source), names(&event.target)),
            event.sentence_text.clone(),
        ],
        (None, Some(quote)) => [
            quote.id.clone(),
            quote.kind.clone(),
            String::new(),
            quote.addressee.as_ref().map(|a| format!("-> {}", a.name)).unwrap_or_default(),
            quote.text.clone(),
        ],
        (None, None) => Default::default(),
    }
}

/// Runs `newsgraph timeline`: the events and quotes of the best-matching actor by day
/// (the day written once per group in `table`), or counts per week or month. No match
/// is an error.
pub fn timeline(args: TimelineArgs) -> Result<ExitCode> {
    let store = args.query.open()?;
    let matches = store.find_actors(&args.actor)?;
    let Some(best) = matches.first() else {
        bail!("no actor matches {:?}", args.actor);
    };
    let entries = store.timeline(
        best.actor.id,
        &TimelineFilter { days: days(args.since, args.until), limit: args.limit },
    )?;
    let period = match args.by {
        ByArg::Day => None,
        ByArg::Week => Some((Period::Week, "week")),
        ByArg::Month => Some((Period::Month, "month")),
    };
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    if let Some((period, by)) = period {
        let counts = timeline_counts(&entries, period);
        let mut table = Table::new(&[by, "events_as_source", "events_as_target", "quotes"]);
        for count in &counts {
            table.push(vec![
                count.period.clone().unwrap_or_else(|| "undated".into()),
                count.events_as_source.to_string(),
                count.events_as_target.to_string(),
                count.quotes.to_string(),
            ]);
        }
        match args.query.format {
            TableFormat::Json => {
                write_json(&mut out, &TimelineJson { actor: best, by, rows: &counts })?
            }
            TableFormat::Csv => table.write_csv(&mut out)?,
            TableFormat::Table => {
                writeln!(out, "# {} (actor {})", best.actor.name, best.actor.id)?;
                table.write_aligned(&mut out)?;
            }
        }
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut table =
        Table::new(&["day", "kind", "role", "article", "id", "type", "modality", "actors", "text"]);
    let mut last_day: Option<&str> = None;
    for entry in &entries {
        let day = entry.day.as_deref().unwrap_or("undated");
        // In a table the day heads its group; CSV repeats it on every row.
        let shown = if args.query.format == TableFormat::Table && last_day == Some(day) {
            String::new()
        } else {
            day.to_string()
        };
        last_day = Some(day);
        let mut row = vec![
            shown,
            entry.kind.to_string(),
            entry.role.to_string(),
            entry.article().to_string(),
        ];
        row.extend(timeline_cells(entry));
        table.push(row);
    }
    match args.query.format {
        TableFormat::Json => {
            write_json(&mut out, &TimelineJson { actor: best, by: "day", rows: &entries })?;
        }
        TableFormat::Csv => table.write_csv(&mut out)?,
        TableFormat::Table => {
            writeln!(out, "# {} (actor {})", best.actor.name, best.actor.id)?;
            table.write_aligned(&mut out)?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Runs `newsgraph search`.
pub fn search(args: SearchArgs) -> Result<ExitCode> {
    let store = args.query.open()?;
    let hits = store.search(&args.text.join(" "), args.limit)?;
    let mut table = Table::new(&["kind", "article", "item", "day", "title", "snippet"]);
    for hit in &hits {
        table.push(vec![
            hit.kind.clone(),
            hit.article.clone(),
            opt(hit.item.as_deref()),
            opt(hit.day.as_deref()),
            opt(hit.title.as_deref()),
            hit.snippet.clone(),
        ]);
    }
    write(args.query.format, &table, &hits)?;
    Ok(ExitCode::SUCCESS)
}

/// Runs `newsgraph show`: the article with its annotations inline (`table`), the
/// `newsgraph.document/1` JSON (`json`), or one row per annotation (`csv`).
pub fn show(args: ShowArgs) -> Result<ExitCode> {
    let store = args.query.open()?;
    let Some(key) = store.resolve_article(&args.id)? else {
        bail!("no article has the id {:?}", args.id);
    };
    let Some((doc, actors)) = store.document(&key)? else {
        bail!("article {key} disappeared while being read");
    };
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    match args.query.format {
        TableFormat::Json => write_json(&mut out, &doc)?,
        TableFormat::Csv => annotations(&doc).write_csv(&mut out)?,
        TableFormat::Table => out.write_all(render_article(&key, &doc, &actors).as_bytes())?,
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// One row per annotation: layer, id, char span, covered text and what it is.
fn annotations(doc: &DocumentJson) -> Table {
    let mut table = Table::new(&["layer", "id", "start", "end", "text", "label"]);
    for (idx, sentence) in doc.sentences.iter().enumerate() {
        let text = slice(&doc.text, sentence.start, sentence.end);
        table.push(vec![
            "sentence".into(),
            format!("S{}", idx + 1),
            sentence.start.to_string(),
            sentence.end.to_string(),
            text,
            String::new(),
        ]);
    }
    for entity in &doc.entities {
        for mention in &entity.mentions {
            table.push(vec![
                "mention".into(),
                entity.id.clone(),
                mention.start.to_string(),
                mention.end.to_string(),
                mention.text.clone(),
                format!("{} {} ({})", entity.entity_type, entity.name, mention.kind),
            ]);
        }
    }
    for quote in &doc.quotes {
        table.push(vec![
            "quote".into(),
            quote.id.clone(),
            quote.start.to_string(),
            quote.end.to_string(),
            quote.text.clone(),
            format!("{} by {}", quote.kind, quote.speaker.as_deref().unwrap_or("?")),
        ]);
    }
    for event in &doc.events {
        table.push(vec![
            "event".into(),
            event.id.clone(),
            event.trigger.start.to_string(),
            event.trigger.end.to_string(),
            event.trigger.text.clone(),
            format!(
                "{} {} -> {} ({})",
                event.event_type,
                event.source.join(","),
                event.target.join(","),
                event.modality
            ),
        ]);
    }
    for time in &doc.times {
        table.push(vec![
            "time".into(),
            String::new(),
            time.start.to_string(),
            time.end.to_string(),
            time.text.clone(),
            format!("{} {}", time.timex_type, time.value),
        ]);
    }
    table
}

/// The chars `start..end` of `text`.
fn slice(text: &str, start: u32, end: u32) -> String {
    text.chars().skip(start as usize).take(end.saturating_sub(start) as usize).collect()
}

/// The article for a person: each sentence with its mentions marked `[text]E1`, then
/// the quotes and events of that sentence, then the actors.
fn render_article(key: &str, doc: &DocumentJson, actors: &[ActorRef]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}", doc.title.as_deref().unwrap_or("(no title)"));
    let mut facts = vec![format!("id {key}")];
    if doc.id != key {
        facts.push(format!("source id {}", doc.id));
    }
    facts.extend(doc.published.as_ref().map(|p| format!("published {p}")));
    facts.extend(doc.outlet.as_ref().map(|o| format!("outlet {o}")));
    facts.extend(doc.url.clone());
    let _ = writeln!(out, "{}\n", facts.join(" · "));

    // Mentions in text order; one that overlaps an earlier one is not marked.
    let mut mentions: Vec<(u32, u32, &str)> = doc
        .entities
        .iter()
        .flat_map(|e| e.mentions.iter().map(move |m| (m.start, m.end, e.id.as_str())))
        .collect();
    mentions.sort_unstable();
    let mut marked: Vec<(u32, u32, &str)> = Vec::new();
    for mention in mentions {
        if marked.last().is_none_or(|last| last.1 <= mention.0) {
            marked.push(mention);
        }
    }
    let chars: Vec<char> = doc.text.chars().collect();
    let entity_name = |reference: &str| -> String {
        doc.entities
            .iter()
            .find(|e| e.id == reference)
            .map_or_else(|| reference.to_string(), |e| e.name.clone())
    };
    for (idx, sentence) in doc.sentences.iter().enumerate() {
        let mut line = String::new();
        let mut at = sentence.start;
        for &(start, end, id) in
            marked.iter().filter(|m| m.0 >= sentence.start && m.1 <= sentence.end)
        {
            line.extend(&chars[at as usize..start as usize]);
            line.push('[');
            line.extend(&chars[start as usize..end as usize]);
            let _ = write!(line, "]{id}");
            at = end;
        }
        line.extend(&chars[at as usize..(sentence.end as usize).min(chars.len())]);
        let _ = writeln!(out, "{:>3}  {line}", idx + 1);
        let inside = |start: u32| sentence.start <= start && start < sentence.end.max(start + 1);
        for quote in doc.quotes.iter().filter(|q| inside(q.start) && q.start < sentence.end) {
            let speaker = quote.speaker.as_deref().map(entity_name).unwrap_or("?".into());
            let _ =
                writeln!(out, "       {} {} by {speaker}: “{}”", quote.id, quote.kind, quote.text);
        }
        for event in doc.events.iter().filter(|e| e.sentence == *sentence) {
            let join = |refs: &[String]| -> String {
                refs.iter().map(|r| entity_name(r)).collect::<Vec<_>>().join(", ")
            };
            let mut line = format!(
                "       {} {}{} {} -> {} ({}, “{}”",
                event.id,
                event.event_type,
                event.cameo.as_deref().map(|c| format!(" {c}")).unwrap_or_default(),
                join(&event.source),
                join(&event.target),
                event.modality,
                event.trigger.text
            );
            if let Some(date) = &event.date {
                let _ = write!(line, ", {date}");
            }
            if let Some(by) = &event.reported_by {
                let _ = write!(line, ", reported by {}", entity_name(by));
            }
            line.push(')');
            let _ = writeln!(out, "{line}");
        }
    }
    if !doc.entities.is_empty() {
        let _ = writeln!(out, "\nActors:");
        for (entity, actor) in doc.entities.iter().zip(actors) {
            let code = entity.code.as_deref().map(|c| format!(" {c}")).unwrap_or_default();
            let _ = writeln!(
                out,
                "  {:<4} {} ({}{code}), actor {}, {} mentions",
                entity.id,
                entity.name,
                entity.entity_type,
                actor.id,
                entity.mentions.len()
            );
        }
    }
    out
}

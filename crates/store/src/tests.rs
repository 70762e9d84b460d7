//! Tests of the store as a whole: writing documents, reading them back, queries and
//! exports, over small hand-made documents about invented people.

use newsgraph_model::json::{
    DocumentJson, EntityJson, EventJson, MentionJson, QuoteJson, RoleJson, SCHEMA, SpanJson,
    TextSpanJson, TimexJson,
};

use crate::export::{GDELT_COLUMNS, write_gdelt, write_gexf, write_graphml};
use crate::{
    Days, EventFilter, NetworkFilter, Period, QuoteFilter, Store, TimelineFilter, timeline_counts,
};

/// The char span of the `nth` occurrence of `needle` in `text`.
fn find(text: &str, needle: &str, nth: usize) -> (u32, u32) {
    let (byte, _) = text.match_indices(needle).nth(nth).expect("needle in text");
    let start = text[..byte].chars().count() as u32;
    (start, start + needle.chars().count() as u32)
}

fn mention(text: &str, needle: &str, nth: usize, kind: &str) -> MentionJson {
    let (start, end) = find(text, needle, nth);
    MentionJson { start, end, text: needle.into(), kind: kind.into() }
}

fn entity(id: usize, name: &str, kind: &str, code: Option<&str>) -> EntityJson {
    EntityJson {
        id: format!("E{id}"),
        name: name.into(),
        entity_type: kind.into(),
        code: code.map(Into::into),
        country: code.map(Into::into),
        sector: None,
        roles: Vec::new(),
        mentions: Vec::new(),
    }
}

fn sentences(text: &str) -> Vec<SpanJson> {
    let mut spans = Vec::new();
    let mut start = 0;
    let chars: Vec<char> = text.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        if *c == '.' && chars.get(i + 1).is_none_or(|next| *next == ' ') {
            spans.push(SpanJson { start, end: i as u32 + 1 });
            start = i as u32 + 2;
        }
    }
    spans
}

/// Veloria aids Ostravia; Anna Brel, Veloria's foreign minister, is quoted.
fn first_document() -> DocumentJson {
    let text = "Veloria sent tanks to Ostravia on Monday. \
                “We will not abandon our neighbours,” said Anna Brel. \
                Brel may visit Ostravia.";
    let mut veloria = entity(1, "Veloria", "COUNTRY", Some("VLR"));
    veloria.mentions.push(mention(text, "Veloria", 0, "name"));
    let mut ostravia = entity(2, "Ostravia", "COUNTRY", Some("OST"));
    ostravia.mentions.push(mention(text, "Ostravia", 0, "name"));
    ostravia.mentions.push(mention(text, "Ostravia", 1, "name"));
    let mut brel = entity(3, "Anna Brel", "PERSON", None);
    brel.country = Some("VLR".into());
    brel.sector = Some("GOV".into());
    brel.roles.push(RoleJson {
        title: "Foreign Minister".into(),
        of: Some("VLR".into()),
        from: Some("2024-01-01".into()),
        to: None,
    });
    brel.mentions.push(mention(text, "Anna Brel", 0, "name"));
    brel.mentions.push(mention(text, "Brel", 1, "name"));
    let sentences = sentences(text);
    let (q_start, q_end) = find(text, "We will not abandon our neighbours,", 0);
    let (cue_start, cue_end) = find(text, "said Anna Brel", 0);
    let (t_start, t_end) = find(text, "sent", 0);
    let (v_start, v_end) = find(text, "visit", 0);
    let (m_start, m_end) = find(text, "Monday", 0);
    DocumentJson {
        schema: SCHEMA.into(),
        id: "veloria-1".into(),
        url: Some("https://news.example/veloria-1".into()),
        title: Some("Veloria sends tanks".into()),
        outlet: Some("Daily Courier".into()),
        author: None,
        published: Some("2025-03-05".into()),
        language: Some("en".into()),
        text: text.into(),
        removed: Vec::new(),
        sentences: sentences.clone(),
        entities: vec![veloria, ostravia, brel],
        quotes: vec![QuoteJson {
            id: "Q1".into(),
            start: q_start,
            end: q_end,
            text: "We will not abandon our neighbours,".into(),
            kind: "direct".into(),
            speaker: Some("E3".into()),
            addressee: None,
            cue: Some(TextSpanJson {
                start: cue_start,
                end: cue_end,
                text: "said Anna Brel".into(),
            }),
        }],
        events: vec![
            EventJson {
                id: "V1".into(),
                event_type: "AID".into(),
                mode: Some("military".into()),
                cameo: Some("074".into()),
                source: vec!["E1".into()],
                target: vec!["E2".into()],
                modality: "asserted".into(),
                reported_by: None,
                date: Some("2025-03-03".into()),
                location: None,
                trigger: TextSpanJson { start: t_start, end: t_end, text: "sent".into() },
                sentence: sentences[0],
            },
            EventJson {
                id: "V2".into(),
                event_type: "CONSULT".into(),
                mode: None,
                cameo: Some("042".into()),
                source: vec!["E3".into()],
                target: vec!["E2".into()],
                modality: "hypothetical".into(),
                reported_by: None,
                date: None,
                location: Some("E2".into()),
                trigger: TextSpanJson { start: v_start, end: v_end, text: "visit".into() },
                sentence: sentences[2],
            },
        ],
        times: vec![TimexJson {
            start: m_start,
            end: m_end,
            text: "Monday".into(),
            timex_type: "DATE".into(),
            value: "2025-03-03".into(),
        }],
        diagnostics: Vec::new(),
    }
}

/// A later article: Ostravia accuses Veloria, and Brel is named in lower case.
fn second_document() -> DocumentJson {
    let text = "Ostravia accused Veloria of provocation. ANNA BREL denied it.";
    let mut ostravia = entity(1, "Ostravia", "COUNTRY", Some("OST"));
    ostravia.mentions.push(mention(text, "Ostravia", 0, "name"));
    let mut veloria = entity(2, "Republic of Veloria", "COUNTRY", Some("VLR"));
    veloria.mentions.push(mention(text, "Veloria", 0, "name"));
    let mut brel = entity(3, "ANNA BREL", "PERSON", None);
    brel.mentions.push(mention(text, "ANNA BREL", 0, "name"));
    let sentences = sentences(text);
    let (t_start, t_end) = find(text, "accused", 0);
    DocumentJson {
        schema: SCHEMA.into(),
        id: "veloria-2".into(),
        url: None,
        title: None,
        outlet: None,
        author: None,
        published: Some("2025-04-10T08:00:00Z".into()),
        language: Some("en".into()),
        text: text.into(),
        removed: vec![newsgraph_model::json::RemovalJson {
            text: "Share this article".into(),
            reason: "share".into(),
            rule: "share-prompt".into(),
        }],
        sentences: sentences.clone(),
        entities: vec![ostravia, veloria, brel],
        quotes: Vec::new(),
        events: vec![EventJson {
            id: "V1".into(),
            event_type: "ACCUSE".into(),
            mode: None,
            cameo: Some("112".into()),
            source: vec!["E1".into()],
            target: vec!["E2".into()],
            modality: "asserted".into(),
            reported_by: None,
            date: None,
            location: None,
            trigger: TextSpanJson { start: t_start, end: t_end, text: "accused".into() },
            sentence: sentences[0],
        }],
        times: Vec::new(),
        diagnostics: Vec::new(),
    }
}

fn store_with_both() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    store
        .insert_batch(&[
            ("k1".to_string(), first_document()),
            ("k2".to_string(), second_document()),
        ])
        .unwrap();
    store
}

#[test]
fn a_document_reads_back_as_it_was_written() {
    let store = store_with_both();
    for (key, doc) in [("k1", first_document()), ("k2", second_document())] {
        let (stored, actors) = store.document(key).unwrap().unwrap();
        assert_eq!(stored, doc);
        assert_eq!(actors.len(), doc.entities.len());
        // The source's id finds it too.
        assert_eq!(store.document(&doc.id).unwrap().unwrap().0, doc);
    }
    assert!(store.document("nowhere").unwrap().is_none());
    assert_eq!(store.article_keys().unwrap(), ["k1", "k2"]);
}

#[test]
fn inserting_again_adds_nothing() {
    let mut store = store_with_both();
    let before = store.counts().unwrap();
    assert_eq!((before.articles, before.actors, before.quotes, before.events), (2, 3, 1, 3));
    let again = store
        .insert_batch(&[
            ("k1".to_string(), first_document()),
            ("k3".to_string(), second_document()),
            ("k3".to_string(), second_document()),
        ])
        .unwrap();
    assert_eq!((again.articles, again.duplicates), (1, 2));
    assert_eq!(again.actors, 0);
    assert_eq!(store.counts().unwrap().articles, 3);
    assert!(store.contains("k3").unwrap());
}

#[test]
fn a_bad_document_rejects_its_whole_batch() {
    let mut store = Store::open_in_memory().unwrap();
    let mut bad = second_document();
    bad.events[0].target = vec!["E9".into()];
    let error = store
        .insert_batch(&[("k1".to_string(), first_document()), ("k2".to_string(), bad)])
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "document veloria-2: refers to entity \"E9\", which it does not have"
    );
    assert_eq!(store.counts().unwrap(), crate::Counts::default());
}

#[test]
fn actors_merge_across_articles_by_code_and_name() {
    let store = store_with_both();
    let veloria = store.find_actors("vlr").unwrap();
    assert_eq!(veloria.len(), 1);
    let veloria = &veloria[0];
    assert_eq!(veloria.actor.name, "Veloria");
    assert_eq!((veloria.n_articles, veloria.n_mentions), (2, 2));
    assert_eq!(veloria.first_seen.as_deref(), Some("2025-03-05"));
    assert_eq!(veloria.last_seen.as_deref(), Some("2025-04-10"));
    // An alias finds the actor, and so does part of a name.
    assert_eq!(store.resolve_actors("Republic of Veloria").unwrap(), [veloria.actor.id]);
    assert_eq!(store.resolve_actors("eloria").unwrap(), [veloria.actor.id]);
    // "ANNA BREL" and "Anna Brel" are one person.
    let brel = store.find_actors("anna brel").unwrap();
    assert_eq!(brel.len(), 1);
    assert_eq!(brel[0].n_articles, 2);
    let profile = store.actor_profile(brel[0].actor.id).unwrap().unwrap();
    let aliases: Vec<(&str, u64)> =
        profile.aliases.iter().map(|a| (a.alias.as_str(), a.n)).collect();
    assert_eq!(aliases, [("ANNA BREL", 1), ("Anna Brel", 1), ("Brel", 1)]);
    assert_eq!(profile.roles.len(), 1);
    assert_eq!((profile.n_events_as_source, profile.n_quotes), (1, 1));
    assert_eq!(profile.partners[0].partner.name, "Ostravia");
    assert_eq!(profile.partners[0].direction, "to");
    assert_eq!(profile.latest_quotes[0].text, "We will not abandon our neighbours,");
    assert_eq!(profile.activity.len(), 1);
    assert!(store.find_actors("Nobody Atall").unwrap().is_empty());
}

#[test]
fn events_are_filtered_by_actor_type_modality_and_day() {
    let store = store_with_both();
    let ids = |filter: EventFilter| -> Vec<String> {
        store
            .events(&filter)
            .unwrap()
            .into_iter()
            .map(|e| format!("{}/{}", e.article, e.id))
            .collect()
    };
    assert_eq!(ids(EventFilter::default()), ["k1/V1", "k1/V2", "k2/V1"]);
    let from_veloria = EventFilter { source: Some("Veloria".into()), ..Default::default() };
    assert_eq!(ids(from_veloria), ["k1/V1"]);
    let to_ostravia = EventFilter { target: Some("OST".into()), ..Default::default() };
    assert_eq!(ids(to_ostravia), ["k1/V1", "k1/V2"]);
    assert_eq!(
        ids(EventFilter { event_type: Some("accuse".into()), ..Default::default() }),
        ["k2/V1"]
    );
    assert_eq!(ids(EventFilter { event_type: Some("07".into()), ..Default::default() }), ["k1/V1"]);
    let hypothetical = EventFilter { modality: Some("hypothetical".into()), ..Default::default() };
    assert_eq!(ids(hypothetical), ["k1/V2"]);
    let april = EventFilter {
        days: Days { since: Some("2025-04-01".into()), until: None },
        ..Default::default()
    };
    assert_eq!(ids(april), ["k2/V1"]);
    // V1's own date (March 3) files it before the article's day.
    let early = EventFilter {
        days: Days { since: None, until: Some("2025-03-04".into()) },
        ..Default::default()
    };
    assert_eq!(ids(early), ["k1/V1"]);
    let nobody = EventFilter { source: Some("Nobody Atall".into()), ..Default::default() };
    assert!(ids(nobody).is_empty());

    let events = store.events(&EventFilter::default()).unwrap();
    let aid = &events[0];
    assert_eq!(aid.source[0].name, "Veloria");
    assert_eq!(aid.target[0].code.as_deref(), Some("OST"));
    assert_eq!(aid.sentence, Some(0));
    assert_eq!(aid.sentence_text, "Veloria sent tanks to Ostravia on Monday.");
    assert_eq!(aid.trigger.text, "sent");
    assert_eq!(events[1].location.as_ref().unwrap().name, "Ostravia");
}

#[test]
fn quotes_and_search_find_what_was_said() {
    let store = store_with_both();
    let by_brel =
        store.quotes(&QuoteFilter { speaker: Some("Brel".into()), ..Default::default() }).unwrap();
    assert_eq!(by_brel.len(), 1);
    assert_eq!(by_brel[0].speaker.as_ref().unwrap().name, "Anna Brel");
    assert_eq!(by_brel[0].cue.as_deref(), Some("said Anna Brel"));
    let by_text =
        store.quotes(&QuoteFilter { text: Some("NEIGHBOURS".into()), ..Default::default() });
    assert_eq!(by_text.unwrap().len(), 1);
    let none = store.quotes(&QuoteFilter { text: Some("tanks".into()), ..Default::default() });
    assert!(none.unwrap().is_empty());

    let hits = store.search("neighbours", 10).unwrap();
    let kinds: Vec<(&str, Option<&str>)> =
        hits.iter().map(|h| (h.kind.as_str(), h.item.as_deref())).collect();
    assert_eq!(kinds.len(), 2, "{hits:?}");
    assert!(kinds.contains(&("quote", Some("Q1"))));
    assert!(kinds.contains(&("article", None)));
    assert!(hits[0].snippet.contains("[neighbours]"), "{}", hits[0].snippet);
    // Titles are searched; FTS syntax in the query is taken literally.
    assert_eq!(store.search("sends tanks", 10).unwrap().len(), 1);
    assert!(store.search("provocation NOT", 10).unwrap().is_empty());
    assert!(store.search("\"", 10).unwrap().is_empty());
}

#[test]
fn the_network_and_its_exports() {
    let store = store_with_both();
    let network = store.network(&NetworkFilter::default()).unwrap();
    assert_eq!(network.nodes.len(), 3);
    let edges: Vec<(&str, u64)> =
        network.edges.iter().map(|e| (e.event_type.as_str(), e.weight)).collect();
    assert_eq!(edges.len(), 3);
    let asserted_only = NetworkFilter { modalities: vec!["asserted".into()], ..Default::default() };
    assert_eq!(store.network(&asserted_only).unwrap().edges.len(), 2);
    let aid = NetworkFilter { types: vec!["aid".into()], ..Default::default() };
    assert_eq!(store.network(&aid).unwrap().nodes.len(), 2);
    let heavy = NetworkFilter { min_weight: Some(2), ..Default::default() };
    assert!(store.network(&heavy).unwrap().nodes.is_empty());
    let two = store.network(&NetworkFilter { limit: Some(2), ..Default::default() }).unwrap();
    assert_eq!(two.edges.len(), 2);
    assert!(two.edges.windows(2).all(|w| (w[0].source, w[0].target) <= (w[1].source, w[1].target)));

    let mut graphml = Vec::new();
    write_graphml(&network, &mut graphml).unwrap();
    let graphml = String::from_utf8(graphml).unwrap();
    assert_eq!(graphml.matches("<node ").count(), 3);
    assert_eq!(graphml.matches("<edge ").count(), 3);
    let mut gexf = Vec::new();
    write_gexf(&network, &mut gexf).unwrap();
    let gexf = String::from_utf8(gexf).unwrap();
    assert!(gexf.contains(r#"label="Anna Brel""#), "{gexf}");

    let mut tsv = Vec::new();
    write_gdelt(&store.events(&EventFilter::default()).unwrap(), &mut tsv).unwrap();
    let tsv = String::from_utf8(tsv).unwrap();
    let rows: Vec<Vec<&str>> = tsv.lines().map(|line| line.split('\t').collect()).collect();
    assert_eq!(rows.len(), 4);
    assert!(rows.iter().all(|row| row.len() == GDELT_COLUMNS.len()));
    let column = |name: &str| GDELT_COLUMNS.iter().position(|c| *c == name).unwrap();
    let aid = &rows[1];
    assert_eq!(aid[column("GLOBALEVENTID")], "k1/V1");
    assert_eq!(aid[column("SQLDATE")], "20250303");
    assert_eq!(aid[column("Actor1Code")], "VLR");
    assert_eq!(aid[column("EventRootCode")], "07");
    assert_eq!(aid[column("QuadClass")], "2");
    assert_eq!(aid[column("IsRootEvent")], "1");
    assert_eq!(aid[column("SOURCEURL")], "https://news.example/veloria-1");
    assert_eq!(rows[2][column("Actor1Code")], "VLRGOV");
}

#[test]
fn an_actors_timeline_is_in_date_order_and_counts_by_period() {
    let store = store_with_both();
    let summary = |actor: &str, filter: &TimelineFilter| -> Vec<String> {
        let id = store.resolve_actors(actor).unwrap()[0];
        store
            .timeline(id, filter)
            .unwrap()
            .iter()
            .map(|entry| {
                let what = match (&entry.event, &entry.quote) {
                    (Some(event), _) => {
                        format!("{}/{} {}", event.article, event.id, event.event_type)
                    }
                    (_, Some(quote)) => format!("{}/{}", quote.article, quote.id),
                    _ => unreachable!(),
                };
                format!(
                    "{} {} {} {what}",
                    entry.day.as_deref().unwrap_or("-"),
                    entry.kind,
                    entry.role
                )
            })
            .collect()
    };
    let all = TimelineFilter::default();
    // The aid is filed under its own date, before the article's day.
    assert_eq!(
        summary("Ostravia", &all),
        [
            "2025-03-03 event target k1/V1 AID",
            "2025-03-05 event target k1/V2 CONSULT",
            "2025-04-10 event source k2/V1 ACCUSE",
        ]
    );
    // On one day, in the order of the text: the quote comes before the visit.
    assert_eq!(
        summary("Anna Brel", &all),
        ["2025-03-05 quote speaker k1/Q1", "2025-03-05 event source k1/V2 CONSULT"]
    );
    let later = TimelineFilter {
        days: Days { since: Some("2025-03-04".into()), until: None },
        ..Default::default()
    };
    assert_eq!(summary("Ostravia", &later).len(), 2);
    let march = TimelineFilter {
        days: Days { since: None, until: Some("2025-03-31".into()) },
        ..Default::default()
    };
    assert_eq!(summary("Anna Brel", &march).len(), 2);
    let first = TimelineFilter { limit: Some(1), ..Default::default() };
    assert_eq!(summary("Ostravia", &first), ["2025-03-03 event target k1/V1 AID"]);

    let ostravia = store.resolve_actors("OST").unwrap()[0];
    let entries = store.timeline(ostravia, &all).unwrap();
    let counts = |period: Period| -> Vec<(String, u64, u64, u64)> {
        timeline_counts(&entries, period)
            .into_iter()
            .map(|c| (c.period.unwrap(), c.events_as_source, c.events_as_target, c.quotes))
            .collect()
    };
    assert_eq!(counts(Period::Month), [("2025-03".into(), 0, 2, 0), ("2025-04".into(), 1, 0, 0)]);
    assert_eq!(counts(Period::Week), [("2025-W10".into(), 0, 2, 0), ("2025-W15".into(), 1, 0, 0)]);
    assert_eq!(counts(Period::Day).len(), 3);
    // ISO weeks at the turn of a year.
    assert_eq!(Period::Week.of("2024-12-30").as_deref(), Some("2025-W01"));
    assert_eq!(Period::Week.of("2021-01-03").as_deref(), Some("2020-W53"));
    assert_eq!(Period::Week.of("not a day"), None);
}

#[test]
fn a_database_file_keeps_what_was_committed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("news.db");
    {
        let mut store = Store::open(&path).unwrap();
        store.insert_batch(&[("k1".to_string(), first_document())]).unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), crate::schema::SCHEMA_VERSION);
    assert_eq!(store.counts().unwrap().articles, 1);
    let mode: String = store.conn.query_row("PRAGMA journal_mode", [], |row| row.get(0)).unwrap();
    assert_eq!(mode, "wal");
}

#[test]
fn a_version_1_database_still_opens() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v1.db");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(include_str!("../tests/data/schema-v1.sql")).unwrap();
    }
    let mut store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), crate::schema::SCHEMA_VERSION);
    let counts = store.counts().unwrap();
    assert_eq!((counts.articles, counts.actors, counts.quotes, counts.events), (1, 3, 2, 3));
    let (doc, actors) = store.document("wire-302").unwrap().unwrap();
    assert_eq!(doc.title.as_deref(), Some("Vietnam protests to China"));
    assert_eq!(actors.len(), doc.entities.len());
    let events =
        store.events(&EventFilter { source: Some("VNM".into()), ..Default::default() }).unwrap();
    assert_eq!(events[0].target[0].name, "China");
    let quotes = store
        .quotes(&QuoteFilter { speaker: Some("Nguyen Thi Lan".into()), ..Default::default() })
        .unwrap();
    assert_eq!(quotes.len(), 2);
    assert_eq!(store.search("withdraw map", 10).unwrap().len(), 2);
    assert_eq!(store.network(&NetworkFilter::default()).unwrap().nodes.len(), 2);
    // The migrated file takes new articles after the old one.
    let added = store.insert_batch(&[("k1".to_string(), first_document())]).unwrap();
    assert_eq!(added.articles, 1);
    let numbers: Vec<(i64, String)> = store
        .conn
        .prepare("SELECT n, source_id FROM articles ORDER BY n")
        .unwrap()
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(numbers[0], (1, "wire-302".to_string()));
    assert_eq!(numbers[1].0, 2);
    assert_eq!(
        store.document("k1").unwrap().unwrap().0.entities.len(),
        first_document().entities.len()
    );
}

//! `newsgraph ingest` and the commands that read the store (`events`, `quotes`, `actor`,
//! `network`, `timeline`, `search`, `show`, `export`) on the small corpus in
//! `tests/corpus/`.
//!
//! Extraction keeps improving, so these tests assert structure and counts that any
//! reasonable extraction gives ("an event between two known countries"), not exact
//! output.

use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use quick_xml::XmlVersion;
use quick_xml::events::Event;
use serde_json::Value;

use crate::util::{Run, run, workspace};

/// The corpus: three files with one article each and a JSONL file with three.
const N_ARTICLES: u64 = 6;

/// A database with the corpus ingested twice, shared by the tests (ingesting costs
/// seconds in a debug build).
struct Ingested {
    dir: PathBuf,
    first: Run,
    second: Run,
}

fn ingested() -> &'static Ingested {
    static INGESTED: OnceLock<Ingested> = OnceLock::new();
    INGESTED.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("store-tests-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        let corpus = workspace().join("tests/corpus");
        let corpus = corpus.to_str().unwrap();
        let first = run(&dir, &["ingest", corpus, "--db", "news.db", "--batch-size", "2"]);
        let second = run(&dir, &["ingest", corpus, "--db", "news.db"]);
        Ingested { dir, first, second }
    })
}

/// Runs a command on the shared database.
fn query(args: &[&str]) -> Run {
    let ingested = ingested();
    let mut all = args.to_vec();
    all.extend(["--db", "news.db"]);
    let run = run(&ingested.dir, &all);
    assert_eq!(run.code, Some(0), "{args:?}: {}", run.stderr);
    run
}

/// The number before `what` in an ingest summary ("5 new" -> 5).
fn count(summary: &str, what: &str) -> u64 {
    let words: Vec<&str> =
        summary.split(|c: char| c.is_whitespace() || c == ',' || c == ';' || c == ':').collect();
    let at = words.iter().position(|w| *w == what).unwrap_or_else(|| panic!("{what}: {summary}"));
    words[at - 1].parse().unwrap_or_else(|_| panic!("a count before {what}: {summary}"))
}

fn names(actors: &Value) -> Vec<String> {
    actors.as_array().unwrap().iter().map(|a| a["name"].as_str().unwrap().to_string()).collect()
}

#[test]
fn ingesting_twice_adds_nothing_the_second_time() {
    let ingested = ingested();
    let (first, second) = (&ingested.first, &ingested.second);
    assert_eq!(first.code, Some(0), "{}", first.stderr);
    assert_eq!(second.code, Some(0), "{}", second.stderr);
    assert_eq!(count(&first.stdout, "articles"), N_ARTICLES, "{}", first.stdout);
    assert_eq!(count(&first.stdout, "new"), N_ARTICLES, "{}", first.stdout);
    assert_eq!(count(&first.stdout, "failed"), 0);
    assert!(count(&first.stdout, "events") >= 5, "{}", first.stdout);
    assert!(count(&first.stdout, "quotes") >= 5, "{}", first.stdout);
    assert_eq!(count(&second.stdout, "new"), 0, "{}", second.stdout);
    assert_eq!(count(&second.stdout, "duplicates"), N_ARTICLES, "{}", second.stdout);
    for what in ["actors", "quotes", "events"] {
        assert_eq!(count(&second.stdout, what), 0, "{what}: {}", second.stdout);
    }
    let stored = query(&["export", "--format", "jsonl"]).jsonl();
    assert_eq!(stored.len() as u64, N_ARTICLES);
}

#[test]
fn the_store_fills_in_reading_order_whatever_the_workers_and_batches() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = workspace().join("tests/corpus");
    let corpus = corpus.to_str().unwrap();
    let mut outputs = Vec::new();
    for (db, jobs, batch) in [("one.db", "1", "1"), ("three.db", "3", "4")] {
        let ingest =
            run(dir.path(), &["ingest", corpus, "--db", db, "--jobs", jobs, "--batch-size", batch]);
        assert_eq!(ingest.code, Some(0), "{}", ingest.stderr);
        assert_eq!(count(&ingest.stdout, "new"), N_ARTICLES, "{}", ingest.stdout);
        // Actor ids are given in the order articles are stored, and the network and the
        // export show them.
        let network = run(dir.path(), &["network", "--format", "json", "--db", db]);
        let export = run(dir.path(), &["export", "--format", "jsonl", "--db", db]);
        assert_eq!((network.code, export.code), (Some(0), Some(0)));
        outputs.push((network.stdout, export.stdout));
    }
    assert!(!outputs[0].0.trim().is_empty());
    assert_eq!(outputs[0], outputs[1]);
}

#[test]
fn a_bad_input_is_named_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("empty.txt"), "").unwrap();
    fs::write(
        dir.path().join("batch.jsonl"),
        "{not json\n{\"id\": \"ok\", \"text\": \"Kenya thanked Uganda for the help.\"}\n",
    )
    .unwrap();
    let run =
        run(dir.path(), &["ingest", "empty.txt", "missing.txt", "batch.jsonl", "--db", "news.db"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    let errors: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(errors.len(), 3, "{}", run.stderr);
    assert!(errors[0].starts_with("newsgraph: empty.txt: input is empty"), "{}", run.stderr);
    assert!(errors[1].starts_with("newsgraph: missing.txt: cannot read"), "{}", run.stderr);
    assert!(errors[2].starts_with("newsgraph: batch.jsonl:1: not a JSON object"), "{}", run.stderr);
    assert_eq!(count(&run.stdout, "new"), 1, "{}", run.stdout);
    assert_eq!(count(&run.stdout, "failed"), 3, "{}", run.stdout);
}

#[test]
fn queries_without_a_database_say_so() {
    let dir = tempfile::tempdir().unwrap();
    let run = run(dir.path(), &["events"]);
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.contains("no database at newsgraph.db"), "{}", run.stderr);
    assert!(!dir.path().join("newsgraph.db").exists());
}

#[test]
fn events_between_known_countries_with_filters() {
    let all = query(&["events", "--format", "json"]).json();
    let all = all.as_array().unwrap();
    assert!(all.len() >= 5, "{all:?}");
    for event in all {
        for key in ["article", "id", "type", "modality", "trigger", "sentence_text"] {
            assert!(!event[key].is_null(), "{key} in {event}");
        }
    }
    // At least one event between two countries of the corpus.
    let countries = ["Kenya", "Tanzania", "Peru", "Chile", "Norway", "Mozambique", "Vietnam"];
    let between_countries = all.iter().any(|e| {
        let (sources, targets) = (names(&e["source"]), names(&e["target"]));
        sources.iter().any(|s| countries.contains(&s.as_str()))
            && targets.iter().any(|t| countries.contains(&t.as_str()))
    });
    assert!(between_countries, "{all:?}");

    let from_vietnam = query(&["events", "--source", "Vietnam", "--format", "json"]).json();
    let from_vietnam = from_vietnam.as_array().unwrap();
    assert!(!from_vietnam.is_empty());
    assert!(from_vietnam.iter().all(|e| names(&e["source"]).contains(&"Vietnam".to_string())));
    let to_china = query(&["events", "--target", "CHN", "--format", "json"]).json();
    assert!(
        to_china.as_array().unwrap().iter().all(|e| names(&e["target"]).contains(&"China".into()))
    );

    let types: HashSet<&str> = all.iter().map(|e| e["type"].as_str().unwrap()).collect();
    let some_type = *types.iter().next().unwrap();
    let of_type = query(&["events", "--type", some_type, "--format", "json"]).json();
    let of_type = of_type.as_array().unwrap();
    assert!(!of_type.is_empty() && of_type.iter().all(|e| e["type"] == some_type));
    let asserted = query(&["events", "--modality", "asserted", "--format", "json"]).json();
    assert!(asserted.as_array().unwrap().iter().all(|e| e["modality"] == "asserted"));

    // The dated articles are from February and March 2025.
    let march =
        query(&["events", "--since", "2025-03-01", "--until", "2025-03-31", "--format", "json"])
            .json();
    let march = march.as_array().unwrap();
    assert!(!march.is_empty());
    assert!(march.iter().all(|e| e["day"].as_str().unwrap().starts_with("2025-03")), "{march:?}");
    let none = query(&["events", "--since", "2030-01-01", "--format", "json"]).json();
    assert_eq!(none, Value::Array(Vec::new()));

    let table = query(&["events", "--limit", "2"]);
    assert_eq!(table.stdout.lines().count(), 3, "{}", table.stdout);
    assert!(table.stdout.starts_with("day "), "{}", table.stdout);
    let csv = query(&["events", "--format", "csv"]);
    assert!(csv.stdout.starts_with("day,article,id,type,cameo,modality,source,target,"));
    assert_eq!(csv_rows(&csv.stdout).len(), all.len() + 1);
}

/// Parses CSV with quoted cells (which may hold commas and line breaks).
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let (mut row, mut cell, mut quoted) = (Vec::new(), String::new(), false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            ('"', _) => quoted = !quoted,
            (',', false) => row.push(std::mem::take(&mut cell)),
            ('\n', false) => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (c, _) => cell.push(c),
        }
    }
    rows
}

#[test]
fn quotes_by_speaker_and_text() {
    let all = query(&["quotes", "--format", "json"]).json();
    assert!(all.as_array().unwrap().len() >= 5, "{all}");
    let by_nguyen = query(&["quotes", "--speaker", "Nguyen Thi Lan", "--format", "json"]).json();
    let by_nguyen = by_nguyen.as_array().unwrap();
    assert!(!by_nguyen.is_empty());
    assert!(by_nguyen.iter().all(|q| q["speaker"]["name"] == "Nguyen Thi Lan"), "{by_nguyen:?}");
    let about_the_sea = query(&["quotes", "--text", "defend our sea", "--format", "json"]).json();
    let about_the_sea = about_the_sea.as_array().unwrap();
    assert_eq!(about_the_sea.len(), 1, "{about_the_sea:?}");
    assert!(about_the_sea[0]["text"].as_str().unwrap().contains("We will defend our sea"));
    let csv = query(&["quotes", "--format", "csv", "--limit", "1"]);
    assert_eq!(csv_rows(&csv.stdout).len(), 2, "{}", csv.stdout);
}

#[test]
fn an_actor_profile() {
    let profile = query(&["actor", "vietnam", "--format", "json"]).json();
    assert_eq!(profile["name"], "Vietnam");
    assert_eq!(profile["code"], "VNM");
    assert_eq!(profile["type"], "COUNTRY");
    assert!(profile["n_articles"].as_u64().unwrap() >= 1);
    assert!(profile["n_events_as_source"].as_u64().unwrap() >= 1, "{profile}");
    assert!(!profile["aliases"].as_array().unwrap().is_empty());
    let partners = names(
        &profile["partners"].as_array().unwrap().iter().map(|p| p["partner"].clone()).collect(),
    );
    assert!(partners.contains(&"China".to_string()), "{profile}");

    let table = query(&["actor", "Vietnam"]);
    assert!(table.stdout.starts_with("# Vietnam (actor "), "{}", table.stdout);
    assert!(table.stdout.contains("Partners:"), "{}", table.stdout);
    let speaker = query(&["actor", "Meireles"]);
    assert!(speaker.stdout.contains("Latest quotes:"), "{}", speaker.stdout);
    let csv = query(&["actor", "Vietnam", "--format", "csv"]);
    assert!(csv.stdout.starts_with("id,name,type,code,"), "{}", csv.stdout);

    let unknown = run(&ingested().dir, &["actor", "Zzyzx Qwerty", "--db", "news.db"]);
    assert_eq!(unknown.code, Some(1));
    assert!(unknown.stderr.contains("no actor matches \"Zzyzx Qwerty\""), "{}", unknown.stderr);
}

/// The edges of `newsgraph network --format json ARGS` as (source, target, type, weight).
fn edges(args: &[&str]) -> Vec<(String, String, String, u64)> {
    let mut all = vec!["network", "--format", "json"];
    all.extend(args);
    let rows = query(&all).json();
    rows.as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let name = |side: &str| e[side]["name"].as_str().unwrap().to_string();
            (
                name("source"),
                name("target"),
                e["type"].as_str().unwrap().into(),
                e["weight"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn the_network_has_typed_weighted_edges_between_related_actors() {
    let all = query(&["network", "--format", "json"]).json();
    let all = all.as_array().unwrap();
    assert!(all.len() >= 5, "{all:?}");
    // "Vietnam protested to China" (2025-03-22) is one asserted protest.
    let protest = all
        .iter()
        .find(|e| {
            e["source"]["name"] == "Vietnam"
                && e["target"]["name"] == "China"
                && e["type"] == "PROTEST"
        })
        .unwrap_or_else(|| panic!("no Vietnam -> China protest: {all:?}"));
    assert_eq!(protest["weight"], 1);
    assert_eq!(protest["asserted"], 1);
    assert_eq!(protest["first_day"], "2025-03-22");
    assert_eq!(protest["source"]["code"], "VNM");
    assert_eq!(protest["target"]["code"], "CHN");
    // Heaviest first; no actor acts on itself.
    let weights: Vec<u64> = all.iter().map(|e| e["weight"].as_u64().unwrap()).collect();
    assert!(weights.windows(2).all(|w| w[0] >= w[1]), "{weights:?}");
    assert!(all.iter().all(|e| e["source"]["id"] != e["target"]["id"]), "{all:?}");

    // Filters: types, days, modality, weight and count.
    let protests = edges(&["--type", "PROTEST,SUPPORT"]);
    assert!(protests.iter().all(|e| e.2 == "PROTEST" || e.2 == "SUPPORT"), "{protests:?}");
    assert!(protests.contains(&("Vietnam".into(), "China".into(), "PROTEST".into(), 1)));
    let april = edges(&["--since", "2025-04-01"]);
    assert!(!april.is_empty());
    assert!(!april.iter().any(|e| e.2 == "PROTEST" && e.0 == "Vietnam"), "{april:?}");
    let march = query(&["network", "--until", "2025-03-31", "--format", "json"]).json();
    assert!(
        march.as_array().unwrap().iter().all(|e| e["last_day"].as_str().unwrap() <= "2025-03-31"),
        "{march}"
    );
    let asserted = query(&["network", "--modality", "asserted", "--format", "json"]).json();
    assert!(asserted.as_array().unwrap().iter().all(|e| e["asserted"] == e["weight"]));
    let heavy = edges(&["--min-weight", "2"]);
    assert!(heavy.len() < all.len() && heavy.iter().all(|e| e.3 >= 2), "{heavy:?}");
    assert_eq!(edges(&["--limit", "2"]).len(), 2);
    assert!(edges(&["--since", "2030-01-01"]).is_empty());

    let table = query(&["network"]);
    assert!(table.stdout.starts_with("source "), "{}", table.stdout);
    assert_eq!(table.stdout.lines().count(), all.len() + 1);
    let csv = query(&["network", "--format", "csv"]);
    let rows = csv_rows(&csv.stdout);
    assert_eq!(rows[0][..4], ["source", "target", "type", "weight"]);
    assert_eq!(rows.len(), all.len() + 1);
    assert!(rows.iter().any(|r| r[..4] == ["Vietnam", "China", "PROTEST", "1"]), "{rows:?}");

    let bad = run(&ingested().dir, &["network", "--since", "March", "--db", "news.db"]);
    assert_eq!(bad.code, Some(2));
    assert!(bad.stderr.contains("'March'"), "{}", bad.stderr);
}

#[test]
fn an_actors_timeline_in_date_order() {
    let timeline = query(&["timeline", "vietnam", "--format", "json"]).json();
    assert_eq!(timeline["actor"]["name"], "Vietnam");
    assert_eq!(timeline["by"], "day");
    let entries = timeline["entries"].as_array().unwrap();
    assert!(entries.len() >= 2, "{timeline}");
    let days: Vec<&str> = entries.iter().map(|e| e["day"].as_str().unwrap()).collect();
    assert!(days.windows(2).all(|w| w[0] <= w[1]), "{days:?}");
    // The protest of March 22 comes before what Vietnam did in April.
    let protest = entries
        .iter()
        .position(|e| e["kind"] == "event" && e["event"]["type"] == "PROTEST")
        .unwrap_or_else(|| panic!("no protest: {timeline}"));
    assert_eq!(entries[protest]["day"], "2025-03-22");
    assert_eq!(entries[protest]["role"], "source");
    assert_eq!(names(&entries[protest]["event"]["target"]), ["China"]);
    assert!(days[protest + 1..].iter().any(|d| d.starts_with("2025-04")), "{days:?}");
    for entry in entries {
        let event = &entry["event"];
        let role = entry["role"].as_str().unwrap();
        let side = |side: &str| names(&event[side]).contains(&"Vietnam".to_string());
        assert!(
            (role.contains("source") && side("source"))
                || (role.contains("target") && side("target")),
            "{entry}"
        );
    }

    // A speaker's quotes, on two days.
    let speaker = query(&["timeline", "Nguyen Thi Lan", "--format", "json"]).json();
    let quotes: Vec<(&str, &str)> = speaker["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "quote")
        .map(|e| (e["day"].as_str().unwrap(), e["quote"]["text"].as_str().unwrap()))
        .collect();
    assert!(
        quotes.iter().any(|(day, text)| *day == "2025-03-22" && text.contains("withdraw the map"))
    );
    assert!(quotes.iter().any(|(day, text)| *day == "2025-04-03" && text.contains("calm at sea")));
    assert!(quotes.windows(2).all(|w| w[0].0 <= w[1].0), "{quotes:?}");

    // Days and counts.
    let april = query(&["timeline", "Vietnam", "--since", "2025-04-01", "--format", "json"]).json();
    let april = april["entries"].as_array().unwrap();
    assert!(!april.is_empty() && april.len() < entries.len());
    assert!(april.iter().all(|e| e["day"].as_str().unwrap() >= "2025-04-01"));
    let months = query(&["timeline", "Vietnam", "--by", "month", "--format", "csv"]);
    let months = csv_rows(&months.stdout);
    assert_eq!(months[0], ["month", "events_as_source", "events_as_target", "quotes"]);
    let periods: Vec<&str> = months[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(periods, ["2025-03", "2025-04"]);
    let weeks = query(&["timeline", "Vietnam", "--by", "week", "--format", "json"]).json();
    let weeks = weeks["entries"].as_array().unwrap();
    assert_eq!(weeks[0]["period"], "2025-W12");
    let counted: u64 = weeks
        .iter()
        .map(|w| w["events_as_source"].as_u64().unwrap() + w["events_as_target"].as_u64().unwrap())
        .sum();
    assert!(counted >= entries.len() as u64, "{weeks:?}");

    // The table names the day once per group.
    let table = query(&["timeline", "Nguyen Thi Lan"]);
    let lines: Vec<&str> = table.stdout.lines().collect();
    assert!(lines[0].starts_with("# Nguyen Thi Lan (actor "), "{}", table.stdout);
    assert!(lines[1].starts_with("day "), "{}", table.stdout);
    let dated = lines[2..].iter().filter(|line| line.starts_with("2025-")).count();
    assert_eq!(dated, 2, "{}", table.stdout);

    let unknown = run(&ingested().dir, &["timeline", "Zzyzx Qwerty", "--db", "news.db"]);
    assert_eq!(unknown.code, Some(1));
    assert!(unknown.stderr.contains("no actor matches \"Zzyzx Qwerty\""), "{}", unknown.stderr);
}

#[test]
fn search_finds_articles_and_quotes() {
    let hits = query(&["search", "visa", "rules", "--format", "json"]).json();
    let hits = hits.as_array().unwrap();
    assert!(!hits.is_empty());
    assert_eq!(hits[0]["kind"], "article");
    assert_eq!(hits[0]["title"], "Portugal and Brazil agree on visa rules");
    assert!(hits[0]["snippet"].as_str().unwrap().contains("[visa]"), "{hits:?}");
    let quotes = query(&["search", "roof", "--format", "json"]).json();
    assert!(quotes.as_array().unwrap().iter().any(|h| h["kind"] == "quote"), "{quotes}");
    let nothing = query(&["search", "zzyzx", "--format", "json"]).json();
    assert_eq!(nothing, Value::Array(Vec::new()));
    let table = query(&["search", "agreement"]);
    assert!(table.stdout.starts_with("kind "), "{}", table.stdout);
}

#[test]
fn show_an_article_by_its_source_id() {
    let doc = query(&["show", "wire-302", "--format", "json"]).json();
    assert_eq!(doc["schema"], "newsgraph.document/1");
    assert_eq!(doc["id"], "wire-302");
    assert_eq!(doc["published"], "2025-03-22");
    let text = doc["text"].as_str().unwrap();
    assert!(text.starts_with("Vietnam protested to China"), "{text}");
    for entity in doc["entities"].as_array().unwrap() {
        for mention in entity["mentions"].as_array().unwrap() {
            let covered = crate::util::chars(text, &mention["start"], &mention["end"]);
            assert_eq!(covered, mention["text"].as_str().unwrap());
        }
    }
    // The stored document is the one `export` gives, found by its key too.
    let exported = query(&["export", "--format", "jsonl"]).jsonl();
    let same = exported.iter().find(|d| d["id"] == "wire-302").unwrap();
    assert_eq!(same, &doc);

    let table = query(&["show", "wire-302"]);
    assert!(table.stdout.starts_with("# Vietnam protests to China\nid "), "{}", table.stdout);
    assert!(table.stdout.contains("source id wire-302"), "{}", table.stdout);
    assert!(table.stdout.contains("[Vietnam]E"), "{}", table.stdout);
    let key = table.stdout.lines().nth(1).unwrap().split(' ').nth(1).unwrap().to_string();
    let by_key = query(&["show", &key, "--format", "json"]).json();
    assert_eq!(by_key, doc);
    let csv = query(&["show", "wire-302", "--format", "csv"]);
    assert!(
        csv.stdout.starts_with("layer,id,start,end,text,label\nsentence,S1,0,"),
        "{}",
        csv.stdout
    );

    let missing = run(&ingested().dir, &["show", "nope", "--db", "news.db"]);
    assert_eq!(missing.code, Some(1));
    assert!(missing.stderr.contains("no article has the id \"nope\""), "{}", missing.stderr);
}

/// Every element of an XML document with its attributes, in order; panics when the
/// document is not well-formed.
fn xml_elements(xml: &str) -> Vec<(String, BTreeMap<String, String>)> {
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut elements = Vec::new();
    loop {
        match reader.read_event().unwrap_or_else(|err| panic!("not XML: {err}\n{xml}")) {
            Event::Start(element) | Event::Empty(element) => {
                let name = element.local_name().as_ref().to_string();
                let attributes = element
                    .attributes()
                    .map(|attribute| {
                        let attribute = attribute.unwrap();
                        let key = attribute.key.as_ref().to_string();
                        let value = attribute
                            .normalized_value(XmlVersion::Implicit1_0)
                            .unwrap()
                            .into_owned();
                        (key, value)
                    })
                    .collect();
                elements.push((name, attributes));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    elements
}

#[test]
fn the_network_exports_as_graphml_and_gexf() {
    let graphml = query(&["export", "--format", "graphml"]).stdout;
    let elements = xml_elements(&graphml);
    assert_eq!(elements[0].0, "graphml");
    let nodes: HashSet<&str> = elements
        .iter()
        .filter(|(name, _)| name == "node")
        .map(|(_, attributes)| attributes["id"].as_str())
        .collect();
    let edges: Vec<&BTreeMap<String, String>> =
        elements.iter().filter(|(name, _)| name == "edge").map(|(_, a)| a).collect();
    assert!(nodes.len() >= 4, "{graphml}");
    assert!(edges.len() >= 3, "{graphml}");
    for edge in &edges {
        assert!(nodes.contains(edge["source"].as_str()), "{edge:?}");
        assert!(nodes.contains(edge["target"].as_str()), "{edge:?}");
    }
    let keys: HashSet<&str> = elements
        .iter()
        .filter(|(name, _)| name == "key")
        .map(|(_, attributes)| attributes["id"].as_str())
        .collect();
    assert!(keys.is_superset(&HashSet::from(["name", "type", "event_type", "weight"])));

    let gexf = query(&["export", "--format", "gexf"]).stdout;
    let elements = xml_elements(&gexf);
    assert_eq!(elements[0].0, "gexf");
    assert_eq!(elements[0].1["version"], "1.3");
    let labels: HashSet<&str> = elements
        .iter()
        .filter(|(name, _)| name == "node")
        .map(|(_, attributes)| attributes["label"].as_str())
        .collect();
    assert!(labels.contains("Vietnam") && labels.contains("China"), "{labels:?}");
    let n_edges = elements.iter().filter(|(name, _)| name == "edge").count();
    assert_eq!(n_edges, edges.len());

    // Filters narrow the network.
    let protests = query(&["export", "--format", "graphml", "--type", "PROTEST"]).stdout;
    let protest_edges = xml_elements(&protests).iter().filter(|(name, _)| name == "edge").count();
    assert!(protest_edges >= 1 && protest_edges < edges.len(), "{protests}");

    // --output writes the same into a file.
    let dir = &ingested().dir;
    query(&["export", "--format", "gexf", "--output", "graph.gexf"]);
    assert_eq!(fs::read_to_string(dir.join("graph.gexf")).unwrap(), gexf);
}

#[test]
fn events_export_as_gdelt_style_tsv() {
    let tsv = query(&["export", "--format", "gdelt"]).stdout;
    let rows: Vec<Vec<&str>> = tsv.lines().map(|line| line.split('\t').collect()).collect();
    let header = &rows[0];
    assert_eq!(header.len(), 28);
    assert_eq!(
        &header[..6],
        ["GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "Actor1Code", "Actor1Name"]
    );
    assert!(header.contains(&"EventCode") && header.contains(&"QuadClass"));
    assert!(rows.len() >= 6, "{tsv}");
    let column = |name: &str| header.iter().position(|c| *c == name).unwrap();
    for row in &rows[1..] {
        assert_eq!(row.len(), header.len(), "{row:?}");
        let day = row[column("SQLDATE")];
        assert!(
            day.is_empty() || (day.len() == 8 && day.bytes().all(|b| b.is_ascii_digit())),
            "{row:?}"
        );
        let code = row[column("EventCode")];
        assert!(code.starts_with(row[column("EventRootCode")]), "{row:?}");
        assert!(["", "1", "2", "3", "4"].contains(&row[column("QuadClass")]), "{row:?}");
        assert!(row[column("GLOBALEVENTID")].contains("/V"), "{row:?}");
    }
    let vietnam = rows.iter().find(|row| row[column("Actor1Name")] == "Vietnam").unwrap();
    assert_eq!(vietnam[column("Actor1Code")], "VNM");
    assert_eq!(vietnam[column("SQLDATE")], "20250322");
}

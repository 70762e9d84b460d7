//! `newsgraph ingest` on feeds and WARC files, and a run killed midway then finished.
//!
//! The inputs are written by the tests from their own templates: invented people and
//! outlets, real countries.

use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use rusqlite::{Connection, OpenFlags};
use serde_json::Value;

use crate::util::{newsgraph, run};

/// The number before `what` in an ingest summary ("5 new" -> 5).
fn count(summary: &str, what: &str) -> u64 {
    let words: Vec<&str> =
        summary.split(|c: char| c.is_whitespace() || c == ',' || c == ';' || c == ':').collect();
    let at = words.iter().position(|w| *w == what).unwrap_or_else(|| panic!("{what}: {summary}"));
    words[at - 1].parse().unwrap_or_else(|_| panic!("a count before {what}: {summary}"))
}

const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
  <title>Lakeside Courier</title>
  <link>https://courier.example/</link>
  <item>
    <title>Kenya and Uganda sign a water accord</title>
    <link>https://courier.example/water</link>
    <guid isPermaLink="false">courier-17</guid>
    <pubDate>Tue, 04 Mar 2025 09:30:00 GMT</pubDate>
    <description>A teaser.</description>
    <content:encoded><![CDATA[<p>Kenya and Uganda signed an accord on Tuesday to share the
      water of Lake Victoria.</p>
      <p>"This is a good day for both our peoples," said Kenyan minister Amara Odhiambo.</p>]]></content:encoded>
  </item>
  <item>
    <title>Ghana thanks Togo</title>
    <guid>courier-18</guid>
    <description>Ghana thanked Togo on Monday for its help after the floods.</description>
  </item>
</channel>
</rss>"#;

const ATOM: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Andes Wire</title>
  <id>urn:andes-wire</id>
  <updated>2025-02-11T08:00:00Z</updated>
  <entry>
    <title>Peru protests to Chile</title>
    <id>urn:andes-wire:88</id>
    <link href="https://andes.example/88"/>
    <published>2025-02-11T08:00:00Z</published>
    <content type="text">Peru protested to Chile on Monday over fishing boats near the border.</content>
  </entry>
</feed>"#;

/// A WARC `response` record holding an HTML page.
fn response(uri: &str, date: &str, page: &str) -> Vec<u8> {
    let http = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{page}");
    let mut record = format!(
        "WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: {uri}\r\nWARC-Date: {date}\r\n\
         Content-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n",
        http.len()
    )
    .into_bytes();
    record.extend_from_slice(http.as_bytes());
    record.extend_from_slice(b"\r\n\r\n");
    record
}

fn page(title: &str, paragraphs: &[&str]) -> String {
    let body: String = paragraphs.iter().map(|p| format!("<p>{p}</p>")).collect();
    format!(
        "<!doctype html><html><head><title>{title}</title></head><body>\
         <nav><a href=\"/\">Home</a> <a href=\"/world\">World</a></nav>\
         <article><h1>{title}</h1>{body}</article><footer>Contact us</footer></body></html>"
    )
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

#[test]
fn feeds_and_warc_files_are_ingested() {
    let dir = tempfile::tempdir().unwrap();
    let sources = dir.path().join("sources");
    fs::create_dir(&sources).unwrap();
    fs::write(sources.join("courier.rss"), RSS).unwrap();
    fs::write(sources.join("andes.xml"), ATOM).unwrap();

    let warcinfo =
        b"WARC/1.1\r\nWARC-Type: warcinfo\r\nContent-Length: 14\r\n\r\nsoftware: test\r\n\r\n";
    let norway = response(
        "https://fjord.example/aid",
        "2025-03-10T12:00:00Z",
        &page(
            "Norway pledges aid to Mozambique",
            &[
                "Norway pledged new aid to Mozambique on Monday after the cyclone destroyed \
                 thousands of homes along the coast.",
                "\"We will help to rebuild the schools,\" said Norwegian minister Ingrid Solvang.",
            ],
        ),
    );
    let vietnam = response(
        "https://delta.example/sea",
        "2025-03-11T06:00:00Z",
        &page(
            "Vietnam protests to China",
            &["Vietnam protested to China on Tuesday over a new map of the disputed islands, \
               and its foreign ministry summoned the Chinese ambassador in Hanoi."],
        ),
    );
    // Plain: a warcinfo record, a good response, a record without Content-Length, and
    // the reader finds the next one.
    let mut plain = warcinfo.to_vec();
    plain.extend(&norway);
    let bad_at = plain.len();
    plain.extend_from_slice(b"WARC/1.1\r\nWARC-Type: response\r\n\r\n");
    plain.extend(&vietnam);
    fs::write(sources.join("crawl.warc"), &plain).unwrap();
    // Gzipped, one member per record; the same two pages again are duplicates.
    let gzipped: Vec<u8> =
        [&warcinfo[..], &norway, &vietnam].iter().flat_map(|record| gzip(record)).collect();
    fs::write(sources.join("crawl.warc.gz"), gzipped).unwrap();

    let ingest = run(dir.path(), &["ingest", "sources", "--db", "news.db"]);
    assert_eq!(ingest.code, Some(1), "{}\n{}", ingest.stdout, ingest.stderr);
    let errors: Vec<&str> = ingest.stderr.lines().collect();
    assert_eq!(
        errors,
        [format!(
            "newsgraph: sources/crawl.warc: record at byte {bad_at}: malformed WARC record: \
             no Content-Length header"
        )],
        "{}",
        ingest.stderr
    );
    // 2 RSS items, 1 Atom entry, 2 pages in each WARC file.
    assert_eq!(count(&ingest.stdout, "new"), 5, "{}", ingest.stdout);
    assert_eq!(count(&ingest.stdout, "duplicates"), 2, "{}", ingest.stdout);
    assert_eq!(count(&ingest.stdout, "failed"), 1, "{}", ingest.stdout);

    let export = run(dir.path(), &["export", "--format", "jsonl", "--db", "news.db"]);
    let docs: Vec<Value> = export.jsonl();
    let by_id = |id: &str| {
        docs.iter().find(|doc| doc["id"] == id).unwrap_or_else(|| panic!("{id}: {docs:#?}"))
    };
    let water = by_id("courier-17");
    assert_eq!(water["outlet"], "Lakeside Courier");
    assert_eq!(water["url"], "https://courier.example/water");
    assert_eq!(water["published"], "2025-03-04T09:30:00Z");
    assert!(water["text"].as_str().unwrap().starts_with("Kenya and Uganda signed"), "{water}");
    assert_eq!(by_id("urn:andes-wire:88")["outlet"], "Andes Wire");
    let aid = docs.iter().find(|doc| doc["url"] == "https://fjord.example/aid").unwrap();
    assert_eq!(aid["published"], "2025-03-10T12:00:00Z");
    assert_eq!(aid["title"], "Norway pledges aid to Mozambique");
    let text = aid["text"].as_str().unwrap();
    assert!(!text.contains("Home") && !text.contains("Contact us"), "{text}");

    // The quote in the RSS content is found and attributed.
    let quotes =
        run(dir.path(), &["quotes", "--text", "good day", "--format", "json", "--db", "news.db"]);
    let quotes = quotes.json();
    assert_eq!(quotes.as_array().unwrap().len(), 1, "{quotes}");

    // --input-format feed reads a feed whatever its name.
    fs::write(dir.path().join("feed.txt"), ATOM.replace("88", "90").replace("Monday", "Friday"))
        .unwrap();
    let forced =
        run(dir.path(), &["ingest", "feed.txt", "--input-format", "feed", "--db", "news.db"]);
    assert_eq!(forced.code, Some(0), "{}", forced.stderr);
    assert_eq!(count(&forced.stdout, "new"), 1, "{}", forced.stdout);
}

/// Countries of the generated corpus, with a demonym for titles.
const COUNTRIES: &[(&str, &str)] = &[
    ("Kenya", "Kenyan"),
    ("Tanzania", "Tanzanian"),
    ("Peru", "Peruvian"),
    ("Chile", "Chilean"),
    ("Norway", "Norwegian"),
    ("Vietnam", "Vietnamese"),
    ("Ghana", "Ghanaian"),
    ("Portugal", "Portuguese"),
    ("Brazil", "Brazilian"),
    ("Poland", "Polish"),
    ("Egypt", "Egyptian"),
    ("Japan", "Japanese"),
    ("Mexico", "Mexican"),
];

/// Invented people.
const PEOPLE: &[&str] = &[
    "Amara Odhiambo",
    "Tiago Velarde",
    "Ingrid Solvang",
    "Kofi Mensavi",
    "Lucia Varga",
    "Piotr Zalewin",
    "Hana Morikawa",
    "Nadia Farouqi",
];

const DAYS: &[&str] = &["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"];

/// The `i`th article of the generated corpus: every one different, built from a few
/// templates.
fn generated_article(i: usize) -> String {
    let (a, a_adj) = COUNTRIES[i % COUNTRIES.len()];
    let (b, _) = COUNTRIES[(i / COUNTRIES.len() + 1 + i) % COUNTRIES.len()];
    let b = if a == b { "Argentina" } else { b };
    let person = PEOPLE[i % PEOPLE.len()];
    let day = DAYS[i % DAYS.len()];
    let n = 10 + i * 7 % 90;
    match i % 4 {
        0 => format!(
            "{a} and {b} signed a trade agreement on {day} that cuts tariffs on {n} goods.\n\
             \"This agreement opens our markets,\" said {a_adj} trade minister {person}.\n\
             {b} will host the next round of talks in May."
        ),
        1 => format!(
            "{a} accused {b} on {day} of sending {n} fishing boats into its waters.\n\
             {a_adj} foreign minister {person} said that {a} would defend its coast.\n\
             {b} denied the claim."
        ),
        2 => format!(
            "{a} pledged {n} million dollars in aid to {b} on {day} after floods destroyed \
             thousands of homes.\n\"We stand with our neighbours,\" {person} told reporters."
        ),
        _ => format!(
            "The president of {a} met the prime minister of {b} on {day} to discuss {n} \
             stranded workers.\n{person}, a {a_adj} diplomat, said the talks were useful."
        ),
    }
}

/// Articles, events, quotes and actors in a database, read through a read-only
/// connection; `None` while the schema is not there yet.
fn db_counts(db: &Path) -> Option<[i64; 4]> {
    let conn = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY).ok()?;
    conn.busy_timeout(Duration::from_secs(5)).ok()?;
    conn.query_row(
        "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM events),
                (SELECT count(*) FROM quotes), (SELECT count(*) FROM actors)",
        [],
        |row| Ok([row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?]),
    )
    .ok()
}

#[test]
fn a_killed_ingest_finishes_on_a_rerun_with_the_same_counts() {
    const N: usize = 200;
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    fs::create_dir(&corpus).unwrap();
    for i in 0..N {
        fs::write(corpus.join(format!("article-{i:03}.txt")), generated_article(i)).unwrap();
    }
    let args = |db: &str| ["ingest", "corpus", "--db", db, "--batch-size", "4"].map(String::from);

    // Killed once some batches are committed.
    let mut child = newsgraph(dir.path())
        .args(args("killed.db"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("newsgraph starts");
    let started = Instant::now();
    let committed = loop {
        assert!(started.elapsed() < Duration::from_secs(300), "nothing committed in 300 s");
        assert!(child.try_wait().unwrap().is_none(), "the ingest ended before it was killed");
        if let Some([articles, ..]) = db_counts(&dir.path().join("killed.db"))
            && articles > 0
        {
            break articles;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    child.kill().unwrap();
    child.wait().unwrap();
    let killed = db_counts(&dir.path().join("killed.db")).unwrap();
    assert!(killed[0] >= committed && killed[0] < N as i64, "{killed:?} of {N}");

    // The rerun skips what was committed and does the rest.
    let rerun = run(dir.path(), &args("killed.db").each_ref().map(String::as_str));
    assert_eq!(rerun.code, Some(0), "{}", rerun.stderr);
    assert_eq!(count(&rerun.stdout, "duplicates") as i64, killed[0], "{}", rerun.stdout);
    assert_eq!(count(&rerun.stdout, "new") as i64, N as i64 - killed[0], "{}", rerun.stdout);
    let conn =
        Connection::open_with_flags(dir.path().join("killed.db"), OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let integrity: String = conn.query_row("PRAGMA integrity_check", [], |row| row.get(0)).unwrap();
    assert_eq!(integrity, "ok");

    let fresh = run(dir.path(), &args("fresh.db").each_ref().map(String::as_str));
    assert_eq!(fresh.code, Some(0), "{}", fresh.stderr);
    let fresh = db_counts(&dir.path().join("fresh.db")).unwrap();
    assert_eq!(fresh[0], N as i64);
    assert!(fresh[1] >= N as i64 / 2 && fresh[2] >= N as i64 / 4, "{fresh:?}");
    assert_eq!(db_counts(&dir.path().join("killed.db")).unwrap(), fresh);
}
